"""OpenSanctions dumps at scale: related entities wherever they stand, the nested form,
topics kept and versioned, bad lines refused, records spooled to disk, bounded memory."""

from __future__ import annotations

import gc
import io
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from discreet.errors import ParseError
from discreet.lists.load import load_file, read_list
from discreet.model import Address, Identifier
from discreet.sources.common.base import ListMeta
from discreet.sources.opensanctions.ftm_json import PARSER
from discreet.store import Store
from discreet.store.spool import RecordSpool
from discreet.store.writer import content_hash


def _line(ident: str, schema: str, **props: Any) -> dict[str, Any]:
    return {"id": ident, "schema": schema, "properties": props, "datasets": ["synth"]}


def _flat(n: int = 40) -> list[dict[str, Any]]:
    """``n`` persons; person 0's Sanction stands first in the file, person 1's long after
    it, person 2's Address and Passport far away; one Sanction names nobody in the file."""
    lines: list[dict[str, Any]] = [_line("s-0", "Sanction", entity=["p-0"], programId=["IRAN"],
                                         listingDate=["2020-01-02"])]
    for i in range(n):
        props: dict[str, Any] = {"name": [f"Person Number{i}"], "topics": ["role.pep"]}
        if i == 2:
            props["addressEntity"] = ["addr-2"]
        lines.append(_line(f"p-{i}", "Person", **props))
    lines.append(_line("s-1", "Sanction", entity=["p-1"], programId=["SDGT"],
                       startDate=["2019-05-06"]))
    lines.append(_line("addr-2", "Address", full=["1 Main St, Springfield"], city=["Springfield"],
                       country=["us"]))
    lines.append(_line("id-2", "Passport", holder=["p-2"], number=["X123"], country=["fr"]))
    lines.append(_line("s-x", "Sanction", entity=["nobody"]))
    return lines


def _write(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines),
                    encoding="utf-8")
    return path


def _parse(data: bytes) -> tuple[ListMeta, dict[str, Any]]:
    meta = ListMeta(file_name="f.json")
    found = {e.id: e for e in PARSER.parse(io.BytesIO(data), meta)}
    return meta, found


def test_related_entities_apply_wherever_they_stand(tmp_path: Path) -> None:
    path = _write(tmp_path / "entities.ftm.json", _flat())
    meta, found = _parse(path.read_bytes())
    assert len(found) == 40
    assert found["p-0"].programmes == ["IRAN"] and found["p-0"].listed_on == "2020-01-02"
    assert found["p-1"].programmes == ["SDGT"] and found["p-1"].listed_on == "2019-05-06"
    p2 = found["p-2"]
    assert p2.addresses == [Address("1 Main St, Springfield", city="Springfield", country="us")]
    assert "addressEntity" not in p2.properties  # the pointer became the address
    assert p2.identifiers == [Identifier("passport", "X123", "fr")]
    assert all(e.topics == ["role.pep"] for e in found.values())
    assert meta.extra["skipped"] == "5"
    assert meta.warnings == ["f.json: 1 related entities (Sanction, Identification…) not "
                             "applied: their listed entity is not in the file"]


def test_nested_form_gives_the_flat_forms_entities(tmp_path: Path) -> None:
    """targets.nested.json (related entities nested, their back-reference left out) reads
    as the same entities as entities.ftm.json."""
    flat = _flat(5)
    by_id = {x["id"]: x for x in flat}
    nested = []
    for i in range(5):
        target = json.loads(json.dumps(by_id[f"p-{i}"]))
        props = target["properties"]
        for key, prop, back in (("s-0", "sanctions", "entity"), ("s-1", "sanctions", "entity"),
                                ("id-2", "identification", "holder")):
            child = json.loads(json.dumps(by_id[key]))
            if child["properties"][back] == [target["id"]]:
                del child["properties"][back]
                props.setdefault(prop, []).append(child)
        if "addressEntity" in props:
            props["addressEntity"] = [by_id["addr-2"]]
        nested.append(target)
    _, from_flat = _parse(_write(tmp_path / "flat.json", flat).read_bytes())
    meta, from_nested = _parse(_write(tmp_path / "nested.json", nested).read_bytes())
    assert meta.warnings == []
    assert {k: v.to_dict() for k, v in from_nested.items()} == \
        {k: v.to_dict() for k, v in from_flat.items()}


def test_nested_ownership_points_the_right_way() -> None:
    """An Ownership nested as ``ownershipOwner`` makes the parent the owner, as
    ``ownershipAsset`` the owned."""
    owner = _line("c-1", "Company", name=["Owner Co"], ownershipOwner=[
        {"id": "o-1", "schema": "Ownership", "properties": {
            "asset": [{"id": "c-2", "schema": "Company", "properties": {"name": ["Sub"]}}],
            "role": ["shareholder"]}}])
    owned = _line("c-2", "Company", name=["Sub"], ownershipAsset=[
        {"id": "o-1", "schema": "Ownership", "properties": {"owner": ["c-1"],
                                                             "role": ["shareholder"]}}])
    data = "".join(json.dumps(x) + "\n" for x in (owner, owned)).encode()
    _, found = _parse(data)
    assert [(x.relation, x.target) for x in found["c-1"].links] == [("owner of", "c-2")]
    assert [(x.relation, x.target) for x in found["c-2"].links] == [("shareholder", "c-1")]


@pytest.mark.parametrize(("text", "line", "cause"), [
    ('{"id": "p-9", "schema": "Person", "properties": {"name": ["X"]}\n', 46, "malformed JSON"),
    ('{"id": null, "schema": "Person"}\n', 46, "the id must be a non-empty string"),
    ('{"id": "p-9", "schema": "Person", "properties": {"name": [3]}}\n', 46,
     "a name must be a string"),
    ('{"id": "q", "schema": "Sanction", "properties": {"sanctions": [{"schema": 1}]}}\n', 46,
     "the schema must be a non-empty string"),
])
def test_a_bad_line_is_refused_naming_file_and_line_and_the_last_version_stays(
        tmp_path: Path, text: str, line: int, cause: str) -> None:
    good = _write(tmp_path / "entities.ftm.json", _flat())
    with Store.open(tmp_path / "store.db") as store:
        first = load_file(store, good, source="os")
        bad = tmp_path / "bad.ftm.json"
        bad.write_text(good.read_text(encoding="utf-8") + text, encoding="utf-8")
        with pytest.raises(ParseError) as caught:
            load_file(store, bad, source="os")
        message = str(caught.value)
        assert "bad.ftm.json" in message and f"line {line}" in message and cause in message
        assert "\n" not in message
        assert [v.version for v in store.active()] == [first.version]


def test_topics_are_stored_versioned_and_diffed(store_url: str, tmp_path: Path) -> None:
    """On SQLite and PostgreSQL: topics come back from the store, and a change of topic is
    a changed entity whose diff names the field."""
    lines = _flat(3)
    path = _write(tmp_path / "v1.ftm.json", lines)
    with Store.open(store_url) as store:
        load_file(store, path, source="os", published="2025-01-01")
        assert store.entity("p-1").topics == ["role.pep"]
        lines[2]["properties"]["topics"] = ["sanction", "role.pep"]  # p-1
        second = load_file(store, _write(tmp_path / "v2.ftm.json", lines), source="os",
                           published="2025-02-01")
        assert (second.added, second.removed, second.changed) == (0, 0, 1)
        diff = store.diff("os")
        assert [(c.id, c.fields) for c in diff.changed] == [("p-1", ["topics"])]
        assert diff.changed[0].after["topics"] == ["sanction", "role.pep"]
        assert store.entity("p-1").topics == ["sanction", "role.pep"]


def _many(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            handle.write(json.dumps(_line(f"e-{i:07d}", "Person", name=[f"Name {i} Surname"],
                                          topics=["role.pep"], birthDate=["1970-01-01"])))
            handle.write("\n")
            if i % 3 == 0:  # a Sanction some lines later
                handle.write(json.dumps(_line(f"s-{i}", "Sanction",
                                              entity=[f"e-{max(i - 7, 0):07d}"],
                                              program=["IRAN"])) + "\n")
    return path


def test_records_spill_to_disk_with_the_same_content(tmp_path: Path) -> None:
    """Past ``spill_after`` entities the records go to a temporary file; the version
    stored (content hash, entities) is the one held in memory would give."""
    path = _many(tmp_path / "big.ftm.json", 300)
    seen: list[int] = []
    spooled = read_list(path, source="big", spill_after=50,
                        progress=lambda n, _s: seen.append(n))
    held = read_list(path, source="big")
    assert isinstance(spooled.records, RecordSpool) and spooled.records.on_disk
    assert len(spooled.records) == len(held.records) == 300
    assert content_hash(spooled.records) == content_hash(held.records)
    assert dict(spooled.records.items()) == dict(held.records)
    with Store.open(tmp_path / "a.db") as one, Store.open(tmp_path / "b.db") as two:
        first, second = one.write(spooled), two.write(held)
        assert (first.entities, first.added) == (second.entities, second.added) == (300, 300)
        assert [e.to_dict() for e in one.entities("big")] == \
            [e.to_dict() for e in two.entities("big")]
        again = read_list(path, source="big", spill_after=50)
        assert one.write(again).status == "unchanged"
    assert seen == []  # fewer than PROGRESS_EVERY entities


def test_duplicate_ids_on_disk_keep_the_first(tmp_path: Path) -> None:
    lines = [_line(f"e-{i % 40}", "Person", name=[f"N{i}"]) for i in range(100)]
    parsed = read_list(_write(tmp_path / "dup.ftm.json", lines), source="d", spill_after=10)
    assert len(parsed.records) == 40
    assert '"N0"' in parsed.records["e-0"][1]
    assert sum("appears twice" in w for w in parsed.warnings) == 20  # named, then counted
    assert "dup.ftm.json: 40 more entities appear twice; first kept" in parsed.warnings


def _peak(path: Path) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        with Store.open(path.with_suffix(".db")) as store:
            load_file(store, path, source="m", progress=lambda _n, _s: None)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_file(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Four times the entities, about the same peak: nothing holds the whole file. (The
    batches are made small so that both files fill them: what is measured is growth.)"""
    for name, value in (("discreet.lists.load.SPILL_AFTER", 100),
                        ("discreet.lists.load.RECORD_BATCH", 100),
                        ("discreet.store.spool._BATCH", 100),
                        ("discreet.store.writer.BATCH", 100),
                        ("discreet.store.chronology.BATCH", 100),
                        ("discreet.sources.opensanctions.ftm_json.SIDE_BATCH", 100)):
        monkeypatch.setattr(name, value)
    _peak(_many(tmp_path / "warm.ftm.json", 200))  # imports, caches
    small = _peak(_many(tmp_path / "small.ftm.json", 800))
    large = _peak(_many(tmp_path / "large.ftm.json", 3200))
    assert large < small * 1.25, (small, large)
