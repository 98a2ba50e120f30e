"""Which way of re-screening is cheaper: only against what changed, or the whole book again.

:func:`~discreet.screen.rescreen.rescreen` gives the same new, gone and amended alerts
either way; only the work differs, and the two costs grow with different things:

* the **delta** builds an index of the changed entities (found by id: a persisted index
  decodes none of the others), bounds every row from the name cache
  against it (the more entities changed, the more candidates a row has there) or, without
  a usable cache, prepares every row's name and screens it there, screens the rows that
  can still alert, and screens the customers whose alerts cannot be told from the change
  alone against the whole index, in one process;
* the **full** path screens every row against the whole index, in the workers, as
  ``screen-file`` does.

So a large change against a small book is cheaper in full, and a small change against a
large book, with its name cache, is cheaper as a delta. :func:`estimate` weighs both from
what is known before any row is screened; the figures are seconds of one core of the
machine they were measured on (only their ratio decides, so a faster machine changes
little), from the fixture-list and 1M-entity runs in docs/benchmarks.md ("choosing the
re-screen's path").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["PATHS", "PathChoice", "Workload", "choose", "estimate"]

PATHS = ("auto", "delta", "full")

# seconds of one core, measured (docs/benchmarks.md, nineteenth session)
_CHANGED_ENTITY = 2.4e-4  # one changed entity into the delta's index
_CACHED_ROW = (6.7e-5, 5.3e-6)  # one row bounded from its cached names: a + b * sqrt(changed)
_PREPARED_ROW = (1.6e-4, 2.9e-6)  # one row prepared and screened against the changed entities
_ROW = 5.5e-4  # one row screened against a small index ...
_ROW_PER_NAME = 6e-10  # ... and what each name of the index adds to it
_CAN_ALERT = 3e-6  # share of the rows the cache keeps, per changed entity (at most all)
_FEW_ROWS = 2000  # the delta screens fewer kept rows than this in one process


@dataclass(frozen=True, slots=True)
class Workload:
    """What is known of a re-screen before it screens anything."""

    rows: int  # rows in the customer file
    changed: int  # entities added or amended: the delta's index
    entities: int  # entities in the whole index
    names: int  # names in the whole index
    cached: bool  # the name cache beside the previous alerts is this file's
    whole: int  # customers the delta screens against the whole index anyway
    workers: int  # processes that screen rows


@dataclass(frozen=True, slots=True)
class PathChoice:
    """The path taken, the one asked for, and both estimates (seconds)."""

    path: str
    requested: str
    delta_s: float
    full_s: float

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "requested": self.requested,
                "delta_s": round(self.delta_s, 4), "full_s": round(self.full_s, 4)}


def estimate(work: Workload) -> tuple[float, float]:
    """Seconds the delta and the full path would take on ``workers`` idle cores (the model
    in the module docstring). The full path screens every row against the whole index,
    spread over the workers. The delta builds the changed entities' index in one process;
    bounds every cached row (or, without the cache, prepares and screens every row) against
    it on the workers, a row costing more the more entities changed (more candidates there);
    screens the rows that can still alert; and screens its whole-index customers in one
    process."""
    workers = max(work.workers, 1)
    row = _ROW + work.names * _ROW_PER_NAME  # one row against the whole index
    full = work.rows * row / workers
    if not work.changed:  # nothing to screen against: only the whole-index customers
        return work.whole * row, full
    spread = math.sqrt(work.changed)
    if work.cached:
        kept = work.rows * min(1.0, work.changed * _CAN_ALERT)
        per_row = work.rows * (_CACHED_ROW[0] + _CACHED_ROW[1] * spread) / workers
        kept_s = kept * _PREPARED_ROW[0] / (1 if kept < _FEW_ROWS else workers)
    else:
        per_row = work.rows * (_PREPARED_ROW[0] + _PREPARED_ROW[1] * spread) / workers
        kept_s = 0.0
    delta = work.changed * _CHANGED_ENTITY + per_row + kept_s + work.whole * row
    return delta, full


def choose(requested: str, work: Workload) -> PathChoice:
    """``requested`` ("delta" or "full") as asked; "auto": the cheaper by :func:`estimate`
    (the delta when they tie)."""
    if requested not in PATHS:
        raise ValueError(f"path: expected one of {', '.join(PATHS)}, got {requested!r}")
    delta, full = estimate(work)
    path = requested if requested != "auto" else ("full" if full < delta else "delta")
    return PathChoice(path, requested, delta, full)
