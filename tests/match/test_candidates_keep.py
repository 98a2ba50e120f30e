"""The candidates' kernel drops the names that cannot be among the best in passes over
every name found (``_keep``, by fours, against cuts told for each rough code), and raises
its bound over the names found from a gate on their sums (``_raise_bound``: a name below
the heap's bar over the most a share is raised is passed over on its sum alone). These
tests make queries whose rarer keys find several hundred names (not a multiple of four)
before a key longer than ``_LARGE``, so that those passes run over many names, with names
of many sizes (many rough codes), some with initials (a share raised when they agree) and
some organisations' (a share raised by kind), and check the result against every posting
of every key summed.
"""

from __future__ import annotations

import random

import pytest

from discreet.match import Matcher
from discreet.match.prepare import prepare_name
from discreet.model import Entity, Name
from discreet.text.names import NameClass
from tests.match.test_candidates_bounded import exhaustive

# words of made-up names; the first are the commonest (each word's share of the names
# falls as 1 / its rank), so a query's last keys are long
WORDS = ["varno", "keltis", "morvane", "tesdra", "bulvik", "qorent", "salvedo", "prindal",
         "ostrel", "gaumir", "fendaro", "lisvok", "radomel", "zentaru", "hopvik", "dresmol",
         "kavrin", "yostel", "pellandro", "witsor", "mugdrel", "ansovar", "crelmio",
         "tovreni"]
GIVEN = ["anna", "boris", "carla", "dmitri", "elena", "felix", "galina", "henrik", "ines",
         "jakob", "kira", "lev"]


def _entities() -> list[Entity]:
    rng = random.Random(28)
    weights = [1.0 / (rank + 1) for rank in range(len(WORDS))]
    out = []
    for i in range(2_999):
        words: list[str] = []
        while len(words) < rng.randint(1, 3):
            word = rng.choices(WORDS, weights)[0]
            if word not in words:
                words.append(word)
        if i % 5 == 0:  # an organisation's name
            out.append(Entity(f"o{i}", "Organization", source="t",
                              names=[Name(" ".join(words) + " Ltd")]))
            continue
        given = rng.choice(GIVEN)
        if i % 3 == 0:  # a given name written as its initial
            given = given[0].upper() + "."
        out.append(Entity(f"p{i}", "Person", source="t",
                          names=[Name(" ".join([given, *words]))]))
    return out


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.from_entities(_entities())


def _queries() -> list[str]:
    rng = random.Random(82)
    out = []
    for i in range(40):
        words = rng.sample(WORDS[:14], rng.randint(2, 4))
        if i % 4 == 1:
            words.insert(0, rng.choice(GIVEN)[0].upper() + ".")
        elif i % 4 == 2:
            words.insert(0, rng.choice(GIVEN))
        out.append(" ".join(words))
    return out


@pytest.mark.parametrize("text", _queries())
def test_many_names_kept_and_bounded_as_every_posting_summed(matcher: Matcher,
                                                              text: str) -> None:
    index = matcher.index
    schemas: list[tuple[NameClass, str]] = [("person", "person"), ("org", "organisation")]
    for schema, named in schemas:
        q = prepare_name(text, schema, matcher.rarity)
        for limit in (1, 3, 40):
            for kind in (None, named):
                assert index.candidates(q, limit, kind=kind) == exhaustive(
                    index, q, limit, kind=kind), (text, schema, limit, kind)
