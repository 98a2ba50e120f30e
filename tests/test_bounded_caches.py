"""A long-running service memoises on what clients send (names, words, country texts): every
such cache must have a bound, or a stream of distinct queries grows a worker's memory without
end. Caches of functions without arguments (data tables read once) are not keyed by input."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from typing import Any

import discreet

# keyed by the names of the package's own data files, a fixed handful: no client reaches it
_KEYED_BY_PACKAGE_DATA = frozenset({"discreet.text.terms.load_yaml"})


def _modules() -> Iterator[Any]:
    for info in pkgutil.walk_packages(discreet.__path__, "discreet."):
        if info.name.endswith("__main__"):
            continue
        yield importlib.import_module(info.name)


def _unbounded_input_caches() -> list[str]:
    found = []
    for module in _modules():
        for name, value in vars(module).items():
            info = getattr(value, "cache_parameters", None)
            if info is None or getattr(value, "__module__", None) != module.__name__:
                continue
            wrapped = getattr(value, "__wrapped__", value)
            try:
                takes = inspect.signature(wrapped).parameters
            except (TypeError, ValueError):
                continue
            qualified = f"{module.__name__}.{name}"
            if takes and info()["maxsize"] is None and qualified not in _KEYED_BY_PACKAGE_DATA:
                found.append(qualified)
    return sorted(found)


def test_every_cache_keyed_by_input_is_bounded() -> None:
    assert _unbounded_input_caches() == []


def test_the_scan_sees_the_caches_it_checks() -> None:
    # the scan finds the package's memoised functions at all (else the test above is empty)
    countries = importlib.import_module("discreet.text.countries")
    given_names = importlib.import_module("discreet.text.given_names")
    assert countries.country_code.cache_parameters()["maxsize"] is not None
    assert given_names.equivalents.cache_parameters()["maxsize"] is not None
    module_names = {m.__name__ for m in _modules()}
    assert {"discreet.text.countries", "discreet.text.given_names",
            "discreet.match.prepare"} <= module_names


def test_a_stream_of_distinct_words_keeps_the_cache_bounded() -> None:
    from discreet.text.given_names import equivalents

    bound = equivalents.cache_parameters()["maxsize"]
    assert bound is not None
    for i in range(bound + 100):
        equivalents(f"zq{i}x")
    assert equivalents.cache_info().currsize <= bound
