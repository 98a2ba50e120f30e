"""Same-as links in the store: proposals replaced, analyst decisions kept and audited,
parties as connected components (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from discreet.errors import ConfigError, DiscreetError, NotFoundError
from discreet.store import SameAs, Store


def _link(a: str, b: str, confidence: float = 0.99, basis: str = "identifier",
          *evidence: str) -> SameAs:
    return SameAs(a, b, basis, confidence, evidence or (f"evidence for {a} = {b}",))


def test_proposals_replace_and_read(store_url: str) -> None:
    with Store.open(store_url) as store:
        assert store.links() == [] and store.parties() == {}
        count = store.replace_proposed_links([
            _link("un-1", "ofac-1", 0.99, "identifier", "UN reference QDi.001 on both"),
            _link("eu-1", "un-1", 0.95),
            _link("gb-7", "ofac-9", 0.9, "name"),
        ])
        assert count == 3
        got = store.links()
        # Stored in pair order, a < b, whatever order they were given in.
        assert [(s.a, s.b) for s in got] == [("eu-1", "un-1"), ("gb-7", "ofac-9"),
                                             ("ofac-1", "un-1")]
        first = got[2]
        assert first.evidence == ("UN reference QDi.001 on both",)
        assert (first.basis, first.confidence, first.status) == ("identifier", 0.99, "proposed")
        assert first.decided_by is None
        assert [s.b for s in store.links("un-1")] == ["un-1", "un-1"]
        assert store.links("nobody") == []
        # A second computation replaces the first: undecided pairs not found again go.
        assert store.replace_proposed_links([_link("eu-1", "un-1", 0.5)]) == 1
        assert [(s.a, s.b, s.confidence) for s in store.links()] == [("eu-1", "un-1", 0.5)]


def test_a_pair_given_twice_keeps_the_stronger(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.replace_proposed_links([_link("a-1", "b-1", 0.7, "name"),
                                      _link("b-1", "a-1", 0.98, "identifier")])
        [only] = store.links()
        assert (only.basis, only.confidence) == ("identifier", 0.98)


def test_decisions_survive_recomputation(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.replace_proposed_links([_link("eu-1", "un-1"), _link("ofac-1", "un-1"),
                                      _link("gb-1", "un-1")])
        rejected = store.decide_link("un-1", "ofac-1", "rejected", by="Ana",
                                     note="different  father's name")
        assert (rejected.a, rejected.b, rejected.status) == ("ofac-1", "un-1", "rejected")
        assert rejected.decided_by == "Ana" and rejected.note == "different father's name"
        assert rejected.decided_at is not None
        confirmed = store.decide_link("eu-1", "un-1", "confirmed", by="Bo")
        assert confirmed.status == "confirmed"
        # The machine proposes the rejected pair again and no longer finds the confirmed one.
        store.replace_proposed_links([_link("ofac-1", "un-1", 1.0, "identifier", "new line"),
                                      _link("gb-1", "un-1")])
        by_pair = {(s.a, s.b): s for s in store.links()}
        assert by_pair[("ofac-1", "un-1")].status == "rejected"
        assert by_pair[("ofac-1", "un-1")].evidence == ("new line",)
        assert by_pair[("eu-1", "un-1")].status == "confirmed"
        assert by_pair[("gb-1", "un-1")].status == "proposed"
        assert [s.a for s in store.links(status="rejected")] == ["ofac-1"]
        assert [s.a for s in store.links(status="confirmed")] == ["eu-1"]
        assert [s.a for s in store.links(status="proposed")] == ["gb-1"]
        # Even an empty computation keeps every decided pair.
        store.replace_proposed_links([])
        assert {(s.a, s.status) for s in store.links()} == {("eu-1", "confirmed"),
                                                            ("ofac-1", "rejected")}


def test_decisions_are_an_append_only_audit(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.replace_proposed_links([_link("eu-1", "un-1"), _link("gb-1", "un-1")])
        store.decide_link("eu-1", "un-1", "rejected", by="Ana", note="dob differs")
        store.decide_link("un-1", "eu-1", "confirmed", by="Bo", note="same passport after all")
        store.decide_link("gb-1", "un-1", "confirmed", by="Ana")
        audit = store.link_decisions()
        assert [(d.a, d.status, d.decided_by) for d in audit] == [
            ("eu-1", "rejected", "Ana"), ("eu-1", "confirmed", "Bo"), ("gb-1", "confirmed", "Ana")]
        assert [d.note for d in store.link_decisions("eu-1")] == ["dob differs",
                                                                 "same passport after all"]
        # The latest decision is the pair's status.
        [pair] = store.links("eu-1")
        assert (pair.status, pair.decided_by) == ("confirmed", "Bo")


def test_unknown_pair_and_bad_values_are_one_line_errors(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.replace_proposed_links([_link("eu-1", "un-1")])
        with pytest.raises(NotFoundError) as caught:
            store.decide_link("eu-1", "ofac-3", "confirmed", by="Ana")
        assert "eu-1" in str(caught.value) and "\n" not in str(caught.value)
        for args, by in [(("eu-1", "un-1", "maybe"), "Ana"), (("eu-1", "un-1", "confirmed"), " "),
                         (("eu-1", "eu-1", "confirmed"), "Ana")]:
            with pytest.raises(ConfigError):
                store.decide_link(*args, by=by)
        with pytest.raises(ConfigError):
            store.links(status="maybe")
        for bad in [_link("x-1", "x-1"), _link("x-1", "y-1", 1.5),
                    _link("x-1", "y-1", 0.9, "vibes")]:
            with pytest.raises(DiscreetError):
                store.replace_proposed_links([_link("a-1", "b-1"), bad])
        # A refused batch changes nothing; nothing was decided.
        assert [(s.a, s.b) for s in store.links()] == [("eu-1", "un-1")]
        assert store.link_decisions() == []


def test_parties_are_components_without_rejected_links(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.replace_proposed_links([
            _link("un-5", "ofac-5"), _link("eu-5", "un-5"), _link("au-5", "gb-5"),
            _link("gb-5", "un-5"), _link("ca-9", "eu-9"),
        ])
        parties = store.parties()
        assert parties == {x: "au-5" for x in ("au-5", "eu-5", "gb-5", "ofac-5", "un-5")} | {
            "ca-9": "ca-9", "eu-9": "ca-9"}
        # Rejecting the bridge splits the party; the pair's ends stay linked to the rest.
        store.decide_link("gb-5", "un-5", "rejected", by="Ana")
        parties = store.parties()
        assert parties["au-5"] == parties["gb-5"] == "au-5"
        assert parties["un-5"] == parties["eu-5"] == parties["ofac-5"] == "eu-5"
        # A rejected pair with no other link leaves its entities out.
        store.decide_link("ca-9", "eu-9", "rejected", by="Ana")
        assert "ca-9" not in store.parties() and "eu-9" not in store.parties()


def test_links_persist_across_reopen(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.replace_proposed_links([_link("eu-1", "un-1", 0.9, "name", "a", "b")])
        store.decide_link("eu-1", "un-1", "confirmed", by="Ana", note="checked")
    with Store.open(store_url) as store:
        [pair] = store.links()
        assert pair.evidence == ("a", "b") and pair.status == "confirmed"
        assert pair.to_dict()["note"] == "checked"
