"""Where the store lives unless told otherwise: the default file and its environment variable.

The one home of both facts, because the store owns where it lives: the command line's
``--db``, the HTTP service's settings and :func:`discreet.store.db.open_database` all take
them from here, so none of them can name another default.
"""

from __future__ import annotations

import os

__all__ = ["DB_ENV", "DEFAULT_DB", "default_location"]

DB_ENV = "DISCREET_DB"  # a SQLite file or a postgresql:// URL
DEFAULT_DB = "discreet.db"  # SQLite, in the working directory


def default_location() -> str:
    """``$DISCREET_DB`` when set, else ``discreet.db`` (in the working directory)."""
    return os.environ.get(DB_ENV, DEFAULT_DB)
