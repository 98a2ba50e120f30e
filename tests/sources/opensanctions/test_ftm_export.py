"""The FtM export judged by the ``followthemoney`` library itself, and read back without loss.

Every entity exported from the project's own fixtures and from the real lists in
``../shared`` must use only properties FtM defines, with values FtM's types accept, and
point only at exported entities of the right schema; reading the whole export back
(Sanction, Identification… entities included) must give the same screened fields.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model
from followthemoney.types import registry

from discreet.errors import ParseError, UnknownFormatError
from discreet.match.features import clean_id
from discreet.model import SCHEMATA, DateSpec, Entity, Identifier, Link, Name
from discreet.sources import open_list
from discreet.sources.opensanctions import ftm_model
from discreet.sources.opensanctions.ftm import (
    Assembler,
    entities_from_ftm,
    entity_from_ftm,
    entity_to_ftm,
    export_entities,
    ftm_id,
)
from tests.sources.opensanctions.ftm_check import check_export, problems

# The real lists: the newest file of each format (several OFAC files share ids: merged).
SHARED_FILES = (
    "ofac_sdn_csv/history_jackdwyer/sdn_2024-05-03.csv",
    "un/un_consolidated_2026-02-27.xml",
    "ofac_enhanced_xml/CONS_ENHANCED_2025-01-10.XML",
    "ofac_enhanced_xml/sls_export_IRGC_2024-08-28.xml",
    "ofac_cons_xml/consolidated_2024-05-06.xml",
    "eu_fsf/eu_fsf_1_1_excerpt_2026-08-05.xml",
    "uk_fcdo/uk_sanctions_list_excerpt_2026-09-10.xml",
    "uk_ofsi_conlist/sanctionsconlist_2014-04-02.csv",
)


def _read(paths: Iterable[Path]) -> list[Entity]:
    """Every entity of the files that parse as a list (companion files are skipped)."""
    out: list[Entity] = []
    for path in paths:
        try:
            meta, entities = open_list(path)
            found = list(entities)
        except (ParseError, UnknownFormatError):
            continue  # add.csv, ALT.CSV…: read with sdn.csv, not alone
        for entity in found:
            entity.source = entity.source or meta.dataset
            entity.authority = entity.authority or meta.authority
        out.extend(found)
    return out


def _screened(entities: Iterable[Entity]) -> dict[str, Any]:
    """What screening compares, per FtM id, over every listing of that id."""
    out: dict[str, dict[str, set[Any]]] = {}
    for e in entities:
        row = out.setdefault(ftm_id(e.id), {k: set() for k in (
            "schema", "names", "dates", "nationalities", "citizenships", "countries", "ids",
            "programmes")})
        row["schema"].add(e.schema)
        row["names"] |= {(n.value, n.kind) for n in e.names}
        row["dates"] |= {d for b in e.birth_dates for d in (b.start, b.end) if d}
        row["nationalities"] |= set(e.nationalities)
        row["citizenships"] |= set(e.citizenships)
        row["countries"] |= set(e.countries)
        row["ids"] |= {clean_id(i.value) for i in e.identifiers}
        row["programmes"] |= set(e.programmes)
    return out


def _assert_valid_and_lossless(entities: list[Entity]) -> list[dict[str, Any]]:
    exported = [json.loads(json.dumps(d)) for d in export_entities(entities)]
    found = check_export(exported)
    assert found == [], f"{len(found)} problems, e.g. {found[:5]}"
    listed = [d for d in exported if d["schema"] in SCHEMATA]
    # once per id, unless one id is listed as schemata FtM cannot merge (a Person and a Vessel)
    assert {ftm_id(e.id) for e in entities} <= {d["id"] for d in listed}
    assert len(listed) <= len({(ftm_id(e.id), e.schema) for e in entities})
    back = list(entities_from_ftm(exported))
    assert _screened(back) == _screened(entities)
    return exported


def test_model_table_matches_followthemoney() -> None:
    """The run-time copy of FtM's model is the library's, so the export cannot drift."""
    for name in SCHEMATA:
        schema = model.get(name)
        assert schema is not None
        expected = {p: prop.type.name for p, prop in schema.properties.items() if not prop.stub}
        assert ftm_model.PROPERTY_TYPES[name] == expected
        formats = {p: prop.format for p, prop in schema.properties.items()
                   if not prop.stub and getattr(prop, "format", None)}
        assert ftm_model.PROPERTY_FORMATS[name] == formats
    assert frozenset(registry.topic.names) == ftm_model.TOPICS
    assert frozenset(registry.country.codes) == ftm_model.COUNTRIES
    assert {t.name: t.max_length for t in registry.types} == ftm_model.TYPE_MAX_LENGTH


def test_own_fixtures_export_valid_and_lossless(own_fixtures: Path) -> None:
    entities = _read(sorted(p for p in own_fixtures.rglob("*") if p.is_file()
                            and p.suffix.lower() in (".xml", ".csv", ".json", ".xlsx")))
    assert len({e.source for e in entities}) >= 8
    exported = _assert_valid_and_lossless(entities)
    schemata = {d["schema"] for d in exported}
    assert {"Sanction", "Passport", "Identification"} <= schemata


def test_shared_lists_export_valid_and_lossless(shared_lists: Path) -> None:
    entities = _read(shared_lists / name for name in SHARED_FILES)
    assert len(entities) > 15_000
    exported = _assert_valid_and_lossless(entities)
    schemata = {d["schema"] for d in exported}
    assert {"Sanction", "Passport", "Identification", "CryptoWallet", "Ownership",
            "UnknownLink"} <= schemata


def _export(*entities: Entity) -> list[dict[str, Any]]:
    exported = [json.loads(json.dumps(d)) for d in export_entities(entities)]
    assert check_export(exported) == []
    return exported


def _of(exported: list[dict[str, Any]], schema: str) -> list[dict[str, Any]]:
    return [d for d in exported if d["schema"] == schema]


def test_source_properties_move_to_sanction_and_back() -> None:
    person = Entity("un-1", "Person", source="un_sc_sanctions", authority="UN",
                    authority_id="6908555", names=[Name("Ali Hassan")],
                    programmes=["DPRK"], listed_on="2016-03-02", delisted_on="2024-01-05",
                    properties={"unReference": ["KPi.033"], "programName": ["DPRK regime"],
                                "sanctionsImposed": ["Asset freeze"]})
    exported = _export(person)
    main, sanction = exported[0], _of(exported, "Sanction")[0]
    assert main["target"] is False and "unReference" not in main["properties"]
    assert sanction["properties"] == {
        "entity": ["un-1"], "authority": ["United Nations Security Council"],
        "country": ["un"], "authorityId": ["6908555"], "programId": ["DPRK"],
        "program": ["1718 sanctions (DPRK; reference numbers KP…)", "DPRK regime"],
        "description": ["DPRK: 1718 sanctions (DPRK; reference numbers KP…) | regime: DPRK "
                        "(North Korea) | legal basis: UNSC resolution 1718 (2006) | in force "
                        "since 2006-10-14"],
        "listingDate": ["2016-03-02"], "startDate": ["2016-03-02"],
        "endDate": ["2024-01-05"], "unscId": ["KPi.033"], "provisions": ["Asset freeze"]}
    back = next(entities_from_ftm(exported))
    assert (back.listed_on, back.delisted_on, back.authority_id) == (
        "2016-03-02", "2024-01-05", "6908555")
    assert back.properties["unReference"] == ["KPi.033"]
    assert back.properties["programName"] == ["DPRK regime"]  # the catalogue's name is not
    assert back.programmes == ["DPRK"]


@pytest.mark.parametrize(("raw", "countries", "expected", "noted"), [
    ("+971 4 324 8000; +97165749996", [], ["+97143248000", "+97165749996"], []),
    ("(357)(22660766)", ["cy"], ["+35722660766"], []),
    ("03889402", ["lb"], ["+9613889402"], []),
    ("0049 30 1234567", [], ["+49301234567"], []),
    ("call the office", ["de"], [], ["call the office"]),
    ("12", [], [], ["12"]),
])
def test_phone_numbers_as_e164_or_kept_in_notes(raw: str, countries: list[str],
                                                 expected: list[str], noted: list[str]) -> None:
    org = Entity("o-1", "Organization", names=[Name("Acme")], countries=countries,
                 properties={"phone": [raw]})
    main = _export(org)[0]
    assert main["properties"].get("phone", []) == expected
    assert [n for n in main["properties"].get("notes", []) if n.startswith("[phone]")] == \
        [f"[phone] {n}" for n in noted]
    back = entity_from_ftm(main)
    assert set(back.properties["phone"]) == set(expected) | set(noted)


def test_vessel_fields_where_ftm_has_them() -> None:
    vessel = Entity("ofac-9", "Vessel", names=[Name("SEA STAR")],
                    identifiers=[Identifier("imo", "IMO 9074729"),
                                 Identifier("other", "572469210", label="MMSI")],
                    properties={"vesselType": ["Tug"], "owner": ["Samir de Navegacion S.A."],
                                "flag": ["None Identified", "pa"], "length": ["134.5"]})
    main = _export(vessel)[0]
    props = main["properties"]
    assert props["type"] == ["Tug"] and props["flag"] == ["pa"]
    assert props["imoNumber"] == ["IMO 9074729"]
    assert props["registrationNumber"] == ["572469210"]  # a vehicle's other numbers
    assert set(props["notes"]) == {"[owner] Samir de Navegacion S.A.",
                                   "[flag] None Identified", "[length] 134.5"}
    back = entity_from_ftm(main)
    assert back.properties["vesselType"] == ["Tug"]
    assert back.properties["owner"] == ["Samir de Navegacion S.A."]
    assert set(back.properties["flag"]) == {"pa", "None Identified"}
    assert {clean_id(i.value) for i in back.identifiers} == {"IMO9074729", "572469210"}


def test_bad_imo_checksum_on_a_company_is_kept_as_a_registration_number() -> None:
    org = Entity("c-1", "Organization", names=[Name("Ship Co")],
                 identifiers=[Identifier("imo", "543400"), Identifier("imo", "9074729")])
    props = _export(org)[0]["properties"]
    assert props["imoNumber"] == ["9074729"] and props["registrationNumber"] == ["543400"]


def test_identifications_and_wallets_carry_issuer_and_label() -> None:
    person = Entity("p-1", "Person", names=[Name("Ivan")], identifiers=[
        Identifier("passport", "7201234567", "ru", "Passport", "issued 2010"),
        Identifier("national_id", "123-45", "ir", "National ID No."),
        Identifier("crypto", "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h",
                   label="Digital Currency Address - XBT")])
    exported = _export(person)
    props = exported[0]["properties"]
    assert props["passportNumber"] == ["7201234567"] and props["idNumber"] == ["123-45"]
    assert "cryptoWallet" not in props
    passport = _of(exported, "Passport")[0]["properties"]
    assert passport == {"holder": ["p-1"], "number": ["7201234567"], "type": ["Passport"],
                        "country": ["ru"], "summary": ["issued 2010"]}
    wallet = _of(exported, "CryptoWallet")[0]["properties"]
    assert wallet["currencySymbol"] == ["XBT"] and wallet["holder"] == ["p-1"]
    back = next(entities_from_ftm(exported))
    assert set(back.identifiers) == set(person.identifiers)


def test_relations_become_edges_only_between_exported_entities() -> None:
    company = Entity("ofac-2", "Company", names=[Name("Ship Holding")])
    vessel = Entity("ofac-3", "Vessel", names=[Name("SEA STAR")],
                    links=[Link("Owned or Controlled By", "ofac-2", True)])
    person = Entity("ofac-4", "Person", names=[Name("Ali")], links=[
        Link("Acting for or on behalf of", "ofac-2", True),
        Link("Linked To", "HIZBALLAH"),
        Link("Providing support to", "ofac-999", True)])
    exported = _export(company, vessel, person)
    ownership = _of(exported, "Ownership")[0]["properties"]
    assert (ownership["owner"], ownership["asset"]) == (["ofac-2"], ["ofac-3"])
    link = _of(exported, "UnknownLink")[0]["properties"]
    assert (link["subject"], link["object"], link["role"]) == (
        ["ofac-4"], ["ofac-2"], ["Acting for or on behalf of"])
    notes = next(d for d in exported if d["id"] == "ofac-4")["properties"]["notes"]
    assert set(notes) == {"[link: Linked To] HIZBALLAH",
                          "[link id: Providing support to] ofac-999"}
    back = {e.id: e for e in entities_from_ftm(exported)}
    assert back["ofac-3"].links == vessel.links
    assert set(back["ofac-4"].links) == set(person.links)


def test_same_id_in_two_sources_is_one_entity_with_two_sanctions() -> None:
    sdn = Entity("ofac-36", "Organization", source="us_ofac_sdn", authority="OFAC",
                 names=[Name("AEROCARIBBEAN AIRLINES")], programmes=["CUBA"])
    cons = Entity("ofac-36", "Organization", source="us_ofac_cons", authority="OFAC",
                  names=[Name("AEROCARIBBEAN AIRLINES"), Name("AERO-CARIBBEAN", "alias")],
                  programmes=["CUBA"], countries=["cu"])
    exported = _export(sdn, cons)
    listed = [d for d in exported if d["schema"] == "Organization"]
    assert len(listed) == 1 and listed[0]["datasets"] == ["us_ofac_sdn", "us_ofac_cons"]
    assert {d["datasets"][0] for d in _of(exported, "Sanction")} == {"us_ofac_sdn",
                                                                       "us_ofac_cons"}
    back = list(entities_from_ftm(exported))
    assert len(back) == 1 and {n.value for n in back[0].names} == {
        "AEROCARIBBEAN AIRLINES", "AERO-CARIBBEAN"}


def test_ids_ftm_refuses_are_cleaned_and_restored() -> None:
    entity = Entity("internal-ACME_LTD 7", "Company", source="watch",
                    names=[Name("Acme", parts=(("firstName", "A"),))],
                    birth_dates=[DateSpec("1990")], genders=["male"])
    exported = _export(entity)
    assert exported[0]["id"] != entity.id
    back = next(entities_from_ftm(exported))
    assert back.id == entity.id and back.birth_dates == [DateSpec("1990")]
    assert back.names == entity.names and back.genders == ["male"]


def test_single_entity_view_is_valid_ftm() -> None:
    """The API's view: one entity, its own properties only, all of them FtM's."""
    person = Entity("p-2", "Person", names=[Name("Vladimir Putin")],
                    birth_dates=[DateSpec("1952-10-07")], nationalities=["ru"],
                    identifiers=[Identifier("crypto", "0xabc")],
                    properties={"unReference": ["X"], "cryptoWallet": ["0xdef"]},
                    links=[Link("Linked To", "ofac-1", True)])
    data = entity_to_ftm(person)
    assert problems(data) == []
    assert data["properties"]["birthDate"] == ["1952-10-07"]
    assert "[cryptoWallet] 0xdef" in data["properties"]["notes"]
    assert "links" not in data


def test_assembler_takes_related_entities_before_or_after_theirs() -> None:
    sanction = {"id": "s1", "schema": "Sanction",
                "properties": {"entity": ["b"], "programId": ["SDGT"]}}
    late = {"id": "s2", "schema": "Sanction", "properties": {"entity": ["a"]}}
    orphan = {"id": "s3", "schema": "Sanction", "properties": {"entity": ["zz"]}}
    stream = [{"id": "a", "schema": "Person", "properties": {"name": ["A"]}}, sanction,
              {"id": "b", "schema": "Person", "properties": {"name": ["B"]}}, late, orphan]
    assembler = Assembler()
    out = [x for item in stream for x in assembler.add(item)] + assembler.finish()
    assert [(d["id"], [r["id"] for r in related]) for d, related, _ in out] == [
        ("a", []), ("b", ["s1"])]
    assert (assembler.late, assembler.orphans) == (1, 1)
    assert [e.programmes for e in entities_from_ftm(stream)] == [[], ["SDGT"]]
