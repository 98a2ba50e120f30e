"""A big FtM file read by forked workers gives what the reading in one process gives: the same
records, counts and warnings, and the same refusal (file, line, cause) for a bad line."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from discreet.errors import ParseError
from discreet.lists.load import read_list
from discreet.sources.common.base import ListMeta
from discreet.sources.common.guard import MAX_NAME_CHARS
from discreet.sources.opensanctions.ftm_parallel import read_parallel, workers_for
from discreet.store import ParsedList, Store
from discreet.store.spool import RecordSpool
from discreet.store.writer import content_hash

CHUNK = 700  # bytes: a few lines a chunk, so that every file here is many chunks


@pytest.fixture(autouse=True)
def _small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("discreet.sources.opensanctions.ftm_parallel.CHUNK_BYTES", CHUNK)


def _line(ident: str, schema: str, datasets: tuple[str, ...] = ("synth",),
          **props: Any) -> dict[str, Any]:
    return {"id": ident, "schema": schema, "properties": props, "datasets": list(datasets)}


def _lines(n: int = 60) -> list[dict[str, Any]]:
    """Persons and companies with their related entities before, after and far from them,
    nested ones, repeats, odd values, an unknown schema, a nameless entity, a garbled name."""
    lines = [_line("s-late", "Sanction", entity=["p-50"], programId=["SDGT"],
                   listingDate=["2019-01-01"])]
    for i in range(n):
        props: dict[str, Any] = {"name": [f"Person Number{i}"], "topics": ["role.pep"],
                                 "birthDate": [f"19{50 + i % 40}"]}
        if i % 7 == 0:
            props["addressEntity"] = [f"addr-{i}"]
        if i % 11 == 0:
            props["sanctions"] = [{"id": f"ns-{i}", "schema": "Sanction",
                                   "properties": {"programId": ["IRAN"]}}]
        if i % 13 == 0:
            props["flag"] = [True]  # an odd value
        lines.append(_line(f"p-{i}", "Person" if i % 3 else "Company", **props))
        if i % 5 == 0:
            lines.append(_line(f"s-{i}", "Sanction", entity=[f"p-{i}"], programId=["UKR"]))
    lines += [_line(f"addr-{i}", "Address", full=[f"{i} Main St"], country=["us"])
              for i in range(0, n, 7)]
    lines += [_line("p-3", "Person", name=["A repeat"]), _line("x-1", "Persn", name=["Typo"]),
              _line("p-none", "Person", topics=["crime"]),
              _line("p-odd", "Person", ("other",), name=["Ã©tienne"]),
              _line("id-9", "Passport", holder=["p-9"], number=["X9"], country=["fr"]),
              _line("s-nobody", "Sanction", entity=["nobody"])]
    return lines


def _write(path: Path, lines: list[dict[str, Any]], end: str = "\n", head: str = "") -> Path:
    text = head + "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + end
    path.write_text(text, encoding="utf-8")
    return path


def _same(one: ParsedList, other: ParsedList) -> None:
    assert isinstance(one.records, RecordSpool) and one.records.on_disk
    assert (one.source, one.authority, one.format, one.sha256, one.published) == \
        (other.source, other.authority, other.format, other.sha256, other.published)
    assert one.warnings == other.warnings
    assert len(one.records) == len(other.records)
    assert content_hash(one.records) == content_hash(other.records)
    assert dict(one.records.items()) == dict(other.records.items())


@pytest.mark.parametrize(("end", "head"), [("\n", ""), ("", "\ufeff"), ("\n\n  \n", "\n")])
def test_workers_give_the_records_and_warnings_of_one_process(
        tmp_path: Path, end: str, head: str) -> None:
    path = _write(tmp_path / "entities.ftm.json", _lines(), end, head)
    apart = read_list(path, workers=2, spill_after=10)
    here = read_list(path, workers=0, spill_after=10)
    _same(apart, here)
    assert apart.source == "ftm"  # two datasets: the default name
    joined = "\n".join(apart.warnings)
    for said in ("p-3 appears twice", "no name", "look garbled", "unknown schema 'Persn'",
                 "values of 'flag'", "not applied"):
        assert said in joined
    assert ("ends without a line break" in joined) == (end == "")


def test_one_dataset_names_the_list_and_source_wins(tmp_path: Path) -> None:
    lines = [x for x in _lines(30) if x["datasets"] == ["synth"]]
    path = _write(tmp_path / "one.ftm.json", lines)
    _same(read_list(path, workers=2, spill_after=5), read_list(path, workers=0, spill_after=5))
    named = read_list(path, source="mine", workers=2, spill_after=5)
    _same(named, read_list(path, source="mine", workers=0, spill_after=5))
    assert read_list(path, workers=2).source == "synth" and named.source == "mine"


def test_the_store_holds_the_same_version(tmp_path: Path) -> None:
    """Written from a spool on disk (copied by the database) or from memory: one store."""
    path = _write(tmp_path / "entities.ftm.json", _lines())
    with Store.open(tmp_path / "a.db") as one, Store.open(tmp_path / "b.db") as two:
        first = one.write(read_list(path, workers=2, spill_after=10))
        second = two.write(read_list(path, workers=0))
        assert (first.entities, first.added, first.status) == \
            (second.entities, second.added, second.status)
        assert list(one.entity_data("ftm")) == list(two.entity_data("ftm"))
        assert one.write(read_list(path, workers=2, spill_after=10)).status == "unchanged"


@pytest.mark.parametrize(("end", "head"), [("\n", ""), ("", "\ufeff")])
def test_the_reading_hashes_the_bytes_it_cuts(tmp_path: Path, end: str, head: str) -> None:
    """The file's SHA-256 comes from the first pass's cut (the loader does not read the
    file a third time), and it is the hash of every byte: a mark at the start, no break at
    the end."""
    path = _write(tmp_path / "entities.ftm.json", _lines(), end=end, head=head)
    meta = ListMeta(file_name=path.name)
    for _ in read_parallel(path, meta, str, workers=2, chunk_bytes=CHUNK):
        pass
    assert meta.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def _written_otherwise(item: dict[str, Any]) -> str:
    """The same entity in other JSON text: keys in reverse, spaces, every non-ASCII letter
    escaped, and its properties stated twice (the last one counts)."""
    head = {k: item[k] for k in reversed(list(item)) if k != "properties"}
    text = json.dumps(head, ensure_ascii=True, indent=1)[:-1].rstrip()
    return (text.replace("\n", " ") + ', "properties": {"programId": ["WRONG"]}, '
            f'"properties": {json.dumps(item["properties"], ensure_ascii=True)} }}')


@pytest.mark.parametrize("workers", [2, 0])
def test_a_related_entity_reads_the_same_however_its_line_is_written(
        tmp_path: Path, workers: int) -> None:
    """A related entity (Sanction, Passport, Address) is kept as its line's own text until
    its listed entity is read: what that text says, not how it is written, makes the
    entity."""
    lines = [*_lines(), _line("s-é", "Sanction", entity=["p-1"], programId=["UKRÉ"],
                              reason=["“quoted” – dash"])]
    plain = _write(tmp_path / "plain.ftm.json", lines)
    other = tmp_path / "other.ftm.json"
    other.write_text("\n".join(_written_otherwise(x) if x["schema"] in
                               ("Sanction", "Passport", "Address") else json.dumps(x)
                               for x in lines) + "\n", encoding="utf-8")
    assert other.read_bytes() != plain.read_bytes()
    one, two = read_list(plain, workers=workers), read_list(other, workers=workers)
    assert dict(one.records.items()) == dict(two.records.items())
    assert content_hash(one.records) == content_hash(two.records)
    assert any("UKRÉ" in data for _, data in one.records.values())


BAD = [
    ('{"id": "p-9", "schema": "Person", "properties": {"name": ["X"]}', "malformed JSON"),
    ('{"id": null, "schema": "Person"}', "the id must be a non-empty string"),
    ('{"id": "p-9", "schema": "Person", "properties": {"name": [3]}}', "a name must be a string"),
    ('{"id": "q", "schema": "Sanction", "properties": {"sanctions": [{"schema": 1}]}}',
     "the schema must be a non-empty string"),
    (json.dumps(_line("p-long", "Person", name=["x" * (MAX_NAME_CHARS + 1)])), "over the limit"),
]


@pytest.mark.parametrize(("text", "cause"), BAD)
def test_a_bad_line_in_a_worker_is_refused_as_in_one_process(
        tmp_path: Path, text: str, cause: str) -> None:
    lines = [json.dumps(x) for x in _lines()]
    lines.insert(40, text)
    lines.insert(70, BAD[0][0])  # a later bad line is not the one named
    path = tmp_path / "bad.ftm.json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors = []
    for workers in (2, 0):
        with pytest.raises(ParseError) as caught:
            read_list(path, workers=workers)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert errors[0].startswith("bad.ftm.json, line 41") and cause in errors[0]


def test_many_garbled_names_refuse_the_file_as_in_one_process(tmp_path: Path) -> None:
    lines = [_line(f"p-{i}", "Person", name=[f"Ã©tienne Ã‰mile {i}"]) for i in range(40)]
    path = _write(tmp_path / "garbled.ftm.json", lines)
    errors = []
    for workers in (2, 0):
        with pytest.raises(ParseError) as caught:
            read_list(path, workers=workers)
        errors.append(str(caught.value))
    assert errors[0] == errors[1] and "look garbled" in errors[0]


def test_spool_keeps_the_first_of_each_id_within_and_across_batches() -> None:
    spool = RecordSpool(spill_after=2)
    assert spool.add_many([("a", "h1", "1"), ("b", "h2", "2"), ("a", "h3", "3")]) == \
        [True, True, False]
    assert spool.add_many([("c", "h4", "4"), ("d", "h5", "5")]) == [True, True]  # spilled
    assert spool.on_disk
    assert spool.add_many([("e", "h6", "6"), ("c", "h7", "7"), ("e", "h8", "8"),
                           ("f", "h9", "9")]) == [True, False, False, True]
    spool.seal()
    assert len(spool) == 6
    assert dict(spool.items()) == {"a": ("h1", "1"), "b": ("h2", "2"), "c": ("h4", "4"),
                                   "d": ("h5", "5"), "e": ("h6", "6"), "f": ("h9", "9")}
    spool.close()


def test_workers_only_for_a_big_file_in_a_process_of_one_thread(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "entities.ftm.json", _lines(5))
    assert workers_for(path) == 0  # small: read here
    monkeypatch.setattr("discreet.sources.opensanctions.ftm_parallel.MIN_BYTES", 1)
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: {0, 1, 2})
    assert workers_for(path) == 3
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert workers_for(path) == 0  # a fork would copy this thread alone
    finally:
        stop.set()
        other.join()
