"""Spark in local mode gives the same alerts as screen-file, on 10,000 rows; customer files
are read as screen-file reads them (a broken row is reported by line, hides no other row).

Needs Java (17 is on the project's machines) and pyspark from PyPI; in CI both must be there.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from discreet.errors import ConfigError
from discreet.match import Matcher
from discreet.match.topics import entity_topics
from discreet.screen.readers import Record
from discreet.screen.rows import screen_rows
from discreet.screen.spark import _alerts
from discreet.screen.summary import RunSummary
from discreet.sources import open_list

ROWS = 10_000


def _require_spark() -> None:
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Java for the Spark tests")
        pytest.skip("Java not installed")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    _require_spark()
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (SparkSession.builder.master("local[2]").appName("discreet-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.sql.shuffle.partitions", "4")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def matcher(own_fixtures_dir: Path) -> Matcher:
    _, entities = open_list(own_fixtures_dir / "un" / "un_small.xml")
    return Matcher.from_entities(entities)


@pytest.fixture(scope="module")
def own_fixtures_dir() -> Path:
    return Path(__file__).resolve().parent / "fixtures"


def customer_rows(matcher: Matcher) -> list[dict[str, str]]:
    """Customers: list names (some misspelt), clean names, and a few rows without a name."""
    rng = random.Random(7)
    listed = [n.value for e in matcher.entities for n in e.names]
    first = ["Anna", "Pierre", "Li", "Olga", "Ahmed", "John", "Maria", "Kenji", "Sven"]
    last = ["Schmidt", "Dubois", "Wang", "Ivanova", "Hassan", "Smith", "Rossi", "Sato"]
    rows = []
    for i in range(ROWS):
        pick = rng.random()
        if pick < 0.1:
            name = rng.choice(listed)
            if rng.random() < 0.5 and len(name) > 4:
                cut = rng.randrange(1, len(name) - 1)
                name = name[:cut] + name[cut + 1:]
        elif pick < 0.999:
            name = f"{rng.choice(first)} {rng.choice(last)}"
        else:
            name = ""
        rows.append({"id": f"c{i}", "name": name, "country": rng.choice(["", "de", "iq"])})
    return rows


def test_spark_alerts_equal_screen_file(spark: Any, matcher: Matcher) -> None:
    from discreet.screen.spark import screen

    rows = customer_rows(matcher)
    expected = sorted(alert for record in screen_rows(matcher, rows, 0.7, 3)
                      for alert in _alerts(record))
    df = spark.createDataFrame(rows).repartition(4)
    got = screen(df, name_col="name", id_col="id", country_col="country", matcher=matcher,
                 threshold=0.7, limit=3)
    actual = sorted(tuple(r) for r in got.collect())
    assert len(actual) == len(expected) and len(expected) > 500
    assert [a[:6] for a in actual] == [e[:6] for e in expected]
    assert actual == expected
    assert sum(1 for a in actual if a[9]) == sum(1 for r in rows if not r["name"])
    by_id = {e.id: e for e in matcher.entities}  # each alert names its entity's topics
    assert all(a[7] == list(entity_topics(by_id[a[2]])) for a in actual if a[2])
    assert any(a[7] for a in actual if a[2])


def test_missing_column_is_a_clear_error(spark: Any, matcher: Matcher) -> None:
    from discreet.screen.spark import screen

    df = spark.createDataFrame([{"id": "1", "full_name": "x"}])
    with pytest.raises(ValueError, match="column\\(s\\) name not in the DataFrame"):
        screen(df, matcher=matcher)


def test_row_mapping_matches_screen_file(matcher: Matcher) -> None:
    row = Record(1, {"id": "x", "name": ""})
    assert list(_alerts(next(screen_rows(matcher, [row])))) == [
        ("x", 0, None, None, None, None, None, None, None, "the row has no name")]


def test_spark_screen_command(tmp_path: Path, own_fixtures_dir: Path) -> None:
    """The spark-screen job end to end: a store, a Parquet input, a Parquet output."""
    _require_spark()
    import subprocess

    import pyarrow as pa
    import pyarrow.parquet as pq

    db = tmp_path / "store.db"
    env = {**os.environ, "DISCREET_DB": str(db)}
    run = [sys.executable, "-m", "discreet"]
    subprocess.run([*run, "load", str(own_fixtures_dir / "un" / "un_small.xml")], env=env,
                   check=True, capture_output=True, timeout=120)
    _, entities = open_list(own_fixtures_dir / "un" / "un_small.xml")
    listed = next(e.caption for e in entities if e.schema == "Person")
    pq.write_table(pa.table({"cid": ["a", "b", "c"],
                             "full_name": [listed, "Nobody Special", None]}),
                   tmp_path / "in.parquet")
    env.pop("PYSPARK_PYTHON", None)  # the job must find its own Python for the workers
    proc = subprocess.run([*run, "spark-screen", str(tmp_path / "in.parquet"),
                           str(tmp_path / "out"), "--master", "local[1]", "--id-col", "cid",
                           "--name-col", "full_name"], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 3, proc.stderr[-2000:]  # row 3 has no name: rejected
    assert "in.parquet: line 3 (id c): the row has no name" in proc.stderr
    assert "3 rows: 2 screened, 1 with alerts (1 alerts), 1 rejected" in proc.stderr
    assert "--max-rejects 1 accepts" in proc.stderr and "Traceback" not in proc.stderr
    rows = pq.read_table(tmp_path / "out").to_pylist()
    assert {(r["input_id"], r["rank"], r["line"]) for r in rows} == {("a", 1, 1), ("c", 0, 3)}


@pytest.fixture(scope="module")
def store_db(tmp_path_factory: pytest.TempPathFactory, own_fixtures_dir: Path) -> Path:
    from discreet.lists.load import load_file
    from discreet.store import Store

    db = tmp_path_factory.mktemp("store") / "store.db"
    with Store.open(db) as store:
        load_file(store, own_fixtures_dir / "un" / "un_small.xml")
    return db


def _counts(summary: RunSummary) -> tuple[int, ...]:
    return (summary.rows, summary.screened, summary.rows_with_alerts, summary.alerts,
            summary.rejected)


def listed_person(matcher: Matcher) -> str:
    return next(e.caption for e in matcher.entities if e.schema == "Person")


def broken_csv(path: Path, listed: str) -> Path:
    """Eight customers: an unbalanced quote on line 5, a listed name after it (line 7),
    an unquoted comma on line 8, and a real multi-line quoted address (lines 3-4)."""
    path.write_text("id,name,address\n"
                    "c1,Anna Schmidt,Berlin\n"
                    'c2,Pierre Dubois,"1 rue X\nParis"\n'
                    'c3,"Olga Ivanova,Moscow\n'
                    "c4,Li Wang,Beijing\n"
                    f"c5,{listed},Baghdad\n"
                    "c6,Smith, John,London\n"
                    "c7,Maria Rossi,Rome\n"
                    "c8,Kenji Sato,Tokyo\n", encoding="utf-8")
    return path


def test_unclosed_quote_hides_no_row(spark: Any, matcher: Matcher, store_db: Path,
                                     tmp_path: Path) -> None:
    """Spark reads the file as screen-file does: the line with the unclosed quote is
    rejected by line, the listed name after it is found, the unquoted comma is rejected;
    the same rows, alerts and rejections as screen-file."""
    import pyarrow.parquet as pq

    from discreet.screen import screen_file
    from discreet.screen.spark_job import SparkJob, run_job

    listed = listed_person(matcher)
    src = broken_csv(tmp_path / "customers.csv", listed)
    summary = run_job(SparkJob(input=str(src), output=str(tmp_path / "out"),
                               store=str(store_db)))
    assert (summary.rows, summary.screened, summary.rejected) == (8, 6, 2)
    assert summary.rejects == [
        f"{src}: line 5 (id c3): a quote (\") opened on this line is never closed; the lines "
        "after it are read on their own",
        f"{src}: line 8 (id c6): 4 values for 3 columns (an unquoted comma inside a value?); "
        "extra: 'London'"]
    alerts = pq.read_table(tmp_path / "out").to_pylist()
    found = [a for a in alerts if a["rank"] == 1]
    assert [(a["input_id"], a["line"], a["caption"]) for a in found] == [("c5", 7, listed)]
    assert summary.rows_with_alerts == 1
    expected = screen_file(matcher, src, tmp_path / "alerts.jsonl", workers=1)
    assert _counts(expected) == _counts(summary)  # one summary, the same counts
    assert sorted(expected.rejects) == sorted(
        f"line {a['line']}: {a['error']}" for a in alerts if a["rank"] == 0)


def test_json_lines_and_parquet_parts_report_rows(spark: Any, matcher: Matcher,
                                                  store_db: Path, tmp_path: Path) -> None:
    """JSON lines: a line that is no JSON is reported by its line, the rows after it are
    screened. A Parquet directory of parts (as Spark writes it): rows numbered in their
    file, markers like _SUCCESS left out."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from discreet.screen.spark_job import SparkJob, run_job

    listed = listed_person(matcher)
    jsonl = tmp_path / "customers.jsonl"
    jsonl.write_text('{"id": "j1", "name": "Anna Schmidt"}\n'
                     '{"id": "j2", "name": "Olga\n'
                     f'{{"id": "j3", "name": "{listed}"}}\n'
                     '{"id": "j4", "name": ""}\n', encoding="utf-8")
    summary = run_job(SparkJob(input=str(jsonl), output=str(tmp_path / "j"),
                               store=str(store_db), output_format="json"))
    assert (summary.rows, summary.rejected, summary.rows_with_alerts) == (4, 2, 1)
    assert [r.split(": ")[1] for r in summary.rejects] == ["line 2", "line 4 (id j4)"]
    parts = tmp_path / "parts"
    parts.mkdir()
    pq.write_table(pa.table({"id": ["p1", "p2"], "name": ["Li Wang", None]}),
                   parts / "part-0.parquet")
    pq.write_table(pa.table({"id": ["p3"], "name": [listed]}), parts / "part-1.parquet")
    (parts / "_SUCCESS").write_bytes(b"")
    summary = run_job(SparkJob(input=str(parts), output=str(tmp_path / "p"),
                               store=str(store_db)))
    assert (summary.rows, summary.rejected, summary.rows_with_alerts) == (3, 1, 1)
    assert summary.rejects == [f"{parts / 'part-0.parquet'}: line 2 (id p2): the row has "
                               "no name"]
    found = [r for r in pq.read_table(tmp_path / "p").to_pylist() if r["rank"] == 1]
    assert [(r["file"], r["line"]) for r in found] == [(str(parts / "part-1.parquet"), 1)]


def test_missing_column_stops_before_screening(spark: Any, store_db: Path,
                                               tmp_path: Path) -> None:
    from discreet.errors import ParseError
    from discreet.screen.spark_job import SparkJob, run_job

    src = tmp_path / "c.csv"
    src.write_text("id,full_name\n1,Anna\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"c\.csv, line 1: no name column"):
        run_job(SparkJob(input=str(src), output=str(tmp_path / "o"), store=str(store_db)))
    assert not (tmp_path / "o").exists()
    with pytest.raises(ParseError, match="no such file"):
        run_job(SparkJob(input=str(tmp_path / "nope.csv"), output=str(tmp_path / "o"),
                         store=str(store_db)))


def test_max_rejects(spark: Any, matcher: Matcher, store_db: Path, tmp_path: Path) -> None:
    """The command's exit status: 3 while more rows are rejected than --max-rejects allows,
    0 once they are allowed (the rejected rows are reported either way)."""
    from click.testing import CliRunner

    from discreet.cli import cli

    src = broken_csv(tmp_path / "customers.csv", listed_person(matcher))
    args = ["--db", str(store_db), "spark-screen", str(src), str(tmp_path / "out")]
    for extra, status in (([], 3), (["--max-rejects", "1"], 3)):
        result = CliRunner().invoke(cli, [*args, *extra])
        assert result.exit_code == status, result.output
        assert "line 5 (id c3)" in result.output and "8 rows: 6 screened" in result.output
        assert "2 row(s) rejected" in result.output
    result = CliRunner().invoke(cli, [*args, "--max-rejects", "2", "--json"])
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "line 8 (id c6)" in result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert (summary["rows"], summary["screened"], summary["rejected"]) == (8, 6, 2)


def test_csv_alerts_and_topics(spark: Any, matcher: Matcher, store_db: Path,
                               tmp_path: Path) -> None:
    """A CSV alert table holds every column, lists joined with ";" (datasets, topics);
    --topic keeps the entities carrying one: the UN list's are sanctions, none a PEP."""
    import csv

    from click.testing import CliRunner

    from discreet.cli import cli

    src = tmp_path / "customers.csv"
    src.write_text(f"id,name\nc1,{listed_person(matcher)}\nc2,Nobody Special\n",
                   encoding="utf-8")

    def table(*extra: str) -> list[dict[str, str]]:
        out = tmp_path / f"out{len(extra)}"
        result = CliRunner().invoke(cli, ["--db", str(store_db), "spark-screen", str(src),
                                          str(out), "--output-format", "csv", *extra])
        assert result.exit_code == 0, result.output
        rows: list[dict[str, str]] = []
        for part in sorted(out.glob("part-*.csv")):
            with part.open(encoding="utf-8", newline="") as handle:
                rows.extend(csv.DictReader(handle))
        return rows

    every = table()
    assert [(r["input_id"], r["rank"]) for r in every][:1] == [("c1", "1")]
    assert every[0]["datasets"] == "un_sc_sanctions" and every[0]["topics"] == "sanction"
    assert table("--topic", "sanction") == every
    assert table("--topic", "role.pep", "--topic", "crime") == []


def test_orc_rows_numbered(spark: Any, matcher: Matcher, store_db: Path,
                           tmp_path: Path) -> None:
    """ORC is read by Spark (typed columns); a row without a name is still reported, by its
    position, and the named columns are checked before anything is screened."""
    import pyarrow as pa
    import pyarrow.orc as orc
    import pyarrow.parquet as pq

    from discreet.errors import ParseError
    from discreet.screen.spark_job import SparkJob, run_job

    src = tmp_path / "customers.orc"
    orc.write_table(pa.table({"cid": ["o1", "o2"], "name": [listed_person(matcher), None]}),
                    src)
    summary = run_job(SparkJob(input=str(src), output=str(tmp_path / "o"), store=str(store_db),
                               id_col="cid"))
    assert (summary.rows, summary.rejected, summary.rows_with_alerts) == (2, 1, 1)
    assert summary.rejects == [f"{src}: line 2 (id o2): the row has no name"]
    assert {(r["input_id"], r["rank"]) for r in pq.read_table(tmp_path / "o").to_pylist()} \
        == {("o1", 1), ("o2", 0)}
    with pytest.raises(ParseError, match="column\\(s\\) dob not in the table"):
        run_job(SparkJob(input=str(src), output=str(tmp_path / "x"), store=str(store_db),
                         birth_date_col="dob"))


def test_shipped_file_is_read_like_a_local_one(tmp_path: Path) -> None:
    """What an executor does with a file Spark hands over as bytes (HDFS, S3): the same
    rows, labelled with the file's URL; an empty part gives nothing, a bad header one
    whole-file error."""
    from discreet.screen.spark_job import WHOLE_FILE, _read_local, _read_shipped

    content = b'id;name\n1;Anna\n2;"Olga\n3;Jos\xe9 M\xfcller\n'
    local = tmp_path / "c.csv"
    local.write_bytes(content)
    shipped = list(_read_shipped(("hdfs://nn/customers/c.csv", content), fmt="csv",
                                 mapping={}))
    here = list(_read_local(str(local), fmt="csv", mapping={}))
    assert [r[1:] for r in shipped] == [r[1:] for r in here]
    assert {r[0] for r in shipped} == {"hdfs://nn/customers/c.csv"}
    assert [(r[1], r[3], bool(r[7])) for r in shipped] == [
        (2, "Anna", False), (3, "", True), (4, "José Müller", False)]
    assert list(_read_shipped(("s3a://b/part-1.csv", b""), fmt="csv", mapping={})) == []
    bad = list(_read_shipped(("s3a://b/x.csv", b"a,b\n1,2\n"), fmt="csv", mapping={}))
    assert [(r[1], "no name column" in r[7]) for r in bad] == [(WHOLE_FILE, True)]


def test_damaged_parquet_is_one_clear_error(tmp_path: Path) -> None:
    """A Parquet file damaged after its footer was read: one whole-file error naming the
    file (the job then stops before screening), never an exception in the executor."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from discreet.screen.spark_job import WHOLE_FILE, _read_shipped

    path = tmp_path / "big.parquet"
    pq.write_table(pa.table({"name": [f"n{i}" for i in range(50_000)]}), path,
                   row_group_size=5_000)
    data = bytearray(path.read_bytes())
    data[1_000:len(data) // 2] = bytes(len(data) // 2 - 1_000)
    rows = list(_read_shipped(("s3a://b/big.parquet", bytes(data)), fmt="parquet",
                              mapping={}))
    assert rows[-1][1] == WHOLE_FILE and rows[-1][7].startswith("s3a://b/big.parquet: ")
    assert all(r[1] != WHOLE_FILE for r in rows[:-1])


def test_local_inputs_listed_as_spark_lists_them(tmp_path: Path) -> None:
    """A file, a directory of parts (markers, hidden and empty files left out), a glob."""
    from discreet.errors import ParseError
    from discreet.screen.spark_job import _local_files

    for name, body in (("b.csv", "name\nx\n"), ("a.csv", "name\ny\n"), ("_SUCCESS", ""),
                       (".a.csv.crc", "x"), ("empty.csv", ""), ("sub/c.csv", "name\nz\n")):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(body, encoding="utf-8")
    assert _local_files(str(tmp_path / "a.csv")) == [str(tmp_path / "a.csv")]
    assert _local_files(str(tmp_path)) == [str(tmp_path / n) for n in ("a.csv", "b.csv",
                                                                         "sub/c.csv")]
    assert _local_files(f"file://{tmp_path}/*.csv") == [str(tmp_path / "a.csv"),
                                                         str(tmp_path / "b.csv")]
    with pytest.raises(ParseError, match="no file matches"):
        _local_files(str(tmp_path / "*.tsv"))
    (tmp_path / "hollow").mkdir()
    with pytest.raises(ParseError, match="no data file"):
        _local_files(str(tmp_path / "hollow"))
    with pytest.raises(ParseError, match="no such file or directory"):
        _local_files(str(tmp_path / "missing.csv"))


def test_spark_submit_entry_script_runs_the_command(tmp_path: Path) -> None:
    """spark-submit runs cli/spark_entry.py as a file: its arguments reach spark-screen,
    a leading --db before the command (run here with --help: no Spark needed)."""
    import subprocess

    import discreet.cli.spark_entry as entry

    assert entry.arguments(["--db", "x.db", "in", "out"]) == [
        "--db", "x.db", "spark-screen", "in", "out"]
    assert entry.arguments(["in", "out", "--db", "y"]) == ["spark-screen", "in", "out",
                                                           "--db", "y"]
    proc = subprocess.run([sys.executable, entry.__file__, "--db", str(tmp_path / "s.db"),
                           "--help"], capture_output=True, text=True, timeout=120,
                          check=False, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Usage: " in proc.stdout and "spark-screen [OPTIONS] INPUT_PATH OUTPUT_PATH" in (
        proc.stdout)


@pytest.mark.parametrize("topics", [" ", ("sanction", "")])
def test_a_blank_topic_is_refused_as_on_the_command_line(spark: Any, matcher: Matcher,
                                                         topics: str | tuple[str, ...]) -> None:
    """One rule for every caller (match/topics.wanted_topics): a blank topic would select
    nobody, so it is refused before any row is screened, never dropped or read as 'all'."""
    from discreet.screen.spark import screen

    df = spark.createDataFrame([{"id": "1", "name": "Ivan Petrov"}])
    with pytest.raises(ConfigError, match="a topic is blank"):
        screen(df, name_col="name", id_col="id", matcher=matcher, topics=topics)
