"""Appending the workflow's steps to the store's audit chain.

Every import, run, decision, approval, attachment, suppression and reopening goes to
``Store.append_audit(event, actor, details)`` (the hash-chained trail), in the same
transaction as the change it records (:func:`recorder` is handed to the store's write), so
a change is never stored without its record, nor a record without its change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from discreet.review.actors import Actor
    from discreet.store import Store

__all__ = ["audit", "recorder"]


def audit(store: Store, event: str, actor: Actor, details: Mapping[str, Any]) -> None:
    """Append one record to the audit chain (``review.<event>``)."""
    store.append_audit(f"review.{event}", actor.name, {"roles": sorted(actor.roles),
                                                       **details})


def recorder(store: Store, event: str, actor: Actor, details: Mapping[str, Any]
             ) -> Callable[[], None]:
    """The :func:`audit` call, for the store to make inside its transaction."""
    return lambda: audit(store, event, actor, details)
