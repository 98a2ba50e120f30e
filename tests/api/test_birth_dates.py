"""POST /match with birth dates written as callers write them (text/dates.py), in process."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Keys
from tests.api.test_match import call


def _yanukovych(url: str, key: str, born: str, **params: Any) -> dict[str, Any]:
    """The top result for Viktor Yanukovych (listed born 1950-07-09) with ``born``."""
    query = {"schema": "Person", "properties": {"name": ["Viktor Yanukovych"],
                                                "birthDate": [born]}}
    status, data = call(url, key, "/match/default", {"queries": {"q": query}}, cutoff=0.0,
                        **params)
    assert status == 200, data
    top: dict[str, Any] = data["responses"]["q"]["results"][0]
    assert top["id"] == "ofac-4"
    return top


@pytest.mark.parametrize("born", ["1950-07-09", "09/07/1950", "07/09/1950", "09.07.1950",
                                  "9 Jul 1950", "July 9, 1950", "9 juillet 1950",
                                  "9 июля 1950", "1950-07-09T00:00:00Z", "18453"])
def test_written_forms_of_the_listed_day(small_store: tuple[str, Keys], born: str) -> None:
    url, keys = small_store
    top = _yanukovych(url, keys.screen, born)
    assert "dob_exact" in top["explanations"], top["explanations"]


def test_unreadable_date_is_no_evidence(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store
    plain = _yanukovych(url, keys.screen, "1950")["explanations"]["name"]["score"]
    for born in ("not a date", "1950-13-09", "31/02/1950"):
        top = _yanukovych(url, keys.screen, born)
        assert "dob_mismatch" not in top["explanations"]
        assert "could not be read" in top["explanations"]["dob_unreadable"]["detail"]
        assert top["explanations"]["dob_unreadable"]["score"] == 0
        assert top["explanations"]["name"]["score"] == plain


def test_date_order_parameter(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store
    day_first = _yanukovych(url, keys.screen, "09/07/1950", date_order="DMY")
    month_first = _yanukovych(url, keys.screen, "09/07/1950", date_order="MDY")
    assert "dob_exact" in day_first["explanations"]
    assert "dob_near" in month_first["explanations"]  # 7 September: day and month swapped
    assert month_first["score"] < day_first["score"]
    status, _ = call(url, keys.screen, "/match/default", {"queries": {}}, date_order="DDMMYY")
    assert status == 422
