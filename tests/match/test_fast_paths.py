"""The matcher's fast paths give what the plain computations they replace give.

Candidate accumulation in compiled code against key-by-key accumulation in dicts, the cached
query mass against :meth:`NameIndex.mass`, and the compiled bound and score of a candidate
against the real score.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.match import Matcher
from discreet.match.index import _LARGE, RATIO, NameIndex, token_keys
from discreet.match.prepare import PreparedName, prepare_name
from discreet.match.prune import CandidateScores, NameTables
from discreet.match.rarity import default_rarity
from discreet.match.score import name_score
from discreet.model import Entity, Name
from tests.match.ranking import add_key, ranked, summed_keys

WORDS = ["ali", "hassan", "hussein", "mhmd", "ahmad", "al", "bin", "abdul", "rahman",
         "putin", "vladimir", "ltd", "trading", "44", "v", "smn", "saddam", "sdm",
         "tikriti", "rostec", "ooo", "mohammed", "muhammad", "abdulrahman", "gazprom",
         "neft", "global", "company", "ivanov", "sergey", "lavrov", "vladimirputin", "irgc",
         "bnc", "mkoi", "klub"]
names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)


def prepared(text: str, cls: str = "any") -> PreparedName:
    return prepare_name(text, cls, default_rarity())  # type: ignore[arg-type]


def reference_candidates(index: NameIndex, name: PreparedName, limit: int,
                         ratio: float = RATIO) -> list[int]:
    """The documented semantics, key by key in dicts: names found by postings of up to
    _LARGE names (by every posting when the longer ones' gains alone reach the sharing
    floor), every key adding its gain, then the ranking (:func:`tests.match.ranking.ranked`)."""
    ordered = summed_keys(index, name)  # (bridge keys last, see its docstring)
    own = index.query_mass(name)
    common = sum(index.idf.get(key, 0.0) * share for key, share, _, _ in ordered
                 if len(index.postings[key]) > _LARGE)
    everyone = common >= own * ratio
    acc: dict[int, float] = {}
    met: dict[int, int] = {}
    for key, share, words, bridge in ordered:
        gain = index.idf.get(key, 0.0) * share
        posting = index.postings[key]
        if len(posting) <= _LARGE or everyone:
            add_key(acc, met, posting, gain, words, bridge)
        else:
            add_key(acc, met, [pos for pos in posting if pos in acc], gain, words, bridge)
    return ranked(index, name, acc, limit, ratio)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    entities = [Entity(f"e{i}", "Person", source="test", names=[Name(text)])
                for i, text in enumerate([
                    "Vladimir Vladimirovich PUTIN", "Wladimir Putin", "VladimirPutin",
                    "Mohammed bin Salman", "Muhammad bin Salman Al Saud", "محمد بن سلمان",
                    "Abdul Rahman", "Abdulrahman Hassan", "Ali Hassan", "Hassan Ali",
                    "Saddam Hussein al-Tikriti", "Sergey Lavrov", "Sergey Ivanov",
                    "Global Trading Company Ltd", "OOO Rostec", "Gazprom Neft"])]
    # organisations are posted under the initials of their words too
    entities += [Entity(f"o{i}", "Organization", source="test", names=[Name(text)])
                 for i, text in enumerate([
                     "Islamic Revolutionary Guard Corps", "Banco Nacional de Cuba",
                     "Mezhdunarodnyi Klub Opticheskikh Innovatsii", "Klub Global Neft"])]
    entities += [Entity(f"f{i}", "Person", source="test", names=[Name(f"Ali Filler{i}")])
                 for i in range(300)]  # "ali" is posted for more than _LARGE names
    return Matcher.from_entities(entities)


@settings(max_examples=200, deadline=None)
@given(names, st.sampled_from([1, 3, 40, 10 ** 6]))
def test_candidates_equal_key_by_key_accumulation(matcher: Matcher, text: str,
                                                  limit: int) -> None:
    q = prepared(text)
    got = matcher.index.candidates(q, limit)
    assert got == reference_candidates(matcher.index, q, limit)


@settings(max_examples=100, deadline=None)
@given(names)
def test_query_mass_is_mass(matcher: Matcher, text: str) -> None:
    """... for a query whose every word a list name writes alike; else at most that."""
    q = prepared(text)
    index = matcher.index
    if all(key in index.idf for t in q.tokens for key in token_keys(t)):
        assert index.query_mass(q) == index.mass(q)
    else:
        assert index.query_mass(q) <= index.mass(q)


def test_a_typing_error_weighs_what_its_near_keys_may_gather(matcher: Matcher) -> None:
    """A query word no list name has ("Lavorv") would count the top idf in the query's own
    evidence, and drop below the floor every name its near keys find; it counts what they
    may gather."""
    index = matcher.index
    for typo, word in [("Sergey Lavrvo", "Sergey Lavrov"), ("Ali Hasasn", "Ali Hassan"),
                       ("Gazprmo Neft", "Gazprom Neft"), ("Vladimir Ptuin", "Wladimir Putin")]:
        q = prepared(typo, "person")
        assert index.query_mass(q) < index.mass(q)
        listed = next(i for i, n in enumerate(matcher.names) if n.original == word)
        assert listed in index.candidates(q, 3), typo


def test_candidates_do_not_depend_on_string_hashing() -> None:
    """Two processes with different hash seeds rank tied candidates alike."""
    script = ("from discreet.match import Matcher\n"
              "from discreet.match.prepare import prepare_name\n"
              "from discreet.model import Entity, Name\n"
              "m = Matcher.from_entities([Entity(str(i), 'Person', source='t', names=[Name(n)])\n"
              "    for i, n in enumerate(['Jumaa Sais', 'Juma Sias', 'Jomaa Saas', 'Dima Osis',\n"
              "                           'Puma Saso', 'Guma Seas', 'Jumah Sait'] * 3)])\n"
              "print(m.index.candidates(prepare_name('Jumaah Sais', 'person', m.rarity), 5))\n")
    runs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2", "3")}
    assert len(runs) == 1


@settings(max_examples=300, deadline=None)
@given(names, st.lists(names, min_size=1, max_size=6), st.sampled_from(["person", "org", "any"]))
def test_the_bound_holds_and_the_compiled_score_is_the_score(text: str, listed: list[str],
                                                             cls: str) -> None:
    q = prepared(text, cls)
    candidates = [prepared(t, cls) for t in listed]
    scores = CandidateScores(NameTables(candidates), q, range(len(candidates)))
    for k, name in enumerate(candidates):
        real = name_score(q, name)
        assert scores.score(k) == real.score <= scores.loose[k] + 1e-9
        assert scores.name_score(k) == real


def test_index_caches_follow_a_replaced_idf_and_are_not_pickled(matcher: Matcher) -> None:
    sub = matcher.restricted({"e0", "e1", "e2", "e9"})
    q = prepared("Wladimir Putin", "person")
    before = sub.index.candidates(q, 40)
    sub.index.idf = {key: 2 * value for key, value in sub.index.idf.items()}
    assert sub.index.candidates(q, 40) == reference_candidates(sub.index, q, 40)
    assert sub.index.query_mass(q) == sub.index.mass(q)
    clone = pickle.loads(pickle.dumps(sub))
    assert clone.index._postings is None and clone.index._mass_cache == {}
    sub.index.idf = clone.index.idf = matcher.index.idf
    assert clone.index.candidates(q, 40) == sub.index.candidates(q, 40)
    assert before  # the query has candidates at all
