"""Continuous screening: after list versions become active (``discreet load``/``update``,
the API's updater and scheduler), the book is re-screened against what changed.

Only when the store holds a customer book: a store without one pays one count query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from discreet.review.actors import SYSTEM
from discreet.review.screening import screen_list_changes
from discreet.review.settings import ReviewSettings

if TYPE_CHECKING:
    from discreet.match import Matcher
    from discreet.store import Store

__all__ = ["after_list_change"]


def after_list_change(store: Store, changed: bool, matcher: Matcher | None = None,
                      settings: ReviewSettings | None = None) -> dict[str, Any] | None:
    """Re-screen the active book against the list changes (``changed``: a write made a
    new version active); the run's counts, or None when nothing ran (no change, no book).
    ``matcher``: an index of the active versions already built (else the persisted one
    opened, or built and persisted: :func:`discreet.match.persist.open_matcher`)."""
    if not changed or store.review.count_customers("active") == 0:
        return None
    if matcher is None:
        from discreet.match.persist import open_matcher

        matcher = open_matcher(store)
    run = screen_list_changes(store, matcher, SYSTEM, settings)
    return {"run": run.id, "screened": run.screened, "opened": run.opened,
            "reopened": run.reopened, "suppressed": run.suppressed, "updated": run.updated}
