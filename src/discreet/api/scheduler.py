"""Scheduled list updates for ``discreet serve --update-every``.

Runs in the serving command's own process (one per host, however many workers): it
downloads and loads new versions into the store; every worker's poll then picks them up.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable

from discreet.api.services import Updater, run_update
from discreet.errors import ConfigError, DiscreetError
from discreet.store import Store

__all__ = ["UpdateScheduler", "parse_interval"]

log = logging.getLogger("discreet.api")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """Seconds from ``90``, ``90s``, ``15m``, ``6h`` or ``1d``; at least 60 seconds."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not found:
        raise ConfigError(f"cannot read the interval {text!r}: use e.g. 90s, 15m, 6h, 1d")
    seconds = float(found.group(1)) * _UNITS[found.group(2) or "s"]
    if seconds < 60:
        raise ConfigError("updates more often than once a minute would hammer the publishers")
    return seconds


class UpdateScheduler:
    """Calls ``updater`` on a store every ``every`` seconds, in a daemon thread."""

    def __init__(self, open_store: Callable[[], Store], updater: Updater,
                 every: float) -> None:
        self.open_store = open_store
        self.updater = updater
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="discreet-scheduler",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                with self.open_store() as store:
                    run_update(store, self.updater)
            except Exception as exc:  # the schedule goes on whatever one run did
                log.error("scheduled update failed (serving goes on): %s", exc,
                          exc_info=not isinstance(exc, DiscreetError))
