"""Cases on SQLite and PostgreSQL: roles, four eyes, optimistic locking, attachments,
SLA due dates, and the settings they come from."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from discreet.errors import ConfigError
from discreet.review import (
    Actor,
    ReviewPermissionError,
    ReviewSettings,
    StaleAlertError,
    approve,
    assign,
    attach,
    case,
    close,
    comment,
    customer_input,
    decide,
    load_review_settings,
    screen_customers,
    start_review,
    upsert_customers,
)
from discreet.review.settings import Band, review_settings_from_dict
from discreet.screen.rows import load_matcher
from discreet.store import Store
from tests.review.helpers import ANA, AUDITOR, EVA, RUI, entity_id, load_list


def _alerts(store: Store) -> dict[str, int]:
    """Two customers alerting on two listed people; customer ref -> alert id."""
    load_list(store, 1)
    upsert_customers(store, [
        customer_input("K-1", names=["Viktor Brunov"], birth_date="1961-04-12",
                       countries=["RU"]),
        customer_input("K-2", names="Kwame Osei", countries=["GH"]),
        customer_input("K-3", names="Lumo Tarsivel")], ANA)
    run = screen_customers(store, load_matcher(store), ["K-1", "K-2", "K-3"], ANA)
    assert run.screened == 3
    found = {a.customer_ref: a.id for a in store.review.alerts()}
    assert set(found) == {"K-1", "K-2"}
    assert store.review.alert(found["K-1"]).entity_id == entity_id("R-001")
    return found


def test_roles_and_four_eyes(store_url: str) -> None:
    with Store.open(store_url) as store:
        ids = _alerts(store)
        one, two = ids["K-1"], ids["K-2"]
        # an auditor reads, never writes
        with pytest.raises(ReviewPermissionError, match="auditors read only"):
            decide(store, one, "false_positive", AUDITOR)
        with pytest.raises(ReviewPermissionError):
            comment(store, one, "looks fine", AUDITOR)
        with pytest.raises(ReviewPermissionError):
            upsert_customers(store, [customer_input("K-9", names="X Y")], AUDITOR)
        assert case(store, one).alert.state == "open"  # reading is allowed
        # eva decides with the reviewer role too: she still cannot approve her own decision
        assert decide(store, one, "false_positive", EVA).state == "pending_approval"
        with pytest.raises(ReviewPermissionError, match="own decision"):
            approve(store, one, EVA)
        # an analyst cannot approve at all; a reviewer who did not decide can
        with pytest.raises(ReviewPermissionError, match="reviewer"):
            approve(store, one, ANA)
        # a rejected approval returns the alert to review and undoes the decision
        back = approve(store, one, RUI, approved=False, note="check the birth date")
        assert (back.state, back.decision, back.approval, back.decided_by) == (
            "in_review", None, "rejected", None)
        decide(store, one, "false_positive", ANA, note="birth date differs")
        done = approve(store, one, EVA)
        assert (done.state, done.decision, done.approval) == ("decided", "false_positive",
                                                              "approved")
        assert close(store, one, ANA).state == "closed"
        with pytest.raises(ConfigError, match="only an open or in-review"):
            decide(store, one, "true_match", ANA)
        kinds = [e.kind for e in case(store, one).events]
        assert kinds == ["opened", "decided", "rejected", "decided", "approved", "closed"]
        # each step is in the audit chain too, by whom, and the chain verifies
        trail = [(r.endpoint, r.actor, r.request.get("alert")) for r in store.audit_chain()
                 if r.endpoint.startswith("review.") and r.request.get("alert") == one]
        assert trail == [("review.decided", "eva", one), ("review.rejected", "rui", one),
                         ("review.decided", "ana", one), ("review.approved", "eva", one),
                         ("review.closed", "ana", one)]
        assert store.verify_audit().ok
        # escalation needs no four eyes by default
        assert decide(store, two, "escalated", ANA).state == "decided"
        with pytest.raises(ConfigError, match="nothing waits"):
            approve(store, two, RUI)


def test_four_eyes_by_score_band(store_url: str) -> None:
    """Only high scores need approval here: a lower one is decided at once."""
    settings = ReviewSettings(four_eyes=(Band(0.9, 1.0, decision="false_positive"),))
    with Store.open(store_url) as store:
        ids = _alerts(store)
        high, low = store.review.alert(ids["K-1"]), store.review.alert(ids["K-2"])
        assert high.score >= 0.9 > low.score
        assert decide(store, high.id, "false_positive", ANA, settings).state == \
            "pending_approval"
        assert decide(store, low.id, "false_positive", ANA, settings).state == "decided"
        assert not settings.needs_approval("true_match", 0.95)


def test_stale_update_refused(store_url: str) -> None:
    with Store.open(store_url) as store:
        alert_id = _alerts(store)["K-1"]
        seen = store.review.alert(alert_id).version
        assign(store, alert_id, "ana", ANA, version=seen)
        with pytest.raises(StaleAlertError, match="reload it and try again") as caught:
            decide(store, alert_id, "false_positive", RUI, version=seen)
        assert "assigned by ana" in str(caught.value)
        after = store.review.alert(alert_id)
        assert (after.state, after.assignee, after.decision) == ("in_review", "ana", None)
        assert after.version == seen + 1


@pytest.mark.parametrize("decision", ["false_positive", "true_match"])
def test_stale_decision_told_before_the_state(store_url: str, decision: str) -> None:
    """A decision made against a version another reviewer's decision has moved on (the
    alert now waits for approval, or is decided) is refused as stale, whatever state the
    alert reached: the state is the other reviewer's change, not this caller's mistake."""
    with Store.open(store_url) as store:
        alert_id = _alerts(store)["K-1"]
        seen = store.review.alert(alert_id).version
        first = decide(store, alert_id, decision, EVA, version=seen)
        with pytest.raises(StaleAlertError, match="reload it and try again") as caught:
            decide(store, alert_id, "true_match", ANA, version=seen)
        assert f"decided by {EVA.name}" in str(caught.value)
        with pytest.raises(StaleAlertError):
            start_review(store, alert_id, ANA, version=seen)
        after = store.review.alert(alert_id)
        assert (after.state, after.decided_by, after.version) == \
            (first.state, EVA.name, seen + 1)
        # read afresh, the state is what refuses the second decision
        with pytest.raises(ConfigError, match="only an open or in-review alert"):
            decide(store, alert_id, "true_match", ANA, version=after.version)


def test_two_reviewers_at_once(store_url: str) -> None:
    """Two connections decide the same alert read at one version, at the same moment: one
    wins, the other is told, nothing is lost or mixed."""
    with Store.open(store_url) as store:
        alert_id = _alerts(store)["K-1"]
        seen = store.review.alert(alert_id).version
    gate = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def reviewer(actor: Actor, decision: str) -> None:
        with Store.open(store_url) as own:
            gate.wait()
            try:
                decide(own, alert_id, decision, actor, version=seen)
                outcomes[actor.name] = "won"
            except StaleAlertError as exc:
                outcomes[actor.name] = str(exc)

    threads = [threading.Thread(target=reviewer, args=(ANA, "false_positive")),
               threading.Thread(target=reviewer, args=(EVA, "true_match"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [name for name, outcome in outcomes.items() if outcome == "won"]
    assert len(winners) == 1 and len(outcomes) == 2
    loser = next(name for name in outcomes if name != winners[0])
    assert "changed" in outcomes[loser]
    with Store.open(store_url) as store:
        alert = store.review.alert(alert_id)
        assert alert.decided_by == winners[0] and alert.version == seen + 1
        assert [e.actor for e in store.review.events(alert_id) if e.kind == "decided"] == \
            winners


def test_comments_attachments_and_due_dates(store_url: str) -> None:
    settings = ReviewSettings(attachment_max_bytes=1000)
    with Store.open(store_url) as store:
        ids = _alerts(store)
        alert = store.review.alert(ids["K-1"])
        # due dates: 24 hours for a score of 0.9 or more, 72 below (the defaults)
        due = datetime.fromisoformat(alert.due_at or "")
        hours = 24 if alert.score >= 0.9 else 72
        assert abs(due - (datetime.now(UTC) + timedelta(hours=hours))) < timedelta(minutes=5)
        comment(store, alert.id, "  same name, other birth date  ", ANA)
        with pytest.raises(ConfigError, match="empty comment"):
            comment(store, alert.id, "   ", ANA)
        data = bytes(range(256)) * 3
        kept = attach(store, alert.id, "passport scan.bin", data, ANA, settings)
        assert store.review.attachment_data(kept.id) == data
        with pytest.raises(ConfigError, match=r"1,001 bytes; the limit is 1,000"):
            attach(store, alert.id, "big.pdf", b"x" * 1001, ANA, settings)
        assert [a.name for a in store.review.attachments(alert.id)] == ["passport scan.bin"]
        started = start_review(store, alert.id, RUI)
        assert (started.state, started.assignee) == ("in_review", "rui")
        story = case(store, alert.id)
        assert [e.kind for e in story.events] == ["opened", "comment", "attached", "in_review"]
        assert story.events[1].details == {"text": "same name, other birth date"}
        overdue = store.review.alerts(overdue_at=(datetime.now(UTC) + timedelta(days=4))
                                      .isoformat())
        assert {a.id for a in overdue} == set(ids.values())


def test_settings_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "review.toml"
    path.write_text('threshold = 0.8\nattachment_max_bytes = 2048\n'
                    '[[four_eyes]]\ndecision = "true_match"\nmin_score = 0.5\n'
                    '[[sla]]\nhours = 12\n', encoding="utf-8")
    settings = load_review_settings(path)
    assert (settings.threshold, settings.attachment_max_bytes) == (0.8, 2048)
    assert settings.needs_approval("true_match", 0.6)
    assert not settings.needs_approval("true_match", 0.4)
    assert not settings.needs_approval("false_positive", 0.99)
    assert settings.due_hours(0.99) == 12
    for bad, message in (({"threshold": 2}, "threshold"), ({"colour": 1}, "unknown key"),
                         ({"four_eyes": [{"decision": "maybe"}]}, "decision"),
                         ({"sla": [{"hours": -1}]}, "hours"),
                         ({"attachment_max_bytes": 0}, "attachment_max_bytes")):
        with pytest.raises(ConfigError, match=message):
            review_settings_from_dict(bad)
    path.write_text("threshold = ", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_review_settings(path)


def test_actor_roles_are_checked() -> None:
    with pytest.raises(ReviewPermissionError, match="unknown role"):
        Actor.of("x", ["superuser"])
    with pytest.raises(ReviewPermissionError, match="no role"):
        Actor.of("x", [])
    with pytest.raises(ReviewPermissionError, match="needs a name"):
        Actor.of("  ", ["analyst"])
    assert Actor.of(" Ana  Lima ", ["Analyst"]) == Actor("Ana Lima", frozenset({"analyst"}))
