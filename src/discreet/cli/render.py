"""What the commands print: rich tables for people, and ``--json`` for scripts."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from discreet.model import Entity
from discreet.store import Diff, HistoryEvent, LoadResult, TimelineRow, VersionInfo

if TYPE_CHECKING:
    from discreet.match import MatchResult
    from discreet.screen.rescreen import RescreenSummary
    from discreet.screen.summary import RunSummary

__all__ = ["diff", "emit", "entity", "history", "load_results", "match_results",
           "rescreen_summary", "run_summary", "timeline", "update_outcomes", "versions"]

# Piped into a log or a file, rich would assume 80 columns and cut ids and dates.
console = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)


def emit(data: Any, *, ensure_ascii: bool = False) -> None:
    """``--json`` output on standard output: indented, dates and paths as strings."""
    click.echo(json.dumps(data, ensure_ascii=ensure_ascii, indent=2, default=str))


def load_results(results: Sequence[LoadResult]) -> None:
    table = Table("source", "version", "status", "entities", "added", "removed", "changed",
                  title="Loaded")
    for r in results:
        table.add_row(r.source, str(r.version), r.status, str(r.entities), str(r.added),
                      str(r.removed), str(r.changed))
    console.print(table)
    for r in results:
        for warning in r.warnings[:20]:
            console.print(f"[yellow]warning:[/] {warning}")


def update_outcomes(outcomes: Sequence[Any]) -> None:
    table = Table("source", "status", "version", "entities", "detail", title="Update")
    for o in outcomes:
        table.add_row(o.source, o.status, str(o.version or ""), str(o.entities or ""),
                      o.error or o.detail or "")
    console.print(table)


def versions(rows: Sequence[VersionInfo]) -> None:
    if not rows:
        console.print("No sources loaded yet: try `discreet load FILE` or `discreet update`.")
        return
    table = Table("source", "version", "active", "entities", "as of", "loaded at",
                  "+", "-", "~", "sha256", title="Sources")
    for v in rows:  # in as-of order; the as-of date says who states it unless the file does
        as_of = v.as_of if v.as_of_basis == "file" else f"{v.as_of} ({v.as_of_basis})"
        table.add_row(v.source, str(v.version), "yes" if v.active else "", str(v.entities),
                      as_of, v.loaded_at, str(v.added), str(v.removed),
                      str(v.changed), v.sha256[:12])
    console.print(table)


def diff(result: Diff) -> None:
    console.print(f"[bold]{result.source}[/]: version {result.from_version} -> "
                  f"{result.to_version}: {len(result.added)} added, {len(result.removed)} "
                  f"removed, {len(result.changed)} changed")
    table = Table("", "id", "name", "fields")
    for eid in result.added:
        table.add_row("[green]+[/]", eid, result.captions.get(eid, ""), "")
    for eid in result.removed:
        table.add_row("[red]-[/]", eid, result.captions.get(eid, ""), "")
    for change in result.changed:
        table.add_row("[yellow]~[/]", change.id, change.caption, ", ".join(change.fields))
    if table.row_count:
        console.print(table)


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def entity(found: Entity, *, listed: bool) -> None:
    state = "listed" if listed else "no longer listed"
    console.print(f"[bold]{found.caption}[/]  {found.schema}  {found.id}  "
                  f"({found.source}, {state})")
    table = Table("field", "value", show_header=False)
    for name in found.names:
        extra = ", ".join(x for x in (name.lang, name.script) if x)
        table.add_row(f"name ({name.kind})", name.value + (f"  [{extra}]" if extra else ""))
    data = found.to_dict()
    for key, value in data.items():
        if key in ("id", "schema", "names", "source"):
            continue
        values = value if isinstance(value, list) else [value]
        for item in values:
            table.add_row(key, _value(item))
    console.print(table)


def history(entity_id: str, events: Sequence[HistoryEvent]) -> None:
    table = Table("date", "source", "version", "event", "fields", title=f"History of {entity_id}")
    for e in events:
        table.add_row(e.when, e.source, str(e.version), e.event, ", ".join(e.fields))
    console.print(table)


def timeline(rows: Sequence[TimelineRow]) -> None:
    table = Table("period", "authority", "programme", "designations", "delistings", "dates",
                  title="Timeline")
    for r in rows:
        table.add_row(r.period, r.authority, r.programme, str(r.designations),
                      str(r.delistings), r.basis)
    console.print(table)


def match_results(name: str, results: Sequence[MatchResult], threshold: float | None) -> None:
    """Matches as a table, then each one's explanation (names are never read as markup)."""
    console = Console(soft_wrap=False, highlight=False)
    if not results:
        floor = "the default threshold" if threshold is None else f"{threshold}"
        console.print(Text(f"No match for {name!r} at or above {floor}."))
        return
    table = Table("#", "score", "caption", "schema", "dataset", "id",
                  title=Text(f"Matches for {name!r}"))
    for number, r in enumerate(results, start=1):
        table.add_row(*(Text(v) for v in (str(number), f"{r.score:.3f}", r.entity.caption,
                                          r.entity.schema, r.entity.source, r.entity.id)))
    console.print(table)
    for number, r in enumerate(results, start=1):
        console.print(Text(f"\n{number}. {r.entity.caption} ({r.entity.id})", style="bold"))
        console.print(Text(r.explanation.to_text()), soft_wrap=True)
        if r.also:  # the party's other listings (same-as links): one result, every authority
            console.print(Text("also listed: " + "; ".join(
                f"{a.entity.id} ({a.entity.authority}, {a.entity.source}"
                + ("" if a.score is None else f", {a.score:.3f}") + ")" for a in r.also)),
                soft_wrap=True)


def run_summary(summary: RunSummary) -> str:
    """The closing report of screen-file (whatever its input and output) and spark-screen:
    counts, time, then alerts by list and by programme (when counted)."""
    lines = [f"{summary.rows} rows: {summary.screened} screened, {summary.rows_with_alerts} "
             f"with alerts ({summary.alerts} alerts), {summary.rejected} rejected"
             + (f", {summary.unread_dates} birth dates unread" if summary.unread_dates else "")
             + (f"; resumed at row {summary.resumed_at}" if summary.resumed_at else "")
             + f"; {summary.seconds:.1f} s -> {summary.output}"]
    if summary.by_dataset:
        lines.append("alerts by list: " + ", ".join(
            f"{k} {v}" for k, v in summary.by_dataset.most_common()))
    if summary.by_programme:
        lines.append("alerts by programme: " + ", ".join(
            f"{k} {v}" for k, v in summary.by_programme.most_common(15)))
    return "\n".join(lines)


def rescreen_summary(summary: RescreenSummary) -> str:
    """rescreen's closing report: what changed in the lists, in the alerts, which path was
    taken and why, and how much of the file had to be screened again."""
    whole = (f"{summary.whole} against the whole index again (an alert of theirs changed "
             "and their alerts filled the limit), " if summary.whole
             and summary.path != "full" else "")
    return (f"{summary.delta_entities} entities added or amended, {summary.removed_entities} "
            f"delisted since {summary.since}; {summary.customers_changed} customers "
            f"changed: {summary.new_alerts} new alerts, {summary.gone_alerts} gone, "
            f"{summary.amended_alerts} amended; {_rescreen_path(summary)}; "
            f"{summary.screened} of {summary.rows} rows screened ({_rescreen_rows(summary)}), "
            f"{whole}{summary.rejected} rejected; "
            f"{summary.seconds:.1f} s -> {summary.output}")


def _rescreen_path(summary: RescreenSummary) -> str:
    """The path taken, as asked or chosen by the estimates."""
    choice = summary.choice
    if choice is None:
        return f"path {summary.path}"
    how = "as asked" if choice.requested != "auto" else "the cheaper"
    return (f"path {summary.path}, {how} (estimated: delta {choice.delta_s:.1f} s, "
            f"full {choice.full_s:.1f} s)")


def _rescreen_rows(summary: RescreenSummary) -> str:
    """Which rows were screened, against what."""
    if summary.path == "none":
        how = "nothing added or amended"
    elif summary.path == "full":
        how = "every row against the whole index"
    elif summary.cached:
        how = "against the changed entities; the rest ruled out by the name cache"
    else:
        how = f"against the changed entities; no name cache used: {summary.reason}"
    if summary.cache_written:
        how += "; name cache written for the next re-screen"
    return how
