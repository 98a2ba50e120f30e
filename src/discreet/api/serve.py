"""Running the app under uvicorn: one process, or several workers sharing the store.

Every worker speaks HTTP through :class:`~discreet.api.connections.GuardedH11Protocol`
(header and body deadlines, a connection cap), and the open-files limit is raised to the
hard limit first, so a flood of idle connections cannot take every file descriptor.
"""

from __future__ import annotations

import copy
import importlib
import os
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from discreet.api.connections import PROTOCOL, configure, raise_fd_limit
from discreet.api.settings import ENV_VAR, ApiSettings

__all__ = ["API_ONLY", "KEEP_ALIVE", "URL_LIMIT", "WEB_APP", "run_server"]

# h11, whose head limit (--max-header-bytes) GuardedH11Protocol answers with the JSON error
# shape (httptools refuses URLs over 64 KiB with plain text, and is not faster here).
# URL_LIMIT is the most --max-header-bytes allows (the in-process test servers use it).
URL_LIMIT = 1 << 20
KEEP_ALIVE = 5  # seconds an idle keep-alive connection stays open
WORKER_PING = 60  # seconds a worker may take to answer the supervisor before it is replaced


def log_config() -> dict[str, Any]:
    """uvicorn's logging, plus discreet's own messages (index swaps, failed updates,
    closed slow connections) at INFO on the same handler, in every worker."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["discreet"] = {"handlers": ["default"], "level": "INFO",
                                     "propagate": False}
    return config


# The factories a worker builds its app with ("module:function"), named, not imported: with
# several workers the supervising process loads neither app (tests/api/test_serve_imports.py).
API_ONLY = "discreet.api.app:app_from_env"
WEB_APP = "discreet.web.app:app_from_env"  # the API and the pages (``discreet serve``)


def run_server(settings: ApiSettings, *, port: int, workers: int = 1,
               update_every: str | None = None, factory: str = API_ONLY) -> None:
    """Serve until interrupted; with ``update_every``, update the lists on a schedule.

    ``factory`` ("module:function") builds each worker's app from the settings in the
    environment: the API alone by default; ``discreet serve`` passes the web
    application's, which is the API plus the pages."""
    scheduler = None
    if update_every:
        from discreet.api.scheduler import UpdateScheduler, parse_interval
        from discreet.api.services import default_updater
        from discreet.store import Store

        scheduler = UpdateScheduler(lambda: Store.open(settings.db), default_updater,
                                    parse_interval(update_every))
        scheduler.start()
    raise_fd_limit()
    os.environ[ENV_VAR] = settings.to_json()  # read by spawned workers and their protocol
    configure(settings)
    # Idle keep-alive connections close after 5 s (uvicorn's default, said here so that a
    # reverse proxy's upstream keep-alive can be set below it: see docs/api.md).
    common: dict[str, object] = {
        "host": settings.host, "port": port, "log_level": "info", "http": PROTOCOL,
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "timeout_keep_alive": KEEP_ALIVE, "log_config": log_config()}
    try:
        if workers == 1:
            module, _, name = factory.partition(":")
            app = getattr(importlib.import_module(module), name)()
            uvicorn.run(app, **common)  # type: ignore[arg-type]
        else:
            # A worker busy swapping in a new index (or on a loaded host) may answer the
            # supervisor's ping late: killing it for that would cost a whole index build.
            uvicorn.run(factory, factory=True,
                        workers=workers, timeout_worker_healthcheck=WORKER_PING,
                        **common)  # type: ignore[arg-type]
    finally:
        if scheduler is not None:
            scheduler.stop()
