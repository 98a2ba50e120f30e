"""Loading files end to end: refusals of what is not a list, and the store left untouched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from discreet.errors import ParseError, UnknownFormatError, UnsafeInputError
from discreet.lists.load import load_file
from discreet.store import Store

UN_MINI = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-01-02T00:00:00Z">
<INDIVIDUALS>
<INDIVIDUAL><DATAID>100</DATAID><VERSIONNUM>1</VERSIONNUM><FIRST_NAME>ABDUL</FIRST_NAME>
<SECOND_NAME>HAQ</SECOND_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
<REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER><LISTED_ON>2001-01-25</LISTED_ON>
<NATIONALITY><VALUE>Afghanistan</VALUE></NATIONALITY></INDIVIDUAL>
<INDIVIDUAL><DATAID>101</DATAID><VERSIONNUM>1</VERSIONNUM><FIRST_NAME>JOHN</FIRST_NAME>
<SECOND_NAME>DOE</SECOND_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
<REFERENCE_NUMBER>KPi.001</REFERENCE_NUMBER><LISTED_ON>2016-03-02</LISTED_ON>
</INDIVIDUAL>
</INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<CONSOLIDATED_LIST dateGenerated="2026-01-03T00:00:00Z"><INDIVIDUALS><INDIVIDUAL>
<DATAID>1</DATAID><FIRST_NAME>&xxe;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS>
</CONSOLIDATED_LIST>
"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>
<FIRST_NAME>&lol3;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>
"""

S3_ERROR = """<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>
<Key>sdn.xml</Key></Error>"""


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


@pytest.fixture
def loaded(store: Store, tmp_path: Path) -> Store:
    good = tmp_path / "consolidated.xml"
    good.write_text(UN_MINI, encoding="utf-8")
    result = load_file(store, good)
    assert (result.source, result.version, result.entities) == ("un_sc_sanctions", 1, 2)
    return store


def _refused(store: Store, path: Path, error: type[Exception], match: str) -> None:
    before = [(v.source, v.version, v.entities) for v in store.versions()]
    with pytest.raises(error, match=match):
        load_file(store, path)
    assert [(v.source, v.version, v.entities) for v in store.versions()] == before
    assert len(list(store.entities("un_sc_sanctions"))) == 2


def test_empty_file_is_refused(loaded: Store, tmp_path: Path) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_bytes(b"")
    _refused(loaded, path, UnknownFormatError, "empty")


def test_error_page_is_refused(loaded: Store, tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_text(S3_ERROR)
    _refused(loaded, path, UnknownFormatError, r"error response \(NoSuchKey")


def test_html_page_is_refused(loaded: Store, tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_text("<!doctype html><html><body>Service unavailable</body></html>")
    _refused(loaded, path, UnknownFormatError, "HTML page")


def test_truncated_xml_is_refused_with_line(loaded: Store, tmp_path: Path) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_text(UN_MINI[: UN_MINI.index("<INDIVIDUAL><DATAID>101") + 40])
    _refused(loaded, path, ParseError, r"consolidated\.xml, line \d+")


@pytest.mark.parametrize("body", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_hostile_xml_is_refused(loaded: Store, tmp_path: Path, body: str) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_text(body)
    _refused(loaded, path, UnsafeInputError, "XXE or entity-expansion")


def test_missing_file_names_the_path(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="no such file"):
        load_file(store, tmp_path / "nope.xml")
