"""Keyset (cursor) paging of the review queue on SQLite and PostgreSQL: for every sort and
direction, under filters, with ties and alerts without a due date (which each dialect
sorts at its own end), the pages a cursor walks are exactly the offset's pages; alerts
added before the cursor meanwhile do not shift the next page (they shift an offset's);
a damaged, forged or foreign cursor is refused as such, never as a database error."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from discreet.store import Store
from discreet.store.review import (
    ALERT_SORTS,
    Alert,
    CursorError,
    NewHit,
    Run,
    alert_cursor,
)

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def _fill(store: Store, count: int = 60) -> None:
    """``count`` alerts written in three runs (so opened and updated times tie in runs),
    scores in five values, due dates in four (every seventh alert none), and a history:
    a third in review with one of two reviewers, a few decided."""
    for part in range(3):
        run = store.review.start_run(Run(0, "book", NOW.isoformat(), "ana", [], 0.7, "t"))
        hits = []
        for n in range(part, count, 3):
            due = None if n % 7 == 0 else (NOW + timedelta(hours=n % 4)).isoformat()
            hits.append(NewHit(f"C{n:03d}", f"ent-{n % 9}", 0.7 + (n % 5) / 20, "e" * 64,
                               "c" * 64, 1, {}, f"Party {n}", "open", due_at=due,
                               source=("list_a", "list_b")[n % 2],
                               programmes=("SDGT",) if n % 3 else ("IRAN",)))
        store.review.write_hits(run.id, hits, "ana")
    for alert in store.review.alerts(limit=1000, sort="id"):
        if alert.id % 3 == 0:
            store.review.update_alert(alert.id, alert.version, {
                "state": "in_review", "assignee": ("rui", "eva")[alert.id % 2]})
        elif alert.id % 11 == 0:
            store.review.update_alert(alert.id, alert.version, {
                "state": "decided", "decision": "false_positive"})


def _ids(alerts: list[Alert]) -> list[int]:
    return [a.id for a in alerts]


FILTERS: list[dict[str, Any]] = [
    {}, {"state": "open"}, {"state": ["open", "in_review"]}, {"assignee": "rui"},
    {"source": "list_b", "min_score": 0.8}, {"programme": "IRAN"}, {"state": "closed"}]


def test_cursor_pages_are_the_offset_pages(store_url: str) -> None:
    with Store.open(store_url) as store:
        _fill(store)
        review = store.review
        assert any(a.due_at is None for a in review.alerts(limit=1000))
        for sort in ALERT_SORTS:
            for descending in (False, True):
                for filters in FILTERS:
                    order: dict[str, Any] = {"sort": sort, "descending": descending,
                                             **filters}
                    whole = _ids(review.alerts(limit=1000, **order))
                    for size in (1, 7, 50):
                        walked: list[int] = []
                        cursor: str | None = None
                        for page_number in range(len(whole) + 2):
                            page = review.alert_page(limit=size, after=cursor, **order)
                            offset = review.alerts(limit=size, offset=page_number * size,
                                                   **order)
                            assert _ids(page.alerts) == _ids(offset), (order, size, page_number)
                            walked += _ids(page.alerts)
                            cursor = page.next
                            if cursor is None:
                                break
                        assert walked == whole, (order, size)
                    if whole:  # the cursor of the last alert: an empty page, no next
                        last = review.alerts(limit=1, offset=len(whole) - 1, **order)[0]
                        end = review.alert_page(after=alert_cursor(last, sort, descending),
                                                **order)
                        assert end.alerts == [] and end.next is None


def test_alerts_added_before_the_cursor_do_not_shift_the_next_page(store_url: str) -> None:
    with Store.open(store_url) as store:
        _fill(store, 30)
        review = store.review
        order: dict[str, Any] = {"sort": "score", "descending": True}
        first = review.alert_page(limit=10, **order)
        expected = _ids(review.alerts(limit=10, offset=10, **order))
        run = store.review.start_run(Run(0, "book", NOW.isoformat(), "ana", [], 0.7, "t"))
        store.review.write_hits(run.id, [
            NewHit(f"T{n}", "ent-top", 0.99, "e" * 64, "c" * 64, 1, {}, "Top", "open",
                   due_at=NOW.isoformat()) for n in range(4)], "ana")
        assert _ids(review.alerts(limit=10, after=first.next, **order)) == expected
        assert _ids(review.alerts(limit=10, offset=10, **order)) != expected  # shifted


def _forge(*items: Any) -> str:
    text = json.dumps(list(items))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


FORGED = [
    ("due", ""), ("due", "x"), ("due", "not a cursor!"), ("due", "%%%%"), ("due", "A" * 5000),
    ("due", _forge("due", 0, "2026")), ("due", _forge("name", 0, "2026", 1)),
    ("score", _forge("score", 0, "high", 1)), ("score", _forge("score", 0, True, 1)),
    ("score", _forge("score", 0, 0.5, -1)), ("score", _forge("score", 0, 0.5, 2**70)),
    ("score", _forge("score", 0, 0.5, 1.5)), ("score", _forge("score", 0, 0.5, True)),
    ("score", base64.urlsafe_b64encode(b'["score", 0, NaN, 1]').decode()),
    ("score", base64.urlsafe_b64encode(b'["score", 0, Infinity, 1]').decode()),
    ("due", _forge("due", 2, "2026", 1)), ("due", _forge("due", True, "2026", 1)),
    ("due", _forge("due", 0, "a\x00b", 1)), ("due", _forge("due", 0, 7, 1)),
    ("age", _forge("age", 0, None, 1)), ("id", _forge("id", 0, 5, 6)),
    ("updated", _forge("updated", 0, "\ud800", 1)),
    ("due", base64.urlsafe_b64encode(b"[1, 2").decode()),
    ("due", base64.urlsafe_b64encode(b"\xff\xfe").decode()),
    ("score", _forge(*(["score"] * 4))),
    ("due", base64.urlsafe_b64encode(b"[" * 3000).decode()[:4000]),
    ("score", '{"sort": "score"}'), ("due", _forge({"due": 0}))]


def test_a_damaged_or_forged_cursor_is_refused(store_url: str) -> None:
    with Store.open(store_url) as store:
        _fill(store, 12)
        for sort, token in FORGED:
            with pytest.raises(CursorError, match="not a cursor of the alert queue"):
                store.review.alerts(after=token, sort=sort)
            with pytest.raises(CursorError):  # whatever the order asked
                store.review.alert_page(after=token, sort="updated", descending=True)


def test_a_cursor_is_for_its_own_order(store_url: str) -> None:
    with Store.open(store_url) as store:
        _fill(store, 12)
        review = store.review
        page = review.alert_page(limit=3, sort="score", descending=True)
        assert page.next is not None
        with pytest.raises(CursorError, match="by score descending: ask with that sort"):
            review.alerts(after=page.next, sort="score")
        with pytest.raises(CursorError, match="by score descending"):
            review.alerts(after=page.next, sort="due", descending=True)
        with pytest.raises(CursorError, match="a cursor or an offset, not both"):
            review.alerts(after=page.next, sort="score", descending=True, offset=3)
        # a cursor with a NULL due date, and an alert with one, made by alert_cursor
        none_due = [a for a in review.alerts(limit=100) if a.due_at is None]
        assert none_due
        token = alert_cursor(none_due[0])
        assert isinstance(review.alerts(after=token), list)
        # forged but well formed: extreme values are compared, never a database error
        assert len(review.alerts(after=_forge("score", 1, 1e308, 2**62), sort="score",
                                 descending=True)) == 12
        assert review.alerts(after=_forge("due", 0, "\U0010ffff" * 50, 0), sort="due",
                             state="closed") == []
        assert len(review.alerts(after=_forge("id", 0, 0, 0), sort="id")) == 12
