"""Screening a customer file by topic: every alert says which topics its entity carries
(sanction, role.pep, crime…), in JSON lines, CSV and Parquet alike, and ``topics`` keeps only
entities carrying one of them, each scored exactly as the unrestricted run scores it.

The entities are those of tests/match/test_topics.py: an FtM export mixing sanction, PEP and
crime entities, the project's UN fixture (an official list: every entity a sanction) and a
firm's own watchlist (no topic), read by the real parsers.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from discreet.errors import ConfigError
from discreet.match import Matcher
from discreet.match.topics import entity_topics
from discreet.screen.bulk import BulkOptions, screen_file
from tests.match.test_topics import mixed_entities

CUSTOMERS = ("id,name\n"
             "c1,Ivan Petrov\n"
             "c2,Ivana Petrova\n"
             "c3,Jose Gomez\n"
             "c4,Petrov Star\n"
             "c5,Zebulon Quackenbush\n")


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    return Matcher.from_entities(mixed_entities(tmp_path_factory.mktemp("topics")))


def run(matcher: Matcher, folder: Path, topics: tuple[str, ...] = (),
        fmt: str = "jsonl") -> Path:
    src = folder / "customers.csv"
    src.write_text(CUSTOMERS, encoding="utf-8")
    out = folder / f"alerts-{'-'.join(topics) or 'all'}.{fmt}"
    screen_file(matcher, src, out, threshold=0.5, limit=20, workers=1, output_format=fmt,
                topics=topics)
    return out


def records(path: Path) -> dict[str, list[dict[str, Any]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {r["id"]: r["matches"] for r in map(json.loads, lines)}


def test_every_alert_names_its_topics(matcher: Matcher, tmp_path: Path) -> None:
    found = records(run(matcher, tmp_path))
    by_id = {e.id: e for e in matcher.entities}
    alerts = [m for matches in found.values() for m in matches]
    assert alerts, "the customers match something"
    for match in alerts:
        assert match["topics"] == list(entity_topics(by_id[match["id"]]))
    labelled = {m["id"]: m["topics"] for m in alerts}
    assert labelled.get("os-ivana") == ["role.pep"]
    assert labelled.get("os-vessel") == ["mare.shadow"]


@pytest.mark.parametrize("wanted", [("role.pep",), ("sanction",), ("role.pep", "crime")])
def test_a_topic_keeps_its_entities_with_the_same_scores(matcher: Matcher, tmp_path: Path,
                                                        wanted: tuple[str, ...]) -> None:
    every = records(run(matcher, tmp_path))
    some = records(run(matcher, tmp_path, wanted))
    assert set(some) == set(every)  # every row is written, matched or not

    def carries(match: dict[str, Any]) -> bool:
        # compared exactly, as yente does: role.pep does not select role.pep.frmr
        return any(t in wanted for t in match["topics"])

    for row, matches in some.items():
        assert all(carries(m) for m in matches)
        expected = [(m["id"], m["score"]) for m in every[row] if carries(m)]
        assert [(m["id"], m["score"]) for m in matches] == expected
    assert any(some.values()), f"{wanted} selects something"
    assert sum(map(len, some.values())) < sum(map(len, every.values()))


def test_the_alert_tables_carry_topics(matcher: Matcher, tmp_path: Path) -> None:
    with run(matcher, tmp_path, fmt="csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert "topics" in rows[0]
    pep = [r for r in rows if r["entity_id"] == "os-ivana"]
    assert pep and pep[0]["topics"] == "role.pep"
    both = [r for r in rows if r["entity_id"] == "os-both"]
    assert both and both[0]["topics"] == "role.pep;sanction"
    table = pq.read_table(run(matcher, tmp_path, fmt="parquet")).to_pylist()
    assert {r["entity_id"]: r["topics"] for r in table if r["entity_id"]} == \
        {r["entity_id"]: r["topics"] for r in rows if r["entity_id"]}


def test_a_topic_filter_is_part_of_the_run(tmp_path: Path) -> None:
    """A resumed run with other topics would mix two runs' alerts: the fingerprint differs."""
    assert BulkOptions(topics=("role.pep",)).shaping() != BulkOptions().shaping()
    assert BulkOptions(topics=("a", "b")).shaping() == BulkOptions(topics=("b", "a")).shaping()


@pytest.mark.parametrize("topics", [("",), ("role.pep", "  ")])
def test_a_blank_topic_is_refused_before_any_row(matcher: Matcher, tmp_path: Path,
                                                 topics: tuple[str, ...]) -> None:
    """A blank topic would select nobody and screen no one: refused, and no file written."""
    with pytest.raises(ConfigError, match="a topic is blank"):
        run(matcher, tmp_path, topics)
    assert list(tmp_path.glob("alerts-*")) == []


def test_a_single_string_is_one_topic(matcher: Matcher, tmp_path: Path) -> None:
    src = tmp_path / "customers.csv"
    src.write_text(CUSTOMERS, encoding="utf-8")
    out = tmp_path / "alerts.jsonl"
    screen_file(matcher, src, out, threshold=0.5, limit=20, workers=1,
                topics="role.pep")  # a caller's plain string
    alerts = [m for matches in records(out).values() for m in matches]
    assert alerts and all("role.pep" in m["topics"] for m in alerts)
