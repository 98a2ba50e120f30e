"""Birth-date evidence: dates in every written form, ambiguity, slips and unreadable dates,
scored by the real matcher; and the bound the matcher prunes with stays above what a date
can add."""

from __future__ import annotations

import pytest

from discreet.match import Matcher, Query
from discreet.match.features import birth_date
from discreet.match.rules import WEIGHTS
from discreet.model import DateSpec, Entity, Name

W = dict(WEIGHTS)
LISTED = [DateSpec("1976-10-05")]


@pytest.mark.parametrize("written", [
    "1976-10-05", "05/10/1976", "10/05/1976", "05.10.1976", "5 Oct 1976", "October 5, 1976",
    "5 octobre 1976", "5 de octubre de 1976", "5. Oktober 1976", "5 октября 1976",
    "19761005", "28038",
])
def test_every_written_form_of_the_listed_day_is_exact(written: str) -> None:
    found = birth_date(written, LISTED, W)
    assert found is not None and found.name == "dob_exact" and found.delta == W["dob_exact"]


@pytest.mark.parametrize(("written", "why"), [
    ("1976-10-06", "one day apart"), ("1976-10-04", "one day apart"),
    ("1976-11-05", "one month apart"), ("1976-09-05", "one month apart"),
    ("1977-10-05", "one year apart"), ("1976-05-10", "day and month swapped"),
    ("1976-11-01", "one day apart"),  # across the end of the month: listed 1976-10-31
])
def test_a_slip_is_weak_agreement_not_a_mismatch(written: str, why: str) -> None:
    listed = [DateSpec("1976-10-31")] if written == "1976-11-01" else LISTED
    found = birth_date(written, listed, W)
    assert found is not None and found.name == "dob_near" and why in found.detail
    assert 0 <= found.delta < W["dob_year"]


def test_swapped_day_and_month_under_a_fixed_order_is_near() -> None:
    """With the order fixed the other reading is gone, but a swap is still a likely slip."""
    found = birth_date("1976-05-10", [DateSpec("1976-10-05")], W)
    assert found is not None and found.name == "dob_near"


@pytest.mark.parametrize("written", ["1976-03-17", "1975", "04/1976", "17/03/1976"])
def test_other_dates_are_a_mismatch(written: str) -> None:
    found = birth_date(written, LISTED, W)
    assert found is not None and found.name == "dob_mismatch"
    assert found.delta == W["dob_mismatch"] < 0


def test_ambiguous_mismatch_names_both_readings() -> None:
    found = birth_date("03/04/1976", LISTED, W)
    assert found is not None and found.name == "dob_mismatch"
    assert "1976-04-03 or 1976-03-04" in found.detail


@pytest.mark.parametrize("written", ["1976-13-05", "31/02/1976", "next monday", "??", "0"])
def test_an_unreadable_date_is_no_evidence(written: str) -> None:
    found = birth_date(written, LISTED, W)
    assert found is not None and found.name == "dob_unreadable" and found.delta == 0
    assert "could not be read" in found.detail and written in found.detail


def test_partial_dates_ranges_and_circa() -> None:
    assert birth_date("10/1976", LISTED, W).name == "dob_year"  # type: ignore[union-attr]
    assert birth_date("Oct 1976", LISTED, W).name == "dob_year"  # type: ignore[union-attr]
    ranged = [DateSpec("1974", end="1978")]
    assert birth_date("5 Oct 1976", ranged, W).name == "dob_year"  # type: ignore[union-attr]
    assert birth_date("1980", ranged, W).name == "dob_mismatch"  # type: ignore[union-attr]
    circa = [DateSpec("1977", approximate=True)]
    assert birth_date("05/10/1976", circa, W).name == "dob_year"  # type: ignore[union-attr]
    assert birth_date("1976", [], W) is None and birth_date(None, LISTED, W) is None


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.from_entities([
        Entity(id="kadyrov", schema="Person", source="test_list",
               names=[Name("Ramzan Akhmatovich Kadyrov")], birth_dates=[DateSpec("1976-10-05")]),
        Entity(id="other", schema="Person", source="test_list",
               names=[Name("Viktor Bout")], birth_dates=[DateSpec("1967-01-13")]),
    ])


def _score(matcher: Matcher, born: str | None) -> tuple[float, set[str]]:
    found = matcher.match(Query("Ramzan Kadyrov", schema="Person", birth_date=born),
                          threshold=0, limit=1)
    assert found and found[0].entity.id == "kadyrov"
    return found[0].score, {f.name for f in found[0].explanation.features}


def test_the_matcher_scores_written_dates(matcher: Matcher) -> None:
    plain, _ = _score(matcher, None)
    for written in ("05/10/1976", "10/05/1976", "5 Oct 1976", "5 октября 1976"):
        score, features = _score(matcher, written)
        assert features == {"dob_exact"} and score > plain
    near, features = _score(matcher, "06/10/1976")
    assert features == {"dob_near"} and near >= plain
    unread, features = _score(matcher, "1976-13-05")
    assert features == {"dob_unreadable"} and unread == pytest.approx(plain)
    wrong, features = _score(matcher, "1990-02-14")
    assert features == {"dob_mismatch"} and wrong < plain


def test_the_bound_covers_every_positive_date_feature(matcher: Matcher) -> None:
    """The matcher skips candidates whose name bound plus what the other evidence can add
    cannot reach the threshold: a date feature adding more than that bound would make
    results depend on the threshold."""
    gain = matcher.bonus(Query("x", birth_date="garbage"))
    assert gain >= max(W["dob_exact"], W["dob_year"], W["dob_near"], W["dob_unreadable"])
    for written in ("05/10/1976", "06/10/1976", "1976", "garbage"):
        best = matcher.match(Query("Ramzan Kadyrov", birth_date=written), threshold=0, limit=1)
        at = best[0].score - 1e-6
        again = matcher.match(Query("Ramzan Kadyrov", birth_date=written), threshold=at)
        assert [r.entity.id for r in again][:1] == ["kadyrov"]
        assert again[0].score == pytest.approx(best[0].score)


def test_an_inferred_schema_only_lowers_and_says_it_was_inferred() -> None:
    """schema_unlikely: negative (the matcher's bound adds only what evidence can add, so it
    stays an upper bound), smaller than a stated mismatch, and worded as a reading."""
    from discreet.match.features import schema_unlikely
    from discreet.match.kind import Reading

    assert W["schema_mismatch"] < W["schema_unlikely"] < 0
    found = schema_unlikely(Reading("person", "'maria' borne mostly by listed persons"),
                            "Vessel", W)
    assert found is not None and found.delta == W["schema_unlikely"]
    assert found.detail.startswith("query reads as a person's name (")
    assert found.detail.endswith("; listed as a Vessel")
    assert schema_unlikely(Reading(None), "Vessel", W) is None
    assert schema_unlikely(Reading("organisation", "a legal form (llc)"), "Company", W) is None


def test_a_schema_less_query_is_read_by_the_matcher() -> None:
    """The matcher applies the reading only when no schema is stated, and its bound (the
    most other evidence can add) does not count it."""
    given = ["Elena", "Olga", "Ahmed", "Fatima", "Hans", "Giulia"]
    family = ["Popescu", "Kuznetsova", "Haddad", "Rahimi", "Schneider", "Rossi"]
    ents = [Entity(f"p{i}{k}", "Person", source="t",
                   names=[Name(f"{g} {family[(i + k) % len(family)]}")])
            for k in range(4) for i, g in enumerate(given)]
    ents += [Entity(f"b{i}{k}", "Vessel", source="t", names=[Name(f"{w} {v}")])
             for i, w in enumerate(["Aurora", "Baltic", "Coral", "Delta", "Eagle"])
             for k, v in enumerate(["Spirit", "Pioneer", "Venture", "Horizon"])]
    ents.append(Entity("ship", "Vessel", source="t", names=[Name("OLGA HADDAD")]))
    matcher = Matcher.from_entities(ents)
    assert matcher.bonus(Query("Olga Haddad")) == 0.0
    ship = next(r for r in matcher.match(Query("Olga Haddad"), limit=50, threshold=0.0)
                if r.entity.id == "ship")
    assert ship.score == pytest.approx(1.0 + W["schema_unlikely"])
    assert [f.name for f in ship.explanation.features] == ["schema_unlikely"]
    stated = next(r for r in matcher.match(Query("Olga Haddad", schema="Vessel"), limit=50,
                                           threshold=0.0) if r.entity.id == "ship")
    assert stated.score == pytest.approx(1.0) and not stated.explanation.features
