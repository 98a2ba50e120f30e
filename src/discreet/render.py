"""Tables and panels for people reading the CLI's output (rich)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from discreet.model import Entity
from discreet.store import Diff, HistoryEvent, LoadResult, TimelineRow, VersionInfo

__all__ = ["diff", "entity", "history", "load_results", "timeline", "update_outcomes",
           "versions"]

# Piped into a log or a file, rich would assume 80 columns and cut ids and dates.
console = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)


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
    table = Table("source", "version", "active", "entities", "published", "loaded at",
                  "+", "-", "~", "sha256", title="Sources")
    for v in rows:
        table.add_row(v.source, str(v.version), "yes" if v.active else "", str(v.entities),
                      v.published or "", v.loaded_at, str(v.added), str(v.removed),
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
        table.add_row(e.date, e.source, str(e.version), e.event, ", ".join(e.fields))
    console.print(table)


def timeline(rows: Sequence[TimelineRow]) -> None:
    table = Table("period", "authority", "programme", "designations", "delistings",
                  title="Timeline")
    for r in rows:
        table.add_row(r.period, r.authority, r.programme, str(r.designations),
                      str(r.delistings))
    console.print(table)
