"""``discreet update``: download each official list and load it if it changed.

Each source is handled on its own: one that fails to download, or downloads something that
is not a plausible list (an empty body, an error page, a truncated file, a big drop in
entities), is reported and skipped, and its active version stays in force.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from discreet.errors import ConfigError, DiscreetError, FetchError, RejectedListError
from discreet.lists.fetch import Downloaded, download
from discreet.lists.load import load_file
from discreet.lists.settings import Settings, SourceConfig, load_settings, url_file_name
from discreet.store import Store

__all__ = ["UpdateOutcome", "update_source", "update_sources"]


@dataclass(slots=True)
class UpdateOutcome:
    """What happened to one source: new, unchanged, refused (not a list) or failed (network)."""

    source: str
    status: str
    version: int | None = None
    entities: int | None = None
    detail: str | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _fetch_all(config: SourceConfig, folder: Path, client: httpx.Client) -> Downloaded:
    """Download the main file and its siblings into ``folder``; return the main file's."""
    fetched = [download(url, folder, client=client, timeout=config.timeout,
                        retries=config.retries, max_bytes=config.max_bytes, file_name=name)
               for url, name in [(config.url, config.file_name),
                                 *[(u, url_file_name(u)) for u in config.extra_files]]]
    return fetched[0]


def update_source(store: Store, config: SourceConfig, *, settings: Settings,
                  client: httpx.Client, force: bool = False) -> UpdateOutcome:
    """Download and load one source; every failure becomes an outcome, never an exception."""
    folder = Path(tempfile.mkdtemp(prefix=f"discreet-{config.name}-"))
    try:
        main = _fetch_all(config, folder, client)
        # A file without its own date is as of what the download vouches for
        # (Last-Modified, else the Date it was served): never the load time.
        when, basis = main.as_of() or (None, "download")
        result = load_file(store, main.path, source=config.name, fmt=config.format,
                           force=force, max_drop=settings.max_drop, published=when,
                           published_basis=basis)
        detail = (f"+{result.added} -{result.removed} ~{result.changed}"
                  if result.status != "unchanged" else "content unchanged")
        if result.status == "inserted":
            detail += f"; as of {result.as_of}, before the active version (which stays)"
        return UpdateOutcome(config.name, result.status, result.version, result.entities,
                             detail)
    except FetchError as exc:
        return UpdateOutcome(config.name, "failed", error=str(exc))
    except RejectedListError as exc:
        return UpdateOutcome(config.name, "refused", error=str(exc))
    except DiscreetError as exc:
        return UpdateOutcome(config.name, "refused", error=f"not a usable list: {exc}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def update_sources(store: Store, names: list[str], *, config_path: Path | None = None,
                   force: bool = False, client: httpx.Client | None = None
                   ) -> list[UpdateOutcome]:
    """Update the named sources (default: every configured one), one after another."""
    settings = load_settings(config_path)
    unknown = [n for n in names if n not in settings.sources]
    if unknown:
        known = ", ".join(sorted(settings.sources))
        raise ConfigError(f"unknown source(s) {', '.join(unknown)}; configured: {known}")
    own_client = client is None
    http = client or httpx.Client(follow_redirects=True,
                                  headers={"User-Agent": "discreet-update/0.1"})
    try:
        return [update_source(store, settings.sources[name], settings=settings, client=http,
                              force=force)
                for name in (names or list(settings.sources))]
    finally:
        if own_client:
            http.close()
