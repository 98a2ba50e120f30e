"""The candidates' kernel walks a key's postings in two loops: those whose slot it asks for
a posting ahead in the same key, then the last ones, each asking for one of the next key's
first. These tests make keys of every size around where the second loop begins (shorter
than the distance fetched ahead, as long, one more, twice as long), queries whose keys
are walked one after the other in every order of those sizes, names found by one key and
by several (summed anew, then added to), some with initials (whose agreement is told after
their key), and check the result against every posting of every key summed.
"""

from __future__ import annotations

import pytest

from discreet.match import Matcher
from discreet.match.prepare import prepare_name
from discreet.model import Entity, Name
from tests.match.test_candidates_bounded import exhaustive

# words that sound like no other here (each its own keys), by how many names post them
WORDS = {"kavendor": 1, "milostra": 2, "pengrave": 23, "dusomir": 24, "ferlanko": 25,
         "tobrizel": 26, "quintaro": 47, "holmveck": 48, "zarpunik": 49, "gledovin": 97}
GIVEN = ["anna", "boris", "carla", "dmitri", "elena", "felix", "galina", "henrik"]


def _entities() -> list[Entity]:
    out = []
    words = list(WORDS)
    for w, (word, many) in enumerate(WORDS.items()):
        for i in range(many):
            given = GIVEN[(i + w) % len(GIVEN)]
            text = f"{given} {word}"
            if i % 4 == 1:  # found by two of the query's keys: summed, then added to
                text += " " + words[(w + 1 + i) % len(words)]
            if i % 6 == 2:  # an initial: whether it agrees is told after its key
                text = f"{given[0].upper()}. {word}"
            out.append(Entity(f"e{w}-{i}", "Person", source="t", names=[Name(text)]))
    return out


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.from_entities(_entities())


@pytest.mark.parametrize("text", [
    "Kavendor Dusomir", "Pengrave Ferlanko", "Dusomir Tobrizel Anna", "Ferlanko Holmveck",
    "Quintaro Zarpunik Gledovin", "Milostra Pengrave Dusomir Ferlanko Tobrizel",
    "Boris Gledovin Holmveck Kavendor", "Elena Zarpunik", "B. Tobrizel Quintaro"])
def test_keys_of_every_size_around_the_fetch_distance_sum_as_every_posting(
        matcher: Matcher, text: str) -> None:
    index = matcher.index
    q = prepare_name(text, "person", matcher.rarity)
    for limit in (1, 4, 20, 200):
        for kind in (None, "person"):
            assert index.candidates(q, limit, kind=kind) == exhaustive(
                index, q, limit, kind=kind), (text, limit, kind)
