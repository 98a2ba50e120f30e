"""The customer book: the population a firm monitors, versioned, idempotent by reference.

Customers come from the same files ``screen-file`` reads (CSV/TSV, Excel, Parquet, JSON
lines, with ``--map``: :func:`discreet.screen.readers.read_records`, the one customer-file
reader) or one by one from the library. A customer is its firm's reference, the fields
screening uses (names in any script, schema, birth date, countries, identifiers, gender)
and free attributes (every other column; dropped with ``screening_only``). Storing the same
data again changes nothing; any change is a new version, kept with who made it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from discreet.errors import ConfigError
from discreet.review.actors import Actor, require
from discreet.review.trail import audit
from discreet.screen.readers import Record, read_records
from discreet.screen.rows import parse_schema
from discreet.store.review import Customer, CustomerChange, CustomerInput

if TYPE_CHECKING:
    from discreet.store import Store

__all__ = ["BATCH", "ImportSummary", "close_customers", "customer_input", "customer_record",
           "import_customers", "upsert_customers"]

BATCH = 1000  # customers written per transaction
_MAX_REJECTS = 100
_LIST_FIELDS = {"country": "countries", "id_number": "id_numbers"}


@dataclass(slots=True)
class ImportSummary:
    """What an import did, row by row counted; ``changed`` the references whose screening
    fields are new or changed (the customers to screen now)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    rejected: int = 0
    rejects: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def count(self, change: CustomerChange) -> None:
        setattr(self, change.outcome, getattr(self, change.outcome) + 1)
        if change.screening_changed or change.outcome == "created":
            self.changed.append(change.ref)

    def reject(self, line: int, message: str) -> None:
        self.rejected += 1
        if len(self.rejects) < _MAX_REJECTS:
            self.rejects.append(f"line {line}: {message}")

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "closed": self.closed,
                "rejected": self.rejected, "rejects": self.rejects,
                "to_screen": len(self.changed)}


def _split(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").replace("|", ";").split(";") if p.strip()]


def customer_input(ref: str, *, names: Sequence[str] | str, schema: str | None = None,
                   birth_date: str | None = None, countries: Sequence[str] = (),
                   id_numbers: Sequence[str] = (), gender: str | None = None,
                   attributes: Mapping[str, str] | None = None,
                   status: str = "active") -> CustomerInput:
    """A customer from its parts, checked: a reference, at least one name, a known schema."""
    ref = " ".join(str(ref).split())
    if not ref:
        raise ConfigError("a customer needs the firm's reference (id)")
    listed = _split(names) if isinstance(names, str) else [
        " ".join(n.split()) for n in names if n and n.strip()]
    if not listed:
        raise ConfigError(f"customer {ref}: no name")
    known, error = parse_schema(schema)
    if error:
        raise ConfigError(f"customer {ref}: {error}")
    if status not in ("active", "closed"):
        raise ConfigError(f"customer {ref}: status must be active or closed, not {status!r}")
    fields: dict[str, Any] = {"names": listed}
    if known:
        fields["schema"] = known
    if birth_date and birth_date.strip():
        fields["birth_date"] = " ".join(birth_date.split())
    if countries:
        fields["countries"] = [c.strip() for c in countries if c.strip()]
    if id_numbers:
        fields["id_numbers"] = [c.strip() for c in id_numbers if c.strip()]
    if gender and gender.strip():
        fields["gender"] = gender.strip()
    return CustomerInput(ref, fields, dict(attributes or {}), status)


def _from_record(record: Record, mapping: Mapping[str, str], screening_only: bool
                 ) -> CustomerInput:
    values = record.values
    if record.error:
        raise ConfigError(record.error)
    used = set(mapping.values()) | {k for k in record.raw if k.strip().lower() in
                                    ("id", "name", "schema", "birth_date", "country",
                                     "id_number", "gender")}
    attributes = {} if screening_only else {
        k: v for k, v in record.raw.items() if k not in used and v not in (None, "")}
    return customer_input(values.get("id") or "", names=values.get("name") or "",
                          schema=values.get("schema"), birth_date=values.get("birth_date"),
                          countries=_split(values.get("country")),
                          id_numbers=_split(values.get("id_number")),
                          gender=values.get("gender"), attributes=attributes)


def customer_record(customer: Customer, line: int = 0) -> Record:
    """The customer as the screening pipeline's one row type (:class:`Record`), so a book
    customer is screened exactly as a row of a file is."""
    fields = customer.fields
    values = {"id": customer.ref, "name": "; ".join(fields.get("names", []))}
    for key in ("schema", "birth_date", "gender"):
        if fields.get(key):
            values[key] = str(fields[key])
    for key, plural in _LIST_FIELDS.items():
        if fields.get(plural):
            values[key] = ";".join(fields[plural])
    return Record(line, values)


def upsert_customers(store: Store, items: Iterable[CustomerInput], actor: Actor
                     ) -> list[CustomerChange]:
    """Create or update customers (one transaction per :data:`BATCH`); audited."""
    require(actor, "import")
    changes: list[CustomerChange] = []
    for batch in _batches(iter(items)):
        changes.extend(store.review.upsert_customers(
            batch, actor.name, within=lambda done: _audit_changes(store, actor, done, "api")))
    return changes


def close_customers(store: Store, refs: Sequence[str], actor: Actor) -> list[CustomerChange]:
    """Close customers (they leave screening; their history and alerts stay)."""
    require(actor, "import")
    current = {c.ref: c for c in store.review.customers(status=None, refs=refs)}
    missing = [r for r in refs if r not in current]
    if missing:
        raise ConfigError(f"no customer {', '.join(missing[:5])} in the book")
    items = [CustomerInput(c.ref, c.fields, c.attributes, "closed") for c in current.values()]
    return store.review.upsert_customers(
        items, actor.name, within=lambda done: _audit_changes(store, actor, done, "close"))


def _batches(items: Iterator[CustomerInput]) -> Iterator[list[CustomerInput]]:
    batch: list[CustomerInput] = []
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _audit_changes(store: Store, actor: Actor, changes: Sequence[CustomerChange],
                   via: str) -> None:
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.outcome] = counts.get(change.outcome, 0) + 1
    audit(store, "customers", actor, {"via": via, "counts": counts,
                                      "refs": [c.ref for c in changes
                                               if c.outcome != "unchanged"][:1000]})


def import_customers(store: Store, path: Path, actor: Actor, *,
                     mapping: Mapping[str, str] | None = None, fmt: str = "auto",
                     screening_only: bool = False) -> ImportSummary:
    """Import or update the book from a customer file; a row that cannot be used (no
    reference, no name, unreadable, unknown schema) is reported by line, never stored, and
    never stops the import. A reference given twice: the later row wins."""
    require(actor, "import")
    columns = dict(mapping or {})
    summary = ImportSummary()
    latest: dict[str, CustomerInput] = {}
    for record in read_records(path, fmt=fmt, mapping=columns):
        summary.rows += 1
        try:
            item = _from_record(record, columns, screening_only)
        except ConfigError as exc:
            summary.reject(record.line, str(exc))
            continue
        latest.pop(item.ref, None)
        latest[item.ref] = item
    via = f"import {path.name}"
    for batch in _batches(iter(latest.values())):
        for change in store.review.upsert_customers(
                batch, actor.name, within=lambda done: _audit_changes(store, actor, done, via)):
            summary.count(change)
    audit(store, "import", actor, {"file": path.name, **summary.to_dict(),
                                   "rejects": summary.rejects[:20]})
    return summary
