"""An index file's sha256 is not checked at every open, yet a damaged file is never used.

Each file is hashed in full the first time it is opened and whenever its stamp (device,
inode, size, modification and change times) differs from the one recorded then; a stamp is
recorded only for a file changed over ``RACY`` seconds before (set to -1 here, so that a
file just written counts as settled). :func:`verify` hashes every file whatever the stamps.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from discreet.match import Matcher, Query, persist
from discreet.match.persist import MANIFEST, PICKLE, IndexFileError, load, save, verify
from discreet.model import Entity, Name

VERIFIED = "verified.json"


def _entities() -> list[Entity]:
    return [Entity(f"e{i}", "Person", source="test_list", authority="TEST",
                   authority_id=f"e{i}", names=[Name(name)]).finish()
            for i, name in enumerate(["Ivan Petrov", "Olga Sidorova", "Acme Trading",
                                      "Vladimir Putin", "Kim Jong Un"] * 30)]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(persist, "RACY", -1.0)  # a file just written counts as settled
    return save(Matcher.from_entities(_entities()), tmp_path / "index", "k")


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files hashed from now on (the real hashing, counted)."""
    names: list[str] = []
    real: Callable[[Path], str] = persist._sha256

    def counting(path: Path) -> str:
        names.append(path.name)
        return real(path)
    monkeypatch.setattr(persist, "_sha256", counting)
    return names


def _files(folder: Path) -> list[str]:
    return sorted(json.loads((folder / MANIFEST).read_text())["files"])


def _largest_array(folder: Path) -> Path:
    return max(folder.glob("a*.npy"), key=lambda p: p.stat().st_size)


def _flip_keeping_times(path: Path) -> None:
    """One bit changed in place, size and modification time put back as they were."""
    before = path.stat()
    with open(path, "r+b") as handle:
        handle.seek(before.st_size // 2)
        byte = handle.read(1)
        handle.seek(before.st_size // 2)
        handle.write(bytes([byte[0] ^ 0x01]))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert path.stat().st_mtime_ns == before.st_mtime_ns


def test_hashed_at_the_first_open_then_stamped(folder: Path, hashed: list[str]) -> None:
    load(folder, "k")
    assert sorted(hashed) == _files(folder)  # every file, once
    stamps = json.loads((folder / VERIFIED).read_text())
    assert sorted(stamps) == _files(folder)
    hashed.clear()
    matcher = load(folder, "k")
    assert hashed == []  # unchanged files: not hashed again
    assert matcher.match(Query("Ivan Petrov"))[0].entity.id == "e0"


def test_a_file_changed_in_place_with_its_times_put_back_is_not_used(
        folder: Path, hashed: list[str]) -> None:
    load(folder, "k")
    path = _largest_array(folder)
    _flip_keeping_times(path)  # its change time moved: no user can set it back
    hashed.clear()
    with pytest.raises(IndexFileError) as failed:
        load(folder, "k")
    assert path.name in str(failed.value) and "sha256" in str(failed.value)
    assert hashed == [path.name]  # only the changed file was hashed again


def test_a_replaced_or_copied_file_is_hashed_again(folder: Path, tmp_path: Path,
                                                   hashed: list[str]) -> None:
    load(folder, "k")
    copy = shutil.copytree(folder, tmp_path / "copy")  # times kept, inodes new
    hashed.clear()
    load(copy, "k")
    assert sorted(hashed) == _files(folder)
    path = copy / PICKLE
    data = path.read_bytes()
    replacement = copy / "swap.tmp"
    replacement.write_bytes(data[:-1] + bytes([data[-1] ^ 0x01]))
    shutil.copystat(path, replacement)
    os.replace(replacement, path)  # same size and times, another inode
    with pytest.raises(IndexFileError, match=PICKLE):
        load(copy, "k")


def test_a_fresh_file_gets_no_stamp(tmp_path: Path, hashed: list[str]) -> None:
    """A file changed less than RACY seconds ago is hashed at every open until it settles
    (a change within one tick of the clock could leave its times unchanged)."""
    folder = save(Matcher.from_entities(_entities()), tmp_path / "index", "k")
    assert persist.RACY > 0
    hashed.clear()  # the hashes the manifest holds
    load(folder, "k")
    load(folder, "k")
    assert sorted(hashed) == sorted(_files(folder) * 2)
    assert not (folder / VERIFIED).exists()


def test_verify_hashes_every_file_whatever_the_stamps(folder: Path) -> None:
    """Bytes changed under the file system (no time moves): the stamps cannot tell, a full
    verification does; a damaged stamp file only makes the files hashed again."""
    load(folder, "k")
    path = _largest_array(folder)
    _flip_keeping_times(path)
    stamps = json.loads((folder / VERIFIED).read_text())
    facts = path.stat()
    stamps[path.name] = [facts.st_dev, facts.st_ino, facts.st_size, facts.st_mtime_ns,
                         facts.st_ctime_ns]
    (folder / VERIFIED).write_text(json.dumps(stamps))
    with pytest.raises(IndexFileError, match=path.name):
        verify(folder, "k")
    (folder / VERIFIED).write_text("{not json")
    with pytest.raises(IndexFileError, match=path.name):
        load(folder, "k")
