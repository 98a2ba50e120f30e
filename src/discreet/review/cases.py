"""An alert's case: assignment, comments, attachments, decision, four eyes, closing.

States: ``open`` -> ``in_review`` -> (``pending_approval`` ->) ``decided`` -> ``closed``.
A decision is ``false_positive``, ``true_match`` or ``escalated``; when the settings ask
for four eyes on it (per decision and score band), it waits in ``pending_approval`` for a
second person with the reviewer role who is not the decider. Approved, it stands; rejected,
the alert returns to ``in_review`` with the rejection in its history.

Every change names the alert version the caller read (``version``): if someone changed
the alert since, nothing is written and :class:`~discreet.store.review.StaleAlertError`
says so (optimistic locking; a stale update is refused, never lost).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from discreet.errors import ConfigError
from discreet.review.actors import Actor, ReviewPermissionError, require
from discreet.review.changes import field_diff
from discreet.review.settings import DECISIONS, ReviewSettings
from discreet.review.trail import recorder
from discreet.store.review import Alert, Attachment, Event, Hit

if TYPE_CHECKING:
    from discreet.store import Store

__all__ = ["Case", "approve", "assign", "attach", "case", "close", "comment", "decide",
           "start_review"]

_ACTIVE = ("open", "in_review")
MAX_COMMENT = 10_000


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(slots=True)
class Case:
    """An alert with everything about it: hits of every run, history, attachments, and
    what changed in the listed entity since it was first (or last decided) seen."""

    alert: Alert
    hits: list[Hit]
    events: list[Event]
    attachments: list[Attachment]
    entity_changes: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"alert": self.alert.to_dict(), "hits": [h.to_dict() for h in self.hits],
                "events": [e.to_dict() for e in self.events],
                "attachments": [a.to_dict() for a in self.attachments],
                "entity_changes": self.entity_changes}


def case(store: Store, alert_id: int) -> Case:
    """The whole case of an alert (read-only: every role may read)."""
    alert = store.review.alert(alert_id)
    hits = store.review.hits(alert_id)
    changes: list[dict[str, Any]] = []
    first = alert.decided_entity_hash or (hits[0].entity_hash if hits else None)
    if first and first != alert.entity_hash:
        changes = field_diff(store.review.entity_at(first).to_dict(),
                             store.review.entity_at(alert.entity_hash).to_dict())
    return Case(alert, hits, store.review.events(alert_id), store.review.attachments(alert_id),
                changes)


def _get(store: Store, alert_id: int, version: int | None) -> tuple[Alert, int]:
    """The alert and the version its change is made against (the caller's, else now's);
    StaleAlertError when the caller read an older one (ReviewStore.alert_as_read)."""
    alert = store.review.alert_as_read(alert_id, version)
    return alert, alert.version


def assign(store: Store, alert_id: int, assignee: str | None, actor: Actor, *,
           version: int | None = None) -> Alert:
    """Give an alert to someone (None: unassign); an open alert goes into review."""
    require(actor, "assign")
    alert, seen = _get(store, alert_id, version)
    changes: dict[str, Any] = {"assignee": " ".join(assignee.split()) if assignee else None}
    if alert.state == "open" and assignee:
        changes["state"] = "in_review"
    return store.review.update_alert(alert_id, seen, changes,
                                     ("assigned", actor.name, {"to": changes["assignee"]}))


def start_review(store: Store, alert_id: int, actor: Actor, *,
                 version: int | None = None) -> Alert:
    """Take an open alert into review (assigned to the actor when nobody has it)."""
    require(actor, "decide")
    alert, seen = _get(store, alert_id, version)
    if alert.state != "open":
        raise ConfigError(f"alert {alert_id} is {alert.state}, not open")
    return store.review.update_alert(alert_id, seen, {
        "state": "in_review", "assignee": alert.assignee or actor.name},
        ("in_review", actor.name, {}))


def comment(store: Store, alert_id: int, text: str, actor: Actor) -> Event:
    """Add a comment (it changes nothing else, so it never conflicts)."""
    require(actor, "comment")
    clean = text.strip()
    if not clean:
        raise ConfigError("an empty comment")
    if len(clean) > MAX_COMMENT:
        raise ConfigError(f"a comment of {len(clean)} characters; at most {MAX_COMMENT}")
    return store.review.add_event(alert_id, "comment", actor.name, {"text": clean})


def attach(store: Store, alert_id: int, name: str, data: bytes, actor: Actor,
           settings: ReviewSettings | None = None, *,
           media_type: str = "application/octet-stream") -> Attachment:
    """Keep a file with the alert, in the store; refused above the configured size."""
    require(actor, "attach")
    limit = (settings or ReviewSettings()).attachment_max_bytes
    if len(data) > limit:
        raise ConfigError(f"attachment {name!r} is {len(data):,} bytes; the limit is "
                          f"{limit:,} (attachment_max_bytes in the review settings)")
    clean = " ".join(name.split())[:255]
    if not clean:
        raise ConfigError("an attachment needs a name")
    record = {"alert": alert_id, "name": clean, "size": len(data),
              "sha256": hashlib.sha256(data).hexdigest()}
    return store.review.add_attachment(alert_id, clean, media_type, data, actor.name,
                                       within=recorder(store, "attached", actor, record))


def decide(store: Store, alert_id: int, decision: str, actor: Actor,
           settings: ReviewSettings | None = None, *, note: str | None = None,
           version: int | None = None) -> Alert:
    """Decide an alert; with four eyes required it waits for a reviewer's approval.

    The decision remembers the customer's screening fields and the listed entity's content
    as they are now (their hashes): a false positive suppresses the pair in later runs only
    while both stay the same.
    """
    require(actor, "decide")
    if decision not in DECISIONS:
        raise ConfigError(f"unknown decision {decision!r}; decisions: {', '.join(DECISIONS)}")
    settings = settings or ReviewSettings()
    alert, seen = _get(store, alert_id, version)
    if alert.state not in _ACTIVE:
        raise ConfigError(f"alert {alert_id} is {alert.state.replace('_', ' ')}: only an open "
                          "or in-review alert can be decided")
    four_eyes = settings.needs_approval(decision, alert.score)
    changes = {"state": "pending_approval" if four_eyes else "decided",
               "decision": decision, "decided_by": actor.name, "decided_at": _now(),
               "decided_entity_hash": alert.entity_hash,
               "decided_customer_hash": alert.customer_hash,
               "decided_customer_version": alert.customer_version,
               "approval": "pending" if four_eyes else None,
               "assignee": alert.assignee or actor.name}
    details = {"decision": decision, "note": (note or "").strip() or None,
               "four_eyes": four_eyes, "score": alert.score}
    record = {"alert": alert_id, "customer": alert.customer_ref, "entity": alert.entity_id,
              "entity_hash": alert.entity_hash, "customer_hash": alert.customer_hash,
              **details}
    return store.review.update_alert(alert_id, seen, changes,
                                     ("decided", actor.name, details),
                                     within=recorder(store, "decided", actor, record))


def approve(store: Store, alert_id: int, actor: Actor, *, approved: bool = True,
            note: str | None = None, version: int | None = None) -> Alert:
    """Approve (or reject) a decision waiting for four eyes: only a reviewer who did not
    make it. Rejected, the alert returns to ``in_review`` and the decision is undone."""
    require(actor, "approve")
    alert, seen = _get(store, alert_id, version)
    if alert.state != "pending_approval":
        raise ConfigError(f"alert {alert_id} is {alert.state.replace('_', ' ')}: nothing "
                          "waits for approval")
    if alert.decided_by == actor.name:
        raise ReviewPermissionError(f"{actor.name} decided alert {alert_id} and cannot "
                                    "approve their own decision (four eyes)")
    details = {"decision": alert.decision, "decided_by": alert.decided_by,
               "approved": approved, "note": (note or "").strip() or None}
    if approved:
        changes: dict[str, Any] = {"state": "decided", "approval": "approved"}
    else:
        changes = {"state": "in_review", "approval": "rejected", "decision": None,
                   "decided_by": None, "decided_at": None, "decided_entity_hash": None,
                   "decided_customer_hash": None, "decided_customer_version": None}
    kind = "approved" if approved else "rejected"
    record = {"alert": alert_id, "customer": alert.customer_ref, "entity": alert.entity_id,
              **details}
    return store.review.update_alert(alert_id, seen, changes, (kind, actor.name, details),
                                     within=recorder(store, kind, actor, record))


def close(store: Store, alert_id: int, actor: Actor, *, version: int | None = None) -> Alert:
    """Close a decided alert (its decision keeps working: a false positive stays
    remembered)."""
    require(actor, "close")
    alert, seen = _get(store, alert_id, version)
    if alert.state != "decided":
        raise ConfigError(f"alert {alert_id} is {alert.state.replace('_', ' ')}: only a "
                          "decided alert can be closed")
    return store.review.update_alert(alert_id, seen, {"state": "closed"},
                                     ("closed", actor.name, {}),
                                     within=recorder(store, "closed", actor,
                                                     {"alert": alert_id}))
