"""What the review pages show, read from the review library and shaped for the templates.

The routes (``routes_review``) stay thin: they parse the request, call the library (whose
rules stand whoever calls) and render; this module turns an alert's case, a customer and a
listed entity into plain mappings the templates can show without any logic of their own.
Stored explanations and case events are JSON written by earlier versions too, so every
field is read defensively: a missing or odd value shows as nothing, never as an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from discreet.model import Entity
from discreet.review import Case
from discreet.store.review import ALERT_SORTS, ALERT_STATES, Alert, Customer

__all__ = ["PAGE", "QueueFilter", "age_days", "customer_facts", "customer_url",
           "entity_facts", "explanation", "is_overdue", "reopenings"]

PAGE = 50  # rows per page of the queue and the customer list
NEED_ACTION = ("open", "in_review", "pending_approval")


def _now() -> datetime:
    return datetime.now(UTC)


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        return None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def age_days(alert: Alert) -> int:
    """Whole days since the alert opened."""
    opened = _when(alert.opened_at)
    return max(0, (_now() - opened).days) if opened else 0


def is_overdue(alert: Alert) -> bool:
    """Past its due date (SLA) and still waiting for someone."""
    due = _when(alert.due_at)
    return bool(due and due < _now() and alert.state in NEED_ACTION)


def customer_url(ref: str) -> str:
    """A customer's page; the reference is quoted whole (it may hold ``/`` or ``?``)."""
    return "/ui/customers/" + quote(ref, safe="")


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """The queue's filter form, as the query string states it (checked by the route)."""

    state: str | None = None
    assignee: str | None = None
    unassigned: bool = False
    source: str | None = None
    programme: str | None = None
    customer: str | None = None
    sort: str = "due"
    descending: bool = False
    page: int = 1

    def store_filters(self) -> dict[str, Any]:
        """The keyword filters of ``ReviewStore.alerts`` / ``count_alerts`` (no state)."""
        return {"assignee": self.assignee, "unassigned": self.unassigned,
                "source": self.source, "programme": self.programme,
                "customer_ref": self.customer}

    def query(self, **changes: Any) -> str:
        """The query string of this filter with some values changed (links of the page)."""
        values: dict[str, Any] = {
            "state": self.state, "assignee": self.assignee,
            "unassigned": "1" if self.unassigned else None, "source": self.source,
            "programme": self.programme, "customer": self.customer, "sort": self.sort,
            "dir": "desc" if self.descending else "asc", "page": self.page}
        values.update(changes)
        kept = {k: v for k, v in values.items() if v not in (None, "")}
        if kept.get("page") == 1:
            del kept["page"]
        return "?" + urlencode(kept)

    def sort_link(self, key: str) -> str:
        """The link of a column heading: sort by it, or reverse when it is the sort."""
        if key == self.sort:
            return self.query(dir="asc" if self.descending else "desc", page=1)
        return self.query(sort=key, dir="desc" if key == "score" else "asc", page=1)


SORTS = tuple(ALERT_SORTS)
STATES = ALERT_STATES


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _texts(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [_text(v) for v in value if v not in (None, "")]
    return [] if value in (None, "") else [_text(value)]


def customer_facts(fields: Mapping[str, Any]) -> dict[str, list[str]]:
    """A customer's screening fields as rows of the side-by-side table."""
    return {"names": _texts(fields.get("names")),
            "schema": _texts(fields.get("schema")),
            "birth_dates": _texts(fields.get("birth_date")),
            "countries": _texts(fields.get("countries")),
            "identifiers": _texts(fields.get("id_numbers")),
            "gender": _texts(fields.get("gender"))}


def _date(spec: Any) -> str:
    text = _text(getattr(spec, "start", spec))
    end = getattr(spec, "end", None)
    if end:
        text += f" – {end}"
    if getattr(spec, "approximate", False):
        text = f"≈ {text}"
    return text


def entity_facts(entity: Entity | None) -> dict[str, list[str]]:
    """A listed entity's facts, in the same rows as :func:`customer_facts`."""
    if entity is None:
        return {k: [] for k in ("names", "schema", "birth_dates", "countries", "identifiers",
                                "gender", "programmes", "source")}
    names = [n.value + ("" if n.kind == "primary" else f" ({n.kind})") for n in entity.names]
    countries = list(dict.fromkeys([*entity.countries, *entity.nationalities,
                                    *entity.citizenships]))
    identifiers = [" ".join(p for p in (i.label or i.type, i.value,
                                        f"({i.country})" if i.country else "") if p)
                   for i in entity.identifiers]
    return {"names": names, "schema": [entity.schema],
            "birth_dates": [_date(d) for d in entity.birth_dates], "countries": countries,
            "identifiers": identifiers, "gender": list(entity.genders),
            "programmes": list(entity.programmes),
            "source": [x for x in (entity.source, entity.authority) if x]}


@dataclass(slots=True)
class Explained:
    """One run's explanation of a hit, as the alert page draws it."""

    run: int
    score: float
    outcome: str
    at: str
    query_name: str = ""
    matched_name: str = ""
    name_kind: str = ""
    name_score: str = ""
    tokens: list[dict[str, str]] = field(default_factory=list)
    unmatched_query: list[str] = field(default_factory=list)
    unmatched_listed: list[str] = field(default_factory=list)
    features: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    return f"{value:+.2f}" if value < 0 or value > 0 else "0.00"


def explanation(run: int, score: float, outcome: str, at: str, raw: Any) -> Explained:
    """A stored explanation (``Hit.explanation``) read defensively."""
    data = raw if isinstance(raw, Mapping) else {}
    out = Explained(run, score, outcome, at, _text(data.get("query_name")),
                    _text(data.get("matched_name")), _text(data.get("name_kind")))
    name_score = data.get("name_score")
    if isinstance(name_score, int | float) and not isinstance(name_score, bool):
        out.name_score = f"{name_score:.2f}"
    for token in data.get("tokens") or []:
        if isinstance(token, Mapping):
            similarity = token.get("similarity")
            out.tokens.append({
                "query": _text(token.get("query")), "listed": _text(token.get("listed")),
                "method": _text(token.get("method")).replace("_", " "),
                "similarity": f"{similarity:.2f}" if isinstance(similarity, int | float)
                and not isinstance(similarity, bool) else ""})
    out.unmatched_query = _texts(data.get("unmatched_query"))
    out.unmatched_listed = _texts(data.get("unmatched_listed"))
    for feature in data.get("features") or []:
        if isinstance(feature, Mapping):
            out.features.append({"feature": _text(feature.get("feature")).replace("_", " "),
                                 "detail": _text(feature.get("detail")),
                                 "delta": _number(feature.get("delta"))})
    out.notes = _texts(data.get("notes"))
    return out


def explanations(found: Case) -> list[Explained]:
    """Every run's explanation of the alert, newest run first."""
    return [explanation(h.run_id, h.score, h.outcome, h.at, h.explanation)
            for h in reversed(found.hits)]


def _change_rows(changes: Any) -> list[dict[str, str]]:
    """Field differences (``review.changes.field_diff``) as rows: field, removed, added."""
    rows: list[dict[str, str]] = []
    for item in changes if isinstance(changes, list) else []:
        if not isinstance(item, Mapping):
            continue
        if "added" in item or "removed" in item:
            before, after = _texts_of(item.get("removed")), _texts_of(item.get("added"))
        else:
            before, after = _texts_of(item.get("before")), _texts_of(item.get("after"))
        rows.append({"field": _text(item.get("field")).replace("_", " "),
                     "before": "; ".join(before), "after": "; ".join(after)})
    return rows


def _texts_of(value: Any) -> list[str]:
    """Any JSON value as short texts (a name's mapping shows its value)."""
    items = value if isinstance(value, list) else [] if value is None else [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, Mapping):
            shown = item.get("value") or item.get("full") or item.get("start")
            out.append(_text(shown) if shown else ", ".join(
                f"{k}: {v}" for k, v in sorted(item.items())))
        else:
            out.append(_text(item))
    return out


def reopenings(found: Case) -> list[dict[str, Any]]:
    """What changed since a previous decision: each reopening of the alert (why, the
    listed entity's and the customer's field changes), newest first."""
    out: list[dict[str, Any]] = []
    for event in reversed(found.events):
        if event.kind != "reopened":
            continue
        details = event.details if isinstance(event.details, Mapping) else {}
        out.append({"at": event.at, "run": _text(details.get("run")),
                    "why": _text(details.get("why")),
                    "entity": _change_rows(details.get("entity_changes")),
                    "customer": _change_rows(details.get("customer_changes"))})
    return out


def since_first(found: Case) -> list[dict[str, str]]:
    """The listed entity's changes since the alert first saw it (or since its decision)."""
    return _change_rows(found.entity_changes)


def event_rows(found: Case) -> list[dict[str, str]]:
    """The case's history as rows: when, who, what, and the words that go with it."""
    rows = []
    for event in found.events:
        details = event.details if isinstance(event.details, Mapping) else {}
        words: list[str] = []
        for key in ("text", "decision", "note", "to", "name", "why", "entity"):
            value = details.get(key)
            if value not in (None, "", [], {}):
                words.append(f"{key.replace('_', ' ')}: {_text(value).replace('_', ' ')}"
                             if key != "text" else _text(value))
        if "approved" in details:
            words.append("approved" if details.get("approved") else "rejected")
        if "run" in details:
            words.append(f"run {_text(details.get('run'))}")
        rows.append({"at": event.at, "actor": event.actor,
                     "kind": event.kind.replace("_", " "), "words": " · ".join(words)})
    return rows


def customer_runs(alerts: Sequence[Alert], hits: Mapping[int, Sequence[int]]) -> list[int]:
    """The runs that found something for a customer, newest first."""
    found = {run for alert in alerts for run in hits.get(alert.id, ())}
    return sorted(found, reverse=True)


def customer_summary(customer: Customer) -> dict[str, Any]:
    """A customer's row in the list: reference, names, birth date, countries."""
    facts = customer_facts(customer.fields)
    return {"ref": customer.ref, "url": customer_url(customer.ref), "names": facts["names"],
            "birth_date": "; ".join(facts["birth_dates"]),
            "countries": ", ".join(facts["countries"]), "status": customer.status,
            "version": customer.version, "updated_at": customer.updated_at}
