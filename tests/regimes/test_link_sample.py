"""Same-party links checked by hand (issue 13): a reviewed sample of links between the real
fixture lists, each judged true or false by reading both listings.

``tests/regimes/data/link_sample.csv`` holds the sample: 151 links drawn at random (seed
20261203) from every link proposed over the latest real file of each list (as
``bench/bench_links.py`` loads them), stratified by basis: UN reference, passport/ID,
IMO, registration/tax numbers, and names spread over the pairs of lists; plus namesakes
found by hand (one alias or a common name shared, different people) as hard negatives.
Each row says why it was judged so and on which files.

The links are computed again here from the same files, so a change of the rules shows:
every true link must still be proposed, no false one may be, and the precision on the
sample must stay at 0.98 or more.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from discreet.lists.load import read_list
from discreet.model import Entity
from discreet.regimes.links import propose_links
from discreet.store import SameAs
from tests.conftest import ROOT, skip_outside_ci

SAMPLE = Path(__file__).parent / "data" / "link_sample.csv"
FIXTURES = ROOT.parent / "shared" / "fixtures"
# The files the sample was judged on (as bench/bench_links.py loads them), with the as-of
# date stated for the two that carry none.
FILES: list[tuple[str, str | None]] = [
    ("lists/ofac_sdn_csv/history_jackdwyer/sdn_2024-05-03.csv", "2024-05-03"),
    ("lists/ofac_cons_xml/consolidated_2024-05-06.xml", None),
    ("lists/un/un_consolidated_2026-02-27.xml", None),
    ("lists/eu_fsf/eu_fsf_1_1_excerpt_2026-08-05.xml", None),
    ("lists/uk_fcdo/uk_sanctions_list_excerpt_2026-09-10.xml", None),
    ("lists/uk_ofsi_conlist/sanctionsconlist_2014-04-02.csv", None),
    ("archive/ca_sema/sema-lmes_2025-05.xml", "2025-05-25"),
    ("archive/au_dfat/regulation8_consolidated_2024-11-11.xlsx", None),
]
MIN_PRECISION = 0.98


def read_sample() -> list[dict[str, str]]:
    """The reviewed rows (entity_a, entity_b, basis, stratum, drawn, verdict, reason, files)."""
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def proposed() -> dict[tuple[str, str], SameAs]:
    """Every link proposed over the real files, computed once: the same computation
    `refresh_links` stores (parsed here without a store: the comparison is the point)."""
    paths = [FIXTURES / name for name, _ in FILES]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        skip_outside_ci(f"needs the real list files {missing}")
    entities: list[Entity] = []
    for path in paths:
        parsed = read_list(path)
        entities.extend(Entity.from_dict(json.loads(data))
                        for _, data in parsed.records.values())
    links, _ = propose_links(entities)
    return {(s.a, s.b): s for s in links}


def test_the_sample_is_well_formed() -> None:
    """At least 120 random links, every stratum present, a verdict and a reason on each row,
    the files it was judged on named, no pair twice."""
    rows = read_sample()
    random_rows = [r for r in rows if r["drawn"] == "random"]
    assert len(random_rows) >= 120
    assert {r["stratum"] for r in random_rows} >= {
        "identifier:un_reference", "identifier:passport_id", "identifier:imo",
        "identifier:registration_tax", "name"}
    assert all(r["verdict"] in ("true", "false") for r in rows)
    assert all(len(r["reason"]) >= 20 and r["file_a"] and r["file_b"] for r in rows)
    pairs = [(r["entity_a"], r["entity_b"]) for r in rows]
    assert len(set(pairs)) == len(pairs) and all(a < b for a, b in pairs)
    judged_on = {f.split(" (")[0] for r in rows for f in (r["file_a"], r["file_b"])}
    assert judged_on <= {name for name, _ in FILES}
    assert any(r["verdict"] == "false" for r in rows)


def test_true_links_still_proposed(proposed: dict[tuple[str, str], SameAs]) -> None:
    """Recall on the sample: every link judged true is proposed, on the basis it had."""
    rows = [r for r in read_sample() if r["verdict"] == "true"]
    missing = [f"{r['entity_a']} = {r['entity_b']}" for r in rows
               if (r["entity_a"], r["entity_b"]) not in proposed]
    assert not missing, f"true links no longer proposed: {missing}"
    changed = [f"{r['entity_a']} = {r['entity_b']}" for r in rows
               if proposed[(r["entity_a"], r["entity_b"])].basis != r["basis"]]
    assert not changed, f"true links proposed on another basis: {changed}"


def test_false_links_not_proposed(proposed: dict[tuple[str, str], SameAs]) -> None:
    """Every pair judged false (different people) is not proposed: every proposal is made
    at the strict setting (docs/links.md), so a proposed false link is a wrong link."""
    wrong = [f"{r['entity_a']} = {r['entity_b']}: {r['reason']}" for r in read_sample()
             if r["verdict"] == "false" and (r["entity_a"], r["entity_b"]) in proposed]
    assert not wrong, f"false links proposed: {wrong}"


def test_precision_on_the_sample(proposed: dict[tuple[str, str], SameAs]) -> None:
    """Precision over the sampled pairs the machine proposes now, from the verdicts."""
    verdicts = [r["verdict"] == "true" for r in read_sample()
                if (r["entity_a"], r["entity_b"]) in proposed]
    assert len(verdicts) >= 120
    precision = sum(verdicts) / len(verdicts)
    assert precision >= MIN_PRECISION, f"precision {precision:.3f} on {len(verdicts)} links"
