"""The index's candidates are exactly the best of every name the query's keys find.

``NameIndex.candidates`` (the compiled ``Postings.candidates``) stops collecting names, and
drops names it follows, once they provably cannot be among the best ``limit``; these tests
check the result against the plain computation: every posting of every key summed, the
sharing floor, the ranking by share, ties by position. The index is dense (few words, many
names: postings far longer than ``_LARGE``, as in a large index), with organisations (their
initials are keys), Arabic-script names (skeleton masses) and long queries a field limit
may have cut (the tail's share); some names and queries have initials (J. Smith, whose
share is raised for a query whose words begin with J, and the reverse).
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.match import Matcher
from discreet.match._kernel import Postings
from discreet.match.index import _AGREE, _KIN, _KINDRED, _LARGE, _UNSHARED, RATIO, NameIndex
from discreet.match.prepare import PreparedName, prepare_name
from discreet.match.score import TRUNCATION_MIN, may_be_truncated
from discreet.model import Entity, Name
from tests.match.ranking import add_key, ranked, summed_keys

FIRST = ["ali", "hassan", "mohammed", "muhammad", "ahmad", "vladimir", "sergey", "ivan",
         "john", "jon", "maria", "marie", "olga", "fatima", "omar"]
LAST = ["ivanov", "ivanova", "petrov", "smith", "smyth", "hussein", "husein", "rahman",
        "lavrov", "putin", "garcia", "garsia", "kuznetsov", "al-tikriti", "nasser"]
ORG = ["global", "trading", "company", "neft", "rostec", "bank", "national", "cuba",
       "united", "shipping", "marine", "logistics"]
ARABIC = ["محمد", "حسن", "علي", "أحمد", "عمر", "ناصر"]


def _entities() -> list[Entity]:
    rng = random.Random(16)
    initial = random.Random(61)  # its own draws: the other names stay what they were
    out = []
    for i in range(2400):
        words = [rng.choice(FIRST)]
        if rng.random() < 0.4:
            words.append(rng.choice(FIRST) + "ovich")
        words.append(rng.choice(LAST))
        if initial.random() < 0.2:  # a given name written as its initial
            words[0] = words[0][0].upper() + "."
        out.append(Entity(f"p{i}", "Person", source="t", names=[Name(" ".join(words))]))
    for i in range(500):
        words = rng.sample(ORG, rng.randint(2, 4))
        out.append(Entity(f"o{i}", "Organization", source="t",
                          names=[Name(" ".join(words) + rng.choice(["", " Ltd", " LLC"]))]))
    for i in range(300):
        words = rng.sample(ARABIC, rng.randint(2, 3))
        out.append(Entity(f"a{i}", "Person", source="t", names=[Name(" ".join(words))]))
    return out


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.from_entities(_entities())


def exhaustive(index: NameIndex, name: PreparedName, limit: int,
               ratio: float = RATIO, kind: str | None = None) -> list[int]:
    """Every posting of every query key summed (rarest key first, bridge keys last, as the
    index sums: :func:`tests.match.ranking.summed_keys`), the names ranked as the index
    documents it (:func:`tests.match.ranking.ranked`)."""
    sums: dict[int, float] = {}
    met: dict[int, int] = {}
    for key, share, own, bridge in summed_keys(index, name):
        add_key(sums, met, index.postings[key], index.idf.get(key, 0.0) * share, own, bridge)
    return ranked(index, name, sums, limit, ratio, kind)


def test_the_index_is_dense(matcher: Matcher) -> None:
    sizes = [len(posting) for posting in matcher.index.postings.values()]
    assert sum(size > _LARGE for size in sizes) >= 20


typo = st.tuples(st.integers(0, 12), st.sampled_from(["", "x", "a", "h"]))


def _typed(word: str, edit: tuple[int, str]) -> str:
    at, letter = edit
    at %= len(word) + 1
    return word[:at] + letter + word[at + 1:]


initials = ["J.", "M.", "O."]
words = st.tuples(st.sampled_from(FIRST + LAST + ORG + ARABIC + ["ltd", "ovich"] + initials),
                  typo).map(
    lambda pair: _typed(*pair))
queries = st.lists(words, min_size=1, max_size=5).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(queries, st.sampled_from(["person", "org", "any"]), st.sampled_from([1, 5, 40, 400]),
       st.sampled_from([None, "person", "organisation", "vessel", "body"]))
def test_candidates_are_the_exhaustive_best(matcher: Matcher, text: str, cls: str,
                                            limit: int, kind: str | None) -> None:
    q = prepare_name(text, cls, matcher.rarity)  # type: ignore[arg-type]
    assert matcher.index.candidates(q, limit, kind=kind) == exhaustive(
        matcher.index, q, limit, kind=kind)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(FIRST + LAST + ORG), min_size=4, max_size=8).map(" ".join))
def test_a_query_a_field_limit_may_have_cut(matcher: Matcher, text: str) -> None:
    text = (text + " " + text)[:TRUNCATION_MIN + 3]
    q = prepare_name(text, "any", matcher.rarity)
    assert may_be_truncated(q)
    for limit in (3, 40):
        assert matcher.index.candidates(q, limit) == exhaustive(matcher.index, q, limit)


def test_initials_and_abjad_names(matcher: Matcher) -> None:
    for text, cls in [("GTC", "org"), ("Global Trading Company", "org"), ("J. Smith", "person"),
                      ("M. Hussein", "person"), ("Maria I. Petrov", "any"),
                      ("محمد حسن", "person"), ("Mohammed Hassan", "person"),
                      ("Mhmd Hsn", "person"), ("Ivan Ivanovich Ivanov", "person"),
                      ("Smith", "person"), ("John Smith", "any")]:
        q = prepare_name(text, cls, matcher.rarity)  # type: ignore[arg-type]
        for limit in (1, 2, 10, 40):
            got = matcher.index.candidates(q, limit)
            assert got == exhaustive(matcher.index, q, limit), (text, limit)
        assert matcher.index.candidates(q, 40), text


def test_a_query_after_others_is_summed_as_on_fresh_tables(matcher: Matcher) -> None:
    """The kernel leaves each name's place among the names a query found in its tables (no
    clearing between queries): a later query, finding those names again in another order or
    others at the same places, sums exactly as the first query on new tables does."""
    index = matcher.index
    texts = [("Olga Petrovna Lavrova", "person"), ("United Marine Shipping", "org"),
             ("Omar Nasser", "any"), ("علي عمر", "person"), ("Sergey Garsia", "person"),
             ("National Bank of Cuba", "org"), ("O. Kuznetsov", "person"), ("Hussein", "any")]
    names = [prepare_name(text, cls, matcher.rarity)  # type: ignore[arg-type]
             for text, cls in texts]
    alone = []
    for name in names:
        index._postings = None  # new tables: no place left by another query
        alone.append(index.candidates(name, 40))
    assert alone == [exhaustive(index, name, 40) for name in names]
    for order in (names, names[::-1], names[1::2] + names[::2]):
        got = {id(name): index.candidates(name, 40) for name in order}
        assert [got[id(name)] for name in names] == alone


def test_other_weights_and_a_view_of_the_index(matcher: Matcher) -> None:
    """A replaced idf table (a restricted matcher's, or any other) is summed the same."""
    sub = matcher.restricted({f"p{i}" for i in range(0, 2400, 3)} | {"o1", "o2", "a3"})
    index = sub.index
    for text in ["John Smith", "Mohammed Hussein", "Global Trading", "Ivan Petrov"]:
        q = prepare_name(text, "any", sub.rarity)
        assert index.candidates(q, 40) == exhaustive(index, q, 40)
    index.idf = {key: 2 * value for key, value in index.idf.items()}
    q = prepare_name("Olga Ivanova", "person", sub.rarity)
    assert index.candidates(q, 5) == exhaustive(index, q, 5)


GIVEN = ["anna", "boris", "clara", "dmitri", "elena", "fyodor", "galina", "igor", "kira", "lev",
         "marta", "nikolai", "oksana", "pavel", "roman", "sofia", "taras", "ulyana", "vera"]


@pytest.mark.parametrize("marked", [
    Entity("m", "Person", source="t", names=[Name("H. Hussein")]),  # an initial that agrees
    Entity("m", "Organization", source="t", names=[Name("Hussein")]),  # an organisation
])
@pytest.mark.parametrize("common", [300, 500])
def test_a_raised_name_met_after_the_others_are_bounded(marked: Entity, common: int) -> None:
    """The query's rarer word (Putin) finds names alone on it (Putin) that would bound the
    rest out, were they not raised, before the commoner word (Hussein) is read: a raised
    name met only there (H. Hussein for a query with no initials, an organisation's name
    for an organisation's query) still comes first."""
    entities = [Entity(f"a{i}", "Person", source="t", names=[Name("Putin")]) for i in range(10)]
    entities += [Entity(f"p{i}", "Person", source="t",
                        names=[Name(f"{GIVEN[i % len(GIVEN)]} Putin")])
                 for i in range(common - 10)]
    entities += [Entity(f"h{i}", "Person", source="t",
                        names=[Name(f"{GIVEN[i % len(GIVEN)]} Hussein")])
                 for i in range(common)]
    entities += [Entity(f"{marked.id}{i}", marked.schema, source="t", names=marked.names)
                 for i in range(3)]
    matcher = Matcher.from_entities(entities)
    q = prepare_name("Putin Hussein", "org" if marked.schema == "Organization" else "person",
                     matcher.rarity)
    got = matcher.index.candidates(q, 5)
    assert got == exhaustive(matcher.index, q, 5)
    assert [matcher.names[p].original for p in got] == [marked.names[0].value] * 3 + ["Putin"] * 2


def _postings(index: NameIndex, codes_in_slots: bool) -> Postings:
    """The index's compiled postings (as ``NameIndex._compiled`` makes them), each name's
    rough code in its slot beside its place or (as an index of more than 2**22 names has
    it) in an array of its own."""
    return Postings(index._flat, index._starts, index._sizes, index._key_weights(),
                    index._acronym_keys, np.asarray(index.masses, np.float64),
                    np.asarray(index.skeleton_masses, np.float64),
                    np.asarray(index.inits, np.uint32), np.asarray(index.firsts, np.uint32),
                    codes_in_slots=codes_in_slots)


@pytest.fixture(scope="module")
def layouts(matcher: Matcher) -> dict[bool, Postings]:
    return {layout: _postings(matcher.index, layout) for layout in (True, False)}


@settings(max_examples=80, deadline=None)
@given(queries, st.sampled_from(["person", "org", "any"]), st.sampled_from([1, 5, 40]),
       st.sampled_from([None, "person", "organisation"]))
def test_codes_in_the_slots_or_apart_find_the_same(matcher: Matcher,
                                                   layouts: dict[bool, Postings], text: str,
                                                   cls: str, limit: int,
                                                   kind: str | None) -> None:
    """Both layouts of a name's rough code (in the 32 bits of its slot, or apart) give the
    exhaustive best, query after query on the same tables."""
    index = matcher.index
    q = prepare_name(text, cls, matcher.rarity)  # type: ignore[arg-type]
    asked = index._asking(q)
    want = exhaustive(index, q, limit, kind=kind)
    for layout, postings in layouts.items():
        got = [] if asked is None else postings.candidates(
            asked[0], asked[1], asked[2], RATIO, _LARGE, limit, q.abjad, asked[3], _UNSHARED,
            _AGREE, asked[4], asked[5], asked[6], _KINDRED, _KIN.get(kind, 0))
        assert got == want, layout


def test_names_with_initials_found_anew_agree_once_their_key_is_summed() -> None:
    """Names with an initial found anew among many others in long postings (whether they
    agree is told once the key that found them is summed): those whose initial begins a
    word of the query (H. Rahman, R. Hussein for Hussein Rahman) rank before those whose
    initial begins none (Q. Rahman, Z. Hussein), written earlier, whose share is otherwise
    the same; at every limit the result is the exhaustive sum's."""
    entities = [Entity(f"q{i}", "Person", source="t", names=[Name(text)])
                for i, text in enumerate(["Q. Rahman", "Z. Hussein"] * 3)]
    for i in range(400):
        given = GIVEN[i % len(GIVEN)]
        entities.append(Entity(f"r{i}", "Person", source="t", names=[Name(f"{given} Rahman")]))
        entities.append(Entity(f"h{i}", "Person", source="t", names=[Name(f"{given} Hussein")]))
        if i % 100 == 50:  # among the others in both words' postings
            entities += [Entity(f"a{i}", "Person", source="t", names=[Name("H. Rahman")]),
                         Entity(f"b{i}", "Person", source="t", names=[Name("R. Hussein")])]
    matcher = Matcher.from_entities(entities)
    q = prepare_name("Hussein Rahman", "person", matcher.rarity)
    for limit in (1, 5, 8, 12, 40):
        assert matcher.index.candidates(q, limit) == exhaustive(matcher.index, q, limit)
    best = [matcher.names[p].original for p in matcher.index.candidates(q, 8)]
    assert sorted(best) == ["H. Rahman"] * 4 + ["R. Hussein"] * 4
