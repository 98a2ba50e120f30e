"""Every public module declares ``__all__``, and each name in it exists."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import discreet

MODULES = sorted(m.name for m in pkgutil.walk_packages(discreet.__path__, "discreet.")
                 if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_all_is_declared_and_resolves(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} declares no __all__"
    assert [n for n in exported if not hasattr(module, n)] == []
