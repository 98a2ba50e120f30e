"""The dataset catalogue: which official lists exist, what they are called, where they live.

The facts are data, in the commented ``lists/data/datasets.yml`` (shipped with the package),
so each has one home: the settings' built-in sources (:mod:`discreet.lists.settings`) and the
API's dataset names and titles (:mod:`discreet.api.datasets`) both read them from here. The
file is checked as it is read: a misspelt key or a missing title fails with the key's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import yaml

__all__ = ["Catalogue", "Dataset", "catalogue", "catalogue_from_dict", "read_catalogue"]

FILE = "datasets.yml"
_REQUIRED = ("title", "publisher", "authority", "formats")
_KEYS = {*_REQUIRED, "url", "file_name"}


@dataclass(frozen=True, slots=True)
class Dataset:
    """One official list: its OpenSanctions name, title, publisher and where it is published."""

    name: str  # the OpenSanctions dataset name, also the source name in the store
    title: str
    publisher: str  # as /catalog shows it ("UK FCDO")
    authority: str  # as the parsers record it on entities and versions ("UK")
    formats: tuple[str, ...]  # the formats it is published in (sources/ format names)
    url: str = ""  # the official download URL; "" when there is none to fetch
    file_name: str = ""  # name on disk and on a mirror; "" means the URL's last segment


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Every known dataset (in fetch order) and the collections (name -> title)."""

    datasets: Mapping[str, Dataset]  # read-only: the catalogue is shared by every reader
    collections: Mapping[str, str]


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice (plain YAML keeps the last silently, so
    a second ``eu_fsf`` entry would replace the first unseen)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ValueError(f"{FILE}: line {key_node.start_mark.line + 1}: {key!r} is "
                                 "given twice")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{FILE}: {where}: expected a non-empty string, got {value!r}")
    return value


def _dataset(name: str, raw: Any) -> Dataset:
    where = f"datasets.{name}"
    if not isinstance(raw, dict):
        raise ValueError(f"{FILE}: {where}: expected a mapping")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise ValueError(f"{FILE}: {where}.{unknown[0]}: unknown key "
                         f"(known: {', '.join(sorted(_KEYS))})")
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        raise ValueError(f"{FILE}: {where}.{missing[0]}: required")
    formats = raw["formats"]
    if not isinstance(formats, list) or not formats:
        raise ValueError(f"{FILE}: {where}.formats: expected a non-empty list")
    url = _text(raw["url"], f"{where}.url") if "url" in raw else ""
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        raise ValueError(f"{FILE}: {where}.url: expected an http(s) URL, got {url!r}")
    return Dataset(
        name=name, title=_text(raw["title"], f"{where}.title"),
        publisher=_text(raw["publisher"], f"{where}.publisher"),
        authority=_text(raw["authority"], f"{where}.authority"),
        formats=tuple(_text(f, f"{where}.formats") for f in formats), url=url,
        file_name=_text(raw["file_name"], f"{where}.file_name") if "file_name" in raw else "",
    )


def catalogue_from_dict(data: Any) -> Catalogue:
    """A checked catalogue from the parsed YAML (a ValueError names the first bad key)."""
    if not isinstance(data, dict) or set(data) != {"datasets", "collections"}:
        raise ValueError(f"{FILE}: expected exactly the top-level keys datasets and collections")
    datasets, collections = data["datasets"], data["collections"]
    if not isinstance(datasets, dict) or not isinstance(collections, dict):
        raise ValueError(f"{FILE}: datasets and collections must be mappings")
    clash = sorted(set(datasets) & set(collections))
    if clash:
        raise ValueError(f"{FILE}: {clash[0]}: both a dataset and a collection")
    return Catalogue(
        datasets=MappingProxyType({str(n): _dataset(str(n), raw) for n, raw in datasets.items()}),
        collections=MappingProxyType({str(n): _text(t, f"collections.{n}")
                                      for n, t in collections.items()}),
    )


def read_catalogue(text: str) -> Catalogue:
    """A checked catalogue from the YAML text (a ValueError names the first bad key)."""
    return catalogue_from_dict(yaml.load(text, Loader=_UniqueKeyLoader))  # a SafeLoader


@cache
def catalogue() -> Catalogue:
    """The catalogue shipped with discreet (read once)."""
    path = resources.files("discreet.lists").joinpath("data").joinpath(FILE)
    return read_catalogue(path.read_text(encoding="utf-8"))
