"""Same-as links: judged claims that two entities of different sources are one party.

Two tables. ``same_as`` holds one row per pair the machine has proposed (its basis,
confidence and evidence); ``same_as_decision`` is append-only: every confirm or reject an
analyst makes, with who, when and why. A pair's status is its latest decision, else
"proposed". Recomputing the links (``replace_proposed_links``) replaces the machine's rows
but never touches a decision: a rejected pair proposed again stays rejected, and a
confirmed pair the machine no longer finds stays confirmed (its last evidence kept).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from discreet.errors import ConfigError, NotFoundError, StoreError
from discreet.store import chain
from discreet.store.db import Database

__all__ = [
    "BASES",
    "DECISIONS",
    "STATUSES",
    "LinkDecision",
    "SameAs",
    "decide_link",
    "link_decisions",
    "links",
    "links_stamp",
    "parties",
    "replace_proposed_links",
]

BASES = ("identifier", "name")
STATUSES = ("proposed", "confirmed", "rejected")
DECISIONS = ("confirmed", "rejected")


@dataclass(frozen=True, slots=True)
class SameAs:
    """A judged claim that two entities (ids ``a < b``, of different sources) are one party."""

    a: str
    b: str
    basis: str  # "identifier" | "name"
    confidence: float  # 0..1
    evidence: tuple[str, ...]  # human-readable lines, e.g. "UN reference QDi.001 on both"
    status: str = "proposed"  # "proposed" | "confirmed" | "rejected"
    decided_by: str | None = None
    decided_at: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"a": self.a, "b": self.b, "basis": self.basis, "confidence": self.confidence,
                "evidence": list(self.evidence), "status": self.status,
                "decided_by": self.decided_by, "decided_at": self.decided_at, "note": self.note}


@dataclass(frozen=True, slots=True)
class LinkDecision:
    """One analyst decision on a pair, as the append-only audit keeps it."""

    a: str
    b: str
    status: str
    decided_by: str
    decided_at: str
    note: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"a": self.a, "b": self.b, "status": self.status, "decided_by": self.decided_by,
                "decided_at": self.decided_at, "note": self.note}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _pair(a: str, b: str) -> tuple[str, str]:
    """The pair in stored order (``a < b``); an entity is never linked to itself."""
    a, b = a.strip(), b.strip()
    if not a or not b:
        raise ConfigError("a link needs two entity ids")
    if a == b:
        raise ConfigError(f"an entity cannot be linked to itself ({a!r})")
    return (a, b) if a < b else (b, a)


def _check(link: SameAs) -> SameAs:
    """A proposal in stored form, or a one-line error saying what is wrong with it."""
    a, b = _pair(link.a, link.b)
    if link.basis not in BASES:
        raise ConfigError(f"unknown link basis {link.basis!r}; expected one of {BASES}")
    confidence = float(link.confidence)
    if not 0.0 <= confidence <= 1.0:
        raise ConfigError(f"link {a} = {b}: confidence {confidence} is not within 0..1")
    evidence = tuple(" ".join(str(line).split()) for line in link.evidence if str(line).strip())
    return SameAs(a, b, link.basis, round(confidence, 4), evidence)


def replace_proposed_links(db: Database, proposals: Iterable[SameAs]) -> int:
    """Replace the machine's proposals by ``proposals``; how many pairs are now proposed.

    Decisions are kept: a decided pair that is proposed again gets the new evidence and
    keeps its status; a decided pair no longer proposed keeps its row (and its last
    evidence). Undecided pairs not proposed any more go. A pair given twice keeps the
    more confident claim.
    """
    best: dict[tuple[str, str], SameAs] = {}
    for link in proposals:
        checked = _check(link)
        key = (checked.a, checked.b)
        if key not in best or checked.confidence > best[key].confidence:
            best[key] = checked
    now = datetime.now(UTC).isoformat(timespec="microseconds")  # links_stamp reads it
    rows = [(s.a, s.b, s.basis, s.confidence, json.dumps(list(s.evidence), ensure_ascii=False),
             now) for s in best.values()]
    with db.transaction(lock="discreet-links"):
        db.execute("UPDATE same_as SET current = 0")
        db.execute("DELETE FROM same_as WHERE NOT EXISTS (SELECT 1 FROM same_as_decision d "
                   "WHERE d.a = same_as.a AND d.b = same_as.b)")
        db.executemany("DELETE FROM same_as WHERE a = ? AND b = ?", list(best))
        db.executemany("INSERT INTO same_as (a, b, basis, confidence, evidence, computed_at, "
                       "current) VALUES (?, ?, ?, ?, ?, ?, 1)", rows)
    return len(rows)


_SELECT = """
SELECT s.a, s.b, s.basis, s.confidence, s.evidence, d.status, d.decided_by, d.decided_at, d.note
FROM same_as s LEFT JOIN same_as_decision d ON d.a = s.a AND d.b = s.b AND d.seq = (
    SELECT MAX(seq) FROM same_as_decision x WHERE x.a = s.a AND x.b = s.b)
"""


def _row(row: tuple[object, ...]) -> SameAs:
    a, b, basis, confidence, evidence, status, by, at, note = row
    try:
        lines = tuple(str(x) for x in json.loads(str(evidence)))
    except ValueError as exc:
        raise StoreError(f"link {a} = {b}: stored evidence is not JSON ({exc})") from exc
    return SameAs(str(a), str(b), str(basis), float(str(confidence)), lines,
                  str(status) if status else "proposed", None if by is None else str(by),
                  None if at is None else str(at), None if note is None else str(note))


def links(db: Database, entity_id: str | None = None, *,
          status: str | None = None) -> list[SameAs]:
    """Links (every status unless ``status`` names one), of one entity when given; ordered
    by pair. Rejected links are included when no status is asked for."""
    if status is not None and status not in STATUSES:
        raise ConfigError(f"unknown link status {status!r}; expected one of {STATUSES}")
    sql = _SELECT
    params: tuple[str, ...] = ()
    if entity_id is not None:
        sql += " WHERE s.a = ? OR s.b = ?"
        params = (entity_id, entity_id)
    found = [_row(r) for r in db.query(sql + " ORDER BY s.a, s.b", params)]
    return [s for s in found if status is None or s.status == status]


def links_stamp(db: Database) -> str:
    """A cheap mark of the links' state, for pollers (the API's index), from aggregates
    only (no row read): the proposals' count and latest computation time (to the
    microsecond: every recomputation moves it), the decisions' count and latest seq
    (append-only). It changes whenever :func:`links` may answer otherwise."""
    count, latest = db.query("SELECT COUNT(*), COALESCE(MAX(computed_at), '') FROM same_as")[0]
    decided, last = db.query("SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM same_as_decision")[0]
    return f"{count}/{latest}/{decided}/{last}"


def decide_link(db: Database, a: str, b: str, status: str, *, by: str,
                note: str | None = None) -> SameAs:
    """Record an analyst's decision on a known pair (appended, never overwritten)."""
    if status not in DECISIONS:
        raise ConfigError(f"a decision is one of {DECISIONS}, not {status!r}")
    who = " ".join((by or "").split())
    if not who:
        raise ConfigError("a link decision needs the name of who decides (--by)")
    a, b = _pair(a, b)
    text = " ".join(note.split()) if note else None
    with db.transaction(lock="discreet-links"):
        if not db.query("SELECT 1 FROM same_as WHERE a = ? AND b = ?", (a, b)):
            raise NotFoundError(f"no link between {a} and {b} to decide on "
                                "(see `discreet links list`)")
        seq = int(str(db.query("SELECT COALESCE(MAX(seq), 0) FROM same_as_decision")[0][0])) + 1
        db.execute("INSERT INTO same_as_decision (seq, a, b, status, decided_by, decided_at, "
                   "note) VALUES (?, ?, ?, ?, ?, ?, ?)", (seq, a, b, status, who, _now(), text))
        # into the audit chain in the same transaction (last: after its other locks)
        chain.append_event(db, "link.decide", who,
                           {"a": a, "b": b, "status": status, "note": text})
        return _row(db.query(_SELECT + " WHERE s.a = ? AND s.b = ?", (a, b))[0])


def link_decisions(db: Database, entity_id: str | None = None) -> list[LinkDecision]:
    """The audit of decisions, oldest first (of pairs with ``entity_id`` when given)."""
    sql = "SELECT a, b, status, decided_by, decided_at, note FROM same_as_decision"
    params: tuple[str, ...] = ()
    if entity_id is not None:
        sql += " WHERE a = ? OR b = ?"
        params = (entity_id, entity_id)
    return [LinkDecision(str(a), str(b), str(s), str(by), str(at), None if n is None else str(n))
            for a, b, s, by, at, n in db.query(sql + " ORDER BY seq", params)]


def parties(db: Database) -> dict[str, str]:
    """Entity id -> party id: the smallest entity id of its connected component over
    proposed and confirmed links (rejected ones excluded); only linked entities."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for link in links(db):
        if link.status == "rejected":
            continue
        for x in (link.a, link.b):
            parent.setdefault(x, x)
        ra, rb = find(link.a), find(link.b)
        if ra != rb:
            low, high = (ra, rb) if ra < rb else (rb, ra)
            parent[high] = low
    return {x: find(x) for x in parent}
