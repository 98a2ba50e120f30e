"""Queries without a schema: what the name most likely names, and the listed entities it
cannot be lowered (issue 10, item 6).

Two indexes: a small one built here (persons of many locales, vessels named after people,
companies named after a family) and the real lists (the UN consolidated list and the vessels
and aircraft of the OFAC SDN file), whose words are what the reading learns from.
"""

from __future__ import annotations

import pickle

import pytest

from discreet.match import DEFAULT_THRESHOLD, Matcher, MatchResult, Query
from discreet.match.features import schema_unlikely
from discreet.match.kind import KindReader, Reading, consonants, imo_like
from discreet.match.rules import WEIGHTS
from discreet.model import Entity, Name
from discreet.sources import open_list
from tests.conftest import require_shared

W = dict(WEIGHTS)
DROP = W["schema_unlikely"]

# given names and family names of several locales; each listed person has one of each
GIVEN = ["Elena", "Olga", "Ahmed", "Fatima", "Hans", "Giulia", "Kenji", "Priya", "Mehmet",
         "Joao", "Ingrid", "Dmitri"]
FAMILY = ["Popescu", "Kuznetsova", "Haddad", "Rahimi", "Schneider", "Rossi", "Tanaka",
          "Sharma", "Yilmaz", "Oliveira", "Lindqvist", "Sokolov"]


def entity(eid: str, schema: str, *names: str) -> Entity:
    found = Entity(eid, schema, source="test", names=[Name(names[0])])
    for alias in names[1:]:
        found.add_name(alias, "alias")
    return found


def small_entities() -> list[Entity]:
    persons = [entity(f"p{i}-{k}", "Person", f"{g} {FAMILY[(i + k) % len(FAMILY)]}")
               for k in (0, 3, 7, 9) for i, g in enumerate(GIVEN)]
    bodies = [
        entity("v-elena", "Vessel", "ELENA"),
        entity("v-kenji", "Vessel", "KENJI TANAKA"),  # a vessel named after a person
        entity("v-ocean", "Vessel", "OCEAN GLORY"),
        entity("v-star", "Vessel", "NORDIC STAR"),
        entity("v-sea", "Vessel", "SEA PRINCESS"),
        entity("c-rossi", "Company", "ROSSI E FIGLI S.P.A."),  # named after a family
        entity("c-schneider", "Company", "SCHNEIDER HOLDING GMBH"),
        entity("c-ocean", "Company", "OCEAN GLORY SHIPPING LLC"),
        entity("c-star", "Company", "NORDIC STAR TRADING LTD"),
        entity("o-front", "Organization", "SEA PRINCESS FRONT"),
        entity("a-jet", "Airplane", "GIULIA SHARMA"),  # an aircraft named after a person
    ]
    # and bodies of other words, as the lists have many more of them than vessels named
    # after people (a word one body in ten bears would say nothing)
    for i, first in enumerate(["Aurora", "Baltic", "Coral", "Delta", "Eagle", "Falcon"]):
        for k, second in enumerate(["Spirit", "Pioneer", "Venture", "Horizon", "Express"]):
            schema = ("Vessel", "Company", "Organization")[(i + k) % 3]
            bodies.append(entity(f"b{i}-{k}", schema, f"{first} {second}"))
    return persons + bodies


@pytest.fixture(scope="module")
def small() -> Matcher:
    return Matcher.from_entities(small_entities())


def best(matcher: Matcher, text: str, eid: str, schema: str | None = None) -> MatchResult:
    """The result for entity ``eid`` (every entity scored: threshold 0, a large limit)."""
    for result in matcher.match(Query(text, schema=schema), limit=200, threshold=0.0):
        if result.entity.id == eid:
            return result
    raise AssertionError(f"{eid} not among the results for {text!r}")


def features(result: MatchResult) -> dict[str, str]:
    return {f.name: f.detail for f in result.explanation.features}


@pytest.mark.parametrize("text", ["Kenji Tanaka", "KENJI TANAKA", "Tanaka, Kenji"])
def test_a_persons_name_against_a_vessel_named_after_that_person(small: Matcher,
                                                                 text: str) -> None:
    """The vessel is still found (the name is the same), lower by the moderate weight and
    saying why; the listed person of the same name is not lowered."""
    vessel = best(small, text, "v-kenji")
    assert vessel.explanation.name_score > 0.9
    assert vessel.score == pytest.approx(vessel.explanation.name_score + DROP)
    detail = features(vessel)["schema_unlikely"]
    assert "reads as a person's name" in detail and "listed as a Vessel" in detail
    assert vessel.score >= DEFAULT_THRESHOLD  # moderate: an exact name still alerts
    person = small.match(Query(text), limit=1)[0]
    assert person.entity.schema == "Person" and person.score > vessel.score
    assert "schema_unlikely" not in features(person)


@pytest.mark.parametrize(("text", "eid", "schema"), [
    ("Giulia Sharma", "a-jet", "Airplane"),
    ("Elena Popescu", "v-elena", "Vessel"),
    ("Hans Rossi", "c-rossi", "Company"),
    ("Dmitri Schneider", "c-schneider", "Company"),
])
def test_persons_names_are_lowered_against_bodies(small: Matcher, text: str, eid: str,
                                                  schema: str) -> None:
    found = best(small, text, eid)
    assert found.score == pytest.approx(max(0.0, found.explanation.name_score + DROP))
    assert f"listed as a {schema}" in features(found)["schema_unlikely"]


@pytest.mark.parametrize(("text", "eid"), [
    ("MV OCEAN GLORY", "v-ocean"),  # a vessel queried as a vessel
    ("M/V NORDIC STAR", "v-star"),
    ("Ocean Glory Shipping LLC", "c-ocean"),  # a company queried with its legal form
    ("Rossi e Figli SpA", "c-rossi"),  # a company named after a family, with its form
    ("Schneider Holding", "c-schneider"),  # a generic organisation word
    ("Sea Princess", "v-sea"),  # words only bodies bear, against a body
])
def test_what_reads_as_the_listed_kind_stays_a_match(small: Matcher, text: str,
                                                     eid: str) -> None:
    found = small.match(Query(text), limit=3)
    assert found and found[0].entity.id == eid
    assert "schema_unlikely" not in features(found[0])


@pytest.mark.parametrize(("text", "eid", "why"), [
    ("Haddad Trading LLC", "p2-0", "a legal form"),  # Ahmed Haddad
    ("Rahimi Holding GmbH", "p3-0", "a legal form"),
    ("Sokolov Group", "p11-0", "organisation word"),
])
def test_organisation_queries_are_lowered_against_persons(small: Matcher, text: str,
                                                          eid: str, why: str) -> None:
    found = best(small, text, eid)
    # a legal form states the kind as plainly as a schema: weighed as a stated schema
    feature = "schema_mismatch" if why == "a legal form" else "schema_unlikely"
    detail = features(found)[feature]
    assert "reads as an organisation's name" in detail and why in detail
    assert "listed as a Person" in detail
    assert found.score == pytest.approx(max(0.0, found.explanation.name_score + W[feature]))


# surnames of several locales whose phonetic key is a one-word legal form's (sal, too, vat,
# prat, sac, ood, zat): a person's name, read without a schema, is still a person's
SURNAME_LIKE_FORM = ["Macky Sall", "Nguyen Thi Thu", "James Watt", "Chris Pratt",
                     "Nguyen Van Tou", "Ahmed Saal", "Ivan Zak", "Oliver Sack",
                     "Jan Oud", "Om Prakash Sat", "Kim Wat", "Yusuf Zal"]


@pytest.mark.parametrize("text", SURNAME_LIKE_FORM)
def test_surnames_that_sound_like_legal_forms_stay_persons(text: str) -> None:
    """No query of a listed person's own name reads as an organisation's (no -0.2
    schema_unlikely against every listed person) nor weighs a surname as a legal form."""
    listed = [entity(f"p{i}", "Person", name) for i, name in enumerate(SURNAME_LIKE_FORM)]
    matcher = Matcher.from_entities(listed + small_entities()[-12:])
    assert matcher.reader.read(text).kind != "organisation", text
    found = best(matcher, text, f"p{SURNAME_LIKE_FORM.index(text)}")
    assert "schema_unlikely" not in features(found), features(found)
    assert found.score == pytest.approx(1.0), found.explanation
    assert found.score >= DEFAULT_THRESHOLD


def test_a_stated_schema_is_never_second_guessed(small: Matcher) -> None:
    """The reading applies only when the query states no schema: a stated one is compared
    as stated (schema_mismatch), a matching one not at all."""
    found = best(small, "Kenji Tanaka", "v-kenji", schema="Vessel")
    assert "schema_unlikely" not in features(found)
    found = best(small, "Kenji Tanaka", "v-kenji", schema="Person")
    assert set(features(found)) == {"schema_mismatch"}


def test_threshold_only_filters_with_the_inferred_feature(small: Matcher) -> None:
    """The bound the matcher prunes with stays an upper bound: at the default threshold the
    results are those at 0 that reach it."""
    for text in ["Kenji Tanaka", "Elena Popescu", "Haddad Trading LLC", "Ocean Glory",
                 "Giulia Sharma", "Olga Kuznetsova", "MV Elena"]:
        every = [(r.entity.id, round(r.score, 9))
                 for r in small.match(Query(text), limit=500, threshold=0.0)]
        at = [(r.entity.id, round(r.score, 9)) for r in small.match(Query(text), limit=500)]
        assert at == [e for e in every if e[1] >= DEFAULT_THRESHOLD - 1e-9]


def test_restricted_index_reads_as_the_full_one(small: Matcher) -> None:
    """Re-screening against a few entities scores a kept one as the full index does: the
    reading comes from the full lists' words, and survives pickling."""
    sub = small.restricted({"v-kenji", "c-rossi"})
    assert sub.reader is small.reader
    for text, eid in [("Kenji Tanaka", "v-kenji"), ("Giulia Rossi", "c-rossi")]:
        assert best(sub, text, eid).score == pytest.approx(best(small, text, eid).score)
    copy = pickle.loads(pickle.dumps(small))
    assert copy.reader.read("Kenji Tanaka") == small.reader.read("Kenji Tanaka")
    assert best(copy, "Kenji Tanaka", "v-kenji").score == pytest.approx(
        best(small, "Kenji Tanaka", "v-kenji").score)


@pytest.mark.parametrize(("text", "number"), [
    ("IMO 9176187", "9176187"), ("imo: 9321483", "9321483"), ("EVER GIVEN 9811000", "9811000"),
    ("ship 9074729", "9074729"),
])
def test_imo_numbers(text: str, number: str) -> None:
    assert imo_like(text) == number


@pytest.mark.parametrize("text", ["9176188", "Flat 12, 1234568", "12345678", "Ahmed Ali"])
def test_not_imo_numbers(text: str) -> None:
    """Seven digits whose check digit is wrong, eight digits, no digits: no IMO number."""
    assert imo_like(text) is None


def test_readings_of_the_small_index(small: Matcher) -> None:
    read = small.reader.read
    assert read("IMO 9176187").kind == "vessel"
    assert read("MT Hans").kind == "vessel"  # a ship-type prefix
    assert read("Ms Olga Rossi").kind != "vessel"  # Ms: a title as much as a prefix
    assert read("Kuznetsova Trading").kind == "organisation"
    assert read("Fatima Lindqvist").kind == "person"
    assert read("Dmitri Ivanovich Sokolov").kind == "person"
    assert read("Ocean Star").kind == "body"
    assert read("Kenji").kind is None  # one word: could be anything
    assert read("Zebulon Quaxley").kind is None  # words the lists do not know
    assert read("Hans Haddad 12").kind is None  # a number, not an IMO one


@pytest.mark.parametrize(("reading", "listed", "lowered"), [
    (Reading("person", "x"), "Vessel", True), (Reading("person", "x"), "Company", True),
    (Reading("person", "x"), "Organization", True), (Reading("person", "x"), "Airplane", True),
    (Reading("person", "x"), "Person", False), (Reading("person", "x"), "LegalEntity", False),
    (Reading("organisation", "x"), "Person", True),
    (Reading("organisation", "x"), "Vessel", True),
    (Reading("organisation", "x"), "Company", False),
    (Reading("vessel", "x"), "Person", True), (Reading("vessel", "x"), "Vessel", False),
    (Reading("vessel", "x"), "Company", False),  # a vessel is often named as its owner
    (Reading("body", "x"), "Person", True), (Reading("body", "x"), "Vessel", False),
    (Reading(None), "Vessel", False), (Reading(None), "Person", False),
])
def test_which_schemata_a_reading_rules_out(reading: Reading, listed: str,
                                            lowered: bool) -> None:
    found = schema_unlikely(reading, listed, W)
    assert (found is not None) is lowered
    if found is not None:
        assert found.delta == DROP and f"listed as a {listed}" in found.detail


def test_the_weight_is_inferred_and_so_below_a_stated_mismatch() -> None:
    assert W["schema_mismatch"] < DROP < 0


def test_consonant_keys_of_abjad_spellings() -> None:
    """A romanised list name and the transliteration of its abjad spelling agree."""
    for listed, written in [("sajjad", "sjd"), ("jalali", "jlly"), ("fatimah", "ftmh"),
                            ("mohammed", "mhmd"), ("yasmin", "ysmyn")]:
        assert consonants(listed, romanised=True) == consonants(written), listed


def test_reader_from_names_counts_each_entity_once() -> None:
    ents = [entity("a", "Person", "Maria Lopez", "Maria LOPEZ", "Lopez Maria"),
            entity("b", "Vessel", "MARIA"), entity("c", "LegalEntity", "Maria Holdings")]
    m = Matcher.from_entities(ents)
    reader: KindReader = m.reader
    assert reader.persons["maria"] == 1 and reader.bodies["maria"] == 1
    assert (reader.n_persons, reader.n_bodies) == (1, 1)  # LegalEntity: neither


# --- the real lists --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> Matcher:
    """The UN consolidated list (persons and organisations) and every vessel and aircraft of
    the OFAC SDN file (some named after people: MANUELA SAENZ, YURY TOPCHEV, ...)."""
    lists = require_shared()
    _, un = open_list(lists / "un" / "un_consolidated_2026-02-27.xml")
    _, sdn = open_list(lists / "ofac_sdn_csv" / "history_jackdwyer" / "sdn_2024-05-03.csv")
    return Matcher.from_entities(list(un) + [e for e in sdn
                                             if e.schema in ("Vessel", "Airplane")])


def test_the_reading_tells_listed_persons_from_listed_bodies(real: Matcher) -> None:
    """Listed names read back: most persons' names of two to four words read as a person's,
    almost no organisation's, vessel's or aircraft's name does (the reading is evidence,
    not noise). Every tenth entity, so the names are not all of one programme."""
    persons = bodies = person_read = body_read = 0
    for e in real.entities[::10]:
        kind = real.reader.read(e.names[0].value).kind
        if e.schema == "Person" and 2 <= len(e.names[0].value.split()) <= 4:
            persons += 1
            person_read += kind == "person"
        elif e.schema in ("Organization", "Vessel", "Airplane"):
            bodies += 1
            body_read += kind == "person"
    assert persons > 50 and bodies > 100
    assert person_read / persons > 0.5  # the others: words too rare to say anything
    assert body_read / bodies < 0.02


def test_real_readings(real: Matcher) -> None:
    read = real.reader.read
    for text in ["Ahmed Hassan", "Abdul Rahman Karimi", "Kim Chol Ho", "محمد بن سلمان",
                 "Mohammed Al-Amin"]:
        assert read(text).kind == "person", text
    for text in ["Golden Dragon Trading", "Al Noor Company Ltd", "MV Sea Breeze",
                 "IMO 9321483"]:
        assert read(text).kind in ("organisation", "body", "vessel"), text


def test_listed_names_still_found_without_schema(real: Matcher) -> None:
    """Every listed name of a sample (persons, organisations, vessels), asked without a
    schema, still finds its entity first: the reading never lowers a right answer below
    another entity nor below the threshold."""
    ents = real.entities
    sample = [e for e in ents[:: max(1, len(ents) // 150)] if e.names]
    for e in sample:
        text = e.names[0].value
        found = real.match(Query(text), limit=5)
        assert any(r.entity.id == e.id for r in found), (text, e.schema)


def test_a_limit_only_cuts_the_ranked_results(real: Matcher) -> None:
    """With a limit the matcher prunes harder (a candidate below the k-th best is dropped):
    the first k results are still those of an unlimited search, with the same scores."""
    for text in ["Ahmed Hassan", "Manuela Saenz", "Yuri Topchev", "Kim Chol Ho",
                 "Al Qaida", "Golden Dragon Trading"]:
        every = [(r.entity.id, round(r.score, 9))
                 for r in real.match(Query(text), limit=5000, threshold=0.0)]
        for k in (1, 5, 20):
            top = [(r.entity.id, round(r.score, 9))
                   for r in real.match(Query(text), limit=k, threshold=0.0)]
            # ties at the cut may be broken either way: compare the scores, then the ids
            # of every result scored above the k-th
            assert [s for _, s in top] == [s for _, s in every[:k]], (text, k)
            if len(every) <= k:  # fewer candidates than the limit: all of them
                assert sorted(top) == sorted(every), (text, k)
                continue
            above = {e for e, s in every[:k] if s > every[k - 1][1]}
            assert above <= {e for e, _ in top}, (text, k)


@pytest.mark.parametrize("schema", [None, "", "Thing", "Any"])
def test_a_schema_that_says_nothing_is_read_from_the_name(small: Matcher,
                                                          schema: str | None) -> None:
    found = best(small, "Kenji Tanaka", "v-kenji", schema=schema)
    assert set(features(found)) == {"schema_unlikely"}


@pytest.mark.parametrize("text", ["Tomasz Wojciechowicz", "Boris Sergeyevich", "Ayse Karaoglu",
                                  "Svetlana Petrovna"])
def test_a_patronymic_shape_reads_as_a_person_alone(small: Matcher, text: str) -> None:
    """A word of a patronymic's shape is a person's whoever the lists name: enough alone
    (the other word unknown to the lists)."""
    assert small.reader.read(text).kind == "person"


def test_a_patronymic_does_not_outweigh_words_of_bodies(small: Matcher) -> None:
    assert small.reader.read("Ocean Glory Petrovich").kind != "person"
