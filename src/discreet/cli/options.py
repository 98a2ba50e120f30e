"""Options and helpers that several commands share, each defined once here so that their
names, defaults, ranges and help cannot drift apart between commands."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from discreet.errors import ConfigError
from discreet.match.topics import wanted_topics
from discreet.store import Store
from discreet.store.location import DB_ENV, DEFAULT_DB, default_location

__all__ = [
    "CONFIG_HELP",
    "FILE",
    "SUMMARY_JSON",
    "RejectedRows",
    "check_rejects",
    "check_topics",
    "config_option",
    "date_order_option",
    "db_option",
    "json_option",
    "limit_option",
    "max_rejects_option",
    "open_store",
    "store_url",
    "threshold_option",
    "topics_option",
    "workers_option",
]

F = TypeVar("F", bound=Callable[..., Any])

FILE = click.Path(dir_okay=False, path_type=Path, allow_dash=True)
SUMMARY_JSON = "Print the summary as JSON (on standard error)."
CONFIG_HELP = "Configuration file (default: DISCREET_CONFIG or ./discreet.toml)."


def db_option(func: F) -> F:
    """The store every command works on: the group's ``--db``."""
    return click.option("--db", envvar=DB_ENV, default=DEFAULT_DB, show_default=True,
                        help=f"SQLite file or postgresql:// URL of the store (env {DB_ENV})."
                        )(func)


def store_url(ctx: click.Context) -> str:
    """The root command's ``--db``; a command run on its own (no group) falls back to
    what the option would have given."""
    given = ctx.find_root().params.get("db")
    return str(given or default_location())


def open_store(ctx: click.Context) -> Store:
    """The store named by ``--db``, closed when the command ends."""
    store = Store.open(store_url(ctx))
    ctx.call_on_close(store.close)
    return store


def json_option(help_text: str = "Print JSON for scripts instead of a table.") -> Callable[[F], F]:
    """``--json``: machine-readable output; the help says where it goes."""
    return click.option("--json", "as_json", is_flag=True, help=help_text)


def config_option(func: F) -> F:
    return click.option("--config", "config_path",
                        type=click.Path(dir_okay=False, path_type=Path), help=CONFIG_HELP)(func)


def threshold_option(func: F) -> F:
    return click.option("--threshold", type=click.FloatRange(0, 1),
                        help="Lowest score reported (default: the matcher's). It only filters: 0 "
                        "reports the best --limit entities of those compared, whatever "
                        "their score.")(func)


def limit_option(func: F) -> F:
    return click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True,
                        help="Most entities reported per name.")(func)


def workers_option(func: F) -> F:
    return click.option("--workers", type=click.IntRange(min=0), default=0, show_default=True,
                        help="Processes to use; 0: every core.")(func)


def date_order_option(func: F) -> F:
    return click.option("--date-order", type=click.Choice(["DMY", "MDY", "YMD"],
                                                          case_sensitive=False),
                        help="How to read a date like 07/10/1952: DMY (7 October), MDY "
                        "(July 10) or YMD; default: compare both readings.")(func)


def topics_option(func: F) -> F:
    return click.option("--topic", "topics", multiple=True, metavar="TOPIC",
                        help="Only entities carrying this topic (repeatable: any of them): "
                        "sanction, role.pep, crime… An official list's entity carries "
                        "sanction.")(func)


def check_topics(topics: Sequence[str]) -> tuple[str, ...]:
    """The ``--topic`` values (:func:`~discreet.match.topics.wanted_topics`)."""
    try:
        return wanted_topics(topics)
    except ConfigError:
        raise ConfigError("--topic is blank: give a topic such as sanction or role.pep"
                          ) from None


def max_rejects_option(func: F) -> F:
    return click.option("--max-rejects", type=click.IntRange(min=0), default=0,
                        show_default=True,
                        help="Rows that may be rejected (unreadable, no name…) before the "
                        "command exits with status 3; they are reported either way.")(func)


class RejectedRows(click.ClickException):
    """The run finished, but rows of the customer file were not screened: exit status 3, so
    that a nightly job does not pass over customers it never screened."""

    exit_code = 3


def check_rejects(path: Path | str, rejected: int, allowed: int, *, what: str = "row",
                  done: str = "screened") -> None:
    """Exit status 3 (RejectedRows) when more rows were rejected than ``--max-rejects``."""
    if rejected > allowed:
        raise RejectedRows(f"{path}: {rejected} {what}(s) rejected, not {done} (reported above "
                           f"by line); the others were {done}. --max-rejects {rejected} "
                           "accepts this many.")
