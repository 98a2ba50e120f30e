"""Birth dates as people write them: every common form, ambiguity, and what is no date."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.text.dates import (
    MONTHS,
    check_order,
    excel_serial,
    normalize_date,
    parse_date,
)


@pytest.mark.parametrize(("text", "readings"), [
    ("1965-09-11", ("1965-09-11",)),
    ("1965/09/11", ("1965-09-11",)),
    ("19650911", ("1965-09-11",)),
    ("1965-09-11T00:00:00", ("1965-09-11",)),
    ("1965-09-11 00:00:00+02:00", ("1965-09-11",)),
    ("11/09/1965", ("1965-09-11", "1965-11-09")),  # day first, then month first
    ("11.09.1965", ("1965-09-11", "1965-11-09")),
    ("11-09-1965", ("1965-09-11", "1965-11-09")),
    ("23/04/1971", ("1971-04-23",)),  # 23 cannot be a month: one reading
    ("04/23/1971", ("1971-04-23",)),
    ("3 Aug 1944", ("1944-08-03",)),
    ("3 August 1944", ("1944-08-03",)),
    ("August 3, 1944", ("1944-08-03",)),
    ("Aug. 3rd 1944", ("1944-08-03",)),
    ("3rd of August 1944", ("1944-08-03",)),
    ("3 août 1944", ("1944-08-03",)),
    ("1er mars 1944", ("1944-03-01",)),
    ("3 de agosto de 1944", ("1944-08-03",)),
    ("3. August 1944", ("1944-08-03",)),
    ("3. März 1944", ("1944-03-03",)),
    ("3 августа 1944 г.", ("1944-08-03",)),
    ("3 марта 1944", ("1944-03-03",)),
    ("3 agosto 1944", ("1944-08-03",)),
    ("3.VIII.1944", ("1944-08-03",)),
    ("1944", ("1944",)),
    ("circa 1944", ("1944",)),
    ("08/1944", ("1944-08",)),
    ("1944-08", ("1944-08",)),
    ("Aug 1944", ("1944-08",)),
    ("агуст 1944", ()),  # misspelt: no month
    ("16287", ("1944-08-03",)),  # an Excel serial
    ("16287.0", ("1944-08-03",)),
    ("3/8/44", ("1944-08-03", "1944-03-08")),  # two-digit year: 2044 is in the future
])
def test_forms(text: str, readings: tuple[str, ...]) -> None:
    assert parse_date(text).readings == readings


@pytest.mark.parametrize(("text", "cause"), [
    ("1971-13-02", "no month 13"),
    ("1971-02-29", "day 29 does not exist"),  # not a leap year
    ("31/04/1971", "does not exist"),
    ("next friday", "'next' is not a month"),
    ("unknown", "'unknown' is not a month"),
    ("", "empty"),
    ("1700", "out of range"),
    ("4000-01-01", "out of range"),
    ("12/03", "without a year"),
    ("99999999", "no date"),
    ("123", "not a date"),
])
def test_unreadable_dates_say_why(text: str, cause: str) -> None:
    written = parse_date(text)
    assert written.readings == () and cause in (written.problem or "")


def test_leap_day_is_a_date() -> None:
    assert parse_date("29.02.1972").readings == ("1972-02-29",)


def test_date_order_settles_ambiguity() -> None:
    assert parse_date("05/06/1980", "DMY").readings == ("1980-06-05",)
    assert parse_date("05/06/1980", "MDY").readings == ("1980-05-06",)
    # the order yields when its reading is no date but the other is
    assert parse_date("05/26/1980", "DMY").readings == ("1980-05-26",)
    assert parse_date("80/06/05", "YMD").readings == ("1980-06-05",)
    assert parse_date("1980-06-05", "MDY").readings == ("1980-06-05",)


def test_normalize_keeps_the_text_unless_an_order_settles_it() -> None:
    assert normalize_date("  05/06/1980 ") == "05/06/1980"
    assert normalize_date("05/06/1980", "MDY") == "1980-05-06"
    assert normalize_date("6 May 1980", "DMY") == "1980-05-06"
    assert normalize_date("garbage", "DMY") == "garbage"
    assert normalize_date("   ") is None and normalize_date(None) is None


def test_check_order() -> None:
    assert check_order("dmy") == "DMY" and check_order(None) is None and check_order(" ") is None
    with pytest.raises(ValueError, match="DMY, MDY, YMD"):
        check_order("DYM")


def test_excel_serials() -> None:
    assert excel_serial(1) == "1899-12-31"  # Excel counts a 29 February 1900 that never was
    assert excel_serial(25569) == "1970-01-01"
    assert excel_serial(25569.5) is None
    assert excel_serial(10**9) is None


def test_month_words_mean_one_month_each() -> None:
    assert MONTHS["sept"] == MONTHS["septiembre"] == MONTHS["сентября"] == 9
    assert MONTHS["mai"] == MONTHS["май".replace("й", "и")] == 5  # compared without accents


def test_describe_and_ambiguity() -> None:
    written = parse_date("02/03/1990")
    assert written.ambiguous
    assert written.describe("1990-03-02") == "02/03/1990 (read as 1990-03-02)"
    assert parse_date("1990-03-02").describe("1990-03-02") == "1990-03-02"


@pytest.mark.parametrize("text", [
    "1 Jan " + "9" * 5000,  # beyond Python's int-string limit: once a ValueError
    "Jan " + "1" * 5000 + " 7", "9" * 5000, "1/2/" + "9" * 5000, "٠" * 5000 + " Oct 7",
    "12 October 00001952", "7 Oct 19521",
])
def test_long_digit_runs_are_no_date_and_never_raise(text: str) -> None:
    written = parse_date(text)
    assert written.readings == () and written.problem


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
       | st.lists(st.sampled_from(["1", "07", "1952", "Jan", "oct", "/", "-", " ", ".", ",",
                                   "9" * 9, "9" * 4301, "²", "٣", "T10:00", "Z"]),
                  max_size=8).map("".join),
       st.sampled_from([None, "DMY", "MDY", "YMD"]))
def test_parse_date_never_raises(text: str, order: str | None) -> None:
    """Any text, in any order: a reading or a problem, never an exception."""
    written = parse_date(text, order)
    assert bool(written.readings) != bool(written.problem)
    assert all(len(r) in (4, 7, 10) for r in written.readings)
