"""Birth dates as people write them, read into the ISO prefixes the lists use.

Customers' files, forms and API callers write a date in many ways: ``1952-10-07``,
``07/10/1952``, ``07.10.1952``, ``7 Oct 1952``, ``October 7, 1952``, ``7 octobre 1952``,
``7 октября 1952``, ``10/1952``, ``1952``, an Excel serial number (``19274``). This module
is the one place that reads them (the CLI, the API, the customer-file readers and Spark all
come here), so a date means the same everywhere.

A written date becomes a :class:`WrittenDate`: its *readings*, each an ISO prefix as precise
as what was written (``1952-10-07``, ``1952-10`` or ``1952``). ``07/10/1952`` is ambiguous
(7 October, or July 10) and has both readings unless a date order (``DMY``, ``MDY``,
``YMD``) says which one is meant; the matcher then compares each. A text that is no date, or
an impossible one (``1968-13-30``), has no reading and says why: it is no evidence, never a
contradiction.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

__all__ = ["DATE_ORDERS", "WrittenDate", "check_order", "excel_serial", "normalize_date",
           "parse_date"]

DATE_ORDERS: Final = ("DMY", "MDY", "YMD")
EARLIEST_YEAR: Final = 1800  # no one screened today was born before
_EXCEL_EPOCH: Final = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's leap-year bug)

# Month names and abbreviations of the languages the lists' countries write in, compared
# without case or accents (so "Février", "fevrier" and "FEV" are one). Russian has its
# nominative and its genitive ("7 октября").
_MONTH_WORDS: Final = (
    # English
    ("january jan", 1), ("february feb", 2), ("march mar", 3), ("april apr", 4),
    ("may", 5), ("june jun", 6), ("july jul", 7), ("august aug", 8),
    ("september sep sept", 9), ("october oct", 10), ("november nov", 11),
    ("december dec", 12),
    # French
    ("janvier janv", 1), ("fevrier fevr fev", 2), ("mars", 3), ("avril avr", 4),
    ("mai", 5), ("juin", 6), ("juillet juil", 7), ("aout", 8), ("septembre", 9),
    ("octobre", 10), ("novembre", 11), ("decembre", 12),
    # Spanish
    ("enero ene", 1), ("febrero", 2), ("marzo", 3), ("abril abr", 4), ("mayo", 5),
    ("junio", 6), ("julio", 7), ("agosto ago", 8), ("septiembre setiembre set", 9),
    ("octubre", 10), ("noviembre", 11), ("diciembre dic", 12),
    # German
    ("januar janner", 1), ("februar", 2), ("marz maerz", 3), ("juni", 6), ("juli", 7),
    ("oktober okt", 10), ("dezember dez", 12),
    # Portuguese and Italian
    ("janeiro", 1), ("fevereiro", 2), ("marco", 3), ("maio", 5), ("junho", 6),
    ("julho", 7), ("setembro", 9), ("outubro", 10), ("dezembro", 12),
    ("gennaio", 1), ("febbraio", 2), ("aprile", 4), ("maggio", 5), ("giugno", 6),
    ("luglio", 7), ("settembre", 9), ("ottobre", 10), ("dicembre", 12),
    # Russian
    ("январь января янв", 1), ("февраль февраля фев", 2), ("март марта мар", 3),
    ("апрель апреля апр", 4), ("май мая", 5), ("июнь июня июн", 6), ("июль июля июл", 7),
    ("август августа авг", 8), ("сентябрь сентября сен сент", 9),
    ("октябрь октября окт", 10), ("ноябрь ноября ноя нояб", 11),
    ("декабрь декабря дек", 12),
    # Roman numerals, as in 7.X.1952
    ("i", 1), ("ii", 2), ("iii", 3), ("iv", 4), ("v", 5), ("vi", 6), ("vii", 7),
    ("viii", 8), ("ix", 9), ("x", 10), ("xi", 11), ("xii", 12),
)
# Words around a date that carry nothing: "7th of October", "7 de octubre de 1952",
# "le 7 octobre", "am 7. Oktober", "7 октября 1952 г.", "1er".
_FILLER: Final = frozenset({"st", "nd", "rd", "th", "of", "the", "de", "del", "le", "er",
                            "am", "den", "el", "di", "do", "da", "г", "года", "год", "born",
                            "on", "circa", "ca", "c", "about", "approx", "approximately",
                            "environ", "env", "около", "примерно"})
_TIME: Final = re.compile(r"[t ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(z|[+-]\d{2}:?\d{2})?$")
_TOKENS: Final = re.compile(r"\d+|[^\W\d_]+")
_SERIAL: Final = re.compile(r"^\d{5}(\.0+)?$")


def _fold(text: str) -> str:
    """Lower case without accents: month names compare as people type them."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for words, month in _MONTH_WORDS:
        for word in words.split():
            key = _fold(word)
            if table.setdefault(key, month) != month:
                raise ValueError(f"month word {word!r} means two months")
    return table


MONTHS: Final = _month_table()


@dataclass(frozen=True, slots=True)
class WrittenDate:
    """A date as written, with what it can mean.

    ``readings``: ISO prefixes (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``), the likeliest
    first; two or more when the text is ambiguous (``07/10/1952``); none when it cannot be
    read, and then ``problem`` says why.
    """

    text: str
    readings: tuple[str, ...]
    problem: str | None = None

    @property
    def ambiguous(self) -> bool:
        return len(self.readings) > 1

    def describe(self, reading: str) -> str:
        """How the text was understood, for explanations: ``07/10/1952 (read as
        1952-10-07)``; the text alone when it is the reading."""
        return self.text if self.text == reading else f"{self.text} (read as {reading})"


def check_order(order: str | None) -> str | None:
    """A date order in any case (``dmy``), or None; ValueError names the choices."""
    if order is None or not order.strip():
        return None
    value = order.strip().upper()
    if value not in DATE_ORDERS:
        raise ValueError(f"unknown date order {order!r}; use one of {', '.join(DATE_ORDERS)}")
    return value


def excel_serial(serial: float) -> str | None:
    """An Excel date serial number (days since 1899-12-30) as an ISO date; None when it is
    not a plausible birth date."""
    if serial != int(serial):
        return None
    try:
        day = _EXCEL_EPOCH + dt.timedelta(days=int(serial))
    except OverflowError:
        return None
    return day.isoformat() if EARLIEST_YEAR <= day.year <= _last_year() else None


def _last_year() -> int:
    return dt.date.today().year + 1


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """The ISO prefix of a real calendar date (None when impossible or implausible)."""
    if not EARLIEST_YEAR <= year <= _last_year():
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _why(year: int, month: int | None, day: int | None) -> str:
    """Why a (year, month, day) is no date, in words."""
    if not EARLIEST_YEAR <= year <= _last_year():
        return f"year {year} is out of range"
    if month is not None and not 1 <= month <= 12:
        return f"there is no month {month}"
    return f"day {day} does not exist in {year:04d}-{month or 0:02d}"


_MAX_DIGITS_PART: Final = 4  # a year is at most four digits, a day or a month two
_MAX_DIGITS: Final = 8  # YYYYMMDD: no date is written as a longer run of digits


def _years(text: str) -> list[int]:
    """A written year; two digits mean 19xx, or 20xx too when that is not in the future."""
    if len(text) > _MAX_DIGITS_PART:  # no year: and int() refuses very long digit runs
        return []
    value = int(text)
    if len(text) > 2:
        return [value]
    recent = 2000 + value
    return [1900 + value, recent] if recent <= dt.date.today().year else [1900 + value]


def _triples(parts: list[str], order: str | None
             ) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    """(year, month, day) candidates of three numbers: those the order (or the most common
    order, day first) gives, and the others, which count only when the first are no date."""
    a, b, c = parts
    if len(a) >= 3:  # 1952-10-07, 1952/10/07
        return [(int(a), int(b), int(c))], []
    if order == "YMD":
        return [(y, int(b), int(c)) for y in _years(a)], []
    day_first = [(y, int(b), int(a)) for y in _years(c)]
    month_first = [(y, int(a), int(b)) for y in _years(c)]
    if order == "MDY":
        return month_first, day_first
    if order == "DMY":
        return day_first, month_first
    return day_first + month_first, []


def _from_numbers(parts: list[str], order: str | None) -> tuple[list[str], str]:
    """Readings of a date written in numbers only, and the cause when there is none."""
    if len(parts) == 1:
        return _one_number(parts[0])
    if len(parts) == 2:
        a, b = parts
        if len(a) == 4 and len(b) <= 2:
            year, month = int(a), int(b)
        elif len(b) == 4 and len(a) <= 2:
            year, month = int(b), int(a)
        elif len(a) + len(b) <= 4:
            return [], "a day and a month without a year"
        else:
            return [], "not a date"
        found = _iso(year, month)
        return ([found], "") if found else ([], _why(year, month, None))
    if len(parts) != 3 or any(len(p) > 4 for p in parts):
        return [], "not a date"
    first, fallback = _triples(parts, order)
    readings = [r for r in (_iso(*t) for t in first) if r] \
        or [r for r in (_iso(*t) for t in fallback) if r]
    return list(dict.fromkeys(readings)), "" if readings else _why(*first[0])


def _one_number(digits: str) -> tuple[list[str], str]:
    """A run of digits: a year, YYYYMMDD (or DDMMYYYY), or an Excel serial."""
    if len(digits) == 4:
        found = _iso(int(digits))
        return ([found], "") if found else ([], _why(int(digits), None, None))
    if len(digits) == 8:
        for year, month, day in ((digits[:4], digits[4:6], digits[6:]),
                                 (digits[4:], digits[2:4], digits[:2])):
            found = _iso(int(year), int(month), int(day))
            if found:
                return [found], ""
        return [], "eight digits that are no date (YYYYMMDD)"
    if len(digits) == 5:
        found = excel_serial(int(digits))
        return ([found], "") if found else ([], "a serial number out of range")
    return [], "not a date"


def _from_words(tokens: list[str]) -> tuple[list[str], str]:
    """Readings of a date with a month name: 7 Oct 1952, October 7, 1952, Oct 1952."""
    months = [MONTHS[t] for t in tokens if not t.isdigit() and t in MONTHS]
    words = [t for t in tokens if not t.isdigit() and t not in MONTHS]
    numbers = [t for t in tokens if t.isdigit()]
    if words:
        return [], f"{words[0]!r} is not a month"
    if any(len(n) > _MAX_DIGITS_PART for n in numbers):
        return [], "a number of more than four digits beside a month name"
    if len(months) != 1:
        return [], "no month" if not months else "two months"
    years = [n for n in numbers if len(n) == 4]
    days = [n for n in numbers if len(n) <= 2]
    month = months[0]
    if len(numbers) == 1 and len(years) == 1:
        found = _iso(int(years[0]), month)
        return ([found], "") if found else ([], _why(int(years[0]), month, None))
    if len(numbers) != 2 or len(days) == 0:
        return [], "a month name needs a year, and at most a day"
    if len(years) == 1:
        year, day = int(years[0]), int(days[0])
        found = _iso(year, month, day)
        return ([found], "") if found else ([], _why(year, month, day))
    day_text, year_text = (numbers if tokens.index(numbers[0]) < tokens.index(numbers[1])
                           else numbers[::-1])
    readings = [r for r in (_iso(y, month, int(day_text)) for y in _years(year_text)) if r]
    return readings, "" if readings else f"day {day_text} does not exist"


@lru_cache(maxsize=4096)
def parse_date(text: str, order: str | None = None) -> WrittenDate:
    """Read a written date; ``order`` (``DMY``, ``MDY``, ``YMD``) settles ``07/10/1952``.

    Never raises: an unreadable text has no reading and a ``problem``.
    """
    shown = " ".join(str(text).split())
    folded = _fold(shown).strip(" ,")
    folded = _TIME.sub("", folded).strip()
    if not folded:
        return WrittenDate(shown, (), "it is empty")
    if _SERIAL.match(folded):
        found = excel_serial(float(folded))
        return WrittenDate(shown, (found,) if found else (), None if found else
                           "a number that is no date (not a year, nor an Excel date serial)")
    tokens = [t for t in _TOKENS.findall(folded) if t not in _FILLER]
    if any(t.isdigit() and len(t) > _MAX_DIGITS for t in tokens):
        return WrittenDate(shown, (), f"a number of more than {_MAX_DIGITS} digits")
    if tokens and all(t.isdigit() for t in tokens):
        readings, problem = _from_numbers([t for t in tokens if t.isdigit()], order)
    else:
        readings, problem = _from_words(tokens)
    return WrittenDate(shown, tuple(readings), None if readings else problem or "not a date")


def normalize_date(text: str | None, order: str | None = None) -> str | None:
    """What a query carries: with a date ``order``, the one ISO reading it settles; else the
    text as written (the matcher reads it, and compares every reading). Blank: None."""
    if text is None or not str(text).strip():
        return None
    shown = " ".join(str(text).split())
    if order is None:
        return shown
    written = parse_date(shown, order)
    return written.readings[0] if len(written.readings) == 1 else shown
