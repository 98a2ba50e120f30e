"""What a persisted index writes besides the matcher (the entities' lookup, the prepared
names packed), made while the index is built: in other processes when the build forks,
yet the very files a build in one process writes; and a part that fails in its process is
made again here, or fails the build, never left out.

Real stores (SQLite files) holding the own fixture lists, real forked processes (the
build's threshold for them lowered so a small store uses them too).
"""

from __future__ import annotations

import collections
import json
import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from discreet.lists.load import load_file
from discreet.match import Matcher, Query, persist
from discreet.match import matcher as matcher_module
from discreet.match.lookup import ATTRIBUTE, EntityLookup, lookup_of
from discreet.match.matcher import Beside
from discreet.match.prepare import PreparedName
from discreet.model import Entity
from discreet.store import Store
from tests.api.helpers import load_entities, org, person
from tests.match.conftest import Forks

FIRST = ("Ivan", "Olga", "Ahmed", "Ali", "Kim", "Wei", "Maria", "Jose", "Иван", "王")
LAST = ("Petrov", "Al-Rashid", "Khan", "Park", "Chen", "Garcia", "Karimi/Karimy", "小明")
ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
LISTS = (("ofac_xml/sdn_sample.xml", None), ("un/un_small.xml", None),
         ("eu_fsf/eu_small.xml", None), ("ftm/entities.ftm.json", "test_ftm"))


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("beside") / "store.db"
    with Store.open(path) as store:
        for rel, source in LISTS:
            load_file(store, FIXTURES / rel, source=source)
        load_entities(store, "test_generated", [
            (person(f"p-{i}", f"{FIRST[i % 10]} {LAST[i // 10 % 8]}", "test_generated")
             if i % 3 else org(f"o-{i}", f"{LAST[i % 8]} {i} Trading LLC", "test_generated")
             ).finish() for i in range(400)])
    return path


@pytest.fixture
def store(filled: Path) -> Iterator[Store]:
    with Store.open(filled) as opened:
        yield opened


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matcher_module, "FORK_MIN", 100)
    if not matcher_module._may_fork(1000, 0):
        pytest.skip("one core, or threads running: the build does not fork here")


def _ids(entities: Sequence[Entity]) -> tuple[int, list[str]]:
    return os.getpid(), [entity.id for entity in entities]


def _texts(names: Sequence[PreparedName]) -> tuple[int, list[str]]:
    return os.getpid(), [name.original for name in names]


def test_the_work_beside_is_done_in_other_processes_and_kept(
        store: Store, forking: None, forks: Forks) -> None:
    built = Matcher.from_store(store, beside=Beside(entities=("ids", _ids),
                                                    names=("texts", _texts)))
    # the lookup of the entities (as soon as they are read), the second half's parse,
    # the name tables, and the names packed
    assert forks.count == 4
    pid, ids = vars(built)["ids"]
    assert pid != os.getpid() and ids == [e.id for e in built.entities]
    pid, texts = vars(built)["texts"]
    assert pid != os.getpid() and texts == [n.original for n in built.names]


def test_without_forks_the_work_beside_is_done_here(store: Store) -> None:
    built = Matcher.from_store(store, beside=Beside(entities=("ids", _ids)))
    assert vars(built)["ids"] == (os.getpid(), [e.id for e in built.entities])
    assert "texts" not in vars(built)


def test_a_part_failing_in_its_process_is_made_here(
        store: Store, forking: None, caplog: pytest.LogCaptureFixture) -> None:
    here = os.getpid()

    def fails_elsewhere(entities: Sequence[Entity]) -> list[str]:
        if os.getpid() != here:
            raise MemoryError("killed short of memory, say")
        return [entity.id for entity in entities]

    with caplog.at_level(logging.WARNING, "discreet.match.matcher"):
        built = Matcher.from_store(store, beside=Beside(entities=("ids", fails_elsewhere)))
    assert vars(built)["ids"] == [e.id for e in built.entities]
    assert "a build process failed" in caplog.text


def test_a_part_failing_everywhere_fails_the_build(store: Store, forking: None) -> None:
    def fails(items: Sequence[object]) -> None:
        raise ValueError("no such name")

    with pytest.raises(ValueError, match="no such name"):
        Matcher.from_store(store, beside=Beside(entities=("ids", _ids), names=("texts", fails)))
    with pytest.raises(ValueError, match="no such name"):
        Matcher.from_store(store, beside=Beside(entities=("ids", fails), names=("texts", _texts)))
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every child reaped


def _written(root: Path) -> tuple[Path, dict[str, str]]:
    manifest = next(root.rglob(persist.MANIFEST))
    files = json.loads(manifest.read_text())["files"]
    return manifest.parent, {name: facts["sha256"] for name, facts in files.items()}


def test_a_forked_build_writes_the_files_a_build_here_writes(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(persist.ENV_DIR, str(tmp_path / "here"))
    monkeypatch.setattr(matcher_module, "FORK_MIN", 10**9)
    persist.build_index(store)
    monkeypatch.setenv(persist.ENV_DIR, str(tmp_path / "forked"))
    monkeypatch.setattr(matcher_module, "FORK_MIN", 100)
    if not matcher_module._may_fork(1000, 0):
        pytest.skip("one core, or threads running: the build does not fork here")
    persist.build_index(store)
    here, here_files = _written(tmp_path / "here")
    forked, forked_files = _written(tmp_path / "forked")
    arrays = collections.Counter  # every array file, whatever the order they were written in
    assert arrays(v for k, v in here_files.items() if k != persist.PICKLE) == \
        arrays(v for k, v in forked_files.items() if k != persist.PICKLE)
    one, two = persist.load(here), persist.load(forked)
    assert "packed_names" not in vars(two)  # used for the files, not written
    assert isinstance(vars(two)[ATTRIBUTE], EntityLookup)
    assert list(one.names) == list(two.names)
    assert one.owners == two.owners and one.kinds == two.kinds
    for key, array in one.tables.arrays.items():
        assert np.array_equal(array, two.tables.arrays[key]), key
    a, b = lookup_of(one), lookup_of(two)
    assert [a.id_at(i) for i in range(len(a))] == [e.id for e in two.entities]
    assert [b.id_at(i) for i in range(len(b))] == [e.id for e in two.entities]
    for query in ("Ivan Petrov", "Saddam Hussein", "Банк Россия"):
        assert [(r.entity.id, r.score) for r in one.match(Query(query), threshold=0.5)] == \
            [(r.entity.id, r.score) for r in two.match(Query(query), threshold=0.5)]
