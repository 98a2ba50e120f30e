"""Link refresh in bounded memory: with fewer than two active lists no entity is read; with
more, each entity is kept only as what the linker reads (``link_view``), and the proposals,
their evidence, confidence and the report are exactly those over the whole entities, on the
project's link fixtures and on real lists."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from discreet.lists.load import read_list
from discreet.model import Entity
from discreet.regimes.links import LinkReport, link_view, propose_links, refresh_links
from discreet.store import ParsedList, SameAs, Store
from tests.conftest import require_shared
from tests.regimes.test_links import fixture_entities, load_fixture


def _same(entities: list[Entity]) -> tuple[list[SameAs], LinkReport]:
    """Proposals over the entities, checked equal (every field) to those over their views."""
    whole, report = propose_links(entities)
    viewed, view_report = propose_links([link_view(e) for e in entities])
    assert viewed == whole
    assert [s.evidence for s in viewed] == [s.evidence for s in whole]
    mine, theirs = report.to_dict(), view_report.to_dict()
    mine.pop("seconds")
    theirs.pop("seconds")
    assert mine == theirs
    return whole, report


def test_views_propose_what_the_entities_propose() -> None:
    links, report = _same(fixture_entities())
    assert report.by_basis["identifier"] == 5 and len(links) >= 7


def test_views_on_real_lists_propose_the_same() -> None:
    lists = require_shared()
    files = [lists / "un" / "un_consolidated_2026-02-27.xml",
             lists / "eu_fsf" / "eu_fsf_1_1_excerpt_2026-08-05.xml",
             lists / "uk_fcdo" / "uk_sanctions_list_excerpt_2026-09-10.xml",
             lists / "uk_ofsi_conlist" / "sanctionsconlist_2014-04-02.csv"]
    entities = [Entity.from_dict(json.loads(data)) for path in files
                for _, data in read_list(path).records.values()]
    links, report = _same(entities)
    assert len(links) > 50 and report.refused  # real evidence, refusals included


def test_a_view_drops_what_linking_never_reads() -> None:
    entity = fixture_entities()[0]
    entity.remarks.append("Director of a bank; UN Ref QDi.086")
    entity.remarks.append("a long remark " * 100)
    entity.programmes.append("SDGT")
    entity.properties["website"] = ["https://example.org"]
    view = link_view(entity)
    assert view.remarks == ["Director of a bank; UN Ref QDi.086"]
    assert not view.programmes and "website" not in view.properties
    assert [n.value for n in view.names] == [n.value for n in entity.names]
    assert view.identifiers == entity.identifiers and view.birth_dates == entity.birth_dates
    assert len(view.to_json()) < len(entity.to_json())


class _Reads:
    """Counts the entities a store hands out (the store is real; this only counts)."""

    def __init__(self, store: Store) -> None:
        self.count = 0
        self._entities = store.entities
        store.entities = self  # type: ignore[method-assign]

    def __call__(self, source: str, version: int | None = None) -> Iterator[Entity]:
        for entity in self._entities(source, version):
            self.count += 1
            yield entity


def test_one_list_reads_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path / "one.db") as store:
        load_fixture(store)
        assert refresh_links(store).links > 0 and store.links()
        reads = _Reads(store)
        refresh_links(store)
        assert reads.count == sum(v.entities for v in store.active())  # two lists: read
        keep = "un_sc_sanctions"
        only = [e for e in fixture_entities() if e.source == keep]
        others = {v.source for v in store.active()} - {keep}
    with Store.open(tmp_path / "single.db") as store:
        records = {e.id: (e.content_hash(), e.to_json()) for e in only}
        store.write(ParsedList(source=keep, authority="UN", format="test",
                               file_name="un.xml", sha256="1" * 64, published="2026-01-01",
                               records=records))
        reads = _Reads(store)
        report = refresh_links(store)
        assert reads.count == 0  # one list: nothing to link across, nothing read
        assert report.links == 0 and report.entities == len(only)
        assert store.links() == []
    assert others  # the fixture has several lists, and only one was stored above


def _write(store: Store, source: str, entities: list[Entity]) -> None:
    records = {e.id: (e.content_hash(), e.to_json()) for e in entities}
    store.write(ParsedList(source=source, authority="FtM", format="test",
                           file_name=f"{source}.json", sha256=source[:1] * 64,
                           published="2026-01-01", records=records))


def test_a_list_is_a_stored_source(tmp_path: Path) -> None:
    """One file whose entities name several datasets (an FtM export) is one list: nothing
    is linked inside it; across stored sources the links are those of the entities with
    their stored source as their list."""
    entities = fixture_entities()
    assert len({e.source for e in entities}) > 2
    with Store.open(tmp_path / "bundle.db") as store:
        _write(store, "bundle", entities)  # every list's entities in one source
        reads = _Reads(store)
        assert refresh_links(store).links == 0 and reads.count == 0
    un = [e for e in entities if e.source == "un_sc_sanctions"]
    rest = [e for e in entities if e.source != "un_sc_sanctions"]
    with Store.open(tmp_path / "two.db") as store:
        _write(store, "bundle", rest)
        _write(store, "un_sc_sanctions", un)
        report = refresh_links(store)
        stored = {(s.a, s.b) for s in store.links()}
    expected, _ = propose_links([link_view(e, "bundle") for e in rest] + un)
    assert stored == {(s.a, s.b) for s in expected} and report.links == len(expected)
    assert stored  # the UN's listings are linked to the others
    un_ids = {e.id for e in un}
    assert all((a in un_ids) != (b in un_ids) for a, b in stored)  # never inside the bundle
    whole, _ = propose_links(entities)
    assert any(s.a not in un_ids and s.b not in un_ids for s in whole)  # which it would be
