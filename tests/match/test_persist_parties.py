"""The parties of a persisted index are packed party by party and read as before.

Opening an index does not decode every linked listing: :class:`PackedMapping` decodes a
party's listings when a result of the party is returned. The results, their ``also`` and
the parties' members are those of the matcher that was saved; a matcher opened from files
saves and opens again.
"""

from __future__ import annotations

from pathlib import Path

from discreet.match import Matcher, Query
from discreet.match.parties import Parties
from discreet.match.persist import PackedMapping, load, save
from discreet.model import Entity, Name

PARTIES = 80  # more than a packed mapping's threshold (64)


def _linked() -> Matcher:
    """PARTIES people, each listed by two authorities and linked, and some unlinked."""
    entities: list[Entity] = []
    party_of: dict[str, str] = {}
    for i in range(PARTIES):
        for source in ("list_a", "list_b"):
            eid = f"{source}-{i}"
            entities.append(Entity(eid, "Person", source=source, authority=source.upper(),
                                   authority_id=str(i),
                                   names=[Name(f"Ivan{chr(97 + i % 26)} Petrov{i}")]).finish())
            party_of[eid] = f"p{i}"
    entities += [Entity(f"solo-{i}", "Person", source="list_a", authority="LIST_A",
                        authority_id=f"s{i}", names=[Name(f"Olga Sidorova{i}")]).finish()
                 for i in range(20)]
    matcher = Matcher.from_entities(entities)
    matcher.parties = Parties.build(party_of, matcher.entities)
    return matcher


def _answers(matcher: Matcher) -> list[list[tuple[str, float, str | None, list[str]]]]:
    queries = [Query(f"Ivan{chr(97 + i % 26)} Petrov{i}") for i in range(0, PARTIES, 7)]
    queries.append(Query("Olga Sidorova3"))
    return [[(r.entity.id, r.score, r.party, [listing.entity.id for listing in r.also])
             for r in matcher.match(q, limit=5, threshold=0.5)] for q in queries]


def test_parties_are_packed_and_answer_as_saved(tmp_path: Path) -> None:
    built = _linked()
    assert built.parties is not None and len(built.parties.members) == PARTIES
    loaded = load(save(built, tmp_path / "index"))
    assert loaded.parties is not None
    assert isinstance(loaded.parties.members, PackedMapping)
    assert loaded.parties.members == built.parties.members
    assert loaded.parties.party_of == built.parties.party_of
    assert loaded.parties.others("list_a-5")[0].id == "list_b-5"
    answers = _answers(loaded)
    assert answers == _answers(built)
    assert answers[0][0][2] == "p0" and answers[0][0][3] == ["list_b-0"]
    again = load(save(loaded, tmp_path / "again"))  # an opened matcher saves again
    assert again.parties is not None and again.parties.members == built.parties.members
    assert _answers(again) == answers
