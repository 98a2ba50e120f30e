"""Settings: where the official lists are downloaded from, and how carefully.

Read from a TOML file: ``$DISCREET_CONFIG``, else ``discreet.toml`` in the working
directory, else the built-in defaults (the official URLs). Every value is checked on load, so
a typo fails at start-up with the key's name rather than at 3 a.m. during an update::

    [load]
    max_removal = 0.05        # refuse a version that removes more than 5% of the active entities

    [mirror]
    base_url = "http://127.0.0.1:8000/lists/"

    [sources.us_ofac_sdn]     # override a built-in source, or add your own
    url = "https://…/SDN_ENHANCED.XML"
    extra_files = []          # URLs downloaded beside it (OFAC CSV sets: add, alt, comments)
    format = "auto"
    timeout = 60              # seconds per network operation
    retries = 3
    max_bytes = 1073741824

Mirror rule: when ``[mirror] base_url`` is set, every source whose ``url`` the file does not
set itself is fetched from ``base_url + file_name`` (its extra files likewise by the last
segment of their path). ``file_name`` is the last path segment of the official URL, or set
explicitly (the EU's URL ends in ``/content``, so its default is given).

The built-in sources, their official URLs and file names come from the dataset catalogue
(``lists/data/datasets.yml``, read by :mod:`discreet.lists.catalogue`); the removal gate's
default is the store's (:data:`discreet.store.writer.DEFAULT_MAX_REMOVAL`).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from discreet.errors import ConfigError
from discreet.lists.catalogue import catalogue
from discreet.store.writer import DEFAULT_MAX_REMOVAL

__all__ = ["DEFAULT_MAX_REMOVAL", "DEFAULT_SOURCES", "Settings", "SourceConfig", "load_settings",
           "settings_from_dict", "url_file_name"]

GIB = 1 << 30


def url_file_name(url: str) -> str:
    """The last path segment of a URL (``SDN_ENHANCED.XML``), or ``download`` if none."""
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] or "download"


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """One list to download: its URL, sibling files, format and download limits."""

    name: str
    url: str
    extra_files: tuple[str, ...] = ()
    format: str = "auto"
    timeout: float = 60.0
    retries: int = 3
    max_bytes: int = GIB
    file_name: str = ""  # name on disk and on a mirror; default: the URL's last path segment

    def __post_init__(self) -> None:
        if not self.file_name:
            object.__setattr__(self, "file_name", url_file_name(self.url))


# The built-in sources: every dataset of the catalogue (lists/data/datasets.yml) that has an
# official URL, in the catalogue's order (the order ``discreet update`` fetches them in).
DEFAULT_SOURCES: dict[str, SourceConfig] = {
    d.name: SourceConfig(d.name, d.url, file_name=d.file_name)
    for d in catalogue().datasets.values() if d.url
}


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, already validated."""

    sources: dict[str, SourceConfig] = field(default_factory=lambda: dict(DEFAULT_SOURCES))
    max_drop: float = DEFAULT_MAX_REMOVAL  # the removal gate ([load] max_removal)
    mirror_base_url: str | None = None
    path: Path | None = None  # the file these came from; None for the built-in defaults

    def source(self, name: str) -> SourceConfig:
        """The named source; a ConfigError lists the known ones."""
        if name not in self.sources:
            known = ", ".join(sorted(self.sources))
            raise ConfigError(f"sources.{name}: unknown source (known: {known})")
        return self.sources[name]


# -- checked access to raw TOML values ------------------------------------------------------


def _table(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}{key}: expected a table")
    return value


def _only(data: dict[str, Any], allowed: set[str], where: str) -> None:
    """Unknown keys are errors: a misspelt ``max_bytes`` must not silently mean the default."""
    for key in data:
        if key not in allowed:
            raise ConfigError(f"{where}{key}: unknown key (known: {', '.join(sorted(allowed))})")


def _url(value: Any, key: str) -> str:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{key}: expected an http(s) URL, got {value!r}")
    return str(value)


def _number(value: Any, key: str, kind: type, low: float, high: float = float("inf")) -> Any:
    ok = isinstance(value, int | float) if kind is float else isinstance(value, int)
    if not ok or isinstance(value, bool) or not low <= value <= high:
        raise ConfigError(f"{key}: expected {kind.__name__} in [{low}, {high}], got {value!r}")
    return kind(value)


# -- sections -------------------------------------------------------------------------------

SOURCE_KEYS = {"url", "extra_files", "format", "timeout", "retries", "max_bytes", "file_name"}


def _source(name: str, raw: dict[str, Any], base: SourceConfig | None) -> SourceConfig:
    """A source entry merged over its built-in default (if any), every value checked."""
    where = f"sources.{name}."
    _only(raw, SOURCE_KEYS, where)
    if base is None and "url" not in raw:
        raise ConfigError(f"{where}url: required for a source that is not built in")
    start = base or SourceConfig(name, _url(raw["url"], where + "url"))
    extra = raw.get("extra_files", list(start.extra_files))
    if not isinstance(extra, list):
        raise ConfigError(f"{where}extra_files: expected a list of URLs")
    for key in ("format", "file_name"):
        if not isinstance(raw.get(key, ""), str):
            raise ConfigError(f"{where}{key}: expected a string")
    url = _url(raw.get("url", start.url), where + "url")
    return SourceConfig(
        name=name, url=url,
        extra_files=tuple(_url(u, f"{where}extra_files") for u in extra),
        format=raw.get("format", start.format) or "auto",
        timeout=_number(raw.get("timeout", start.timeout), where + "timeout", float, 0.001),
        retries=_number(raw.get("retries", start.retries), where + "retries", int, 0, 20),
        max_bytes=_number(raw.get("max_bytes", start.max_bytes), where + "max_bytes", int, 1),
        file_name=raw.get("file_name") or (start.file_name if "url" not in raw else ""),
    )


def _mirrored(source: SourceConfig, base_url: str) -> SourceConfig:
    """The source fetched from the mirror: base URL plus each file's name."""
    extra = tuple(base_url + url_file_name(u) for u in source.extra_files)
    return replace(source, url=base_url + source.file_name, extra_files=extra)


def _removal_gate(load: dict[str, Any], update: dict[str, Any]) -> float:
    """``[load] max_removal``, or its older spelling ``[update] max_drop``; not both."""
    if "max_removal" in load and "max_drop" in update:
        raise ConfigError("update.max_drop: the older name of load.max_removal; set only "
                          "load.max_removal")
    if "max_drop" in update:
        return float(_number(update["max_drop"], "update.max_drop", float, 0.0, 1.0))
    return float(_number(load.get("max_removal", DEFAULT_MAX_REMOVAL), "load.max_removal",
                         float, 0.0, 1.0))


def settings_from_dict(data: dict[str, Any], path: Path | None = None) -> Settings:
    """Validated settings from parsed TOML (a ConfigError names the first bad key)."""
    _only(data, {"load", "update", "mirror", "sources"}, "")
    load, update = _table(data, "load", ""), _table(data, "update", "")
    mirror = _table(data, "mirror", "")
    _only(load, {"max_removal"}, "load.")
    _only(update, {"max_drop"}, "update.")
    _only(mirror, {"base_url"}, "mirror.")
    max_drop = _removal_gate(load, update)
    base_url = _url(mirror["base_url"], "mirror.base_url") if "base_url" in mirror else None
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    sources = dict(DEFAULT_SOURCES)
    raw_sources = _table(data, "sources", "")
    for name in raw_sources:
        sources[name] = _source(name, _table(raw_sources, name, "sources."),
                                DEFAULT_SOURCES.get(name))
    if base_url:
        sources = {n: s if "url" in raw_sources.get(n, {}) else _mirrored(s, base_url)
                   for n, s in sources.items()}
    return Settings(sources, max_drop, base_url, path)


def read_settings_file(path: Path | None, env: str, name: str
                       ) -> tuple[dict[str, Any], Path] | None:
    """The TOML table of a settings file and where it is: ``path``, else the file ``$env``
    names (which must exist), else ``./name``; None when none of them is given or there.
    Every settings file of discreet is found and read by this one rule."""
    if path is None and os.environ.get(env):
        path = Path(os.environ[env])
        if not path.is_file():
            raise ConfigError(f"{env}: no such file {path}")
    if path is None:
        path = Path.cwd() / name
        if not path.is_file():
            return None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), path
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc


def load_settings(path: Path | None = None) -> Settings:
    """Settings from ``path``, ``$DISCREET_CONFIG``, ``./discreet.toml``, else the defaults."""
    found = read_settings_file(path, "DISCREET_CONFIG", "discreet.toml")
    return Settings() if found is None else settings_from_dict(*found)
