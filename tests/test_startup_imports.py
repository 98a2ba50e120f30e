"""``discreet match NAME`` on the embedded store starts light and answers as before.

A fresh process runs the ``match`` command (in-process, through click, as the ``discreet``
entry point does) against a SQLite store with its persisted index, then reports which heavy
libraries it imported: none of the PostgreSQL driver, the API, Parquet, Excel, Spark or
template libraries may be; nor, for a name without a country, the country tables. Its
answers must be those of a matcher built in this process from the same store.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from discreet.match import Matcher, Query
from discreet.match.topics import entity_topics
from discreet.store import Store

# Libraries that ``discreet match`` on SQLite never needs.
HEAVY = ("psycopg", "psycopg_binary", "fastapi", "starlette", "uvicorn", "pyarrow",
         "openpyxl", "pyspark", "jinja2", "httpx", "weasyprint", "matplotlib")
# Needed only when a country is read (text.countries): not for a name alone.
COUNTRY_TABLES = ("countrynames", "pycountry", "icu", "normality")

# Runs the command as the entry point does, then writes the top-level modules loaded.
RUNNER = """\
import json, os, sys
from discreet.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="discreet", standalone_mode=False)
finally:
    loaded = sorted({name.partition(".")[0] for name in sys.modules})
    with open(os.environ["STARTUP_REPORT"], "w", encoding="utf-8") as out:
        json.dump(loaded, out)
"""

ENTITIES = [
    {"id": "s-ivan", "schema": "Person", "properties": {
        "name": ["Ivan Petrov"], "alias": ["Иван Петров"], "birthDate": ["1970-03-15"],
        "nationality": ["ru"]}},
    {"id": "s-ivana", "schema": "Person", "properties": {"name": ["Ivana Petrova"]}},
    {"id": "s-acme", "schema": "Company", "properties": {"name": ["Acme Trading LLC"],
                                                         "country": ["ae"]}},
    {"id": "s-star", "schema": "Vessel", "properties": {"name": ["Sea Star"]}},
]


def _env(db: Path, report: Path) -> dict[str, str]:
    env = {**os.environ, "DISCREET_DB": str(db), "STARTUP_REPORT": str(report),
           "COLUMNS": "200"}
    for name in ("DISCREET_DEBUG", "DISCREET_INDEX", "DISCREET_INDEX_DIR"):
        env.pop(name, None)
    return env


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store loaded by the CLI, which writes the persisted index beside it."""
    folder = tmp_path_factory.mktemp("startup")
    src = folder / "startup.ftm.json"
    src.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in ENTITIES),
                   encoding="utf-8")
    path = folder / "store.db"
    subprocess.run([sys.executable, "-m", "discreet", "load", "--source", "startup_list",
                    str(src)], env=_env(path, folder / "unused.json"), check=True,
                   capture_output=True, timeout=300)
    assert any(p.is_dir() for p in Path(f"{path}.index").iterdir())  # persisted
    return path


def run_match(db: Path, tmp_path: Path, *args: str) -> tuple[list[dict[str, Any]], set[str]]:
    """The command's JSON answers and the top-level modules its process imported."""
    report = tmp_path / "modules.json"
    proc = subprocess.run([sys.executable, "-c", RUNNER, "match", *args, "--json"],
                          capture_output=True, text=True, encoding="utf-8",
                          env=_env(db, report), timeout=300)
    assert proc.returncode == 0, proc.stderr
    loaded = set(json.loads(report.read_text(encoding="utf-8")))
    answers: list[dict[str, Any]] = json.loads(proc.stdout)
    return answers, loaded


def in_process(db: Path, query: Query, limit: int, threshold: float) -> list[dict[str, Any]]:
    """The same query against a matcher built here from the store (no persisted index)."""
    with Store.open(db) as store:
        matcher = Matcher.from_store(store)
    results = matcher.match(query, limit=limit, threshold=threshold)
    rows = [{**r.to_dict(), "topics": list(entity_topics(r.entity))} for r in results]
    out: list[dict[str, Any]] = json.loads(json.dumps(rows, ensure_ascii=False))
    return out


def test_match_name_imports_no_heavy_library(db: Path, tmp_path: Path) -> None:
    answers, loaded = run_match(db, tmp_path, "Ivan Petrov", "--limit", "3",
                                "--threshold", "0")
    assert {"discreet", "click", "numpy"} <= loaded  # the report is of a real run
    assert sorted(loaded.intersection(HEAVY)) == []
    assert sorted(loaded.intersection(COUNTRY_TABLES)) == []
    assert answers[0]["id"] == "s-ivan"
    assert answers == in_process(db, Query(name="Ivan Petrov"), 3, 0.0)


def test_match_with_details_answers_as_the_matcher(db: Path, tmp_path: Path) -> None:
    """A country, a birth date and a schema: the same answers as in this process."""
    answers, loaded = run_match(db, tmp_path, "Иван Петров", "--schema", "person",
                                "--country", "Russia", "--birth-date", "1970",
                                "--limit", "4", "--threshold", "0")
    assert sorted(loaded.intersection(HEAVY)) == []
    query = Query(name="Иван Петров", schema="Person", birth_date="1970",
                  countries=("Russia",))
    assert answers == in_process(db, query, 4, 0.0)
    assert [a["id"] for a in answers][:1] == ["s-ivan"]


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
def test_word_lists_read_the_same_with_the_c_loader() -> None:
    """text/ reads its YAML tables with libyaml's safe loader: the same data as
    ``yaml.safe_load`` gives."""
    folder = Path(__file__).resolve().parents[1] / "src" / "discreet" / "text" / "data"
    files = sorted(folder.glob("*.yml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=yaml.CSafeLoader) == yaml.safe_load(text), path.name
