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

Most customers cannot match any of a few changed entities. When the previous run left the
customers' prepared names beside its alerts (``alerts.jsonl.tokens``,
:mod:`~discreet.screen.tokencache`) and they are those of this very customer file, read
this way, by this code, :class:`~discreet.match.prefilter.Prefilter` rules out from them,
without preparing a single name, every customer that provably cannot alert; only the rest
are screened. The alerts are exactly those of screening every row. Without a usable cache
(missing, stale, damaged, or threshold 0) every row is screened, as before, and the cache
is written for the next time.

When many entities changed for few customers, screening the whole book again against the
whole index costs less than all that (:mod:`~discreet.screen.rescreen_cost` weighs both
before any row is screened; ``path="auto"``, asked for: the default is the delta). That
**full** path feeds the same comparison:
of each customer's alerts from the whole index, those on changed entities stand for the
delta's matches, and the customers the delta would screen against the whole index take
theirs. The report and the updated alerts are the same either way, except where the
whole index's candidates leave out a changed entity that an index of only the changed
entities proposes (a large index's candidate cap): the full path then reports what
``screen-file`` finds, the delta more (docs/screening.md).
"""

from __future__ import annotations

import gc
import json
import math
import os
import shutil
import tempfile
import time
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from discreet.errors import ConfigError
from discreet.match.prefilter import Prefilter, rebuilds_exactly
from discreet.parallel import ordered_map
from discreet.screen import tokencache
from discreet.screen.bulk import BulkOptions, screen_bulk, screen_records
from discreet.screen.progress import count_rows
from discreet.screen.readers import Record, detect_format, read_records
from discreet.screen.rescreen_cost import PATHS, PathChoice, Workload, choose
from discreet.screen.rows import alert_listings, record_id, record_query, scored_listings
from discreet.screen.runs import RunRecord, read_run, write_run
from discreet.screen.summary import MAX_REJECTS_KEPT, RunSummary
from discreet.screen.tokencache import StaleCache

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


Alerts = dict[str, dict[str, dict[str, Any]]]  # customer id -> alerted entity id -> match

_FEW_ROWS = 2000  # fewer rows to screen than this: in this process, no workers to fork
_SMALL_CACHE = 1 << 16  # a name cache under 64 kB (~1,500 rows): bounded in this process
_CHUNK = 256  # distinct names per job for the workers
_PREFILTER: Prefilter | None = None  # set before the workers fork; each inherits it


@dataclass(slots=True)
class RescreenSummary:
    """What a re-screen found and how: ``path`` "delta" (against the changed entities: only
    the rows the name cache could not rule out when ``cached``, else every row, ``reason``
    saying why), "full" (every row against the whole index) or "none" (nothing added or
    amended); ``choice`` the path asked for and both estimates; ``screen`` the run summary
    when every row was screened."""

    delta_entities: int
    removed_entities: int
    customers_changed: int = 0
    new_alerts: int = 0
    gone_alerts: int = 0
    amended_alerts: int = 0
    seconds: float = 0.0
    output: str = ""
    since: dict[str, int] = field(default_factory=dict)
    now: dict[str, int] = field(default_factory=dict)
    path: str = "none"
    reason: str = ""
    rows: int = 0  # rows in the customer file (0 on the "none" path: not read)
    screened: int = 0  # rows screened against the changed entities
    rejected: int = 0  # rows that cannot be screened (unreadable, no name), by line in rejects
    rejects: list[str] = field(default_factory=list)
    cache_written: bool = False  # the full path left a name cache for the next re-screen
    whole: int = 0  # customers screened against the whole index again (see _needs_whole)
    cached: bool = False  # the delta ruled rows out with the name cache
    choice: PathChoice | None = None
    screen: RunSummary | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"delta_entities": self.delta_entities, "removed_entities": self.removed_entities,
                "customers_changed": self.customers_changed, "new_alerts": self.new_alerts,
                "gone_alerts": self.gone_alerts,
                "amended_alerts": self.amended_alerts, "seconds": round(self.seconds, 2),
                "output": self.output, "since": self.since, "now": self.now,
                "rows": self.rows, "screened": self.screened, "path": self.path,
                "reason": self.reason, "cache_written": self.cache_written,
                "whole": self.whole, "cached": self.cached,
                "choice": self.choice.to_dict() if self.choice else None,
                "rejected": self.rejected, "rejects": self.rejects}


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


_NO_MATCH = '"matches": []}\n'  # how a bulk run's line without alerts ends
_DECODER = json.JSONDecoder()


def _alerts_by_customer(path: Path) -> Alerts:
    """customer id -> entity id -> match, from a run's JSON lines."""
    found: Alerts = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            # most customers have no alert: their line is not worth parsing (the text can
            # only end so when the record's last key is "matches" and it is empty)
            if not line.endswith(_NO_MATCH):
                _add_alerts(found, json.loads(line))
    return found


def _line_id(text: str) -> str | None:
    """The customer id of a bulk run's line, read without parsing the rest of it."""
    if text.startswith('{"id": '):
        try:
            value, end = _DECODER.raw_decode(text, 7)
        except ValueError:
            return None
        if text.startswith(", ", end):
            return str(value)
    return None


def _add_alerts(found: Alerts, record: dict[str, Any]) -> None:
    if record.get("matches"):
        found[str(record["id"])] = {m["id"]: m for m in record["matches"]}


def _compare(previous: Alerts, now: Alerts, delta: Delta, limit: int,
             whole: Alerts | None = None) -> tuple[list[dict[str, Any]], Alerts]:
    """One output line per customer whose alerts changed, and each such customer's alerts
    as a full run against the new versions gives them (best first, at most ``limit``).

    A customer's alerts now are its previous ones on unchanged listings with those found
    against the changed entities (``now``), the best ``limit`` of them; for a customer in
    ``whole`` (screened against the whole index: :func:`_needs_whole`), that run's.

    An alert is one party's (:mod:`discreet.match.parties`): it is **new** when none of the
    party's listings scored in an alert of the previous run (a listing added to a party
    already alerted, or a same-as link made or undone, is not a new match); **gone** when
    every listing of it that scored is delisted, or amended and no longer scoring (one
    listing delisted while another still alerts leaves the alert), or, still matching, when
    ``limit`` alerts now score higher ("outranked"); **amended** when a listing of it that
    scored was amended and it still alerts (its new score and explanation). Without links
    every alert is one listing and this is the entity's own test.
    """
    changed = delta.removed | delta.amended
    lines: list[dict[str, Any]] = []
    finals: Alerts = {}
    for customer in sorted(set(previous) | set(now) | set(whole or ())):
        before = previous.get(customer, {})
        if whole is not None and customer in whole:
            after = whole[customer]
        else:
            kept = {eid: m for eid, m in before.items()
                    if not changed.intersection(scored_listings(m))}
            after = _best({**kept, **now.get(customer, {})}, limit)
        alerted = {eid for m in before.values() for eid in scored_listings(m)}
        new = [m for m in after.values() if not alerted.intersection(alert_listings(m))]
        scoring = {eid for m in after.values() for eid in scored_listings(m)}
        gone, amended = [], []
        for eid, m in before.items():
            scored = scored_listings(m)
            if all(x in delta.removed or (x in delta.amended and x not in scoring)
                   for x in scored):
                delisted = all(x in delta.removed for x in scored)
                gone.append({"id": eid, "caption": m.get("caption"),
                             "reason": "delisted" if delisted else "no longer matches"})
            elif not scoring.intersection(scored):
                gone.append({"id": eid, "caption": m.get("caption"), "reason": "outranked"})
            elif delta.amended.intersection(scored) and eid in after:
                amended.append(after[eid])
        if new or gone or amended or list(after) != list(before):
            finals[customer] = after
        if new or gone or amended:
            lines.append({"id": customer, "new": new, "gone": gone, "amended": amended})
    return lines, finals


def _best(alerts: dict[str, dict[str, Any]], limit: int) -> dict[str, dict[str, Any]]:
    """The ``limit`` best alerts, best first (ties by id), as a run lists them."""
    ranked = sorted(alerts.items(), key=lambda item: (-item[1]["score"], item[0]))
    return dict(ranked[:limit])


def _needs_whole(previous: Alerts, delta: Delta, limit: int) -> set[str]:
    """The customers whose alerts now cannot be told from their previous ones and the
    changed entities alone, so they are screened against the whole index again: those
    whose previous alerts filled ``limit`` and lost or changed one (a listing the limit
    left out may now belong in), and those with an alert whose party has both changed and
    unchanged listings that scored (its score now may be either's)."""
    changed = delta.removed | delta.amended
    out = set()
    for customer, before in previous.items():
        for m in before.values():
            scored = set(scored_listings(m))
            if scored & changed and (len(before) >= limit or scored - changed):
                out.add(customer)
                break
    return out


def _screen_whole(matcher: Matcher, customers: Path, previous: Path, opts: BulkOptions,
                  wanted: set[str]) -> Alerts:
    """The ``wanted`` customers' alerts against the whole index, as a full run gives them."""
    found: Alerts = {customer: {} for customer in wanted}
    for _, record in screen_records(matcher, _wanted_rows(customers, previous, opts, wanted),
                                    opts, 1):
        _add_alerts(found, json.loads(json.dumps(record, ensure_ascii=False, default=str)))
    return found


def _wanted_rows(customers: Path, previous: Path, opts: BulkOptions,
                 wanted: set[str]) -> list[Record]:
    """The rows of the customer file whose id is ``wanted``, in order. The previous run
    wrote a line a row, in order: the rows at its lines of these customers are the ones
    read (of CSV, TSV and JSON lines the others come out bare, unread), when the file still
    has as many rows and each such row is a wanted customer's (and no other row read is);
    else (another file) every row is read and chosen by its id. (A file edited since that
    run in place, every wanted customer's row where it was, is taken for that run's: a
    row not read that now has a wanted customer's id is not screened again.)"""
    def read(positions: set[int] | None = None) -> Iterator[Record]:
        return read_records(customers, fmt=opts.input_format, mapping=dict(opts.mapping),
                            wanted=positions)

    found = _positions(previous, wanted)
    if found is not None:
        positions, count = found
        chosen, rows = [], 0
        for rows, record in enumerate(read(positions), 1):
            if (rows - 1 in positions) != (_read(record) and record_id(record) in wanted):
                break
            if rows - 1 in positions:
                chosen.append(record)
        else:
            if rows == count:
                return chosen
    return [record for record in read() if record_id(record) in wanted]


def _read(record: Record) -> bool:
    """Whether a reader read the row (not a bare record: ``wanted`` left it out)."""
    return bool(record.values or record.raw or record.error)


def _positions(previous: Path, wanted: set[str]) -> tuple[set[int], int] | None:
    """The positions of the ``wanted`` customers' lines in the previous run's file and its
    number of lines; None when a line has no id to read."""
    positions: set[int] = set()
    count = 0
    with previous.open(encoding="utf-8") as handle:
        for count, text in enumerate(handle, 1):
            ident = _line_id(text)
            if ident is None:
                try:
                    ident = str(json.loads(text)["id"])
                except (ValueError, TypeError, KeyError):
                    return None
            if ident in wanted:
                positions.add(count - 1)
    return positions, count


def rescreen(matcher: Matcher, store: Store, customers: Path, previous: Path, output: Path,
             *, since: dict[str, int] | None = None, options: BulkOptions | None = None,
             update: bool = False, path: str = "delta") -> RescreenSummary:
    """Screen ``customers`` against what changed since ``since`` (default: the last run).

    ``path``: "delta" (against the changed entities, with the name cache beside
    ``previous`` when it is this file's: see the module docstring), "full" (every row
    against the whole index) or "auto" (the cheaper, :mod:`~discreet.screen.rescreen_cost`);
    the result is the same either way, only the time differs (but where a large index's
    candidate cap leaves a changed entity out: module docstring).
    """
    if path not in PATHS:
        raise ConfigError(f"--path: expected one of {', '.join(PATHS)}, got {path!r}")
    with _frozen_heap():
        return _rescreen(matcher, store, customers, previous, output, since, options, update,
                         path)


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Keep the garbage collector off the objects that exist already (the index: millions
    of them). Its full passes over them would cost seconds here, and in forked workers would
    also copy every page they touch."""
    frozen = gc.get_freeze_count() == 0
    if frozen:
        gc.freeze()
    try:
        yield
    finally:
        if frozen:
            gc.unfreeze()


def _rescreen(matcher: Matcher, store: Store, customers: Path, previous: Path, output: Path,
              since: dict[str, int] | None, options: BulkOptions | None,
              update: bool, path: str) -> RescreenSummary:
    started = time.monotonic()
    if since is None:
        record = read_run(previous)
        base, opts = record.versions, options or BulkOptions(
            threshold=record.threshold, limit=record.limit, date_order=record.date_order)
    else:
        base, opts = since, options or BulkOptions()
    delta = list_delta(store, base)
    summary = RescreenSummary(len(delta.screen), len(delta.removed), output=str(output),
                              since=base, now=delta.versions)
    cache = tokencache.tokens_path(previous)
    before = _alerts_by_customer(previous)
    whole = _needs_whole(before, delta, opts.limit)
    summary.whole = len(whole)
    checked = _checked_cache(customers, cache, opts)
    summary.reason = str(checked) if isinstance(checked, StaleCache) else ""
    summary.choice = _choice(path, matcher, customers, previous, opts, delta, len(whole),
                             not summary.reason)
    with tempfile.TemporaryDirectory(dir=output.resolve().parent) as tmp:
        found: Alerts | None = None
        if summary.choice.path == "full":
            now, found = _screen_book(matcher, customers, Path(tmp), cache, opts, delta,
                                      whole, summary)
        else:
            now = _screen_delta(matcher, customers, Path(tmp), cache, checked, opts, delta,
                                summary)
            if whole:
                found = _screen_whole(matcher, customers, previous, opts, whole)
        lines, finals = _compare(before, now, delta, opts.limit, found)
        _write_lines(output, lines)
        if update:  # the cache depends on the customer file only: it stays valid
            _update_previous(previous, finals, opts, delta.versions)
    summary.customers_changed = len(lines)
    summary.new_alerts = sum(len(x["new"]) for x in lines)
    summary.gone_alerts = sum(len(x["gone"]) for x in lines)
    summary.amended_alerts = sum(len(x["amended"]) for x in lines)
    summary.seconds = time.monotonic() - started
    return summary


def _choice(requested: str, matcher: Matcher, customers: Path, previous: Path,
            opts: BulkOptions, delta: Delta, whole: int, cached: bool) -> PathChoice:
    """The path to take (:func:`~discreet.screen.rescreen_cost.choose`), from what is known
    before screening (``cached``: the name cache serves this customer file)."""
    work = Workload(rows=_book_rows(customers, previous, opts), changed=len(delta.screen),
                    entities=len(matcher.entities), names=len(matcher.names),
                    cached=cached, whole=whole,
                    workers=opts.workers or os.cpu_count() or 1)
    return choose(requested, work)


def _checked_cache(customers: Path, cache: Path, opts: BulkOptions) -> Iterator[str] | StaleCache:
    """The name cache's rows, checked once (:func:`~discreet.screen.tokencache.read_rows`
    reads the whole file first), or why it cannot serve this customer file."""
    try:
        return tokencache.read_rows(cache, tokencache.expected_header(
            customers, opts.input_format, opts.mapping))
    except StaleCache as exc:
        return exc


def _book_rows(customers: Path, previous: Path, opts: BulkOptions) -> int:
    """Rows in the customer file: counted when cheap (CSV, TSV, JSON lines, Parquet), else
    the previous run's, which wrote a line a row."""
    try:
        fmt = detect_format(customers) if opts.input_format == "auto" else opts.input_format
    except ConfigError:
        fmt = ""
    rows = count_rows(customers, fmt)
    return rows if rows is not None else count_rows(previous, "jsonl") or 0


def _screen_delta(matcher: Matcher, customers: Path, tmp: Path, cache: Path,
                  checked: Iterator[str] | StaleCache, opts: BulkOptions, delta: Delta,
                  summary: RescreenSummary) -> Alerts:
    """The rows' matches among the changed entities: with the name cache when it serves,
    else every row (and the cache written); none when nothing was added or amended."""
    if not delta.screen:  # an empty index matches nothing: no row needs screening
        summary.path, summary.reason = "none", ""
        return {}
    sub = matcher.restricted(delta.screen)
    try:
        return _screen_cached(sub, customers, cache, checked, opts, summary)
    except StaleCache as exc:  # found before any result came from the cache
        summary.reason, summary.cached, summary.screened = str(exc), False, 0
    return _screen_full(sub, customers, tmp, cache, opts, summary)


def _screen_book(matcher: Matcher, customers: Path, tmp: Path, cache: Path,
                 opts: BulkOptions, delta: Delta, whole: set[str],
                 summary: RescreenSummary) -> tuple[Alerts, Alerts]:
    """Every row against the whole index (the name cache written on the way), as the delta's
    two inputs: each customer's alerts on changed entities (what the delta's index finds),
    and the ``whole`` customers' alerts (what the delta screens them again for)."""
    everyone = _screen_rows(matcher, customers, tmp, cache, opts, summary)
    summary.path = "full"
    on_changed = {customer: found for customer, alerts in everyone.items()
                  if (found := {eid: m for eid, m in alerts.items()
                                if delta.screen.intersection(scored_listings(m))})}
    return on_changed, {customer: everyone.get(customer, {}) for customer in whole}


def _screen_full(sub: Matcher, customers: Path, tmp: Path, cache: Path, opts: BulkOptions,
                 summary: RescreenSummary) -> Alerts:
    """Every row against the changed entities."""
    summary.path = "delta"
    return _screen_rows(sub, customers, tmp, cache, opts, summary)


def _screen_rows(matcher: Matcher, customers: Path, tmp: Path, cache: Path, opts: BulkOptions,
                 summary: RescreenSummary) -> Alerts:
    """Every row against ``matcher``, as screen-file does; the names prepared on the way
    become the cache for the next re-screen."""
    delta_run, fresh = tmp / "rows.jsonl", tmp / "customers.tokens"
    summary.screen = screen_bulk(matcher, customers, delta_run, opts, token_cache=fresh)
    summary.rows = summary.screen.rows
    summary.rejected, summary.rejects = summary.screen.rejected, summary.screen.rejects
    summary.screened = summary.screen.screened
    summary.cache_written = fresh.exists() and _install(fresh, cache)
    return _alerts_by_customer(delta_run)


def _install(fresh: Path, cache: Path) -> bool:
    """Move the new cache beside the previous alerts; False when that place is not writable
    (the next re-screen then screens every row again, nothing worse)."""
    try:
        os.replace(fresh, cache)
        return True
    except OSError:
        pass
    tmp = cache.with_name(cache.name + ".tmp")
    try:
        shutil.copyfile(fresh, tmp)
        os.replace(tmp, cache)
        return True
    except OSError:
        tmp.unlink(missing_ok=True)
        return False


def _screen_cached(sub: Matcher, customers: Path, cache: Path,
                   checked: Iterator[str] | StaleCache, opts: BulkOptions,
                   summary: RescreenSummary) -> Alerts:
    """Screen only the rows the name cache cannot rule out (``checked``: its rows, or why
    it cannot serve: :func:`_checked_cache`); StaleCache when it is unusable (raised before
    any result is produced from it)."""
    global _PREFILTER
    try:
        prefilter = Prefilter(sub, opts.threshold)
    except ValueError as exc:
        raise StaleCache(str(exc)) from exc
    if not rebuilds_exactly(sub.rarity):
        raise StaleCache("names are now prepared in a way the prefilter does not follow "
                         "(discreet.match.prefilter.rebuild)")
    if isinstance(checked, StaleCache):
        raise checked
    rows = checked
    of_row, lines = array("l"), array("l")  # per row: the number of its names (-1: none), line

    def fresh_names() -> Iterator[list[str]]:
        """The distinct names of the rows, numbered in order of appearance, in chunks for
        the workers, who bound them while the rest of the cache is read."""
        distinct: dict[str, int] = {}
        fresh: list[str] = []
        for row in rows:
            line, names = tokencache.split_row(row)
            number = -1
            if names:
                seen = len(distinct)
                number = distinct.setdefault(names, seen)
                if number == seen:  # first met
                    fresh.append(names)
                    if len(fresh) == _CHUNK:
                        yield fresh
                        fresh = []
            of_row.append(number)
            lines.append(line)
        if fresh:
            yield fresh

    _PREFILTER = prefilter
    workers = 1 if cache.stat().st_size < _SMALL_CACHE else opts.workers or os.cpu_count() or 1
    keep: list[float | None] = []
    try:
        for bounds in ordered_map(_bounds, fresh_names(), workers=workers):
            keep.extend(b if b is not None and prefilter.may_alert(b) else None for b in bounds)
    finally:
        _PREFILTER = None
    selected = {ordinal: (lines[ordinal], bound) for ordinal, number in enumerate(of_row)
                if number >= 0 and (bound := keep[number]) is not None}
    summary.path, summary.cached, summary.rows = "delta", True, len(of_row)
    summary.rejects = [f"line {lines[k]}: not screened (no name, or unreadable)"
                       for k, number in enumerate(of_row) if number < 0][:MAX_REJECTS_KEPT]
    summary.rejected = sum(1 for number in of_row if number < 0)
    workers = 1 if len(selected) < _FEW_ROWS else opts.workers or os.cpu_count() or 1
    now: Alerts = {}
    todo = _selected_records(customers, opts, selected, prefilter, len(of_row), summary)
    for _, record in screen_records(sub, todo, opts, workers):
        # as the full path reads them back from its JSON lines
        _add_alerts(now, json.loads(json.dumps(record, ensure_ascii=False, default=str)))
    return now


def _bounds(chunk: list[str]) -> list[float | None]:
    """Worker side: the highest score each row's cached names can reach (None: no
    candidate at all), with the prefilter inherited from the parent."""
    assert _PREFILTER is not None, "the prefilter is set before the workers start"
    out: list[float | None] = []
    for names in chunk:
        texts = names.split("\t")
        if tokencache.UNKNOWN in texts:
            out.append(math.inf)  # not cached: always screened
            continue
        try:
            out.append(_PREFILTER.row_bound(map(tokencache.decode_name, texts)))
        except ValueError as exc:
            raise StaleCache(f"a damaged name in the name cache: {exc}") from exc
    return out


def _selected_records(customers: Path, opts: BulkOptions,
                      selected: dict[int, tuple[int, float]], prefilter: Prefilter,
                      rows: int, summary: RescreenSummary) -> Iterator[Record]:
    """The selected rows of the customer file whose own evidence still lets them alert."""
    ordinal = -1
    for ordinal, record in enumerate(read_records(customers, fmt=opts.input_format,
                                                  mapping=dict(opts.mapping), wanted=selected)):
        hit = selected.get(ordinal)
        if hit is None:
            continue
        if record.line != hit[0]:
            raise StaleCache(f"row {ordinal + 1} is at line {record.line}, the name cache "
                             f"says {hit[0]}")
        query, _ = record_query(record)
        if query is not None and prefilter.can_alert(hit[1], query):
            summary.screened += 1
            yield record
    if ordinal + 1 != rows:
        raise StaleCache(f"the customer file has {ordinal + 1} rows, the name cache {rows}")


def _write_lines(path: Path, lines: list[dict[str, Any]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def _update_previous(previous: Path, finals: Alerts, options: BulkOptions,
                     versions: dict[str, int]) -> None:
    """Give each changed customer of the previous run's file its alerts now (``finals``);
    record the new versions."""
    tmp = previous.with_name(previous.name + ".tmp")
    with previous.open(encoding="utf-8") as src, tmp.open("w", encoding="utf-8") as out:
        for text in src:
            ident = _line_id(text)
            if ident is not None and ident not in finals:
                out.write(text)  # most lines: unchanged, not parsed
                continue
            record = json.loads(text)
            final = finals.get(str(record["id"]))
            if final is not None:
                record["matches"] = list(final.values())
                text = json.dumps(record, ensure_ascii=False) + "\n"
            out.write(text)
    os.replace(tmp, previous)
    write_run(previous, RunRecord(versions, options.threshold, options.limit,
                                  date_order=options.date_order))
