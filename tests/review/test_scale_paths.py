"""The paths that keep a large book cheap, on SQLite and PostgreSQL: customers written
set-wise in order (a reference twice in one batch is created, then updated), the book read
a page at a time by the versions it was screened against, a whole group marked screened in
one statement (never a customer changed meanwhile), and a list-change run that bounds each
distinct set of kept names once and reads whole only the customers it keeps, preparing the
names the book does not keep (or keeps damaged) again."""

from __future__ import annotations

import json
import random

from discreet.review import SYSTEM, customer_input, screen_book, screen_list_changes
from discreet.review.screening import _CHUNK
from discreet.screen.rows import load_matcher
from discreet.store import Store
from discreet.store.review import fields_hash
from tests.review.helpers import _SYLLABLES, ANA, entity_id, load_filler, load_list


def test_a_reference_twice_in_one_batch(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.review.upsert_customers([customer_input("A", names=["Ana Lima"])], "ana")
        changes = store.review.upsert_customers([
            customer_input("A", names=["Ana Lima"], countries=["PT"]),  # an update
            customer_input("B", names=["Rui Sol"]),  # new
            customer_input("B", names=["Rui Sol Mar"]),  # the same, changed in the batch
            customer_input("C", names=["Eva Ito"]),
            customer_input("B", names=["Rui Sol Mar"], attributes={"Branch": "Faro"}),
        ], "rui")
        assert [(c.ref, c.outcome, c.version, c.screening_changed) for c in changes] == [
            ("A", "updated", 2, True), ("B", "created", 1, True), ("B", "updated", 2, True),
            ("C", "created", 1, True), ("B", "updated", 3, False)]
        b = store.review.customer("B")
        assert (b.version, b.fields["names"], b.attributes) == (3, ["Rui Sol Mar"],
                                                               {"Branch": "Faro"})
        assert b.screening_hash == fields_hash({"names": ["Rui Sol Mar"]})
        assert [(v.version, v.fields["names"], v.actor) for v in
                store.review.customer_versions("B")] == [(1, ["Rui Sol"], "rui"),
                                                         (2, ["Rui Sol Mar"], "rui"),
                                                         (3, ["Rui Sol Mar"], "rui")]
        assert store.review.customer("A").fields["countries"] == ["PT"]
        assert store.review.count_customers() == 3


def test_pages_groups_and_marking_a_group(store_url: str) -> None:
    with Store.open(store_url) as store:
        refs = [f"K{n:02d}" for n in range(7)]
        store.review.upsert_customers([customer_input(r, names=[f"Name {r}"]) for r in refs],
                                      "ana")
        assert store.review.screened_groups() == {None: 7}
        pages = list(store.review.customer_pages(screened=None, page=3))
        assert [[c.ref for c in p] for p in pages] == [refs[:3], refs[3:6], refs[6:]]
        old = {"list_a": 1}
        store.review.mark_screened(refs[:5], old)
        text = json.dumps(old, separators=(",", ":"))
        assert store.review.screened_groups() == {text: 5, None: 2}
        store.review.set_tokens({"K01": (store.review.customer("K01").screening_hash, "t1")})
        tokens = [row for page in store.review.customer_tokens(screened=text, page=2)
                  for row in page]
        assert tokens == [("K00", None), ("K01", "t1"), ("K02", None), ("K03", None),
                          ("K04", None)]
        # meanwhile K02's names change (it leaves the group), K03's attributes (it stays)
        store.review.upsert_customers([customer_input("K02", names=["Someone Else"]),
                                       customer_input("K03", names=["Name K03"],
                                                      attributes={"Branch": "Porto"})],
                                      "ana")
        assert store.review.customer("K02").screened is None
        assert store.review.mark_group_screened(text, {"list_a": 2}) == 4
        now = {c.ref: c.screened for c in store.review.customers()}
        assert now == {"K00": {"list_a": 2}, "K01": {"list_a": 2}, "K02": None,
                       "K03": {"list_a": 2}, "K04": {"list_a": 2}, "K05": None, "K06": None}
        # a closed customer is not in the active groups, and not marked
        store.review.upsert_customers([customer_input("K04", names=["Name K04"],
                                                      status="closed")], "ana")
        again = json.dumps({"list_a": 2}, separators=(",", ":"))
        assert store.review.screened_groups() == {again: 3, None: 3}
        assert store.review.mark_group_screened(again, {"list_a": 3}) == 3
        assert store.review.customer("K04").screened == {"list_a": 2}
        # marking pages while reading them neither skips nor repeats a customer
        seen = []
        for page_ in store.review.customer_pages(any_screened=True, page=2):
            seen += [c.ref for c in page_]
            store.review.mark_screened([c.ref for c in page_], {"list_a": 4})
        assert seen == [r for r in refs if r != "K04"]
        assert store.review.screened_groups() == {json.dumps({"list_a": 4},
                                                             separators=(",", ":")): 6}


def test_list_change_run_with_shared_unkept_and_damaged_names(store_url: str) -> None:
    """Four customers with one listed name (added in v2): names kept, the same names kept
    again (bounded once), none kept, kept damaged; and one customer who cannot alert. All
    four alert, exactly as screening each would; names not kept, or damaged, are kept
    afresh."""
    with Store.open(store_url) as store:
        load_list(store, 1)
        load_filler(store)
        same = ["S1", "S2", "S3", "S4"]
        store.review.upsert_customers(
            [customer_input(r, names=["Evgenia Lutsenko"], birth_date="1986-02-11")
             for r in same] + [customer_input("Z9", names=["Quorvath Belimundo"])], "ana")
        first = screen_book(store, load_matcher(store), ANA)
        assert first.screened == 5
        kept = {c.ref: c.tokens for c in store.review.customers()}
        assert kept["S1"] and kept["S1"] == kept["S2"]
        hashed = store.review.customer("S3").screening_hash
        assert kept["S4"] is not None
        store.review.set_tokens({"S3": (hashed, "not prepared names"),
                                 "S4": (hashed, kept["S4"][:4] + "7\tbroken")})
        load_list(store, 2)
        run = screen_list_changes(store, load_matcher(store), SYSTEM)
        alerted = {a.customer_ref for a in store.review.alerts(limit=100)
                   if a.entity_id == entity_id("R-021")}
        assert alerted == set(same)
        assert run.opened == 4 and run.screened == 4  # Z9 ruled out, never read whole
        after = {c.ref: c for c in store.review.customers()}
        assert after["S3"].tokens == after["S4"].tokens == kept["S1"]
        assert {c.screened["review_test"] for c in after.values() if c.screened} == {2}
        # nothing changed since: the next run screens nobody and opens nothing
        quiet = screen_list_changes(store, load_matcher(store), SYSTEM)
        assert (quiet.screened, quiet.opened) == (0, 0)
        # a whole-book run over customers screened and not yet: each screened once
        store.review.upsert_customers([customer_input("N1", names=["Nova Quill"])], "ana")
        assert set(store.review.screened_groups().values()) == {5, 1}
        whole = screen_book(store, load_matcher(store), ANA)
        assert (whole.screened, whole.opened, whole.updated) == (6, 0, 4)


def test_names_met_again_after_many_others(store_url: str) -> None:
    """The same listed name on the first customer of the book and on the last, with more
    distinct names between them than one worker job bounds: both alert (a bound is given
    to every customer with those names, however late in the book they come)."""
    rnd = random.Random(5)

    def word() -> str:
        return "".join(rnd.choice(_SYLLABLES) for _ in range(3)).capitalize()

    with Store.open(store_url) as store:
        load_list(store, 1)
        load_filler(store)
        listed = {"A-first": "Evgenia Lutsenko", "Z-last": "Evgenia Lutsenko"}
        others = {f"M-{n:04d}": f"{word()} {word()}" for n in range(2 * _CHUNK)}
        store.review.upsert_customers([customer_input(r, names=[n]) for r, n in
                                       {**listed, **others}.items()], "ana")
        screen_book(store, load_matcher(store), ANA)
        assert len({c.tokens for c in store.review.customers()}) > _CHUNK + 1
        load_list(store, 2)
        screen_list_changes(store, load_matcher(store), SYSTEM)
        alerted = {a.customer_ref for a in store.review.alerts(limit=1000)
                   if a.entity_id == entity_id("R-021")}
        assert alerted == set(listed)
