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
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from discreet.programmes.yamlfile import YamlFile

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


_FILE = YamlFile(FILE)  # the reading and checks of packaged YAML, shared with programmes/


def _text(value: Any, where: str) -> str:
    """A non-empty string, kept as written (quoted spaces included)."""
    return _FILE.text(value, where, strip=False)


def _dataset(name: str, raw: Any) -> Dataset:
    where = f"datasets.{name}"
    raw = _FILE.mapping(raw, where, _KEYS, _REQUIRED)
    formats = raw["formats"]
    if not isinstance(formats, list) or not formats:
        raise _FILE.fail(f"{where}.formats", "expected a non-empty list")
    url = _text(raw["url"], f"{where}.url") if "url" in raw else ""
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        raise _FILE.fail(f"{where}.url", f"expected an http(s) URL, got {url!r}")
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
    return catalogue_from_dict(_FILE.load(text))


@cache
def catalogue() -> Catalogue:
    """The catalogue shipped with discreet (read once)."""
    return read_catalogue(_FILE.packaged("discreet.lists"))
