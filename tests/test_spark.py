"""Spark in local mode gives the same alerts as screen-file, on 10,000 rows.

Needs Java (17 is on the project's machines) and pyspark from PyPI; in CI both must be there.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from discreet.match import Matcher
from discreet.screen.screen_file import InputRow, screen_rows
from discreet.sources import open_list
from discreet.spark import _alerts

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
    from discreet.spark import screen

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
    assert sum(1 for a in actual if a[8]) == sum(1 for r in rows if not r["name"])


def test_missing_column_is_a_clear_error(spark: Any, matcher: Matcher) -> None:
    from discreet.spark import screen

    df = spark.createDataFrame([{"id": "1", "full_name": "x"}])
    with pytest.raises(ValueError, match="column\\(s\\) name not in the DataFrame"):
        screen(df, matcher=matcher)


def test_row_mapping_matches_screen_file(matcher: Matcher) -> None:
    row = InputRow.from_mapping({"id": "x", "name": ""}, 1)
    assert list(_alerts(next(screen_rows(matcher, [row])))) == [
        ("x", 0, None, None, None, None, None, None, "the row has no name")]


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
    pq.write_table(pa.table({"cid": ["a", "b"], "full_name": [listed, "Nobody Special"]}),
                   tmp_path / "in.parquet")
    proc = subprocess.run([*run, "spark-screen", str(tmp_path / "in.parquet"),
                           str(tmp_path / "out"), "--master", "local[1]", "--id-col", "cid",
                           "--name-col", "full_name"], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = pq.read_table(tmp_path / "out").to_pylist()
    assert {r["input_id"] for r in rows} == {"a"} and rows[0]["rank"] == 1
    assert "alert rows written" in proc.stderr
