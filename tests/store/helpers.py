"""Building parsed lists from entities written in the test, without any parser."""

from __future__ import annotations

from discreet.model import DateSpec, Entity, Name
from discreet.store import ParsedList


def person(num: int, name: str, *, programme: str = "SDGT", listed_on: str | None = None,
           dob: str | None = None) -> Entity:
    entity = Entity(id=f"test-{num}", schema="Person", source="test_list", authority="TEST",
                    authority_id=str(num), names=[Name(name)], programmes=[programme],
                    listed_on=listed_on)
    if dob:
        entity.birth_dates.append(DateSpec(dob))
    return entity


def parsed_list(entities: list[Entity], *, published: str | None = None,
                source: str = "test_list", file_name: str = "list.xml") -> ParsedList:
    records = {e.id: (e.content_hash(), e.to_json()) for e in entities}
    return ParsedList(source=source, authority="TEST", format="test", file_name=file_name,
                      sha256="0" * 64, published=published, records=records)
