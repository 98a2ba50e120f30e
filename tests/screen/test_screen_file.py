"""Screening a customer file: order, shapes, thresholds, bad rows and atomic output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import discreet.screen
from discreet.errors import ConfigError, ParseError
from discreet.match import DEFAULT_THRESHOLD, Matcher
from discreet.model import Entity, Name
from discreet.screen import InputRow, RowError, read_rows, screen_file, screen_rows

KEYS = {"id", "caption", "schema", "score", "datasets", "explanation"}


def entity(ident: str, schema: str, *names: str) -> Entity:
    return Entity(id=ident, schema=schema, source="test_list",
                  names=[Name(n, "primary" if i == 0 else "alias") for i, n in enumerate(names)])


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.from_entities([
        entity("p-ivan", "Person", "Ivan Petrov", "Иван Петров"),
        entity("p-maria", "Person", "Maria Ivanova"),
        entity("c-acme", "Company", "Acme Trading LLC"),
        entity("v-star", "Vessel", "Sea Star"),
    ])


def write(path: Path, text: str, bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_exports() -> None:
    assert sorted(discreet.screen.__all__) == discreet.screen.__all__
    for name in discreet.screen.__all__:
        assert getattr(discreet.screen, name) is not None


def test_screen_rows_keeps_order_and_shapes(matcher: Matcher) -> None:
    rows = [{"id": "a", "name": "Zebulon Quackenbush"}, {"id": "b", "name": "Ivan Petrov"},
            {"id": "c", "name": "Acme Trading LLC", "schema": "company"}]
    out = list(screen_rows(matcher, rows))
    assert [o["id"] for o in out] == ["a", "b", "c"]
    assert out[0]["matches"] == []
    assert out[1]["matches"][0]["id"] == "p-ivan"
    assert out[2]["matches"][0]["id"] == "c-acme"
    for record in out[1:]:
        assert list(record) == ["id", "matches"]
        assert set(record["matches"][0]) == KEYS
        assert record["matches"][0]["score"] >= DEFAULT_THRESHOLD
        assert record["matches"][0]["datasets"] == ["test_list"]


def test_threshold_zero_reports_weak_matches(matcher: Matcher) -> None:
    rows = [{"id": "x", "name": "Petrov Trading"}]
    assert next(screen_rows(matcher, rows))["matches"] == []
    weak = next(screen_rows(matcher, rows, threshold=0))["matches"]
    assert weak[0]["id"] == "p-ivan"
    assert 0 < weak[0]["score"] < DEFAULT_THRESHOLD


def test_threshold_zero_fills_the_limit_whatever_the_score(matcher: Matcher) -> None:
    """The Matcher contract: threshold 0 returns the best ``limit`` entities, even those
    sharing no word with the query (the index holds 4 entities, so 3 must come back)."""
    out = next(screen_rows(matcher, [{"id": "x", "name": "Ivan Petrov"}], threshold=0,
                           limit=3))
    scores = [m["score"] for m in out["matches"]]
    assert out["matches"][0]["id"] == "p-ivan"
    assert scores == sorted(scores, reverse=True)
    assert len(scores) == 3


def test_screen_rows_is_lazy(matcher: Matcher) -> None:
    def rows() -> Any:
        yield {"id": "1", "name": "Ivan Petrov"}
        raise AssertionError("read past the first row")

    assert next(screen_rows(matcher, rows()))["id"] == "1"


def test_bad_rows_are_written_with_an_error(matcher: Matcher) -> None:
    rows = [InputRow(2, "n1", ""), InputRow.from_mapping({"id": "n2", "name": "X",
                                                          "schema": "Spaceship"}, 3)]
    out = list(screen_rows(matcher, rows))
    assert out[0] == {"id": "n1", "matches": [], "error": "the row has no name"}
    assert out[1]["matches"] == [] and "unknown schema 'Spaceship'" in out[1]["error"]


@pytest.mark.parametrize(("threshold", "limit"), [(1.5, 5), (-0.1, 5), (None, 0)])
def test_bad_options_refused(matcher: Matcher, threshold: float | None, limit: int) -> None:
    with pytest.raises(ConfigError):
        next(screen_rows(matcher, [{"id": "1", "name": "a"}], threshold, limit))


def test_read_rows_columns_lines_and_blanks(tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", 'ID, Name ,schema,birth_date,country,notes\n'
                 'a,Ivan  Petrov,Person,1970-03-15,ru;by,x\n\n'
                 'b,"Acme\nTrading",Company,,,\nc,Solo\n', bom=True)
    rows = list(read_rows(path))
    assert rows[0] == InputRow(2, "a", "Ivan Petrov", "Person", "1970-03-15", ("ru", "by"))
    assert (rows[1].line, rows[1].name, rows[1].schema) == (4, "Acme Trading", "Company")
    assert (rows[2].line, rows[2].id, rows[2].name, rows[2].schema) == (6, "c", "Solo", None)


def test_screen_file_end_to_end(matcher: Matcher, tmp_path: Path) -> None:
    src = write(tmp_path / "customers.csv", "id,name,schema\nc1,Ivan Petrov,Person\n"
                "c2,,Person\nc3,Acme Trading LLC,Company\nc4,Zebulon Quackenbush,Person\n",
                bom=True)
    out = tmp_path / "alerts.jsonl"
    seen: list[RowError] = []
    summary = screen_file(matcher, src, out, on_error=seen.append)
    records = lines(out)
    assert [r["id"] for r in records] == ["c1", "c2", "c3", "c4"]
    assert [bool(r["matches"]) for r in records] == [True, False, True, False]
    assert records[1]["error"] == "the row has no name"
    assert seen == [RowError(3, "c2", "the row has no name")]
    assert (summary.rows, summary.alerts, summary.rejected) == (4, 2, 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alerts.jsonl", "customers.csv"]


def test_failed_run_leaves_the_old_output(matcher: Matcher, tmp_path: Path) -> None:
    out = write(tmp_path / "alerts.jsonl", "previous\n")
    bad = write(tmp_path / "bad.csv", "identifier,full_name\n1,Ivan\n")
    with pytest.raises(ParseError, match="no name column"):
        screen_file(matcher, bad, out)
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alerts.jsonl", "bad.csv"]


def test_both_outputs_read_rows_alike(matcher: Matcher, tmp_path: Path) -> None:
    """The streaming path reads as the bulk path does: Windows-1252 text, a semicolon
    delimiter, an unclosed quote that would hide the rows after it."""
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("id;name\n1;Maria Iv\xe1nova\n2;\"Broken\n3;Ivan Petrov\n"
                       .encode("cp1252"))
    seen: list[RowError] = []
    summary = screen_file(matcher, latin1, tmp_path / "out.jsonl", on_error=seen.append)
    records = lines(tmp_path / "out.jsonl")
    assert [r["id"] for r in records] == ["1", "2", "3"]
    assert records[0]["matches"][0]["id"] == "p-maria"
    assert records[2]["matches"][0]["id"] == "p-ivan"
    assert [(e.line, "never closed" in e.message) for e in seen] == [(3, True)]
    assert (summary.rows, summary.rejected) == (3, 1)


def test_missing_input_is_a_parse_error(matcher: Matcher, tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot read"):
        screen_file(matcher, tmp_path / "nope.csv", tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def test_date_order_is_applied_where_rows_are_read() -> None:
    """A file-level date order turns an ambiguous date into the one date it settles; without
    one the date is kept as written (the matcher compares both readings)."""
    data = {"id": "d1", "name": "Maria Ivanova", "birth_date": " 04/05/1981 "}
    assert InputRow.from_mapping(data, 2).birth_date == "04/05/1981"
    assert InputRow.from_mapping(data, 2, "DMY").birth_date == "1981-05-04"
    assert InputRow.from_mapping(data, 2, "MDY").birth_date == "1981-04-05"
    assert InputRow.from_mapping({**data, "birth_date": "soon"}, 2, "DMY").birth_date == "soon"
    assert InputRow.from_mapping({**data, "birth_date": ""}, 2, "DMY").birth_date is None


def test_unreadable_birth_date_screens_with_a_warning(matcher: Matcher, tmp_path: Path) -> None:
    src = write(tmp_path / "c.csv", "id,name,birth_date\nw1,Ivan Petrov,1971-02-30\n"
                "w2,Ivan Petrov,30/01/1971\n")
    errors: list[RowError] = []
    seen: list[RowError] = []
    summary = screen_file(matcher, src, tmp_path / "o.jsonl", on_error=errors.append,
                          on_warning=seen.append)
    records = lines(tmp_path / "o.jsonl")
    assert records[0]["matches"][0]["id"] == "p-ivan" and "1971-02-30" in records[0]["warning"]
    assert "warning" not in records[1]
    assert [e.line for e in seen] == [2] and errors == []  # on_error: rejected rows only
    assert (summary.rejected, summary.unread_dates) == (0, 1)


def test_read_rows_sniffs_delimiter_and_rejects_extra_values(tmp_path: Path) -> None:
    """The library's read_rows is read_records: delimiter from the header, an unclosed
    quote and more values than columns rejected by line (the id still labels the row)."""
    text = "ID;Name;Country\n1;Anna;de\n2;Petrov; Ivan;ru\n3;\"Olga;x\n4;Li;cn\n"
    rows = list(read_rows(write(tmp_path / "in.csv", text)))
    assert [(r.line, r.id, r.name, r.error is None) for r in rows] == [
        (2, "1", "Anna", True), (3, "2", "Petrov", False), (4, "3", "", False),
        (5, "4", "Li", True)]
    assert rows[1].error is not None and "4 values for 3 columns" in rows[1].error
    assert rows[2].error is not None and "never closed" in rows[2].error
