"""``discreet serve`` with several workers: the supervising process loads no app.

uvicorn's supervisor only starts, pings and replaces the workers; each worker builds its
app from the factory named in ``api.serve``. So the supervisor imports the settings and the
connection guard, not FastAPI, the routes or the pages (which cost a server a second of
its start and memory in every process). Fresh processes report what they imported.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys

import pytest

from discreet.api import serve

# What the supervisor of ``discreet serve --workers N`` imports before it spawns them.
SUPERVISOR = """\
import json, sys
import click
from discreet.cli import cli
command = cli.get_command(click.Context(cli), "serve")
assert command is not None
import discreet.api.serve
print(json.dumps(sorted({name.partition(".")[0] for name in sys.modules})))
"""

# The package's names asked for: the app is imported then, and frozen for the collector.
ASKED = """\
import gc, json
import discreet.api as api
before = "discreet.api.app" in __import__("sys").modules
create_app, settings = api.create_app, api.ApiSettings
print(json.dumps([before, gc.get_freeze_count() > 0, create_app.__module__,
                  settings.__module__]))
"""


def _run(code: str) -> object:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISCREET_")}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_the_supervisor_imports_no_app() -> None:
    loaded = _run(SUPERVISOR)
    assert isinstance(loaded, list)
    assert {"discreet", "click", "uvicorn", "h11"} <= set(loaded)  # a real report
    assert sorted({"fastapi", "starlette", "pydantic", "jinja2", "authlib"} & set(loaded)) == []


def test_the_package_imports_the_app_when_asked() -> None:
    loaded = _run(ASKED)
    assert isinstance(loaded, list)
    before, frozen, app_module, settings_module = loaded
    assert before is False
    assert frozen is True
    assert app_module == "discreet.api.app"
    assert settings_module == "discreet.api.settings"


@pytest.mark.parametrize("factory", [serve.API_ONLY, serve.WEB_APP])
def test_the_named_factories_are_the_apps_factories(factory: str) -> None:
    module, _, name = factory.partition(":")
    made = getattr(importlib.import_module(module), name)
    assert callable(made) and made.__name__ == "app_from_env"
    assert made.__module__ == module


def test_an_unknown_name_is_no_attribute() -> None:
    import discreet.api as api

    with pytest.raises(AttributeError, match="no_such_thing"):
        _ = api.no_such_thing
