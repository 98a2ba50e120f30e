"""The loops that replace ``any`` / ``all`` over a generator on a cold query's path (sp18:
a generator closed half read costs more than its test) answer what the expression they
replace answers, on named and hypothesis-drawn inputs; and a key's number from the small
cache is the compiled table's, asked again or not."""

from __future__ import annotations

import gc

from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.match.explain import _legal_only
from discreet.match.index import NameIndex, _any_in
from discreet.match.prepare import _all_vowelless, written_without_vowels
from discreet.match.similarity import latin_vowelless
from discreet.text.names import _NOT_NAMES, NameToken, _not_names_only, parse_name
from discreet.text.normalize import has_letter
from tests.match.scoring import prepared

_KINDS = ("name", "title", "particle", "legal", "number", "initial")
_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzAEIOU'-1 ", max_size=8)


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_has_letter_is_any_alpha(text: str) -> None:
    assert has_letter(text) == any(c.isalpha() for c in text)


def test_has_letter_named() -> None:
    assert has_letter("J.") and has_letter("1a") and has_letter("Путин") and has_letter("محمد")
    assert not has_letter("") and not has_letter("1984") and not has_letter("-,.'")


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=6), st.sets(_WORDS, max_size=6))
def test_any_in_is_any(keys: list[str], table: set[str]) -> None:
    assert _any_in(keys, table) == any(key in table for key in keys)
    assert _any_in(iter(keys), table) == any(key in table for key in keys)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_KINDS), min_size=1, max_size=6), st.data())
def test_legal_only_is_all(kinds: list[str], data: st.DataObject) -> None:
    at = data.draw(st.lists(st.integers(0, len(kinds) - 1), max_size=4))
    assert _legal_only(kinds, at) == all(kinds[j] == "legal" for j in at)


def test_legal_only_named() -> None:
    assert _legal_only(("name", "legal", "legal"), (1, 2))
    assert not _legal_only(("name", "legal", "legal"), (0, 1))
    assert _legal_only(("name",), ())  # nothing to test: as all() of nothing


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_WORDS, st.sampled_from(_KINDS)), max_size=5))
def test_not_names_only_is_all(drawn: list[tuple[str, str]]) -> None:
    tokens = [NameToken(text, kind, text) for text, kind in drawn]  # type: ignore[arg-type]
    assert _not_names_only(tokens) == all(t.kind in _NOT_NAMES for t in tokens)


def test_not_names_only_parsed() -> None:
    """A name of nothing but titles is read as names (the rule this loop serves); a name
    with a word of its own keeps its title."""
    assert _not_names_only([NameToken("dr", "title", "Dr"), NameToken("mr", "title", "Mr")])
    assert [t.kind for t in parse_name("Dr Mr", "person")] == ["name", "name"]
    assert [t.kind for t in parse_name("Dr John Smith", "person")] == ["title", "name", "name"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="bcdfghklmnprstaeiouy", min_size=1, max_size=7), max_size=5))
def test_all_vowelless_is_all(words: list[str]) -> None:
    assert _all_vowelless(words) == all(latin_vowelless(t) for t in words)


def test_written_without_vowels_named() -> None:
    """Names written without their vowels, and names with them (which must not read so)."""
    assert written_without_vowels("Rmzn Kdyrv")
    assert written_without_vowels("Mhmmd Nwrz Shfq")
    assert not written_without_vowels("Ramzan Kadyrov")
    assert not written_without_vowels("Rmzn Kadyrov")
    assert not written_without_vowels("JSC SMN")


def test_key_id_is_the_table_find() -> None:
    """A key's number from the cache is the compiled table's, asked once or again, for keys
    posted and keys not (-1), and a miss leaves no error behind."""
    index = NameIndex([prepared("Nikolai Patrushev", "person"),
                       prepared("Northern Star Shipping", "org")])
    keys = [*index.key_ids, "zzzz", "c:qqq", "", "nikolai"]
    first = [index._key_id(key) for key in keys]
    again = [index._key_id(key) for key in keys]
    assert first == again == [index.key_ids.find(key) for key in keys]
    assert first[-4:-1] == [-1, -1, -1]
    assert all(k >= 0 for k in first[:-4])


def test_a_cached_word_is_not_tracked() -> None:
    """A query word's keys are cached as a dict of key numbers and credits, which the
    cycle collector never tracks (a tuple of pairs was a tuple for it to walk a pair), and
    tuples of numbers, which its first pass stops tracking; the same keys asked again."""
    index = NameIndex([prepared("Nikolai Patrushev", "person"),
                       prepared("Northern Star Shipping", "org")])
    words = ("patrushev", "patrushef", "nikolaipatrushev", "zzyzx", "шипинг")
    reads = [index._token(word, False) for word in words]
    assert not any(gc.is_tracked(read[0]) for read in reads)
    gc.collect()
    assert not any(gc.is_tracked(part) for read in reads for part in read)
    assert [index._token(word, False) for word in words] == reads
    assert all(index._token(w, False) is read for w, read in zip(words, reads, strict=True))
    own = index._token("patrushef", False)[0]
    assert own and all(isinstance(k, int) and isinstance(v, float) for k, v in own.items())
