"""The FtM export of linked listings and of the programme catalogue's facts.

Listings of one party (same-as links: ``Store.parties()``) are written once, as FtM models a
merged entity: the party id as id, the other listings' ids as ``referents``, the properties
of every listing merged without duplicates, and one ``Sanction`` per listing carrying the
authority, programme, legal basis and dates. Every exported entity is judged by the
``followthemoney`` library; reading the export back must keep what discreet screens on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from discreet.lists.load import read_list
from discreet.match.features import clean_id
from discreet.model import SCHEMATA, DateSpec, Entity, Identifier, Link, Name
from discreet.programmes.catalogue import catalogue, resolve
from discreet.sources.opensanctions.ftm import (
    LEGAL_BASIS,
    entities_from_ftm,
    export_entities,
    ftm_key,
)
from discreet.sources.opensanctions.ftm import ftm_id as fid
from discreet.store import ParsedList, SameAs, Store
from tests.sources.opensanctions.ftm_check import check_export
from tests.sources.opensanctions.test_ftm_export import SHARED_FILES, _read

SCREENED = ("schema", "names", "dates", "nationalities", "citizenships", "countries", "ids",
            "programmes")


def _features(rows: Iterable[tuple[str, Entity]]) -> dict[str, dict[str, set[Any]]]:
    """What screening compares, per key, over every entity given that key."""
    out: dict[str, dict[str, set[Any]]] = {}
    for key, e in rows:
        row = out.setdefault(key, {k: set() for k in SCREENED})
        row["schema"].add(e.schema)
        row["names"] |= {ftm_key(n.value, "name") for n in e.names}  # as FtM holds them
        row["dates"] |= {d for b in e.birth_dates for d in (b.start, b.end) if d}
        row["nationalities"] |= set(e.nationalities)
        row["citizenships"] |= set(e.citizenships)
        row["countries"] |= set(e.countries)
        row["ids"] |= {clean_id(i.value) for i in e.identifiers}
        row["programmes"] |= set(e.programmes)
    return out


def export_checked(entities: list[Entity],
                   parties: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Export, judge every entity with followthemoney, and check that each listing is
    written as exactly one FtM entity, with one Sanction per listing, and that reading the
    export back keeps the screened fields of all its listings."""
    exported = [json.loads(json.dumps(d)) for d in export_entities(entities, parties)]
    found = check_export(exported)
    assert found == [], f"{len(found)} problems, e.g. {found[:5]}"
    listed = [d for d in exported if d["schema"] in SCHEMATA]
    owner: dict[str, str] = {}
    for data in listed:
        assert data["id"] not in data.get("referents", [])
        for ident in (data["id"], *data.get("referents", [])):
            assert ident not in owner, f"{ident} written twice"
            owner[ident] = data["id"]
    listings = {fid(e.id) for e in entities}
    assert listings <= set(owner)
    assert all(owner[i] == i for i in set(owner) - listings)  # a party id of no listing here
    sanctions = [d for d in exported if d["schema"] == "Sanction"]
    assert len(sanctions) == len({(e.id, e.source) for e in entities})
    assert {s["properties"]["entity"][0] for s in sanctions} == {d["id"] for d in listed}
    back = list(entities_from_ftm(exported))
    assert len(back) == len(listed)
    schema_of = {d["id"]: d["schema"] for d in listed}
    expected = _features((owner[fid(e.id)], e) for e in entities)
    for row_key, row in expected.items():
        row["schema"] = {schema_of[row_key]}  # the merged schema extends every listing's
    assert _features(zip((d["id"] for d in listed), back, strict=True)) == expected
    return exported


def _of(exported: list[dict[str, Any]], schema: str) -> list[dict[str, Any]]:
    return [d for d in exported if d["schema"] == schema]


def _listing(ident: str, source: str, authority: str, names: list[str], **fields: Any
             ) -> Entity:
    return Entity(ident, fields.pop("schema", "Person"), source=source, authority=authority,
                  authority_id=ident.split("-", 1)[1], names=[Name(n) for n in names],
                  **fields)


def three_listings() -> list[Entity]:
    """One person as the UN, OFAC and the EU list him (the names and details differ)."""
    return [
        _listing("un-6908555", "un_sc_sanctions", "UN", ["Ali Hassan", "Abu Ali"],
                 birth_dates=[DateSpec("1970-01-01")], nationalities=["iq"],
                 programmes=["Al-Qaida"], listed_on="2016-03-02",
                 identifiers=[Identifier("passport", "A1234567", "iq")],
                 properties={"unReference": ["QDi.401"]}),
        _listing("ofac-12345", "us_ofac_sdn", "OFAC", ["HASSAN, Ali", "Ali Hassan"],
                 birth_dates=[DateSpec("1970-01-01"), DateSpec("1971")], nationalities=["iq"],
                 programmes=["SDGT"], identifiers=[Identifier("passport", "A1234567", "iq"),
                                                   Identifier("national_id", "99-1")]),
        _listing("eu-777", "eu_fsf", "EU", ["Ali HASSAN"], citizenships=["sy"],
                 programmes=["TAQA"], listed_on="2016-03-10", delisted_on="2024-02-01"),
    ]


def test_a_party_listed_by_three_authorities_is_one_entity_with_three_sanctions() -> None:
    listings = three_listings()
    parties = {e.id: "eu-777" for e in listings}  # the smallest id of the component
    exported = export_checked(listings, parties)
    (main,) = [d for d in exported if d["schema"] == "Person"]
    assert main["id"] == "eu-777"
    assert main["referents"] == ["ofac-12345", "un-6908555"]
    assert main["datasets"] == ["eu_fsf", "un_sc_sanctions", "us_ofac_sdn"]  # party's first
    assert main["target"] is True  # listed by one authority at least
    props = main["properties"]
    names = props["name"] + props.get("alias", [])
    assert sorted(names) == sorted({"Ali Hassan", "Abu Ali", "HASSAN, Ali", "Ali HASSAN"})
    assert len(names) == len(set(names))  # each value once
    assert props["birthDate"] == ["1970-01-01", "1971"]
    assert props["passportNumber"] == ["A1234567"]
    sanctions = _of(exported, "Sanction")
    assert len(sanctions) == 3
    assert all(s["properties"]["entity"] == ["eu-777"] for s in sanctions)
    by_authority = {s["properties"]["authority"][0]: s["properties"] for s in sanctions}
    assert set(by_authority) == {catalogue().authorities[a].name for a in ("UN", "OFAC", "EU")}
    eu = by_authority[catalogue().authorities["EU"].name]
    assert (eu["listingDate"], eu["endDate"], eu["authorityId"]) == (
        ["2016-03-10"], ["2024-02-01"], ["777"])
    assert len(_of(exported, "Passport")) == 1  # the same passport in two listings
    (back,) = entities_from_ftm(exported)
    assert back.id == "eu-777"
    assert {n.value for n in back.names} == set(names)
    assert set(back.programmes) == {"Al-Qaida", "SDGT", "TAQA"}


def test_unlinked_listings_stay_apart_and_a_missing_party_entity_is_no_problem() -> None:
    listings = three_listings()
    exported = export_checked(listings)  # no links: three entities
    assert len([d for d in exported if d["schema"] == "Person"]) == 3
    assert not any("referents" in d for d in exported)
    # the party's own listing is not exported (its source left out): the id stays the party's
    parties = {e.id: "ca-1" for e in listings} | {"ca-1": "ca-1"}
    exported = export_checked(listings, parties)
    (main,) = [d for d in exported if d["schema"] == "Person"]
    assert main["id"] == "ca-1"
    assert main["referents"] == ["eu-777", "ofac-12345", "un-6908555"]


def test_schemata_merge_into_the_one_that_extends_them_or_stay_apart() -> None:
    org = _listing("un-1", "un_sc_sanctions", "UN", ["Acme Trading"], schema="Organization")
    company = _listing("ofac-2", "us_ofac_sdn", "OFAC", ["ACME TRADING LLC"], schema="Company")
    body = _listing("uk-3", "gb_hmt_sanctions", "UK", ["Acme"], schema="LegalEntity",
                    countries=["ae"])
    vessel = _listing("eu-4", "eu_fsf", "EU", ["ALI"], schema="Vessel",
                      identifiers=[Identifier("imo", "9074729")])
    person = _listing("ofac-5", "us_ofac_sdn", "OFAC", ["Ali"], schema="Person",
                      birth_dates=[DateSpec("1980")])
    person2 = _listing("un-6", "un_sc_sanctions", "UN", ["Ali Ali"], schema="Person")
    parties = {"un-1": "ofac-2", "ofac-2": "ofac-2", "uk-3": "ofac-2",
               "eu-4": "eu-4", "ofac-5": "eu-4", "un-6": "eu-4"}  # the last: a wrong link
    exported = export_checked([org, company, body, vessel, person, person2], parties)
    listed = {d["id"]: d for d in exported if d["schema"] in SCHEMATA}
    assert listed["ofac-2"]["schema"] == "Company"
    assert listed["ofac-2"]["referents"] == ["uk-3", "un-1"]
    # a vessel cannot be a person: the two persons merge, the vessel keeps its own entity
    assert listed["ofac-5"]["schema"] == "Person"
    assert listed["ofac-5"]["referents"] == ["un-6"]
    assert listed["eu-4"]["schema"] == "Vessel" and "referents" not in listed["eu-4"]
    assert set(listed) == {"ofac-2", "ofac-5", "eu-4"}


def test_relations_point_to_the_party_and_within_it_are_kept_as_notes() -> None:
    owner = _listing("ofac-2", "us_ofac_sdn", "OFAC", ["Ship Holding"], schema="Company")
    owner_eu = _listing("eu-9", "eu_fsf", "EU", ["Ship Holding Ltd"], schema="Company",
                        links=[Link("Parent", "ofac-2", True)])
    vessel = _listing("ofac-3", "us_ofac_sdn", "OFAC", ["SEA STAR"], schema="Vessel",
                      links=[Link("Owned or Controlled By", "ofac-2", True)])
    exported = export_checked([owner, owner_eu, vessel], {"ofac-2": "eu-9", "eu-9": "eu-9"})
    (ownership,) = _of(exported, "Ownership")
    assert (ownership["properties"]["owner"], ownership["properties"]["asset"]) == (
        ["eu-9"], ["ofac-3"])
    party = next(d for d in exported if d["id"] == "eu-9")
    assert "[link id: Parent] ofac-2" in party["properties"]["notes"]
    back = {e.id: e for e in entities_from_ftm(exported)}
    assert Link("Parent", "ofac-2", True) in back["eu-9"].links
    assert back["ofac-3"].links == [Link("Owned or Controlled By", "eu-9", True)]


def test_ids_ftm_refuses_are_cleaned_in_referents_and_restored_for_the_party() -> None:
    first = _listing("watch-ACME LTD", "watch", "FtM", ["Acme"], schema="Company")
    second = _listing("un-2 b", "un_sc_sanctions", "UN", ["ACME"], schema="Company")
    exported = export_checked([first, second], {"watch-ACME LTD": "un-2 b",
                                                "un-2 b": "un-2 b"})
    (main,) = [d for d in exported if d["schema"] == "Company"]
    assert main["id"] == fid("un-2 b") != "un-2 b"
    assert main["referents"] == [fid("watch-ACME LTD")]
    (back,) = entities_from_ftm(exported)
    assert back.id == "un-2 b"


def _basis_line(code: str, authority: str) -> str | None:
    programme = resolve(authority, code)
    if programme is None or not programme.legal_basis:
        return None
    return f"{LEGAL_BASIS}: {'; '.join(programme.legal_basis)}"


def test_every_catalogued_programme_with_a_basis_reaches_its_sanction() -> None:
    """Every programme of every authority's table: its name is the Sanction's program and
    its legal basis, start and renewal are in its description, all valid FtM."""
    listings: list[Entity] = []
    for authority in catalogue().authorities.values():
        for number, programme in enumerate(authority.programmes.values()):
            listings.append(_listing(f"{authority.code.lower()}-{number}", f"src_{authority.code}",
                                     authority.code, [f"Party {number}"],
                                     programmes=[programme.code]))
    listings.append(_listing("un-x", "src_UN", "UN", ["Unknown"], programmes=["NOT-A-CODE"]))
    exported = export_checked(listings)
    sanction_of = {s["properties"]["entity"][0]: s["properties"]
                   for s in _of(exported, "Sanction")}
    with_basis = 0
    for entity in listings:
        props = sanction_of[entity.id]
        resolved = resolve(entity.authority, entity.programmes[0])
        if resolved is None:
            assert "description" not in props and "program" not in props
            continue
        assert props["program"] == [resolved.name]
        (line,) = props["description"]
        assert line.startswith(f"{resolved.code}: {resolved.name}")
        basis = _basis_line(entity.programmes[0], entity.authority)
        assert (basis in line) if basis else (LEGAL_BASIS not in line)
        with_basis += basis is not None
        assert (f"in force since {resolved.start}" in line) == bool(resolved.start)
        assert (f"renewal: {resolved.renewal}" in line) == bool(resolved.renewal)
    assert with_basis >= 150


def test_real_lists_linked_by_name_export_valid_with_legal_basis(shared_lists: Path) -> None:
    """The real lists with parties made of listings of one name in several sources (many
    more merges than real links make, schemata that cannot merge included): every entity
    valid FtM, every listing once, nothing screened lost, and each Sanction of a programme
    the catalogue gives a legal basis carries it."""
    entities = _read(shared_lists / name for name in SHARED_FILES)
    archive = shared_lists.parent / "archive"
    entities += _read([archive / "ca_sema" / "sema-lmes_2025-05.xml",
                       archive / "au_dfat" / "regulation8_consolidated_2024-11-11.xlsx"])
    parties = _parties_by_name(entities)
    assert len(parties) > 500
    exported = export_checked(entities, parties)
    merged = [d for d in exported if d.get("referents")]
    assert len(merged) > 200
    assert {d["schema"] for d in merged} >= {"Person", "Organization"}
    described: dict[tuple[str, str], list[str]] = {}  # (entity, source) -> descriptions
    for sanction in _of(exported, "Sanction"):
        key = (sanction["properties"]["entity"][0], sanction["datasets"][0])
        described.setdefault(key, []).extend(sanction["properties"].get("description", []))
    owner = {fid(i): d["id"] for d in exported if d["schema"] in SCHEMATA
             for i in (d["id"], *d.get("referents", []))}
    carried: dict[str, int] = {}
    for entity in entities:
        lines = described[(owner[fid(entity.id)], entity.source)]
        for code in entity.programmes:
            basis = _basis_line(code, entity.authority)
            if basis is not None:
                assert any(basis in line for line in lines), (entity.id, code)
                carried[entity.authority] = carried.get(entity.authority, 0) + 1
    assert set(carried) >= {"OFAC", "UN", "EU", "UK", "CA", "AU"}


def _parties_by_name(entities: list[Entity]) -> dict[str, str]:
    """Entity id -> party id for listings of several sources sharing a primary name."""
    by_name: dict[str, set[str]] = {}
    sources: dict[str, set[str]] = {}
    for entity in entities:
        key = " ".join(entity.caption.casefold().replace(",", " ").split())
        by_name.setdefault(key, set()).add(entity.id)
        sources.setdefault(key, set()).add(entity.source)
    parties: dict[str, str] = {}
    for key, ids in by_name.items():
        if len(sources[key]) > 1 and len(ids) > 1 and not any(i in parties for i in ids):
            party = min(ids)
            parties.update(dict.fromkeys(ids, party))
    return parties


def _parsed(source: str, authority: str, entities: list[Entity]) -> ParsedList:
    for entity in entities:
        entity.source, entity.authority = source, authority
    records = {e.id: (e.content_hash(), e.to_json()) for e in entities}
    return ParsedList(source=source, authority=authority, format="test",
                      file_name=f"{source}.xml", sha256=source.ljust(64, "0")[:64],
                      published="2024-06-01", records=records)


def test_discreet_export_writes_linked_listings_once(tmp_path: Path) -> None:
    """The command reads the store's links: proposed and confirmed ones merge, a rejected
    one does not."""
    db = tmp_path / "store.db"
    un, ofac, eu = three_listings()
    other = _listing("ofac-999", "us_ofac_sdn", "OFAC", ["Someone Else"], programmes=["SDGT"])
    with Store.open(str(db)) as store:
        store.write(_parsed("un_sc_sanctions", "UN", [un]))
        store.write(_parsed("us_ofac_sdn", "OFAC", [ofac, other]))
        store.write(_parsed("eu_fsf", "EU", [eu]))
        store.replace_proposed_links([
            SameAs("ofac-12345", "un-6908555", "identifier", 0.99, ("passport A1234567",)),
            SameAs("eu-777", "ofac-12345", "name", 0.9, ("name and birth date",)),
            SameAs("ofac-999", "un-6908555", "name", 0.6, ("weak",))])
        store.decide_link("ofac-999", "un-6908555", "rejected", by="analyst")
    env = {**os.environ, "DISCREET_DB": str(db)}
    out = tmp_path / "export.ftm.json"
    proc = subprocess.run([sys.executable, "-m", "discreet", "export", "-o", str(out)],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "2 parties exported" in proc.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert check_export(rows) == []
    people = {d["id"]: d for d in rows if d["schema"] == "Person"}
    assert set(people) == {"eu-777", "ofac-999"}
    assert people["eu-777"]["referents"] == ["ofac-12345", "un-6908555"]
    assert "referents" not in people["ofac-999"]
    assert sorted(s["properties"]["entity"][0] for s in rows if s["schema"] == "Sanction") == [
        "eu-777", "eu-777", "eu-777", "ofac-999"]
    # the FtM reader (what `discreet load` uses) gets every listing's screened fields back
    parsed = read_list(out, source="reloaded")
    assert sorted(parsed.records) == ["eu-777", "ofac-999"]
    party = Entity.from_dict(json.loads(parsed.records["eu-777"][1]))
    got = _features([("p", party)])["p"]
    want = _features(("p", e) for e in (un, ofac, eu))["p"]
    assert got == want


def test_values_ftm_holds_as_one_are_written_once() -> None:
    """Quotes around a name, invisible characters, spacing and composition: FtM cleans them
    away, so two listings spelling one value so give it once (else FtM drops one)."""
    first = _listing("un-1", "un_sc_sanctions", "UN", ['"Qorgab"', "Hasan Hassan\u200czadeh",
                                                       "Jos\u00e9  Ruiz"],
                     remarks=["Director of X;  oversees Y."])
    second = _listing("ofac-1", "us_ofac_sdn", "OFAC", ["Qorgab", "Hasan Hassanzadeh",
                                                        "Jose\u0301 Ruiz", "'Abu Ali'"],
                      remarks=["Director of X; oversees Y.", "Other remark"])
    exported = export_checked([first, second], {"un-1": "ofac-1", "ofac-1": "ofac-1"})
    props = exported[0]["properties"]
    assert props["name"] == ["Qorgab", "Hasan Hassanzadeh", "Jose\u0301 Ruiz", "'Abu Ali'"]
    assert props["notes"] == ["Director of X; oversees Y.", "Other remark"]
    assert ftm_key(" a\u00a0 b ", "text") == "a b" and ftm_key("'x'", "string") == "'x'"


def test_one_id_as_schemata_that_cannot_merge_is_two_entities() -> None:
    """A source that lists one id as a person in one file and a vessel in another (seen in
    OFSI fixtures): two FtM entities, the larger group keeping the id, every id once."""
    vessel = _listing("gb-7", "gb_hmt_sanctions", "UK", ["SEA STAR"], schema="Vessel")
    person = _listing("gb-7", "gb_hmt_sanctions", "UK", ["Sea Star"], schema="Person",
                      birth_dates=[DateSpec("1960")])
    person2 = _listing("gb-7", "gb_hmt_old", "UK", ["Star, Sea"], schema="Person")
    exported = [json.loads(json.dumps(d)) for d in export_entities([vessel, person, person2])]
    assert check_export(exported) == []
    listed = {d["id"]: d["schema"] for d in exported if d["schema"] in SCHEMATA}
    assert listed == {"gb-7": "Person", "gb-7-Vessel": "Vessel"}
    assert len(_of(exported, "Sanction")) == 3
    back = {e.schema: e for e in entities_from_ftm(exported)}
    assert back["Vessel"].id == back["Person"].id == "gb-7"  # the id restored from the note
    assert {n.value for n in back["Person"].names} == {"Sea Star", "Star, Sea"}
