"""Country normalisation and blank markers: one reading for lists, customer files and queries."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import discreet
from discreet.match.query import Query
from discreet.text.cells import NULLS, clean
from discreet.text.countries import countries_in, country_code, country_codes

PACKAGE = Path(discreet.__file__).resolve().parent


@pytest.mark.parametrize(("text", "code"), [
    ("Iran", "ir"), ("Iran (Islamic Republic of)", "ir"), ("RUSSIA", "ru"),
    ("Russian Federation", "ru"), ("German", "de"), ("Moroccan", "ma"), ("GB", "gb"),
    ("gb", "gb"), ("  United   Kingdom ", "gb"), ("Kosovo", "xk"), ("XK", "xk"),
    ("Democratic People's Republic of Korea", "kp"), ("Syrian Arab Republic", "sy"),
])
def test_names_demonyms_and_codes_read_as_iso(text: str, code: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize("text", [None, "", "   ", "Atlantis Prime Zzq", "Qxzv Wqjk"])
def test_unknown_is_none(text: str | None) -> None:
    assert country_code(text) is None


@pytest.mark.parametrize("marker", sorted(NULLS))
def test_blank_markers_are_never_a_country(marker: str) -> None:
    # "-" and "none" would otherwise fuzzy-match France and Italy, "na" Namibia.
    for written in (marker, marker.upper(), f"  {marker} "):
        assert clean(written) is None
        assert country_code(written) is None
        assert country_codes(written) == []
        assert countries_in(written) == []


def test_clean_collapses_whitespace_and_keeps_text() -> None:
    assert clean(" Al\tQaida \n Network ") == "Al Qaida Network"
    assert clean("0") == "0"
    assert clean(None) is None


def test_free_text_lists_split_and_deduplicate() -> None:
    assert country_codes("(1) German (2) Moroccan") == ["de", "ma"]
    assert country_codes("Iraq; Syria; Iraq") == ["iq", "sy"]
    assert country_codes("UK|US") == ["gb", "us"]


def test_a_noted_country_field_reads_the_country() -> None:
    assert countries_in("Iraq (as at 2003)") == ["iq"]
    assert countries_in("Iraq") == ["iq"]
    assert countries_in("Syria, Lebanon") == ["sy", "lb"]


def test_queries_read_countries_as_the_lists_do() -> None:
    query = Query("x", countries=("Russian Federation", "German", "n/a", "RU", "nowhere zzq"))
    assert query.country_codes() == ("de", "ru")


def _imports(folder: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(path.relative_to(PACKAGE))] = names
    return found


@pytest.mark.parametrize("folder", ["text", "match"])
def test_text_and_match_never_import_the_parsers(folder: str) -> None:
    """Data flows one way: sources/ reads text/, match/ reads text/; neither reaches back."""
    upstream = {path: sorted(n for n in names if n.startswith("discreet.sources"))
                for path, names in _imports(PACKAGE / folder).items()}
    assert {p: n for p, n in upstream.items() if n} == {}
