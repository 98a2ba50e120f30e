"""Screening a customer file: order, shapes, thresholds, bad rows and atomic output; one
pipeline and one summary whether the alerts go to a file or to standard output."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

import discreet.screen
from discreet.errors import ConfigError, ParseError
from discreet.match import DEFAULT_THRESHOLD, Matcher
from discreet.model import Entity, Name
from discreet.screen import (
    Record,
    RunSummary,
    read_records,
    record_query,
    screen_bulk,
    screen_file,
    screen_rows,
)
from discreet.screen.bulk import BulkOptions
from discreet.screen.writers import convert_alerts

KEYS = {"id", "caption", "schema", "score", "datasets", "topics", "explanation"}


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
    rows = [Record(2, {"id": "n1"}), Record(3, {"id": "n2", "name": "X",
                                                "schema": "Spaceship"})]
    out = list(screen_rows(matcher, rows))
    assert out[0] == {"id": "n1", "matches": [], "error": "the row has no name"}
    assert out[1]["matches"] == [] and "unknown schema 'Spaceship'" in out[1]["error"]


@pytest.mark.parametrize(("threshold", "limit"), [(1.5, 5), (-0.1, 5), (None, 0)])
def test_bad_options_refused(matcher: Matcher, threshold: float | None, limit: int) -> None:
    with pytest.raises(ConfigError):
        next(screen_rows(matcher, [{"id": "1", "name": "a"}], threshold, limit))


def test_records_columns_lines_and_blanks(tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", 'ID, Name ,schema,birth_date,country,notes\n'
                 'a,Ivan  Petrov,Person,1970-03-15,ru;by,x\n\n'
                 'b,"Acme\nTrading",Company,,,\nc,Solo\n', bom=True)
    records = list(read_records(path))
    queries = [record_query(r)[0] for r in records]
    assert [r.line for r in records] == [2, 4, 6]
    first = queries[0]
    assert first is not None and (first.id, first.name, first.schema, first.birth_date,
                                  tuple(first.countries)) == (
        "a", "Ivan Petrov", "Person", "1970-03-15", ("ru", "by"))
    assert [(q.id, q.name, q.schema) for q in queries if q is not None][1:] == [
        ("b", "Acme Trading", "Company"), ("c", "Solo", None)]


def test_screen_file_end_to_end(matcher: Matcher, tmp_path: Path) -> None:
    src = write(tmp_path / "customers.csv", "id,name,schema\nc1,Ivan Petrov,Person\n"
                "c2,,Person\nc3,Acme Trading LLC,Company\nc4,Zebulon Quackenbush,Person\n",
                bom=True)
    out = tmp_path / "alerts.jsonl"
    summary = screen_file(matcher, src, out, workers=1)
    records = lines(out)
    assert [r["id"] for r in records] == ["c1", "c2", "c3", "c4"]
    assert [bool(r["matches"]) for r in records] == [True, False, True, False]
    assert records[1]["error"] == "the row has no name"
    assert summary.rejects == ["line 3: the row has no name"]
    assert (summary.rows, summary.screened, summary.rows_with_alerts, summary.rejected) == (
        4, 3, 2, 1)
    assert summary.alerts == sum(len(r["matches"]) for r in records)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "alerts.jsonl", "alerts.jsonl.tokens", "customers.csv"]


def test_failed_run_leaves_the_old_output(matcher: Matcher, tmp_path: Path) -> None:
    out = write(tmp_path / "alerts.jsonl", "previous\n")
    bad = write(tmp_path / "bad.csv", "identifier,full_name\n1,Ivan\n")
    with pytest.raises(ParseError, match="no name column"):
        screen_file(matcher, bad, out)
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alerts.jsonl", "bad.csv"]


def test_windows_text_semicolons_and_an_unclosed_quote(matcher: Matcher, tmp_path: Path) -> None:
    """Windows-1252 text, a semicolon delimiter, an unclosed quote that would hide the rows
    after it: read as every customer file is."""
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("id;name\n1;Maria Iv\xe1nova\n2;\"Broken\n3;Ivan Petrov\n"
                       .encode("cp1252"))
    summary = screen_file(matcher, latin1, tmp_path / "out.jsonl", workers=1)
    records = lines(tmp_path / "out.jsonl")
    assert [r["id"] for r in records] == ["1", "2", "3"]
    assert records[0]["matches"][0]["id"] == "p-maria"
    assert records[2]["matches"][0]["id"] == "p-ivan"
    assert len(summary.rejects) == 1 and summary.rejects[0].startswith("line 3: a quote")
    assert (summary.rows, summary.rejected) == (3, 1)


def test_missing_input_is_a_parse_error(matcher: Matcher, tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot read"):
        screen_file(matcher, tmp_path / "nope.csv", tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def test_date_order_is_applied_where_rows_are_read() -> None:
    """A file-level date order turns an ambiguous date into the one date it settles; without
    one the date is kept as written (the matcher compares both readings)."""
    data = {"id": "d1", "name": "Maria Ivanova", "birth_date": " 04/05/1981 "}

    def born(values: dict[str, str], order: str | None = None) -> str | None:
        query = record_query(Record(2, values), order)[0]
        assert query is not None
        return query.birth_date

    assert born(data) == "04/05/1981"
    assert born(data, "DMY") == "1981-05-04"
    assert born(data, "MDY") == "1981-04-05"
    assert born({**data, "birth_date": "soon"}, "DMY") == "soon"
    assert born({**data, "birth_date": ""}, "DMY") is None


def test_unreadable_birth_date_screens_with_a_warning(matcher: Matcher, tmp_path: Path) -> None:
    src = write(tmp_path / "c.csv", "id,name,birth_date\nw1,Ivan Petrov,1971-02-30\n"
                "w2,Ivan Petrov,30/01/1971\n")
    summary = screen_file(matcher, src, tmp_path / "o.jsonl", workers=1)
    records = lines(tmp_path / "o.jsonl")
    assert records[0]["matches"][0]["id"] == "p-ivan" and "1971-02-30" in records[0]["warning"]
    assert "warning" not in records[1]
    assert [w.split(":")[0] for w in summary.warnings] == ["line 2"]
    assert summary.rejects == []  # a row screened without its date is not rejected
    assert (summary.rejected, summary.unread_dates) == (0, 1)


def test_records_sniff_delimiter_and_reject_extra_values(tmp_path: Path) -> None:
    """One reader, one row type: delimiter from the header, an unclosed quote and more
    values than columns rejected by line (the id still labels the row), and a rejected
    record gives no query, only the reason."""
    text = "ID;Name;Country\n1;Anna;de\n2;Petrov; Ivan;ru\n3;\"Olga;x\n4;Li;cn\n"
    rows = list(read_records(write(tmp_path / "in.csv", text)))
    assert [(r.line, r.values.get("id"), r.values.get("name", ""), r.error is None)
            for r in rows] == [(2, "1", "Anna", True), (3, "2", "Petrov", False),
                               (4, "3", "", False), (5, "4", "Li", True)]
    assert rows[1].error is not None and "4 values for 3 columns" in rows[1].error
    assert rows[2].error is not None and "never closed" in rows[2].error
    assert [record_query(r)[1] for r in rows] == [None, rows[1].error, rows[2].error, None]


CUSTOMERS = ("id,name,schema,birth_date,country,branch\n"
             "s1,Ivan Petrov,Person,1970-03-15,ru,north\n"
             "s2,,Person,,,south\n"  # no name: rejected
             "s3,ACME TRADING LLC,Company,,ae,east\n"
             's4,"Maria Ivanova,1981,ru,west\n'  # a quote never closed: rejected
             "s5,Petrov Trading,,,,east\n"
             "s6,Maria Ivanova,,31/02/1981,,north\n"  # no such date: screened, warned
             ",Sea Star,Vessel,,,south\n"  # no id: labelled by its line
             "s8,Zebulon Quackenbush,,,,west\n")


def _alert_rows(records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """(row id, rank, entity id, score, error) of each alert or rejected row, as the CSV
    and Parquet alert tables hold them."""
    out: list[tuple[Any, ...]] = []
    for record in records:
        if "error" in record:
            out.append((record["id"], 0, None, None, record["error"]))
        out.extend((record["id"], rank, m["id"], m["score"], None)
                   for rank, m in enumerate(record["matches"], start=1))
    return out


def _counts(summary: RunSummary) -> dict[str, Any]:
    """A summary without what differs between two runs of one file: time and output."""
    return {k: v for k, v in summary.to_dict().items()
            if k not in ("seconds", "rows_per_second", "output")}


@pytest.mark.parametrize("workers", [1, 2])
def test_standard_output_and_a_file_give_the_same_alerts_and_summary(
        matcher: Matcher, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        workers: int) -> None:
    """One pipeline: a customer file screened to standard output, to a JSON lines file and
    to a CSV alert table gives the same rows, ids, alerts, scores and rejections (in input
    order, also with workers and small batches), and the same summary keys and counts."""
    src = write(tmp_path / "customers.csv", CUSTOMERS)
    options = BulkOptions(threshold=0, limit=3, workers=workers, batch_size=2,
                          keep=("branch",))
    capsys.readouterr()
    piped = screen_bulk(matcher, src, Path("-"), options)
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    to_file = screen_bulk(matcher, src, tmp_path / "alerts.jsonl", options)
    written = lines(tmp_path / "alerts.jsonl")
    assert printed == written
    assert [r["id"] for r in written] == ["s1", "s2", "s3", "s4", "s5", "s6", "8", "s8"]
    assert [r["input"]["branch"] for r in written][:3] == ["north", "south", "east"]
    table = screen_bulk(matcher, src, tmp_path / "alerts.csv",
                        BulkOptions(**{**_options_dict(options), "output_format": "csv"}))
    with (tmp_path / "alerts.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["input_id"], int(r["rank"]), r["entity_id"] or None,
             float(r["score"]) if r["score"] else None, r["error"] or None) for r in rows] == \
        _alert_rows(written)
    assert (rows[0]["input_id"], rows[0]["branch"]) == ("s1", "north")  # --keep columns
    assert _counts(piped) == _counts(to_file) == _counts(table)
    assert (piped.rows, piped.screened, piped.rejected, piped.unread_dates) == (8, 6, 2, 1)
    assert piped.rows_with_alerts == sum(1 for r in written if r["matches"])
    assert piped.alerts == sum(len(r["matches"]) for r in written) > piped.rows_with_alerts
    assert [r.split(":")[0] for r in piped.rejects] == ["line 3", "line 5"]
    assert (piped.output, to_file.output) == ("standard output", str(tmp_path / "alerts.jsonl"))
    assert list(piped.to_dict()) == list(to_file.to_dict())


def _options_dict(options: BulkOptions) -> dict[str, Any]:
    return {name: getattr(options, name) for name in BulkOptions.__slots__}


def test_standard_input_to_a_file_is_streamed(matcher: Matcher, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Customers piped in: the same lines as from the file, written atomically, with no
    checkpoint and no name cache (a pipe cannot be resumed), and a name cache an earlier
    run left beside the output removed (it is not of these alerts)."""
    import io

    src = write(tmp_path / "customers.csv", CUSTOMERS)
    screen_file(matcher, src, tmp_path / "from_file.jsonl", workers=1)
    stale = write(tmp_path / "piped.jsonl.tokens", "left by another run\n")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(CUSTOMERS.encode())))
    summary = screen_file(matcher, Path("-"), tmp_path / "piped.jsonl", workers=2)
    assert (tmp_path / "piped.jsonl").read_text() == (tmp_path / "from_file.jsonl").read_text()
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("piped")) == [
        "piped.jsonl"]
    assert (summary.rows, summary.rejected, summary.resumed_at) == (8, 2, 0)


@pytest.mark.parametrize(("source", "target", "fmt", "says"), [
    ("-", "alerts.csv", "csv", "reading standard input"),
    ("-", "alerts.parquet", "parquet", "reading standard input"),
    ("customers.csv", "-", "csv", "standard output takes JSON lines only"),
    ("customers.csv", "out.jsonl", "xml", "unknown output format"),
])
def test_alert_tables_need_files_at_both_ends(matcher: Matcher, tmp_path: Path, source: str,
                                              target: str, fmt: str, says: str) -> None:
    """A CSV or Parquet alert table is converted from a whole run's lines: from or to a pipe
    it is refused in one line before anything is read or written."""
    write(tmp_path / "customers.csv", CUSTOMERS)
    before = sorted(p.name for p in tmp_path.iterdir())
    src = Path("-") if source == "-" else tmp_path / source
    out = Path("-") if target == "-" else tmp_path / target
    with pytest.raises(ConfigError, match=says):
        screen_bulk(matcher, src, out, BulkOptions(output_format=fmt, workers=1))
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_convert_alerts_keeps_rejected_rows(tmp_path: Path) -> None:
    """The alert table lists every rejected row with its error (nothing dropped)."""
    run = write(tmp_path / "run.jsonl", '{"id": "a", "matches": [], "error": "bad"}\n'
                '{"id": "b", "matches": []}\n')
    convert_alerts(run, tmp_path / "t.csv", "csv")
    text = (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines()
    assert len(text) == 2 and text[1].startswith("a,0,") and text[1].endswith(",bad")


def test_alert_tables_never_carry_a_formula(tmp_path: Path) -> None:
    """List and customer files are untrusted: a caption or a kept column starting like a
    spreadsheet formula is written quoted (shown as text, never run); numbers stay numbers."""
    hostile = ['=HYPERLINK("http://x.example","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx",
               "plain", "a=b"]
    records = []
    for n, caption in enumerate(hostile):
        match = {"id": f"e{n}", "caption": caption, "schema": "Person", "score": 0.9,
                 "datasets": ["test_list"], "explanation": None}
        records.append(json.dumps({"id": f"r{n}", "input": {"ref": caption},
                                   "matches": [match]}))
    run = write(tmp_path / "run.jsonl", "\n".join(records) + "\n")
    convert_alerts(run, tmp_path / "t.csv", "csv", keep=("ref",))
    with (tmp_path / "t.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(hostile)
    for row, caption in zip(rows, hostile, strict=True):
        expected = caption if caption[0] not in "=+-@\t" else "'" + caption
        assert row["caption"] == expected and row["ref"] == expected
        assert row["score"] == "0.9"
