"""One row of a customer file: the reader's :class:`~discreet.screen.readers.Record`, the
query it is screened with, and its output line.

Every screening path (``screen-file`` to a file or a pipe, ``rescreen``, Spark) screens a
row with :func:`screen_record`, so one row gives one output line whichever path it takes.
The record is the only row type: no second one is converted to and from it.

>>> screen_record(matcher, Record(2, {"id": "c1", "name": "Ivan Petrov"}), None, 5)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from discreet.errors import ConfigError, NotFoundError
from discreet.model import SCHEMATA
from discreet.screen.readers import Record
from discreet.text.dates import normalize_date, parse_date

if TYPE_CHECKING:
    from discreet.match import Matcher, Query
    from discreet.store import Store

__all__ = ["NO_NAME", "ProgrammesOf", "RowError", "alert_listings", "check_options", "date_warning",
           "load_matcher", "parse_schema", "record_id", "record_query", "scored_listings",
           "screen_record",
           "screen_rows"]

SCHEMA_BY_LOWER = {s.lower(): s for s in SCHEMATA}
NO_NAME = "the row has no name"


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be used: its line in the input file, its id and why."""

    line: int
    id: str
    message: str

    def __str__(self) -> str:
        label = f" (id {self.id})" if self.id else ""
        return f"line {self.line}{label}: {self.message}"


def parse_schema(value: str | None) -> tuple[str | None, str | None]:
    """A schema name in any case, or blank; returns (schema, error message)."""
    text = (value or "").strip()
    if not text:
        return None, None
    if text.lower() in SCHEMA_BY_LOWER:
        return SCHEMA_BY_LOWER[text.lower()], None
    return None, f"unknown schema {text!r}; expected one of {', '.join(SCHEMATA)}"


def load_matcher(store: Store) -> Matcher:
    """An index of every active version in the store (the persisted index when there is a
    valid one, else built and persisted: :func:`discreet.match.persist.open_matcher`);
    refuses an empty store."""
    from discreet.match.persist import open_matcher

    matcher = open_matcher(store)
    if len(matcher) == 0:
        raise NotFoundError("no entities to screen against: load a list first "
                            "(discreet load FILE or discreet update)")
    return matcher


def record_query(record: Record, date_order: str | None = None
                 ) -> tuple[Query | None, str | None]:
    """The query a record is screened with, or (None, why it is not screened).

    Columns by discreet field: id, name, schema, birth_date, country (``;`` or ``|``
    between countries); ``date_order`` (DMY, MDY, YMD) settles a birth date like
    07/10/1952 (else the matcher compares both readings, :mod:`discreet.text.dates`).
    Re-screening builds the same query to bound what a row can score
    (:mod:`discreet.match.prefilter`), so both must come from here.
    """
    from discreet.match import Query

    values = record.values
    name = " ".join((values.get("name") or "").split())
    schema, error = parse_schema(values.get("schema"))
    if not name:
        error = NO_NAME
    error = record.error or error
    if error:
        return None, error
    countries = tuple(c.strip() for c in (values.get("country") or "").replace("|", ";")
                      .split(";") if c.strip())
    ident = (values.get("id") or "").strip()
    return Query(name=name, schema=schema,
                 birth_date=normalize_date(values.get("birth_date"), date_order),
                 countries=countries, id=ident or None), None


def record_id(record: Record) -> str:
    """The customer id an output line carries: the row's ``id``, else its line number."""
    ident = (record.values.get("id") or "").strip()
    return ident or (str(record.line) if record.line else "")


def screen_record(matcher: Matcher, record: Record, threshold: float | None, limit: int,
                  keep: Sequence[str] = (), date_order: str | None = None,
                  topics: Sequence[str] = ()) -> dict[str, Any]:
    """The output line of one record: ``{"id", "matches"}`` (best first), plus ``"error"``
    for a row not screened (written, never dropped) and ``"warning"`` for a row screened
    without its birth date, which could not be read. A row without an id is labelled by
    its line; ``keep``: input columns copied under ``"input"``; ``topics``: only entities
    carrying any of them (a view of the one index: scores are those of every entity)."""
    query, error = record_query(record, date_order)
    out: dict[str, Any] = {"id": record_id(record)}
    if query is None:
        out.update(matches=[], error=error)
    else:
        warning = date_warning(query.birth_date)
        if warning:
            out["warning"] = warning
        results = matcher.match(query, limit=limit, threshold=threshold,
                                topics=topics or None)
        out["matches"] = [r.to_dict() for r in results]
    if keep:
        out["input"] = {k: record.raw.get(k, "") for k in keep}
    return out


class ProgrammesOf(Protocol):
    """Entity id -> its programmes, read one alerted listing at a time (a dict does): what
    the run summary and the alert table ask of bulk screening's map, which for a persisted
    index decodes an entity only when an alert names it, and so offers nothing to iterate."""

    def get(self, entity_id: str, default: list[str], /) -> list[str]: ...


def alert_listings(match: Mapping[str, Any]) -> list[str]:
    """Every listing id of an alert's party, the alerted one first (one alert per party,
    :mod:`discreet.match.parties`): its own id when it is linked to no other listing."""
    listings = match.get("listings")
    return [str(x["id"]) for x in listings] if listings else [str(match["id"])]


def scored_listings(match: Mapping[str, Any]) -> list[str]:
    """The listing ids of an alert that scored (at or above its run's threshold): the
    alerted one, and the party's others that scored too."""
    listings = match.get("listings")
    if not listings:
        return [str(match["id"])]
    return [str(x["id"]) for x in listings if x.get("score") is not None]


def date_warning(text: str | None) -> str | None:
    """What to tell about a birth date that cannot be read (it is no evidence), or None."""
    if not text:
        return None
    written = parse_date(text)
    if written.readings:
        return None
    return f"birth date {written.text!r} could not be read ({written.problem}); screened " \
        "without it"


def screen_rows(matcher: Matcher, rows: Iterable[Record | Mapping[str, str]],
                threshold: float | None = None, limit: int = 5,
                date_order: str | None = None) -> Iterator[dict[str, Any]]:
    """Screen rows lazily, in order, in this process: one output line per row.

    ``threshold`` None uses the matcher's default; it only filters (0 returns the best
    ``limit`` entities of those compared, whatever their score). Rows are records or
    mappings by discreet field (``{"id", "name", "schema", "birth_date", "country"}``;
    the n-th mapping is line n).
    """
    check_options(threshold, limit)
    for number, row in enumerate(rows, start=1):
        record = row if isinstance(row, Record) else Record(
            number, {k: v for k, v in row.items() if v is not None})
        yield screen_record(matcher, record, threshold, limit, date_order=date_order)


def check_options(threshold: float | None, limit: int) -> None:
    """Refuse a threshold outside [0, 1] or a limit below 1 before anything is read."""
    if threshold is not None and not 0 <= threshold <= 1:
        raise ConfigError(f"threshold must be between 0 and 1, not {threshold}")
    if limit < 1:
        raise ConfigError(f"limit must be at least 1, not {limit}")
