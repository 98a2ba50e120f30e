"""Re-screening when a list changes: only against what changed, with new and gone alerts.

A full run leaves its alerts (JSON lines) and, beside them, a run record saying which
version of each source it screened against. After new versions arrive, the customers are
screened again only against the entities added or amended since those versions (an index
of just them, scored with the full index's rarity weights, so scores are the full run's);
delisted entities need no screening at all. Compared with the previous alerts this gives:

* **new** alerts: a customer now matches an added or amended entity it did not match before;
* **gone** alerts: the entity was delisted, or after its amendment no longer matches.

With ``update=True`` the previous alerts file and its run record are brought up to date, so
that the next re-screen is "since the last run".
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from discreet.errors import ConfigError
from discreet.screen.bulk import BulkOptions, BulkSummary, screen_bulk
from discreet.screen.runs import RunRecord, read_run, write_run

if TYPE_CHECKING:
    from discreet.match import Matcher
    from discreet.store import Store

__all__ = ["Delta", "RescreenSummary", "list_delta", "parse_since", "rescreen"]


@dataclass(slots=True)
class Delta:
    """Entity ids added or amended (to screen against) and removed (alerts to drop)."""

    screen: set[str] = field(default_factory=set)
    amended: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    versions: dict[str, int] = field(default_factory=dict)  # the versions screened now


@dataclass(slots=True)
class RescreenSummary:
    """What a re-screen found; ``screen`` is the delta run's own summary."""

    delta_entities: int
    removed_entities: int
    customers_changed: int = 0
    new_alerts: int = 0
    gone_alerts: int = 0
    seconds: float = 0.0
    output: str = ""
    since: dict[str, int] = field(default_factory=dict)
    now: dict[str, int] = field(default_factory=dict)
    screen: BulkSummary | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"delta_entities": self.delta_entities, "removed_entities": self.removed_entities,
                "customers_changed": self.customers_changed, "new_alerts": self.new_alerts,
                "gone_alerts": self.gone_alerts, "seconds": round(self.seconds, 2),
                "output": self.output, "since": self.since, "now": self.now,
                "rows": self.screen.rows if self.screen else 0}


def parse_since(text: str) -> dict[str, int]:
    """``us_ofac_sdn:3,un_sc_sanctions:5`` -> {source: version}."""
    since: dict[str, int] = {}
    for part in text.split(","):
        source, sep, version = part.strip().rpartition(":")
        if not sep or not source or not version.isdigit():
            raise ConfigError(f"--since: expected SOURCE:VERSION[,…] or 'last', got {part!r}")
        since[source] = int(version)
    return since


def list_delta(store: Store, since: dict[str, int]) -> Delta:
    """What changed in every active source since the given versions (new sources: all)."""
    delta = Delta()
    for info in store.active():
        delta.versions[info.source] = info.version
        base = since.get(info.source)
        if base is None:
            delta.screen.update(e.id for e in store.entities(info.source))
            continue
        if base == info.version:
            continue
        diff = store.diff(info.source, base, info.version)
        delta.screen.update(diff.added)
        delta.amended.update(c.id for c in diff.changed)
        delta.screen.update(delta.amended)
        delta.removed.update(diff.removed)
    return delta


def _alerts_by_customer(path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """customer id -> entity id -> match, from a run's JSON lines."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("matches"):
                found[str(record["id"])] = {m["id"]: m for m in record["matches"]}
    return found


def _compare(previous: dict[str, dict[str, dict[str, Any]]], delta_run: Path, delta: Delta
             ) -> list[dict[str, Any]]:
    """One output line per customer whose alerts changed."""
    now = _alerts_by_customer(delta_run)
    lines = []
    for customer in sorted(set(previous) | set(now)):
        before, after = previous.get(customer, {}), now.get(customer, {})
        new = [m for eid, m in after.items() if eid not in before]
        gone = [{"id": eid, "caption": m.get("caption"),
                 "reason": "delisted" if eid in delta.removed else "no longer matches"}
                for eid, m in before.items()
                if eid in delta.removed or (eid in delta.amended and eid not in after)]
        if new or gone:
            lines.append({"id": customer, "new": new, "gone": gone})
    return lines


def rescreen(matcher: Matcher, store: Store, customers: Path, previous: Path, output: Path,
             *, since: dict[str, int] | None = None, options: BulkOptions | None = None,
             update: bool = False) -> RescreenSummary:
    """Screen ``customers`` against what changed since ``since`` (default: the last run)."""
    if since is None:
        record = read_run(previous)
        base, opts = record.versions, options or BulkOptions(threshold=record.threshold,
                                                             limit=record.limit)
    else:
        base, opts = since, options or BulkOptions()
    delta = list_delta(store, base)
    summary = RescreenSummary(len(delta.screen), len(delta.removed), output=str(output),
                              since=base, now=delta.versions)
    with tempfile.TemporaryDirectory(dir=output.resolve().parent) as tmp:
        delta_run = Path(tmp) / "delta.jsonl"
        summary.screen = screen_bulk(matcher.restricted(delta.screen), customers, delta_run,
                                     opts)
        lines = _compare(_alerts_by_customer(previous), delta_run, delta)
        _write_lines(output, lines)
        if update:
            _update_previous(previous, lines, opts, delta.versions)
    summary.customers_changed = len(lines)
    summary.new_alerts = sum(len(x["new"]) for x in lines)
    summary.gone_alerts = sum(len(x["gone"]) for x in lines)
    summary.seconds = summary.screen.seconds
    return summary


def _write_lines(path: Path, lines: list[dict[str, Any]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def _update_previous(previous: Path, lines: list[dict[str, Any]], options: BulkOptions,
                     versions: dict[str, int]) -> None:
    """Apply the new and gone alerts to the previous run's file; record the new versions."""
    changes = {line["id"]: line for line in lines}
    tmp = previous.with_name(previous.name + ".tmp")
    with previous.open(encoding="utf-8") as src, tmp.open("w", encoding="utf-8") as out:
        for text in src:
            record = json.loads(text)
            change = changes.get(str(record["id"]))
            if change is not None:
                gone = {g["id"] for g in change["gone"]}
                kept = [m for m in record["matches"] if m["id"] not in gone]
                merged = sorted([*kept, *change["new"]], key=lambda m: (-m["score"], m["id"]))
                record["matches"] = merged
                text = json.dumps(record, ensure_ascii=False) + "\n"
            out.write(text)
    os.replace(tmp, previous)
    write_run(previous, RunRecord(versions, options.threshold, options.limit))
