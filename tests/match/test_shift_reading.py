"""A space one letter off that restores a legal-form or generic word is read beside the name
as written, not in its place: two words of a name can make a form's word with a letter
moved ("REAL ESTATE" read "REALE STATE"), and an exact query then scored below 1 against
its own listing. Made-up names."""

from __future__ import annotations

import pytest

from discreet.match import Matcher, Query
from discreet.match.pairs import query_alternatives
from discreet.match.prepare import repair_forms, shift_reading
from discreet.model import Entity, Name

LISTED = ["ORLAN REAL ESTATE JSC", "KOVAR JOINT STOCK COMPANY", "BELMONT LINES LIMITED",
          "TAVRIDA ESTATE HOLDING", "MERIDIAN STATE TRADING"]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.from_entities([Entity(f"c{k}", "Company", source="t", names=[Name(n)])
                                  for k, n in enumerate(LISTED)])


def _best(matcher: Matcher, text: str, schema: str | None) -> tuple[str, float]:
    found = matcher.match(Query(text, schema=schema), threshold=0.0, limit=1)
    return found[0].entity.names[0].value, found[0].score


@pytest.mark.parametrize("schema", [None, "Company", "Organization", "LegalEntity"])
@pytest.mark.parametrize("name", LISTED)
def test_a_listed_name_asked_as_written_scores_one(matcher: Matcher, name: str,
                                                    schema: str | None) -> None:
    found, score = _best(matcher, name, schema)
    assert found == name and score == pytest.approx(1.0)


@pytest.mark.parametrize("schema", [None, "Company"])
@pytest.mark.parametrize(("typed", "listed"), [
    ("KOVAR JOINT STOCKC OMPANY", "KOVAR JOINT STOCK COMPANY"),
    ("BELMONT LINESL IMITED", "BELMONT LINES LIMITED"),
    ("KOVAR JOIN TSTOCK COMPANY", "KOVAR JOINT STOCK COMPANY"),
])
def test_a_shifted_space_is_still_read_back(matcher: Matcher, typed: str, listed: str,
                                            schema: str | None) -> None:
    found, score = _best(matcher, typed, schema)
    assert found == listed and score == pytest.approx(1.0)


def test_the_shift_is_a_reading_beside_the_name() -> None:
    assert repair_forms("ORLAN REAL ESTATE JSC", shift=False) is None
    assert shift_reading("ORLAN REAL ESTATE JSC") == "orlan reale state jsc"
    assert shift_reading("ORLAN KASPER JSC") is None  # no form word to put back
    for cls in ("org", "any"):
        assert query_alternatives("ORLAN REAL ESTATE JSC", cls)[0] == "ORLAN REAL ESTATE JSC"
        assert "orlan reale state jsc" in query_alternatives("ORLAN REAL ESTATE JSC", cls)
    # a person's name is never read so
    assert query_alternatives("REAL ESTATE", "person") == ["REAL ESTATE"]
