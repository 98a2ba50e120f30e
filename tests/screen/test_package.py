"""The screen package's names resolve lazily (PEP 562) to the objects of their modules."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import discreet.screen as screen


def test_every_public_name_resolves() -> None:
    for name in screen.__all__:
        value = getattr(screen, name)
        assert getattr(value, "__module__", "").startswith("discreet.screen."), name
        module = importlib.import_module(value.__module__)
        assert getattr(module, name) is value


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        getattr(screen, "nothing_here")  # noqa: B009


def test_load_matcher_alone_leaves_the_bulk_pipeline_unimported() -> None:
    code = ("import sys; from discreet.screen import load_matcher; "
            "print(sorted(m for m in ('discreet.screen.bulk', 'multiprocessing', "
            "'concurrent.futures') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    assert out.strip() == "[]"
