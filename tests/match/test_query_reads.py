"""What a query keeps and reads besides the kernel's work (twenty-eighth session): the
compiled reads of a packed sequence (``_rows.Kept``), the ids read in place
(``_rows.Texts``), and the cache of a query name's candidates' arguments, which keeps
nothing the cycle collector walks once its passes have untracked its tuples but the names
themselves."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from discreet.match import Matcher
from discreet.match._rows import Texts
from discreet.match.lookup import lookup_of
from discreet.match.packed import Packed
from discreet.match.prepare import prepare_name
from discreet.model import Entity, Name
from tests.match.scoring import filler_names


class _Words(Packed[str]):
    """Words packed as UTF-8."""

    __slots__ = ()

    def __init__(self, words: list[str]) -> None:
        data = [w.encode() for w in words]
        offsets = np.zeros(len(data) + 1, np.int64)
        np.cumsum([len(d) for d in data], out=offsets[1:])
        super().__init__(np.frombuffer(b"".join(data), np.uint8), offsets)

    def _decode(self, i: int) -> str:
        start, end = self._offsets[i:i + 2].tolist()
        return self._blob[start:end].tobytes().decode()


def test_every_subscript_reads_as_a_sequence_does() -> None:
    words = _Words([f"w{i}" for i in range(5)])
    assert [words[i] for i in range(5)] == ["w0", "w1", "w2", "w3", "w4"]
    assert words[-1] == "w4" and words[True] == "w1"
    assert words[np.int64(2)] == "w2"  # type: ignore[call-overload]
    assert words[1:4] == ["w1", "w2", "w3"] and words[::-2] == ["w4", "w2", "w0"]
    assert list(words) == [f"w{i}" for i in range(5)] and len(words) == 5
    for wrong in (5, -6, 2**70, -(2**70)):
        with pytest.raises(IndexError):
            words[wrong]
    with pytest.raises(TypeError):
        words["1"]  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        words[1.0]  # type: ignore[call-overload]


def test_a_read_kept_is_the_same_object() -> None:
    words = _Words(["a", "b"])
    first = words[0]
    assert words[0] is not first or first == "a"  # (read twice: kept at the second)
    assert words[0] is words[0] and 0 in words._decoded


def test_texts_are_read_in_place_surrogates_and_all() -> None:
    texts = ["Q1", "", "ÄÖ-ü", "金正恩", "\udcff-x"]
    data = [t.encode("utf-8", "surrogatepass") for t in texts]
    offsets = np.zeros(len(data) + 1, np.int64)
    np.cumsum([len(d) for d in data], out=offsets[1:])
    read = Texts(np.frombuffer(b"".join(data), np.uint8), offsets)
    assert len(read) == 5 and [read(i) for i in range(5)] == texts
    assert read.many([4, 0, 0, 3]) == [texts[4], "Q1", "Q1", texts[3]]
    for wrong in (-1, 5):
        with pytest.raises(IndexError):
            read(wrong)
    with pytest.raises(ValueError, match="past the blob"):
        Texts(np.zeros(2, np.uint8), np.array([0, 3], np.int64))


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    found = Matcher.from_entities([
        Entity(f"e{i}", "Person", source="t", names=[Name(n)])
        for i, n in enumerate(["Kasil Yanlut", "Vladimir Putin", *filler_names()])])
    assert not found.scan
    return found


def test_ids_are_read_as_the_lookup_reads_one(matcher: Matcher) -> None:
    lookup = lookup_of(matcher)
    positions = [5, 0, 1, len(lookup) - 1, 5]
    assert lookup.ids_at(positions) == [lookup.id_at(p) for p in positions]
    assert "_texts" not in lookup.__getstate__()


def test_the_candidates_arguments_kept_are_not_walked_after_a_pass(matcher: Matcher) -> None:
    index = matcher.index
    q = prepare_name("Vladimir Poutin", "person", matcher.rarity)
    asked = index._asking(q)
    assert asked is not None and isinstance(asked[0], list) and isinstance(asked[1], list)
    gc.collect()
    gc.collect()  # (its tuples untracked at the first pass, the one holding them at the next)
    kept = index._asked[id(q)]
    assert kept is not None and not gc.is_tracked(kept)
    assert index._asking(q) == asked  # the same arguments, as lists again
    assert index.candidates(q, 5)[:1] == [1]


def test_the_candidates_arguments_are_made_again_for_another_idf(matcher: Matcher) -> None:
    index = matcher.index
    q = prepare_name("Kasil Yanlut", "person", matcher.rarity)
    before = index._asking(q)
    assert before is not None
    own = index.idf
    try:
        index.idf = {key: 2 * weight for key, weight in own.items()}
        again = index._asking(q)
        assert again is not None and again[2] == pytest.approx(2 * before[2])
    finally:
        index.idf = own
    assert index._asking(q) == before
