"""The persisted index (match/persist.py): written once, opened by memory-mapping, the same
results as the index built in memory; stale, damaged or untrusted files never used.

Real stores (a SQLite file, a PostgreSQL database), real files, real subprocesses: the own
fixture lists of several formats, plus a generated list so that the index is large enough
to propose candidates (more than the 1,000 names every query is compared with whole).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import random
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from psycopg.conninfo import make_conninfo

from discreet.lists.load import load_file
from discreet.match import Matcher, MatchResult, Query
from discreet.match.matcher import EntityRecords, EntityRows
from discreet.match.persist import (
    ENV_DIR,
    ENV_MODE,
    INDEX_FORMAT,
    MANIFEST,
    PICKLE,
    IndexFileError,
    PackedList,
    PackedNames,
    build_index,
    index_key,
    index_root,
    load,
    open_matcher,
    save,
)
from discreet.match.prepare import PreparedName
from discreet.model import DateSpec, Entity, Name
from discreet.screen.bulk import entity_by_id, programmes_of
from discreet.store import SameAs, Store
from tests.api.helpers import load_entities, org, person

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
LISTS = (("ofac_xml/sdn_sample.xml", None), ("un/un_small.xml", None),
         ("eu_fsf/eu_small.xml", None), ("uk_fcdo/uk_small.xml", None),
         ("ofac_enhanced/sdn_enhanced_sample.xml", "test_ofac_enhanced"),
         ("ftm/entities.ftm.json", "test_ftm"))
FIRST = ("Ivan", "Sergei", "Mikhail", "Olga", "Anna", "Ahmed", "Mohammed", "Ali", "Hassan",
         "Kim", "Jong", "Wei", "Li", "Maria", "Jose", "Juan", "Pierre", "Hans", "Ali Reza")
LAST = ("Petrov", "Ivanov", "Sidorov", "Smirnov", "Kuznetsov", "Popov", "Al-Rashid",
        "Hussein", "Khan", "Nasser", "Park", "Chen", "Wang", "Garcia", "Lopez", "Dupont",
        "Muller", "Karimi", "Tehrani", "Petrovsky", "Ivanenko", "Sokolova")
WORDS = ("Trading", "Shipping", "Energy", "Bank", "Holding", "Invest", "Oil", "Steel",
         "Maritime", "Petroleum", "Logistics")


@pytest.fixture(autouse=True)
def _own_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Indexes where each test puts them, not where the machine's environment says."""
    monkeypatch.delenv(ENV_DIR, raising=False)
    monkeypatch.delenv(ENV_MODE, raising=False)


def _generated(count: int, seed: int, source: str) -> list[Entity]:
    """Persons and organisations with names from small pools (many alike), some with birth
    dates, countries and aliases."""
    rng = random.Random(seed)
    out: list[Entity] = []
    for number in range(count):
        eid = f"{source}-{number}"
        if number % 4:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            entity = person(eid, name, source, rng.choice([None, f"19{rng.randint(40, 99)}"]),
                            rng.choice([None, "ru", "ir", "kp", "sy"]))
            if rng.random() < 0.3:
                entity.names.append(Name(f"{rng.choice(LAST)}, {rng.choice(FIRST)}", "alias"))
        else:
            entity = org(eid, f"{rng.choice(LAST)} {rng.choice(WORDS)} {rng.choice(WORDS)}",
                         source, rng.choice([None, "ae", "cy", "ru"]))
        out.append(entity.finish())
    return out


def _fill(store: Store, generated: int = 1200) -> None:
    for rel, source in LISTS:
        load_file(store, FIXTURES / rel, source=source)
    load_entities(store, "test_generated", _generated(generated, 7, "test_generated"))


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding the lists, made once (each test gets a copy of the file)."""
    path = tmp_path_factory.mktemp("template") / "store.db"
    with Store.open(path) as opened:
        _fill(opened)
        opened.db.size_bytes()  # the write-ahead log checkpointed into the file
    return path


@pytest.fixture
def store(filled: Path, tmp_path: Path) -> Iterator[Store]:
    shutil.copyfile(filled, tmp_path / "store.db")
    with Store.open(tmp_path / "store.db") as opened:
        yield opened


def _queries(matcher: Matcher, count: int, seed: int) -> list[Query]:
    """List names as written, with a typo, reordered, cut, with and without the other
    evidence; names in other scripts; names of nobody."""
    rng = random.Random(seed)
    names = sorted({n.value for e in matcher.entities for n in e.names})
    out = [Query("Nobody Atall Zzyzx"), Query("Иван Петров"), Query("محمد حسين"),
           Query("BNC"), Query("Banco Nacional de Cuba", schema="Organization")]
    while len(out) < count:
        words = rng.choice(names).split()
        if len(words) > 1 and rng.random() < 0.3:
            words = rng.sample(words, len(words))
        if rng.random() < 0.3:
            at = rng.randrange(len(words))
            word = words[at]
            if len(word) > 3:
                i = rng.randrange(1, len(word) - 1)
                words[at] = word[:i] + word[i + 1:]
        out.append(Query(" ".join(words), schema=rng.choice([None, "Person", "Organization"]),
                         birth_date=rng.choice([None, "1961", "1970-03-15"]),
                         countries=tuple(rng.choice([(), ("ru",), ("ir", "sy")]))))
    return out


def _answer(results: list[MatchResult]) -> list[tuple[Any, ...]]:
    """Everything a result says: entity, score, party, the other listings, explanation."""
    return [(r.entity.id, r.entity.to_json(), r.score, r.party,
             tuple((a.entity.id, a.score) for a in r.also), r.explanation.to_text(),
             json.dumps(r.explanation.to_dict(), sort_keys=True, default=str))
            for r in results]


def _same(a: Matcher, b: Matcher, queries: list[Query], **options: Any) -> int:
    """Assert both matchers answer every query identically; how many results there were."""
    found = 0
    for query in queries:
        left, right = a.match(query, **options), b.match(query, **options)
        assert _answer(left) == _answer(right), query
        found += len(left)
    return found


def _folder(store: Store) -> Path:
    root = index_root(store)
    assert root is not None
    return root / index_key(store)


def _records(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "discreet.match.persist"]


# ---------------------------------------------------------------- round trip


def test_saved_and_loaded_matcher_answers_exactly_as_the_built_one(store: Store,
                                                                    tmp_path: Path) -> None:
    store.replace_proposed_links([SameAs("test_generated-1", "test_generated-5", "name", 0.9,
                                         ("test",))])
    built = Matcher.from_store(store)
    assert len(built.names) > 1000 and not built.scan  # the index proposes candidates
    assert built.parties is not None
    folder = save(built, tmp_path / "saved")
    loaded = load(folder)
    # the arrays are the files, mapped; the entities and names decoded when read
    assert isinstance(loaded.index._flat.base, np.memmap)
    assert not loaded.index._flat.flags.writeable
    # so are the keys' twins, told at the build: opening tells nothing, shares them
    assert isinstance(loaded.index._twins.base, np.memmap)
    assert loaded.index._twins.tolist() == built.index._twins.tolist()
    # (an index built from a store keeps its entities as the store's records, JSON, and
    # writes them as their rows: every entity read back the same)
    assert isinstance(built.entities, EntityRecords)
    assert type(loaded.entities) is EntityRows
    assert list(loaded.entities) == list(built.entities)
    assert [e.to_json() for e in loaded.entities] == [e.to_json() for e in built.entities]
    assert loaded.names is loaded.tables.names
    assert len(loaded) == len(built) and len(loaded.names) == len(built.names)
    queries = _queries(built, 600, seed=1)
    assert _same(built, loaded, queries) > 300
    assert _same(built, loaded, queries[:150], limit=10, threshold=0.5)
    assert _same(built, loaded, queries[:150], collapse=False)
    some = frozenset({"test_generated", "un_sc_sanctions"})
    assert _same(built, loaded, queries[:150], sources=some)
    # what a bulk worker receives (pickled) and what re-screening makes of it
    shipped = pickle.loads(pickle.dumps(loaded))
    assert _same(built, shipped, queries[:100])
    ids = [e.id for e in built.entities][::7]
    assert _same(built.restricted(ids), loaded.restricted(ids), queries[:150])
    # a loaded matcher saved again is the same index
    again = load(save(loaded, tmp_path / "again"))
    assert _same(built, again, queries[:100])


def test_packed_list_reads_like_a_list() -> None:
    items = [Entity(f"e{i}", "Person", names=[Name(f"Name {i}")]).finish() for i in range(100)]
    packed = PackedList.pack(items)
    assert len(packed) == 100
    assert packed[0] == items[0] and packed[-1] == items[-1] and packed[57] == items[57]
    assert packed[10:13] == items[10:13] and packed[::-25] == items[::-25]
    assert list(packed) == items
    with pytest.raises(IndexError):
        packed[100]
    with pytest.raises(IndexError):
        packed[-101]
    assert pickle.loads(pickle.dumps(packed))[42] == items[42]


def test_prepared_names_are_packed_as_their_states(store: Store, tmp_path: Path) -> None:
    """A persisted index packs its prepared names as their states, without the class in
    each (a fifth smaller), and reads each back slot by slot: every field set, the very
    name the built index holds (the index a build writes, and one saved from memory)."""
    built = Matcher.from_store(store)
    loaded = load(save(built, tmp_path / "saved"))
    names: object = loaded.names
    assert type(names) is PackedNames and names is loaded.tables.names
    odd = [i for i, n in enumerate(built.names) if n.spans or n.abjad or n.org or n.syllabic
           or n.legal]
    assert odd
    for i in [*range(0, len(built.names), 97), *odd[:200]]:
        got, want = loaded.names[i], built.names[i]
        assert [getattr(got, f.name) for f in fields(PreparedName)] == \
            [getattr(want, f.name) for f in fields(PreparedName)]
        assert got == want and hash(got) == hash(want)
    whole, states = PackedList.pack(built.names[:500]), PackedNames.pack(built.names[:500])
    assert list(states) == list(whole) == built.names[:500]
    assert len(states._blob) < 0.9 * len(whole._blob)
    opened: object = open_matcher(store).names
    assert type(opened) is PackedNames  # written by a build (Beside)



def test_a_prepared_name_s_state_of_other_fields_is_refused() -> None:
    """A state with a field fewer or more than a prepared name has (packed by code of
    other fields, in an index the format version failed to mark stale) is refused when
    read, never read back as a name with a field left unset or a value in the wrong one."""
    import marshal

    from discreet.match.prepare import prepare_name
    from discreet.match.rarity import default_rarity

    name = prepare_name("Ann Lee", "person", default_rarity())
    state: tuple[Any, ...] = tuple(name.__getstate__())
    for wrong in (state[:-1], (*state, "extra")):
        blob = np.frombuffer(marshal.dumps(wrong), np.uint8)
        packed = PackedNames(blob, np.array([0, len(blob)], np.int64))
        with pytest.raises(ValueError):
            packed[0]
    blob = np.frombuffer(marshal.dumps(state), np.uint8)
    assert PackedNames(blob, np.array([0, len(blob)], np.int64))[0] == name


# ---------------------------------------------------------------- a store's index


def test_built_once_then_opened(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "discreet.match.persist")
    first = open_matcher(store)
    assert any("index built" in m for m in _records(caplog))
    folder = _folder(store)
    assert folder.parent == Path(str(store.db.url) + ".index")
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["key"] == folder.name == index_key(store)
    assert len(manifest["files"]) > 5 and PICKLE in manifest["files"]
    assert oct(folder.parent.stat().st_mode & 0o777) == "0o700"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    stamp = (folder / PICKLE).stat().st_mtime_ns
    caplog.clear()
    second = open_matcher(store)
    assert any("index opened" in m for m in _records(caplog))
    assert not any("index built" in m for m in _records(caplog))
    assert (folder / PICKLE).stat().st_mtime_ns == stamp
    _same(Matcher.from_store(store), second, _queries(first, 200, seed=2))
    assert build_index(store) == folder and (folder / PICKLE).stat().st_mtime_ns == stamp


def test_a_new_list_version_or_link_makes_the_index_stale(
        store: Store, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "discreet.match.persist")
    old = open_matcher(store)
    first = _folder(store)
    assert not old.match(Query("Zbigniew Brzeczyszczykiewicz"))
    listed = [*_generated(1200, 7, "test_generated"),
              person("test_generated-new", "Zbigniew Brzeczyszczykiewicz", "test_generated")]
    load_entities(store, "test_generated", listed)
    caplog.clear()
    fresh = open_matcher(store)
    second = _folder(store)
    assert second != first
    assert any("stale" in m and first.name in m for m in _records(caplog))
    assert fresh.match(Query("Zbigniew Brzeczyszczykiewicz"))[0].entity.id == "test_generated-new"
    assert first.exists()  # the newest two are kept
    # a link changes the parties: a new index too, and the oldest is removed
    store.replace_proposed_links([SameAs("test_generated-1", "test_generated-new", "name",
                                         0.9, ("test",))])
    linked = open_matcher(store)
    assert _folder(store) not in {first, second}
    assert linked.parties is not None and linked.parties.party("test_generated-new")
    assert not first.exists() and second.exists()
    # the old matcher still answers from its files, though they were removed
    _same(old, Matcher.from_entities(list(old.entities)), _queries(old, 100, seed=3))


def _flip_array(folder: Path) -> str:
    largest = max(folder.glob("a*.npy"), key=lambda p: p.stat().st_size)
    data = bytearray(largest.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, in the data (not the header)
    largest.write_bytes(bytes(data))
    return largest.name


def _truncate_pickle(folder: Path) -> str:
    path = folder / PICKLE
    path.write_bytes(path.read_bytes()[:-100])
    return PICKLE


def _delete_manifest(folder: Path) -> str:
    (folder / MANIFEST).unlink()
    return MANIFEST


def _delete_array(folder: Path) -> str:
    path = sorted(folder.glob("a*.npy"))[0]
    path.unlink()
    return path.name


def _group_writable(folder: Path) -> str:
    path = sorted(folder.glob("a*.npy"))[-1]
    path.chmod(0o664)
    return path.name


def _other_owner(folder: Path) -> str:
    if os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root (CI runs as root)")
    os.chown(folder / PICKLE, 65534, 65534)
    return PICKLE


def _manifest_lies(folder: Path) -> str:
    path = folder / MANIFEST
    manifest = json.loads(path.read_text())
    manifest["files"][PICKLE]["size"] += 1
    path.write_text(json.dumps(manifest))
    return PICKLE


def _format_before(folder: Path) -> str:
    """An index of the format before (6: its keys' twins told at each open, not written):
    stale, whatever its files hold."""
    path = folder / MANIFEST
    manifest = json.loads(path.read_text())
    manifest["format"] = INDEX_FORMAT - 1
    path.write_text(json.dumps(manifest))
    return MANIFEST


def _unreadable_pickle(folder: Path) -> str:
    """A cut pickle whose manifest was made to agree: the hashes pass, the reading fails."""
    path = folder / PICKLE
    path.write_bytes(path.read_bytes()[:len(path.read_bytes()) // 2])
    manifest_path = folder / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest["files"][PICKLE] = {"size": path.stat().st_size,
                                 "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    manifest_path.write_text(json.dumps(manifest))
    return PICKLE


@pytest.mark.parametrize("damage", [_flip_array, _truncate_pickle, _delete_manifest,
                                    _delete_array, _group_writable, _other_owner,
                                    _manifest_lies, _unreadable_pickle, _format_before])
def test_a_damaged_or_untrusted_index_is_logged_and_rebuilt(
        store: Store, caplog: pytest.LogCaptureFixture, damage: Any) -> None:
    open_matcher(store)
    built = Matcher.from_store(store)  # not the one open: its mapped pages are damaged too
    folder = _folder(store)
    named = damage(folder)
    with pytest.raises(IndexFileError) as failed:
        load(folder, index_key(store))
    assert named in str(failed.value)
    caplog.clear()
    caplog.set_level(logging.INFO, "discreet.match.persist")
    rebuilt = open_matcher(store)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and named in warned[0], warned
    assert any("index built" in m for m in _records(caplog))
    load(folder, index_key(store))  # whole again
    _same(built, rebuilt, _queries(built, 80, seed=4))


def test_an_untrusted_index_folder_is_not_read(store: Store, tmp_path: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    open_matcher(store)
    root = _folder(store).parent
    root.chmod(0o777)
    caplog.set_level(logging.INFO, "discreet.match.persist")
    matcher = open_matcher(store)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and "writable by group or others" in warned[0]
    assert "built in memory" in warned[0]
    assert not isinstance(matcher.entities, PackedList)  # built, not read from the files


def test_persisting_can_be_turned_off(store: Store, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch,
                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "discreet.match.persist")
    monkeypatch.setenv(ENV_MODE, "memory")
    assert len(open_matcher(store)) == len(Matcher.from_store(store))
    assert build_index(store) is None
    assert not _folder(store).parent.exists()
    assert len(_records(caplog)) == 1
    monkeypatch.delenv(ENV_MODE)
    assert open_matcher(store, persist=False) and not _folder(store).parent.exists()
    # a folder that cannot be made (here: below a file): built in memory, said once
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv(ENV_DIR, str(blocker / "indexes"))
    caplog.clear()
    matcher = open_matcher(store)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and "built in memory" in warned[0]
    assert len(matcher) == len(Matcher.from_store(store))


def test_index_folder_from_the_environment(store: Store, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DIR, str(tmp_path / "elsewhere"))
    open_matcher(store)
    folder = _folder(store)
    assert folder.parent.parent == tmp_path / "elsewhere" and (folder / MANIFEST).exists()
    assert not Path(str(store.db.url) + ".index").exists()


_RACER = textwrap.dedent("""
    import logging, sys
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from discreet.match import Query
    from discreet.match.persist import open_matcher
    from discreet.store import Store
    with Store.open(sys.argv[1]) as store:
        matcher = open_matcher(store)
        print(matcher.match(Query(sys.argv[2]))[0].entity.id)
""")


def test_concurrent_openers_build_once(store: Store, tmp_path: Path) -> None:
    script = tmp_path / "racer.py"
    script.write_text(_RACER)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(ENV_DIR, None)
    env.pop(ENV_MODE, None)
    name = Matcher.from_store(store).entities[5].names[0].value
    racers = [subprocess.Popen([sys.executable, str(script), str(store.db.url), name],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env) for _ in range(3)]
    outs = [r.communicate(timeout=300) for r in racers]
    assert all(r.returncode == 0 for r in racers), outs
    logs = "".join(err for _, err in outs)
    assert logs.count("index built") == 1, logs
    assert logs.count("index opened") == 3, logs  # the builder opens what it wrote, too
    assert len({out for out, _ in outs}) == 1
    assert len([p for p in _folder(store).parent.iterdir() if not p.name.startswith(".")]) == 1


# ---------------------------------------------------------------- PostgreSQL, the CLI


def test_postgresql_store_keeps_its_index_in_a_local_cache(
        pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    caplog.set_level(logging.INFO, "discreet.match.persist")
    with Store.open(pg_url) as pg:
        _fill(pg, generated=1100)
        built = open_matcher(pg)
        folder = _folder(pg)
        assert folder.parent.parent == tmp_path / "cache" / "discreet" / "index"
        assert (folder / MANIFEST).exists()
        opened = open_matcher(pg)
        assert any("index opened" in m for m in _records(caplog))
        _same(Matcher.from_store(pg), opened, _queries(built, 150, seed=5))
        # one store, whatever its password and however its URL is written: the folder
        # is named by the connection's parameters without the password
        for other in (pg_url.replace("postgresql://postgres@", "postgresql://postgres:s3cret@"),
                      make_conninfo(pg_url, password="s3cret")):
            assert "s3cret" in other
            monkeypatch.setattr(pg.db, "url", other)
            assert index_root(pg) == folder.parent
        monkeypatch.setattr(pg.db, "url", pg_url)
        load_entities(pg, "test_generated", _generated(1101, 7, "test_generated"))
        assert _folder(pg) != folder  # a new version: another key


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real CLI, with the library's log lines shown (INFO) on stderr."""
    code = ("import logging, sys; logging.basicConfig(level=logging.INFO, "
            "format='%(name)s: %(message)s'); from discreet.cli import main; "
            "sys.argv[0] = 'discreet'; main()")
    env = {**os.environ, "DISCREET_DB": str(db), "COLUMNS": "200", "PYTHONPATH": str(ROOT)}
    for name in (ENV_DIR, ENV_MODE, "DISCREET_DEBUG"):
        env.pop(name, None)
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return proc


def test_cli_load_builds_the_index_and_match_opens_it(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    loaded = _cli(db, "load", str(FIXTURES / "un" / "un_small.xml"))
    assert "index built" in loaded.stderr
    root = Path(str(db) + ".index")
    (folder,) = [p for p in root.iterdir() if not p.name.startswith(".")]
    stamp = (folder / PICKLE).stat().st_mtime_ns
    first = _cli(db, "match", "Abdul Rahman", "--json")
    assert "index opened" in first.stderr and "index built" not in first.stderr
    assert (folder / PICKLE).stat().st_mtime_ns == stamp
    with Store.open(db) as opened:
        expected = Matcher.from_store(opened).match(Query("Abdul Rahman"))
    found = json.loads(first.stdout)
    assert found and [r["id"] for r in found] == [r.entity.id for r in expected]
    assert [r["score"] for r in found] == [round(r.score, 4) for r in expected]
    # a second list: stale, rebuilt at the load, opened by the next match
    assert "index built" in _cli(db, "load", str(FIXTURES / "eu_fsf" / "eu_small.xml")).stderr
    second = _cli(db, "match", "Abdul Rahman", "--json")
    assert "index opened" in second.stderr and "index built" not in second.stderr
    assert len([p for p in root.iterdir() if not p.name.startswith(".")]) == 2


def test_birth_dates_and_entities_survive_exactly(tmp_path: Path) -> None:
    """Every field of every entity reads back as it was written (the packed entities)."""
    entities = _generated(300, 11, "x_list")
    entities[0].birth_dates.append(DateSpec("1961-02-03"))
    built = Matcher.from_entities(entities)
    loaded = load(save(built, tmp_path / "saved"))
    assert [e.to_json() for e in loaded.entities] == [e.to_json() for e in entities]
    assert [n for n in loaded.names] == built.names


def test_a_persisted_index_finds_entities_by_id_from_its_id_table(store: Store) -> None:
    """A re-screen's index of the changed entities and a bulk run's programmes find the
    entities by id in the persisted id table (decoding every entity cost ~16 s at 1M): the
    same positions, entities and programmes as a pass over the entities."""
    opened, built = open_matcher(store), Matcher.from_store(store)
    ids = [entity.id for entity in built.entities]
    some = [*random.Random(3).sample(ids, 60), "no-such-id"]
    expected = [i for i, entity in enumerate(built.entities) if entity.id in set(some)]
    assert opened.positions_of(some) == built.positions_of(some) == expected
    assert len(expected) >= 60
    assert [e.id for e in opened.restricted(some).entities] == \
        [e.id for e in built.restricted(some).entities]
    alerted, whole = programmes_of(opened), programmes_of(built)
    assert not isinstance(alerted, dict) and isinstance(whole, dict)
    assert not hasattr(alerted, "__iter__")  # nothing may walk it: that decodes everything
    decoded = dict(opened.entities._decoded)  # type: ignore[attr-defined]
    assert alerted.get(some[0], []) == whole.get(some[0], [])
    assert len(opened.entities._decoded) <= len(decoded) + 1  # type: ignore[attr-defined]
    assert {eid: alerted.get(eid, []) for eid in some[:-1]} == \
        {eid: whole.get(eid, []) for eid in some[:-1]}
    assert any(alerted.get(eid, []) for eid in some[:-1])  # read, not left empty
    missing: list[str] = []
    assert alerted.get("no-such-id", missing) is missing
    # a review run's findings: the entity alerted on, decoded alone
    on_demand, mapped = entity_by_id(opened), entity_by_id(built)
    before = len(opened.entities._decoded)  # type: ignore[attr-defined]
    first = on_demand(some[1])
    assert first is not None and first == mapped(some[1])
    assert len(opened.entities._decoded) <= before + 1  # type: ignore[attr-defined]
    assert [on_demand(eid) for eid in some] == [mapped(eid) for eid in some]
    assert on_demand("no-such-id") is None
