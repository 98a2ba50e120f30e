"""Running the app under uvicorn: one process, or several workers sharing the store."""

from __future__ import annotations

import os

import uvicorn

from discreet.api.app import app_from_env, create_app
from discreet.api.scheduler import UpdateScheduler, parse_interval
from discreet.api.settings import ENV_VAR, ApiSettings
from discreet.store import Store

__all__ = ["URL_LIMIT", "default_updater", "run_server"]

# h11 with a large line limit: an over-long URL reaches validation and gets the JSON error
# shape (httptools refuses URLs over 64 KiB with plain text, and is not faster here).
URL_LIMIT = 1 << 20


def default_updater(store: Store) -> object:
    """Download every configured source and load what changed (discreet update)."""
    from discreet.update import update_sources

    return update_sources(store, [])


def run_server(settings: ApiSettings, *, port: int, workers: int = 1,
               update_every: str | None = None) -> None:
    """Serve until interrupted; with ``update_every``, update the lists on a schedule."""
    scheduler = None
    if update_every:
        scheduler = UpdateScheduler(lambda: Store.open(settings.db), default_updater,
                                    parse_interval(update_every))
        scheduler.start()
    try:
        if workers == 1:
            app = create_app(settings, updater=default_updater)
            uvicorn.run(app, host=settings.host, port=port, log_level="info",
                        http="h11", h11_max_incomplete_event_size=URL_LIMIT)
        else:
            os.environ[ENV_VAR] = settings.to_json()
            uvicorn.run(f"{app_from_env.__module__}:app_from_env", factory=True,
                        host=settings.host, port=port, workers=workers, log_level="info",
                        http="h11", h11_max_incomplete_event_size=URL_LIMIT)
    finally:
        if scheduler is not None:
            scheduler.stop()
