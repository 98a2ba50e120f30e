"""Topics as views of one index: ``Matcher.match(query, topics=...)`` compares only the names
of entities carrying any of the topics, and scores each exactly as the whole index does.

The entities are read by the real parsers from small files written here: an FtM export
mixing sanction, role.pep and crime entities (and ones stating no topic, with and without a
Sanction record), the project's own UN fixture (an official list: no topics stated) and a
firm's own watchlist CSV.
"""

from __future__ import annotations

import json
import pickle
import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from discreet.errors import ConfigError
from discreet.match import Matcher, Query
from discreet.match.parties import Parties
from discreet.match.topics import entity_topics, wanted_topics
from discreet.model import Entity
from discreet.sources import open_list
from tests.conftest import OWN_FIXTURES

LIMIT = 10_000

# (id, schema, names, topics, Sanction record) of the FtM file
FTM_ROWS: tuple[tuple[str, str, list[str], list[str], bool], ...] = (
    ("os-ivan", "Person", ["Ivan Sergeyevich Petrov"], ["sanction"], False),
    ("os-ivana", "Person", ["Iwan Petrova"], ["role.pep"], False),  # Ivana: another name
    ("os-ivanov", "Person", ["Ivan Petrovich Ivanov"], ["crime", "crime.fin"], False),
    ("os-both", "Person", ["Ivan S. Petrov", "Ivan Petrov"], ["role.pep", "sanction"], False),
    ("os-former", "Person", ["Ivan Petrovsky"], ["role.pep.frmr"], False),
    ("os-bank", "Company", ["Petrov Trading Bank"], ["sanction.linked"], False),
    ("os-listed", "Company", ["Petrov Export Holding"], [], True),  # a Sanction, no topic
    ("os-plain", "Person", ["Ivan Petrow"], [], False),  # states nothing at all
    ("os-vessel", "Vessel", ["Petrov Star"], ["mare.shadow"], False),
    ("os-gomez", "Person", ["Jose Maria Gomez"], ["poi"], False),
)


def write_ftm(path: Path) -> Path:
    """An FtM export (flat JSON lines) of :data:`FTM_ROWS`."""
    lines = []
    for eid, schema, names, topics, sanctioned in FTM_ROWS:
        props: dict[str, list[str]] = {"name": names[:1], "alias": names[1:]}
        if topics:
            props["topics"] = topics
        lines.append({"id": eid, "schema": schema, "datasets": ["os_default"],
                      "properties": {k: v for k, v in props.items() if v}})
        if sanctioned:
            lines.append({"id": f"{eid}-sanction", "schema": "Sanction",
                          "datasets": ["os_default"],
                          "properties": {"entity": [eid], "authority": ["Some Authority"],
                                         "programId": ["XX-PROG"]}})
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def write_watchlist(path: Path) -> Path:
    """A firm's own watchlist: refused applicants, one with a 'program' column."""
    path.write_text("id,name,program\nR-1,Ivan Petroff,refused\nR-2,Jose Gomez,\n",
                    encoding="utf-8")
    return path


def read(path: Path, fmt: str = "auto") -> list[Entity]:
    meta, parsed = open_list(path, fmt)
    out = []
    for entity in parsed:
        entity.source = entity.source or meta.dataset
        out.append(entity)
    return out


def mixed_entities(folder: Path) -> list[Entity]:
    """The FtM file, the UN fixture and the watchlist, as the parsers read them."""
    return [*read(write_ftm(folder / "os.ftm.json")),
            *read(OWN_FIXTURES / "un" / "un_small.xml"),
            *read(write_watchlist(folder / "internal.csv"), "csv")]


@pytest.fixture(scope="module")
def entities(tmp_path_factory: pytest.TempPathFactory) -> list[Entity]:
    return mixed_entities(tmp_path_factory.mktemp("topics"))


@pytest.fixture(scope="module", params=["every name", "candidates"])
def matcher(request: pytest.FixtureRequest, entities: list[Entity]) -> Matcher:
    built = Matcher.from_entities(entities)
    built.scan = request.param == "every name"
    return built


def test_what_each_entity_carries(entities: list[Entity]) -> None:
    by_id = {e.id: e for e in entities}
    assert entity_topics(by_id["os-ivanov"]) == ("crime", "crime.fin")  # as stated
    assert entity_topics(by_id["os-both"]) == ("role.pep", "sanction")
    assert entity_topics(by_id["os-listed"]) == ("sanction",)  # a Sanction record
    assert entity_topics(by_id["os-plain"]) == ()  # the publisher states no risk
    un = [e for e in entities if e.authority == "UN"]
    assert un and all(entity_topics(e) == ("sanction",) for e in un)  # an official list
    internal = [e for e in entities if e.authority == "internal"]
    assert len(internal) == 2 and all(entity_topics(e) == () for e in internal)
    assert any(e.programmes for e in internal)  # a firm's 'program' is no sanction


def _queries(matcher: Matcher, count: int, seed: int) -> Iterator[Query]:
    rng = random.Random(seed)
    names = [n.value for e in matcher.entities for n in e.names]
    yield from (Query(text) for text in ("Ivan Petrov", "Ivan Petrova", "Petrov Bank",
                                         "Jose Gomez", "Ivan Petrovich"))
    for _ in range(count):
        text = rng.choice(names)
        if len(text) > 4 and rng.random() < 0.6:
            i = rng.randrange(len(text))
            text = text[:i] + rng.choice("aeiouxkr") + text[i + 1:]
        yield Query(text, schema=rng.choice([None, "Person", "Organization"]))


TOPIC_SETS = ({"sanction"}, {"role.pep"}, {"crime"}, {"role.pep", "crime"},
              {"sanction", "sanction.linked"}, {"poi", "mare.shadow"})


def test_a_topic_view_scores_as_the_whole_index_and_finds_what_it_finds(
        matcher: Matcher) -> None:
    carried = {e.id: set(entity_topics(e)) for e in matcher.entities}
    compared = 0
    for query in _queries(matcher, 60, seed=5):
        whole = {r.entity.id: r.score
                 for r in matcher.match(query, limit=LIMIT, threshold=0.3)}
        for topics in TOPIC_SETS:
            seen = {r.entity.id: r.score for r in
                    matcher.match(query, limit=LIMIT, threshold=0.3, topics=topics)}
            assert all(carried[eid] & topics for eid in seen), (query, topics)
            for eid, score in seen.items():
                assert score == whole[eid], (query, eid)  # the same score, one rarity table
                compared += 1
            missing = {eid for eid in whole if carried[eid] & topics} - set(seen)
            assert not missing, (query, topics, missing)
    assert compared > 100


def test_the_pep_and_sanction_listings_of_one_name(matcher: Matcher) -> None:
    query = Query("Ivan Petrov", schema="Person")
    whole = {r.entity.id: r.score for r in matcher.match(query, limit=20, threshold=0.5)}
    assert {"os-ivan", "os-ivana", "os-both", "os-plain"} <= set(whole)
    sanction = {r.entity.id: r.score
                for r in matcher.match(query, limit=20, threshold=0.5, topics={"sanction"})}
    pep = {r.entity.id: r.score
           for r in matcher.match(query, limit=20, threshold=0.5, topics=["role.pep"])}
    assert "os-ivan" in sanction and "os-ivana" not in sanction and "os-plain" not in sanction
    assert "os-ivana" in pep and "os-ivan" not in pep
    assert "os-former" not in pep  # exact topics, as yente: role.pep is not role.pep.frmr
    assert sanction["os-both"] == pep["os-both"] == whole["os-both"]


def test_a_topic_nobody_carries_selects_nothing_and_none_is_everything(
        matcher: Matcher) -> None:
    query = Query("Ivan Petrov")
    whole = matcher.match(query, limit=20, threshold=0.3)
    assert whole
    assert matcher.match(query, limit=20, threshold=0.3, topics={"no.such.topic"}) == []
    assert matcher.match(query, limit=20, threshold=0.3, topics=set()) == whole
    assert matcher.view(None, None) is None and matcher.view(None, ()) is None
    empty = matcher.view(None, {"no.such.topic"})
    assert empty is not None and empty.size == 0


def test_topics_and_sources_together(matcher: Matcher) -> None:
    query = Query("Ivan Petrov")
    both = matcher.match(query, limit=LIMIT, threshold=0.3, sources={"os_default"},
                         topics={"sanction"})
    assert both and all(r.entity.source == "os_default" and "sanction" in
                        entity_topics(r.entity) for r in both)
    un_only = matcher.match(Query("ABDUL RAHMAN YASIN"), limit=LIMIT, threshold=0.3,
                            sources={"un_sc_sanctions", "un_small"}, topics={"role.pep"})
    assert un_only == []  # the UN's listings carry sanction only


def test_topic_tables_are_arrays_that_pickle(matcher: Matcher) -> None:
    assert isinstance(matcher._topic_starts, np.ndarray)
    assert isinstance(matcher._topic_ids, np.ndarray)
    assert len(matcher._topic_starts) == len(matcher.entities) + 1
    for pos, entity in enumerate(matcher.entities):
        assert matcher.topics_of(pos) == entity_topics(entity)
    query = Query("Ivan Petrov")
    before = matcher.match(query, limit=10, threshold=0.3, topics={"role.pep"})
    copy = pickle.loads(pickle.dumps(matcher))
    after = copy.match(query, limit=10, threshold=0.3, topics={"role.pep"})
    assert [(r.entity.id, r.score) for r in after] == [(r.entity.id, r.score) for r in before]


def test_a_restricted_index_keeps_the_topics(matcher: Matcher) -> None:
    keep = {"os-ivan", "os-ivana", "os-both"}
    sub = matcher.restricted(keep)
    query = Query("Ivan Petrov")
    found = {r.entity.id for r in sub.match(query, limit=10, threshold=0.3,
                                            topics={"role.pep"})}
    assert found == {"os-ivana", "os-both"}


def test_a_party_in_a_topic_view(entities: list[Entity]) -> None:
    """A PEP listing and a sanction listing linked as one party: in the PEP view the
    party's result is its PEP listing, the sanction listing named in ``also``, unscored."""
    built = Matcher.from_entities(entities)
    built.parties = Parties.build({"os-ivan": "os-ivan", "os-ivana": "os-ivan"},
                                  built.entities)
    query = Query("Ivan Petrov", schema="Person")
    pep = built.match(query, limit=10, threshold=0.5, topics={"role.pep"})
    party = next(r for r in pep if r.party == "os-ivan")
    assert party.entity.id == "os-ivana"
    assert [(a.entity.id, a.score) for a in party.also] == [("os-ivan", None)]
    whole = built.match(query, limit=10, threshold=0.5)
    both = next(r for r in whole if r.party == "os-ivan")
    assert {both.entity.id, *(a.entity.id for a in both.also)} == {"os-ivan", "os-ivana"}
    assert all(a.score is not None for a in both.also)  # both compared without the view


@pytest.mark.parametrize(("given", "wanted"), [
    ("sanction", ("sanction",)),  # one topic, not its letters
    ([" role.pep ", "sanction", "role.pep"], ("role.pep", "sanction")),  # stripped, once
    ((), ()),
])
def test_wanted_topics(given: str | list[str] | tuple[str, ...],
                       wanted: tuple[str, ...]) -> None:
    assert wanted_topics(given) == wanted


@pytest.mark.parametrize("given", ["", "  ", ["sanction", ""], ("\t",)])
def test_a_blank_wanted_topic_is_refused(given: str | list[str] | tuple[str, ...]) -> None:
    with pytest.raises(ConfigError, match="a topic is blank"):
        wanted_topics(given)
