"""Appending the workflow's steps to the store's audit chain.

Every decision, approval, suppression and import goes to ``Store.append_audit(event,
actor, details)`` (the hash-chained trail). The case's own history (``review_event``) is
kept whatever happens; the chain is the evidence a third party can verify.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from discreet.review.actors import Actor
    from discreet.store import Store

__all__ = ["audit"]


def audit(store: Store, event: str, actor: Actor, details: Mapping[str, Any]) -> None:
    """Append one record to the audit chain (``review.<event>``)."""
    append = getattr(store, "append_audit", None)
    if append is None:  # a store without the chain (before migration 0006): nothing to add
        return
    append(f"review.{event}", actor.name, {"roles": sorted(actor.roles), **details})
