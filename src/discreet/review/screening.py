"""Continuous screening of the book: on a customer's change, on a list change, on demand.

Three ways in, one way out. :func:`screen_customers` screens chosen customers (added or
changed ones) and :func:`screen_book` the whole book or a segment, against every active
list; :func:`screen_list_changes` screens the book only against the entities added or
amended since the versions it was last screened against (``screen/rescreen.py``'s delta,
:func:`~discreet.screen.rescreen.list_delta`, and its index of only those entities), with
:class:`~discreet.match.prefilter.Prefilter` ruling out, from each customer's names as
the matcher prepared them (kept in the book), every customer that provably cannot alert.
Rows are screened by the one pipeline (:func:`~discreet.screen.bulk.screen_records`).

Each finding of a (customer, listed entity) pair then becomes, in :func:`_plan`: a new
alert; a hit added to an alert already there; a **suppression** when a false-positive
decision still holds (the customer's screening fields and the entity's content both hash
as when it was decided: counted, listed, audited); or a **reopened** alert when either
changed, with the field-level differences since the decision. Every run is recorded.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from discreet import __version__
from discreet.errors import NotFoundError
from discreet.match import settle
from discreet.match.prefilter import (
    NameParts,
    Prefilter,
    parts_of,
    query_names,
    rebuilds_exactly,
)
from discreet.match.prepare import PREPARATION_VERSION
from discreet.parallel import ordered_map
from discreet.review.actors import Actor, require
from discreet.review.book import customer_record
from discreet.review.changes import field_diff
from discreet.review.settings import ReviewSettings
from discreet.review.trail import audit
from discreet.screen import tokencache
from discreet.screen.bulk import entity_by_id
from discreet.screen.readers import Record
from discreet.screen.rescreen import list_delta
from discreet.screen.rows import record_query, screen_record
from discreet.store.review import Alert, Customer, NewHit, Run, StaleAlertError

if TYPE_CHECKING:
    from discreet.match import Matcher, Query
    from discreet.model import Entity
    from discreet.store import Store

__all__ = ["ALGORITHM", "LIMIT", "list_versions", "screen_book", "screen_customers",
           "screen_list_changes"]

ALGORITHM = f"discreet {__version__}; name preparation {PREPARATION_VERSION}"
LIMIT = 10  # listed parties kept per customer and run
_FEW = 2000  # fewer customers than this: screened in this process
_BATCH = 2000  # findings written per transaction
_TOKENS = f"p{PREPARATION_VERSION}:"  # prefix of a customer's prepared names in the book
_CHUNK = 256  # customers (or distinct names) per worker job
_PAGE = 5000  # customers read (and written back) at a time
_PREFILTER: Prefilter | None = None  # set before the workers fork; each inherits it
_MATCHER: Matcher | None = None  # likewise, for screening
_THRESHOLD: float | None = None


def list_versions(store: Store) -> list[dict[str, Any]]:
    """The active version of each source as evidence: source, version, as-of date, the
    content hash of its entities and the file's SHA-256."""
    hashes = store.review.version_hashes()
    return [{"source": v.source, "version": v.version, "as_of": v.as_of,
             "content_hash": hashes.get((v.source, v.version), ""), "file_sha256": v.sha256}
            for v in store.active()]


def _start(store: Store, kind: str, actor: Actor, settings: ReviewSettings,
           segment: Mapping[str, str] | None = None) -> Run:
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    return store.review.start_run(Run(0, kind, now, actor.name, list_versions(store),
                                      settings.threshold, ALGORITHM, dict(segment or {})))


@dataclass(slots=True)
class _Job:
    """Customers to screen with one index: ``pages`` of them, read lazily (a book of any
    size is never held whole), about ``size`` in all (how many workers to fork), each page
    marked screened by reference once its findings are written when ``mark`` is set (a
    list-change group is marked at once at the end, by the versions it was screened
    against: see ``_finish``)."""

    matcher: Matcher
    pages: Iterable[Sequence[Customer]]
    size: int
    mark: bool = True


def _ref_pages(store: Store, refs: Sequence[str]) -> Iterator[list[Customer]]:
    for start in range(0, len(refs), _PAGE):
        yield store.review.customers(refs=refs[start:start + _PAGE])


def screen_customers(store: Store, matcher: Matcher, refs: Sequence[str], actor: Actor,
                     settings: ReviewSettings | None = None, *, workers: int = 0) -> Run:
    """Screen some customers (just added or changed) against every active list."""
    require(actor, "screen")
    settings = settings or ReviewSettings()
    run = _start(store, "customer", actor, settings)
    wanted = list(dict.fromkeys(refs))
    return _finish(store, run, [_Job(matcher, _ref_pages(store, wanted), len(wanted))], [],
                   actor, settings, workers)


def screen_book(store: Store, matcher: Matcher, actor: Actor,
                settings: ReviewSettings | None = None, *,
                segment: Mapping[str, str] | None = None, workers: int = 0) -> Run:
    """Screen the whole book, or a segment of it (customers whose attributes hold every
    ``attribute: value`` of ``segment``), against every active list."""
    require(actor, "screen")
    settings = settings or ReviewSettings()
    run = _start(store, "segment" if segment else "book", actor, settings, segment)
    pages = ([c for c in page if _in_segment(c, segment)]
             for page in store.review.customer_pages(any_screened=True, page=_PAGE))
    return _finish(store, run, [_Job(matcher, pages, store.review.count_customers())], [],
                   actor, settings, workers)


def _in_segment(customer: Customer, segment: Mapping[str, str] | None) -> bool:
    return not segment or all(customer.attributes.get(k) == v for k, v in segment.items())


def screen_list_changes(store: Store, matcher: Matcher, actor: Actor,
                        settings: ReviewSettings | None = None, *, workers: int = 0) -> Run:
    """After list versions become active: screen each customer against what changed since
    the versions it was last screened against (every list, for a customer never screened).

    Customers are grouped by those versions (after a run they share one set), so each
    group's changes are computed, indexed and prefiltered once; the prefilter reads only
    each customer's prepared names, and only the customers it keeps are read whole. Each
    group is then marked screened against the run's versions in one statement.
    """
    require(actor, "screen")
    settings = settings or ReviewSettings()
    run = _start(store, "lists", actor, settings)
    groups = store.review.screened_groups()
    jobs: list[_Job] = []
    covered: list[str] = []
    removed: set[str] = set()
    for key in sorted(groups, key=lambda k: k or ""):
        if key is None:
            jobs.append(_Job(matcher, store.review.customer_pages(screened=None, page=_PAGE),
                             groups[key]))
            continue
        covered.append(key)
        delta = list_delta(store, json.loads(key))
        removed |= delta.removed
        if delta.screen:
            sub = matcher.restricted(delta.screen)
            chosen = _may_alert(store, sub, key, groups[key], settings.threshold, workers)
            jobs.append(_Job(sub, [chosen], len(chosen), mark=False))
    if removed:  # alerts on entities delisted since: said in their cases
        store.review.note_delisted(run.id, removed, actor.name, within=lambda noted: audit(
            store, "delisted", actor, {"run": run.id, "alerts": noted[:1000],
                                       "entities": sorted(removed)[:1000]}))
    return _finish(store, run, jobs, covered, actor, settings, workers)


def _may_alert(store: Store, sub: Matcher, group: str, size: int, threshold: float,
               workers: int) -> list[Customer]:
    """The customers of a group (last screened against the versions ``group`` names) that
    can alert against the changed entities: every one the prefilter cannot rule out.

    As ``rescreen`` does with its name cache, the book's prepared names are read a page
    at a time (reference and names only), each distinct set of names is bounded once on
    ``workers`` forked processes, and only the customers whose bound still lets them alert
    are read whole and checked with their own evidence (birth date, countries…). A
    customer whose names the book does not keep (or keeps stale) is read whole, its names
    prepared and kept. Without a usable prefilter, every customer of the group."""
    global _PREFILTER
    try:
        prefilter = Prefilter(sub, threshold)
    except ValueError:
        prefilter = None
    if prefilter is None or not rebuilds_exactly(sub.rarity):
        return [c for page in store.review.customer_pages(screened=group, page=_PAGE)
                for c in page]
    distinct: dict[str, int] = {}  # names as kept -> their number
    members: list[list[str]] = []  # number -> the references with those names
    unkept: list[str] = []  # references whose names must be prepared

    def fresh_names() -> Iterator[list[str]]:
        chunk: list[str] = []
        for page in store.review.customer_tokens(screened=group):
            for ref, text in page:
                if text is None or not text.startswith(_TOKENS):
                    unkept.append(ref)
                    continue
                number = distinct.setdefault(text, len(distinct))
                if number == len(members):
                    members.append([])
                    chunk.append(text)
                    if len(chunk) == _CHUNK:
                        yield chunk
                        chunk = []
                members[number].append(ref)
        if chunk:
            yield chunk

    _PREFILTER = prefilter
    count = workers or (1 if size < _FEW else _cores())
    settle()  # before the workers fork (as _finish does)
    try:
        # every bound first: a set of names met early may be met again later in the book
        kept = [b if b is not None and prefilter.may_alert(b) else None
                for chunk in ordered_map(_text_bounds, fresh_names(), workers=count)
                for b in chunk]
        bounds = {ref: bound for bound, refs in zip(kept, members, strict=True)
                  if bound is not None for ref in refs}
        chosen = _checked(store, prefilter, sorted(bounds), bounds)
        chosen += _unkept(store, prefilter, unkept, count)
    finally:
        _PREFILTER = None
    return chosen


def _checked(store: Store, prefilter: Prefilter, refs: Sequence[str],
             bounds: Mapping[str, float]) -> list[Customer]:
    """The customers (read whole) whose own evidence still lets their bound alert."""
    chosen: list[Customer] = []
    for page in _ref_pages(store, refs):
        for customer in page:
            query, _ = record_query(customer_record(customer))
            if query is not None and prefilter.can_alert(bounds[customer.ref], query):
                chosen.append(customer)
    return chosen


def _unkept(store: Store, prefilter: Prefilter, refs: Sequence[str], count: int
            ) -> list[Customer]:
    """Customers whose prepared names the book does not keep: prepared now (and kept),
    bounded, and checked."""
    chosen: list[Customer] = []
    for page in _ref_pages(store, refs):
        items: list[tuple[Customer, Query]] = []
        for customer in page:
            query, _ = record_query(customer_record(customer))
            if query is not None:
                items.append((customer, query))
        jobs: Iterator[list[tuple[str | None, Query]]] = (
            [(None, q) for _, q in items[start:start + _CHUNK]]
            for start in range(0, len(items), _CHUNK))
        fresh: dict[str, tuple[str, str]] = {}
        results = (r for chunk in ordered_map(_bounds, jobs, workers=count) for r in chunk)
        for (customer, query), (bound, tokens) in zip(items, results, strict=True):
            if tokens is not None:
                fresh[customer.ref] = (customer.screening_hash, tokens)
            if prefilter.can_alert(bound, query):
                chosen.append(customer)
        store.review.set_tokens(fresh)
    return chosen


def _text_bounds(chunk: list[str]) -> list[float | None]:
    """Worker side: the best possible name score of each set of kept names against the
    changed entities (None: no candidate; a damaged or stale set: infinity, screened)."""
    assert _PREFILTER is not None, "the prefilter is set before the workers start"
    out: list[float | None] = []
    for text in chunk:
        parts = _cached_parts(text)
        out.append(math.inf if parts is None else _PREFILTER.row_bound(parts))
    return out


def _bounds(chunk: list[tuple[str | None, Query]]) -> list[tuple[float | None, str | None]]:
    """Worker side: each customer's best possible name score against the changed entities
    (None: no candidate), and its names prepared when the book did not keep them yet."""
    assert _PREFILTER is not None, "the prefilter is set before the workers start"
    out: list[tuple[float | None, str | None]] = []
    for text, query in chunk:
        parts = _cached_parts(text)
        tokens = None
        if parts is None:
            names = query_names(_PREFILTER.matcher, query)
            parts = [parts_of(n) for n in names]
            tokens = _TOKENS + tokencache.encode_row(0, names)
        out.append((_PREFILTER.row_bound(parts), tokens))
    return out


def _cached_parts(text: str | None) -> list[NameParts] | None:
    """A customer's names as the book keeps them prepared (None: not kept, stale or
    damaged: they are prepared again)."""
    if not text or not text.startswith(_TOKENS):
        return None
    try:
        _, names = tokencache.split_row(text[len(_TOKENS):].rstrip("\n"))
        items = names.split("\t") if names else []
        if not items or tokencache.UNKNOWN in items:
            return None
        return [tokencache.decode_name(item) for item in items]
    except (ValueError, tokencache.StaleCache):
        return None


def _finish(store: Store, run: Run, jobs: list[_Job], covered: Sequence[str], actor: Actor,
            settings: ReviewSettings, workers: int) -> Run:
    """Screen each job's customers with its matcher, page by page: write what a page found,
    keep the names prepared on the way, and (``_Job.mark``) mark its customers screened
    against the run's list versions, in that order, so a customer is never marked before
    its alerts are written. Then bring the ``covered`` list-change groups up to the run's
    versions (see ``screened_groups``) and record the run."""
    started = time.monotonic()
    global _MATCHER, _THRESHOLD
    versions = {str(x["source"]): int(x["version"]) for x in run.lists}
    for job in jobs:
        if job.size:
            _MATCHER, _THRESHOLD = job.matcher, settings.threshold
            try:
                _screen_job(store, run, job, versions, actor, settings, workers)
            finally:
                _MATCHER = None
    for group in covered:
        store.review.mark_group_screened(group, versions)
    seconds = round(time.monotonic() - started, 3)
    store.review.finish_run(run, within=lambda: audit(store, "run", actor,
                                                      {**run.to_dict(), "seconds": seconds}))
    return run


def _screen_job(store: Store, run: Run, job: _Job, versions: Mapping[str, int], actor: Actor,
                settings: ReviewSettings, workers: int) -> None:
    entities = entity_by_id(job.matcher)
    pending: deque[tuple[Sequence[Customer], bool]] = deque()  # chunks sent, in order

    def chunks() -> Iterator[list[Record]]:
        line = 0
        for page in job.pages:
            for at in range(0, len(page), _CHUNK):
                part = page[at:at + _CHUNK]
                pending.append((part, at + _CHUNK >= len(page)))
                yield [customer_record(c, n) for n, c in enumerate(part, line)]
                line += len(part)

    count = workers or (1 if job.size < _FEW else _cores())
    settle()  # before the workers fork: the collector leaves the shared index alone
    findings: list[tuple[Customer, dict[str, Any], Entity]] = []
    fresh: dict[str, tuple[str, str]] = {}
    done: list[str] = []
    for results in ordered_map(_screen_chunk, chunks(), workers=count):
        part, page_ends = pending.popleft()
        for customer, (out, tokens) in zip(part, results, strict=True):
            run.screened += 1
            if customer.tokens != tokens:
                fresh[customer.ref] = (customer.screening_hash, tokens)
            seen: set[str] = set()  # one finding per pair: a line may name an entity twice
            for match in out.get("matches", []):  # best first: the best score is kept
                entity = entities(str(match["id"]))
                if entity is not None and entity.id not in seen:
                    seen.add(entity.id)
                    findings.append((customer, match, entity))
            done.append(customer.ref)
        if page_ends:  # a whole page screened: its findings, names and mark, in order
            for start in range(0, len(findings), _BATCH):
                _write(store, run, findings[start:start + _BATCH], actor, settings)
            store.review.set_tokens(fresh)
            if job.mark:
                store.review.mark_screened(done, versions)
            findings, fresh, done = [], {}, []


def _screen_chunk(records: list[Record]) -> list[tuple[dict[str, Any], str]]:
    """Worker side: each customer's output line, as every screening path writes it
    (:func:`~discreet.screen.rows.screen_record`), and its names as the matcher just
    prepared them, for the book to keep (the list-change runs' prefilter reads them)."""
    assert _MATCHER is not None, "the matcher is set before the workers start"
    out = []
    for record in records:
        line = screen_record(_MATCHER, record, _THRESHOLD, LIMIT)
        query, _ = record_query(record)
        names = [] if query is None else query_names(_MATCHER, query)
        out.append((line, _TOKENS + tokencache.encode_row(0, names)))
    return out


def _cores() -> int:
    return os.cpu_count() or 1


def _write(store: Store, run: Run, findings: list[tuple[Customer, dict[str, Any], Entity]],
           actor: Actor, settings: ReviewSettings) -> None:
    """Decide and write one batch; a concurrent change of an alert (a reviewer deciding it
    meanwhile) makes the batch be read and decided again, never overwritten."""
    for attempt in range(5):
        hits = _plan(store, findings, settings)
        try:
            store.review.write_hits(run.id, hits, actor.name,
                                    within=partial(_audit_hits, store, run, hits, actor))
            break
        except StaleAlertError:
            if attempt == 4:
                raise
    for hit in hits:
        if hit.action == "open":
            run.opened += 1
        elif hit.action == "reopen":
            run.reopened += 1
        elif hit.action == "suppress":
            run.suppressed += 1
        else:
            run.updated += 1


def _audit_hits(store: Store, run: Run, hits: list[NewHit], actor: Actor) -> None:
    """The run's suppressions and reopenings, in the audit chain (never silent)."""
    suppressed = [(h.customer_ref, h.entity_id) for h in hits if h.action == "suppress"]
    reopened = [(h.customer_ref, h.entity_id) for h in hits if h.action == "reopen"]
    if suppressed:
        audit(store, "suppressed", actor, {"run": run.id, "pairs": suppressed[:1000],
                                           "count": len(suppressed)})
    if reopened:
        audit(store, "reopened", actor, {"run": run.id, "pairs": reopened[:1000],
                                         "count": len(reopened)})


def _due(settings: ReviewSettings, score: float) -> str:
    due = datetime.now(UTC) + timedelta(hours=settings.due_hours(score))
    return due.isoformat(timespec="seconds")


def _plan(store: Store, findings: list[tuple[Customer, dict[str, Any], Entity]],
          settings: ReviewSettings) -> list[NewHit]:
    """What each finding does, given the alerts as they stand now."""
    known = store.review.alerts_for((c.ref, e.id) for c, _, e in findings)
    hits: list[NewHit] = []
    for customer, match, entity in findings:
        score = float(match["score"])
        entity_hash = entity.content_hash()
        alert = known.get((customer.ref, entity.id))
        action, details = _action(store, alert, customer, entity, entity_hash)
        hits.append(NewHit(customer.ref, entity.id, score, entity_hash, customer.screening_hash,
                           customer.version, match.get("explanation") or {},
                           str(match.get("caption") or entity.caption), action,
                           None if alert is None else alert.id,
                           None if alert is None else alert.version,
                           _due(settings, score), details, entity.source,
                           tuple(entity.programmes)))
    return hits


def _action(store: Store, alert: Alert | None, customer: Customer, entity: Entity,
            entity_hash: str) -> tuple[str, dict[str, Any]]:
    if alert is None:
        return "open", {}
    cleared = alert.decision == "false_positive" and alert.state in ("decided", "closed")
    if not cleared:
        return "update", {}
    same_customer = alert.decided_customer_hash == customer.screening_hash
    same_entity = alert.decided_entity_hash == entity_hash
    if same_customer and same_entity:
        return "suppress", {}
    return "reopen", {"why": _why(same_customer, same_entity),
                      "entity_changes": [] if same_entity else _entity_changes(
                          store, alert, entity),
                      "customer_changes": [] if same_customer else _customer_changes(
                          store, alert, customer)}


def _why(same_customer: bool, same_entity: bool) -> str:
    if not same_customer and not same_entity:
        return "the customer and the listed entity changed since the decision"
    return "the customer changed since the decision" if same_entity else \
        "the listed entity changed since the decision"


def _entity_changes(store: Store, alert: Alert, entity: Entity) -> list[dict[str, Any]]:
    try:
        before = store.review.entity_at(alert.decided_entity_hash or "").to_dict()
    except NotFoundError:  # no record of the decided content: show the whole entity
        before = {}
    return field_diff(before, entity.to_dict())


def _customer_changes(store: Store, alert: Alert, customer: Customer) -> list[dict[str, Any]]:
    version = alert.decided_customer_version
    before = store.review.customer_version(customer.ref, version).fields \
        if version is not None else {}
    return field_diff(before, customer.fields)
