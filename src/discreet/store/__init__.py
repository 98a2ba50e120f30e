"""The versioned list store: every load of a source kept, diffs, histories, timelines.

>>> store = Store.open("discreet.db")          # or "postgresql://user@host/db"
>>> store.versions("un_sc_sanctions")[-1].entities
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType

from discreet.errors import NotFoundError
from discreet.model import Entity
from discreet.store import apikeys, audit, chain, parties
from discreet.store.apikeys import ApiKey
from discreet.store.audit import AuditRecord
from discreet.store.db import Database, open_database
from discreet.store.diff import Change, Diff, diff_versions
from discreet.store.history import HistoryEvent, TimelineRow, entity_history, timeline
from discreet.store.parties import LinkDecision, SameAs
from discreet.store.queries import (
    VersionInfo,
    entities_at,
    entity_data_at,
    entity_records,
    load_record,
    resolve_version,
    span_bounds,
    versions,
)
from discreet.store.regimes import SpanFacts, record_captions, source_authorities, span_facts
from discreet.store.review import ReviewStore
from discreet.store.schema import migrate
from discreet.store.users import UserStore
from discreet.store.writer import DEFAULT_MAX_REMOVAL, LoadResult, ParsedList, write_version

__all__ = [
    "Change",
    "Diff",
    "HistoryEvent",
    "LinkDecision",
    "LoadResult",
    "ParsedList",
    "SameAs",
    "Store",
    "TimelineRow",
    "VersionInfo",
]


class Store:
    """Versions of every loaded source, on SQLite (default) or PostgreSQL."""

    def __init__(self, db: Database) -> None:
        self.db = db
        migrate(db)
        self.review = ReviewStore(db)  # the review workflow's tables (discreet.review)
        self.users = UserStore(db)  # people who sign in, their roles and sessions

    @classmethod
    def open(cls, url: str | Path | None = None) -> Store:
        """Open (and create or migrate) the store at a path or PostgreSQL URL."""
        return cls(open_database(url))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def write(self, parsed: ParsedList, *, force: bool = False,
              max_drop: float = DEFAULT_MAX_REMOVAL) -> LoadResult:
        """Store a parsed file as a version where its as-of date puts it (or report it
        unchanged): a file older than the active version is inserted into the history and
        the active version stays active.

        ``max_drop`` is the removal gate: the largest share of the entities of the version
        its date follows that the new version may remove unless ``force``.
        """
        return write_version(self.db, parsed, force=force, max_drop=max_drop)

    def versions(self, source: str | None = None) -> list[VersionInfo]:
        return versions(self.db, source)

    def active(self) -> list[VersionInfo]:
        """The active version of each source: the one with the latest as-of date."""
        return [v for v in self.versions() if v.active]

    def resolve(self, source: str, version: int | None = None) -> int:
        return resolve_version(self.db, source, version)

    def entities(self, source: str, version: int | None = None) -> Iterator[Entity]:
        """Entities of a source as of a version (default: the active one)."""
        return entities_at(self.db, source, self.resolve(source, version))

    def entity_data(self, source: str, version: int | None = None) -> Iterator[str]:
        """The stored JSON of each entity of :meth:`entities` (the same order), read a page
        at a time (what an index build of a million entities reads)."""
        return entity_data_at(self.db, source, self.resolve(source, version))

    def entity(self, entity_id: str, source: str | None = None) -> Entity:
        """An entity as the active version of its source states it (or as last listed)."""
        sources = [source] if source else [v.source for v in self.active()]
        for name in sources:
            records = entity_records(self.db, name, self.resolve(name))
            if entity_id in records:
                return load_record(self.db, records[entity_id])
        rows = self.db.query("SELECT hash FROM span WHERE entity_id = ? ORDER BY first_pos DESC "
                             "LIMIT 1", (entity_id,))
        if rows:
            return load_record(self.db, str(rows[0][0]))
        raise NotFoundError(f"no entity {entity_id!r} in the store")

    def is_listed(self, entity_id: str) -> bool:
        """True when the entity is in the active version of some source."""
        return any(entity_id in entity_records(self.db, v.source, v.version)
                   for v in self.active())

    def diff(self, source: str, from_version: int | None = None,
             to_version: int | None = None) -> Diff:
        """Changes between two versions; default: the active one against the one before it
        in as-of order (``from_version`` omitted: the version before ``to_version``)."""
        to_seq = self.resolve(source, to_version)
        if from_version is not None:
            return diff_versions(self.db, source, self.resolve(source, from_version), to_seq)
        order = [v.version for v in self.versions(source)]
        at = order.index(to_seq)
        return diff_versions(self.db, source, order[max(at - 1, 0)], to_seq)

    def span_bounds(self, source: str, version: int) -> dict[str, tuple[int, int]]:
        """Entity id -> (version first seen, version of its latest change), up to ``version``."""
        return span_bounds(self.db, source, version)

    def history(self, entity_id: str) -> list[HistoryEvent]:
        return entity_history(self.db, entity_id)

    def timeline(self, *, programme: str | None = None, authority: str | None = None,
                 by: str = "month") -> list[TimelineRow]:
        return timeline(self.db, programme=programme, authority=authority, by=by)

    def span_facts(self, sources: Sequence[str] | None = None) -> list[SpanFacts]:
        """Every span of the sources (default: all) with its programmes and stated dates, in
        (source, entity, position) order: what regime analytics walk once."""
        return span_facts(self.db, sources)

    def record_captions(self, hashes: Iterable[str]) -> dict[str, str]:
        """Content hash -> caption of the entity stored under it."""
        return record_captions(self.db, hashes)

    def source_authorities(self) -> dict[str, str]:
        """Source name -> its authority."""
        return source_authorities(self.db)

    def size_bytes(self) -> int:
        return self.db.size_bytes()

    def file_path(self) -> Path | None:
        """The file of an embedded (SQLite) store; None for an in-memory one or a server
        (PostgreSQL), whose ``db.url`` names it instead. Files that belong beside the
        store (the persisted index) are placed by it."""
        if self.db.dialect != "sqlite":
            return None
        url = self.db.url
        if url in {"", ":memory:"} or url.startswith("file:"):
            return None
        return Path(url)

    def server_url(self) -> str | None:
        """The connection string of a server store (PostgreSQL; it may hold a password);
        None for an embedded one."""
        return None if self.db.dialect == "sqlite" else self.db.url

    # -- API keys and the audit log: what the HTTP service keeps in the store --------------

    def create_key(self, name: str, scopes: tuple[str, ...] = ("screen",),
                   rate_limit: int | None = None, *,
                   by: str | None = None, role: str | None = None) -> tuple[ApiKey, str]:
        """A new API key and its secret (shown once; only its hash is stored);
        ``rate_limit`` None means the server's default; ``role`` the review role the
        machine acts in; audited as by ``by``."""
        return apikeys.create_key(self.db, name, scopes, rate_limit, by=by, role=role)

    def list_keys(self, *, include_revoked: bool = False) -> list[ApiKey]:
        """Every key, oldest first; revoked ones only when asked."""
        return apikeys.list_keys(self.db, include_revoked=include_revoked)

    def find_key(self, key: str) -> ApiKey | None:
        """The active key a presented secret belongs to, or None (unknown or revoked)."""
        return apikeys.find_key(self.db, key)

    def revoke_key(self, key_id: str, *, by: str | None = None) -> ApiKey:
        """Revoke a key by id; a revoked key is refused from the next lookup on."""
        return apikeys.revoke_key(self.db, key_id, by=by)

    def write_audit_rows(self, rows: Sequence[tuple[object, ...]], *,
                         skip_existing: bool = False) -> None:
        """Append encoded audit records (``store.audit.encode_audit``) in one transaction;
        ``skip_existing`` keeps the row already stored under an id (a replayed record)."""
        audit.write_audit_rows(self.db, rows, skip_existing=skip_existing)

    def read_audit(self, *, since: str | None = None, key_id: str | None = None,
                   limit: int = 100) -> list[AuditRecord]:
        """Audit records newest first; ``since`` an ISO timestamp, ``key_id`` one key's."""
        return audit.read_audit(self.db, since=since, key_id=key_id, limit=limit)

    def prune_audit(self, before: str) -> int:
        """Delete the audit chain's expired segment (records up to the first stamped at or
        after ``before``), keeping its summary so the rest verifies; how many went."""
        return audit.prune_audit(self.db, before)

    def append_audit(self, event: str, actor: str, details: Mapping[str, object]) -> int:
        """Append a store event (a review decision, a user or role change…) to the audit
        hash chain; its sequence number. Joins a transaction already open on ``self.db``."""
        return chain.append_event(self.db, event, actor, details)

    def verify_audit(self, anchor: chain.Anchor | None = None) -> chain.Verdict:
        """Check the whole audit chain (and that it reaches ``anchor``): the first bad
        record and why, or ok."""
        return chain.verify(self.db, anchor)

    def audit_anchor(self) -> chain.Anchor:
        """The chain's head now (sequence number and hash), to keep outside the store."""
        return chain.anchor(self.db)

    def audit_chain(self, *, since: str | None = None,
                    until: str | None = None) -> Iterator[chain.ChainRecord]:
        """Every chained record (API requests and store events) in sequence order."""
        return chain.chain_records(self.db, since=since, until=until)

    def audit_search(self, *, since: str | None = None, until: str | None = None,
                     actor: str | None = None, kind: str | None = None,
                     event: str | None = None, text: str | None = None,
                     before: int | None = None, after: int | None = None,
                     limit: int = 50) -> list[chain.ChainRecord]:
        """A page of chained records newest first, filtered (see ``chain.search``)."""
        return chain.search(self.db, since=since, until=until, actor=actor, kind=kind,
                            event=event, text=text, before=before, after=after,
                            limit=limit)

    def audit_export(self, *, since: str | None = None,
                     until: str | None = None) -> Iterator[dict[str, object]]:
        """Chained records exactly as hashed (stored text), for offline verification."""
        return chain.export_rows(self.db, since=since, until=until)

    # -- same-as links: entities of different sources that are one party ----------------

    def replace_proposed_links(self, links: Iterable[SameAs]) -> int:
        """Replace the machine's proposals (analyst decisions kept); how many are proposed."""
        return parties.replace_proposed_links(self.db, links)

    def links(self, entity_id: str | None = None, *, status: str | None = None) -> list[SameAs]:
        """Links of every status (or of ``status``), of one entity when given."""
        return parties.links(self.db, entity_id, status=status)

    def decide_link(self, a: str, b: str, status: str, *, by: str,
                    note: str | None = None) -> SameAs:
        """Confirm or reject a known link; the decision is appended to the audit."""
        return parties.decide_link(self.db, a, b, status, by=by, note=note)

    def link_decisions(self, entity_id: str | None = None) -> list[LinkDecision]:
        """Every analyst decision on links, oldest first (of one entity's pairs when given)."""
        return parties.link_decisions(self.db, entity_id)

    def links_stamp(self) -> str:
        """A cheap mark that changes when the links do (aggregates, no rows read)."""
        return parties.links_stamp(self.db)

    def parties(self) -> dict[str, str]:
        """Entity id -> party id (smallest entity id of its component over proposed and
        confirmed links); only linked entities."""
        return parties.parties(self.db)
