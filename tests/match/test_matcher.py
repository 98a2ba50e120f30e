"""The matcher: index, candidates, features, explanations, pickling."""

from __future__ import annotations

import pickle

import pytest

from discreet.match import DEFAULT_THRESHOLD, Matcher, Query, candidate_recall
from discreet.match.score import name_score
from discreet.model import DateSpec, Entity, Identifier, Name
from discreet.text.names import NameClass


def person(eid: str, *names: str, dob: str | None = None, country: str | None = None,
           gender: str | None = None, passport: str | None = None) -> Entity:
    entity = Entity(eid, "Person", source="test", names=[Name(names[0])])
    for alias in names[1:]:
        entity.add_name(alias, "alias")
    if dob:
        entity.birth_dates.append(DateSpec(dob))
    if country:
        entity.nationalities.append(country)
    if gender:
        entity.genders.append(gender)
    if passport:
        entity.identifiers.append(Identifier("passport", passport, "ru"))
    return entity


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    entities = [
        person("putin", "PUTIN, Vladimir Vladimirovich", "Владимир Владимирович Путин",
               dob="1952-10-07", country="ru", gender="male", passport="1234567"),
        person("lavrov", "Sergey Viktorovich LAVROV", dob="1950-03-21", country="ru",
               gender="male"),
        person("ivanov", "Sergey Borisovich IVANOV", dob="1953-01-31", country="ru"),
        person("mbs", "Mohammed bin Salman Al Saud", country="sa"),
        person("kim", "KIM JONG UN", "김정은", country="kp"),
        Entity("gazprom", "Company", source="test", names=[Name("OAO Gazprom")]),
        Entity("trading", "Company", source="test", names=[Name("Global Trading Company Ltd")]),
        Entity("vessel", "Vessel", source="test", names=[Name("Sergey Lavrov")]),
    ]
    entities += [person(f"filler{i}", f"Filler{i} Person{i}") for i in range(30)]
    return Matcher.from_entities(entities)


def ids(results: list) -> list[str]:  # type: ignore[type-arg]
    return [r.entity.id for r in results]


def test_finds_names_across_scripts_and_spellings(matcher: Matcher) -> None:
    assert ids(matcher.match(Query("Wladimir Putin")))[:1] == ["putin"]
    assert ids(matcher.match(Query("Путин Владимир")))[:1] == ["putin"]
    assert ids(matcher.match(Query("Muhammad bin Salman")))[:1] == ["mbs"]
    assert ids(matcher.match(Query("Kim Jong-un")))[:1] == ["kim"]
    assert ids(matcher.match(Query("Gasprom OAO", schema="Company")))[:1] == ["gazprom"]


def test_shared_first_name_does_not_alert(matcher: Matcher) -> None:
    assert ids(matcher.match(Query("Sergey Petrov", schema="Person"))) == []
    assert ids(matcher.match(Query("Trading Company Ltd", schema="Company"))) == []


def test_threshold_zero_returns_the_best_whatever_their_score(matcher: Matcher) -> None:
    results = matcher.match(Query("Sergey Petrov"), threshold=0, limit=3)
    assert 1 <= len(results) <= 3
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    assert all(r.score < DEFAULT_THRESHOLD for r in results)


def test_birth_date_and_identifier_move_the_score(matcher: Matcher) -> None:
    plain = matcher.match(Query("Vladimir Putin", schema="Person"))[0].score
    born = matcher.match(Query("Vladimir Putin", schema="Person", birth_date="1952-10-07"))
    wrong = matcher.match(Query("Vladimir Putin", schema="Person", birth_date="1975"),
                          threshold=0)
    by_id = matcher.match(Query("V Putin", id_numbers=("1234 567",)))
    assert born[0].score > plain > wrong[0].score
    assert {f.name for f in born[0].explanation.features} == {"dob_exact"}
    assert by_id and by_id[0].entity.id == "putin"
    assert "id_match" in {f.name for f in by_id[0].explanation.features}


def test_schema_country_and_gender_mismatches_subtract(matcher: Matcher) -> None:
    as_person = matcher.match(Query("Sergey Lavrov", schema="Person"), threshold=0)
    assert as_person[0].entity.id == "lavrov"
    vessel = [r for r in as_person if r.entity.id == "vessel"]
    assert not vessel or vessel[0].score < as_person[0].score
    far = matcher.match(Query("Sergey Lavrov", schema="Person", countries=("France",),
                              gender="female"), threshold=0)
    lavrov = next(r for r in far if r.entity.id == "lavrov")
    assert {f.name for f in lavrov.explanation.features} >= {"country_mismatch",
                                                             "gender_mismatch"}
    assert lavrov.score < as_person[0].score


def test_result_to_dict_follows_the_contract(matcher: Matcher) -> None:
    result = matcher.match(Query("Vladimir Putin"))[0]
    data = result.to_dict()
    assert set(data) == {"id", "caption", "schema", "score", "datasets", "topics",
                         "explanation"}
    assert data["datasets"] == ["test"]
    assert data["explanation"]["tokens"]
    assert "putin" in result.explanation.to_text()


def test_matcher_pickles_and_still_matches(matcher: Matcher) -> None:
    clone = pickle.loads(pickle.dumps(matcher))
    assert len(clone) == len(matcher)
    assert ids(clone.match(Query("Putin")))[:1] == ids(matcher.match(Query("Putin")))[:1]


def test_candidate_recall_against_brute_force(matcher: Matcher) -> None:
    from discreet.match.prepare import prepare_name

    queries = [prepare_name(q, "person", matcher.rarity)
               for q in ("Wladimir Putin", "Sergei Lavrov", "Mohamed bin Salman", "Kim Jong Un")]
    recall = candidate_recall(queries, matcher.names, matcher.index,
                              lambda q, n: name_score(q, n, matcher.tables.swap_readings_of).score,
                              DEFAULT_THRESHOLD)
    assert recall == 1.0


def test_arabic_script_queries_find_latin_list_names() -> None:
    entities = [person("ahmadi", "MOHAMMAD AHMADI"), person("walijan", "WALIJAN"),
                person("reshad", "HABIBULLAH RESHAD")]
    # many list names share the common words, some of them written in Arabic script
    entities += [person(f"m{i}", f"Mohammad Ahmad Filler{i}", f"محمد أحمد فلان{i}")
                 for i in range(60)]
    m = Matcher.from_entities(entities)
    assert ids(m.match(Query("محمد احمدی", schema="Person")))[:1] == ["ahmadi"]
    assert ids(m.match(Query("ولی جان", schema="Person")))[:1] == ["walijan"]
    assert ids(m.match(Query("حبیب الله رشاد", schema="Person")))[:1] == ["reshad"]


def test_candidates_prefer_names_made_of_the_query_words() -> None:
    from discreet.match.prepare import prepare_name

    entities = [person(f"long{i}", f"Ali Hassan Filler{i} Other{i}") for i in range(60)]
    entities.append(person("exact", "Ali Hassan"))
    m = Matcher.from_entities(entities)
    q = prepare_name("Ali Hassan", "person", m.rarity)
    top = m.index.candidates(q, 3)
    assert m.entities[m.owners[top[0]]].id == "exact"


def test_query_caches_are_not_pickled(matcher: Matcher) -> None:
    matcher.match(Query("Wladimir Putin"))
    clone = pickle.loads(pickle.dumps(matcher))
    assert clone._prepared == {} and clone.index._token_cache == {}
    assert ids(clone.match(Query("Wladimir Putin"))) == ids(matcher.match(Query("Wladimir Putin")))


def test_query_caches_are_not_pickled_nor_needed(matcher: Matcher) -> None:
    """The readings of the names screened lately are not pickled, and an index saved
    before they were kept (no such attribute) screens as one that keeps them."""
    matcher.match(Query("Wladimir Putin"))
    assert matcher.__dict__["_readings"]
    clone = pickle.loads(pickle.dumps(matcher))
    assert clone.__dict__["_readings"] == {}
    del clone.__dict__["_readings"]
    assert ids(clone.match(Query("Wladimir Putin"))) == ids(matcher.match(Query("Wladimir Putin")))


def test_a_name_screened_again_is_read_once(matcher: Matcher) -> None:
    """A query name's readings (the name in Cyrillic also transliterated, initials written
    together also apart) are prepared once and kept: the same prepared names (what the
    index's and the kernel's own caches know them by) and the same results, whether asked
    again at once or after many other names have made the cache start over."""
    asked: list[tuple[str, NameClass]] = [("Владимир Путин", "person"), ("JC Lavrov", "person"),
                                          ("Gazprom OAO", "org")]
    for name, cls in asked:
        first = matcher.readings(name, cls)
        assert first and first == tuple(matcher.prepare(t.original, cls) for t in first)
        assert matcher.readings(name, cls) is first
    before = ids(matcher.match(Query("Владимир Путин", schema="Person")))
    for i in range(5000):  # more names than are kept: the cache starts over
        matcher.readings(f"Zebulon Quackenbush {i}", "person")
    assert len(matcher.__dict__["_readings"]) <= 4096
    assert ids(matcher.match(Query("Владимир Путин", schema="Person"))) == before == ["putin"]
    assert matcher.match(Query("Zebulon Quackenbush", schema="Person")) == []


def test_threshold_zero_fills_the_limit_with_unrelated_entities(matcher: Matcher) -> None:
    results = matcher.match(Query("Zebulon Quackenbush"), threshold=0, limit=4)
    assert len({r.entity.id for r in results}) == 4
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    assert matcher.match(Query("Zebulon Quackenbush")) == []


def test_restricted_index_scores_as_the_full_one() -> None:
    from discreet.match import Matcher, Query
    from discreet.model import Entity, Name

    people = [Entity(id=f"p{i}", schema="Person", names=[Name(n)]) for i, n in enumerate(
        ["Ivan Petrov", "Olga Smirnova", "Ivan Petrenko", "Ahmed Hassan", "Li Wei"])]
    full = Matcher.from_entities(people)
    sub = full.restricted({"p0", "p3"})
    assert len(sub) == 2
    found = 0
    for name in ("Ivan Petrov", "Ahmed Hasan", "Olga Smirnova"):
        want = [(r.entity.id, r.score) for r in full.match(Query(name=name), threshold=0.5)
                if r.entity.id in {"p0", "p3"}]
        got = [(r.entity.id, r.score) for r in sub.match(Query(name=name), threshold=0.5)]
        assert got == want
        found += len(got)
    assert found >= 2  # Ivan Petrov and Ahmed Hasan are found in both


def test_an_acronym_finds_the_organisation_it_abbreviates() -> None:
    entities = [
        Entity(id="bnc", schema="Organization", names=[Name("BANCO NACIONAL DE CUBA")]),
        Entity(id="irgc", schema="Organization",
               names=[Name("ISLAMIC REVOLUTIONARY GUARD CORPS")]),
        Entity(id="person", schema="Person", names=[Name("Bruno Nunez Castro")]),
    ]
    m = Matcher.from_entities(entities)
    assert [r.entity.id for r in m.match(Query("BNC", schema="Organization"))] == ["bnc"]
    found = m.match(Query("IRGC"))
    assert [r.entity.id for r in found] == ["irgc"]
    assert found[0].explanation.tokens[0].method == "acronym"
    # people's names are not read as acronyms
    assert m.match(Query("BNC", schema="Person")) == []


def test_the_index_proposes_belarusian_spellings_among_many_russian_ones() -> None:
    entities = [person("barsukou", "Aliaksandr Piatrovich BARSUKOU")]
    # names sharing the given name and patronymic exactly, and nothing else
    entities += [person(f"a{i}", f"Aleksandr Petrovich Filler{i}") for i in range(80)]
    m = Matcher.from_entities(entities)
    assert ids(m.match(Query("Aleksandr Petrovich BARSUKOV", schema="Person")))[:1] == [
        "barsukou"]


def test_names_of_common_words_only_are_still_collected() -> None:
    from discreet.match.index import _LARGE

    entities = [person("target", "IBRAHIM, Mohammad")]
    # both words are common: each is posted for more than _LARGE names
    entities += [person(f"i{i}", f"Ibrahim Filler{i}") for i in range(_LARGE + 10)]
    entities += [person(f"m{i}", f"Mohammad Other{i}") for i in range(_LARGE + 10)]
    entities += [person("rare", "Mohammadi Ibrahimi")]  # rare neighbours of both words
    m = Matcher.from_entities(entities)
    assert ids(m.match(Query("Mohammad IBRAHIM", schema="Person")))[:1] == ["target"]



def test_three_words_written_together_are_found() -> None:
    entities = [Entity(id="royal", schema="Company", names=[Name("ROYAL ROOM DRESS")])]
    entities += [Entity(id=f"c{i}", schema="Company", names=[Name(f"ROYAL FILLER{i} LTD")])
                 for i in range(30)]
    m = Matcher.from_entities(entities)
    assert ids(m.match(Query("ROYALROOMDRESS", schema="Company")))[:1] == ["royal"]


def test_an_acronym_ranks_the_long_name_it_abbreviates_first() -> None:
    entities = [Entity(id="mkoi", schema="Organization",
                       names=[Name("MEZHDUNARODNYI KLUB OPTICHESKIKH INNOVATSII")])]
    # more than CANDIDATES names with a rare word one letter from the acronym: each shares
    # more of its own evidence with the query than four words abbreviated to "MKOI"
    words = [f"MKOI{c}" for c in "ABCDEFGHJLMNPRSTUVWXYZ"] + [
        f"{c}MKOI" for c in "ABCDEFGHJLMNPRSTUVWXYZ"]
    entities += [Entity(id=f"m{i}", schema="Organization", names=[Name(f"{word} HOLDING")])
                 for i, word in enumerate(words)]
    m = Matcher.from_entities(entities)
    assert ids(m.match(Query("MKOI", schema="Organization")))[:1] == ["mkoi"]


def test_legal_forms_pair_whatever_schema_the_query_states() -> None:
    """A legal form in the query pairs with the same form of the listed name whether the
    query states no schema, yente's LegalEntity, Company or Organization, written with
    dots or without; a person whose name looks like a form is not broken."""
    listed = [("c1", "Company", "CEMENTOS ANDINOS S.A."), ("c2", "Organization", "Bank Vostok SAL"),
              ("c3", "Company", "ТОВ Ромашка Агро"), ("c4", "Company", "Polmex Sp. z o.o."),
              ("c5", "Company", "Helios Shipping AG"), ("c6", "Company", "ZAT Ukrnafta Trans"),
              ("p1", "Person", "Nguyen Van SA"), ("p2", "Person", "Pat O'Brien")]
    m = Matcher.from_entities([Entity(i, s, source="test", names=[Name(n)]) for i, s, n in listed])
    for text, want in (("Cementos Andinos SA", "c1"), ("CEMENTOS ANDINOS S.A.", "c1"),
                       ("Bank Vostok S.A.L.", "c2"), ("TOV Romashka Agro", "c3"),
                       ("Romashka Agro ТОВ", "c3"), ("POLMEX SP. Z O.O.", "c4"),
                       ("Helios Shipping A.G.", "c5"), ("Ukrnafta Trans ЗАТ", "c6")):
        for schema in (None, "LegalEntity", "Company", "Organization"):
            found = m.match(Query(text, schema=schema))
            assert found and found[0].entity.id == want, (text, schema)
            assert found[0].score >= 0.95, (text, schema, found[0].score)
    for text, want in (("Nguyen Van Sa", "p1"), ("Sa Nguyen Van", "p1"), ("Pat O'Brien", "p2"),
                       ("PAT O'BRIEN", "p2")):
        for schema in (None, "Person"):
            found = m.match(Query(text, schema=schema))
            assert found and found[0].entity.id == want and found[0].score == 1.0, (text, schema)


def test_one_word_cannot_carry_a_query_of_more_names() -> None:
    """A one-word alias pairs one word of a two-name query: the other name left over
    keeps the score below an alert (the entity's full name still alerts); a query that is
    only a legal form does not pair with another name that is only one."""
    yusuf = person("yusuf", "Tariq MANSOURI", "Yusuf")
    fortress = Entity("fortress", "Organization", source="test", names=[Name("RED FORTRESS")])
    fortress.add_name("OAO", "alias")
    m = Matcher.from_entities([yusuf, fortress, person("omar", "Omar Yusuf HADDAD")])
    assert m.match(Query("Yusuf"))[0].entity.id == "yusuf"  # the alias itself still finds
    for text in ("Ibrahim Yusuf", "Yusuf Karimov", "Yusuf Ali Shah"):
        best = {r.entity.id: r for r in m.match(Query(text), threshold=0, limit=10)}
        assert best["yusuf"].score < DEFAULT_THRESHOLD, text
        assert "one word" in " ".join(best["yusuf"].explanation.notes)
    assert [r.entity.id for r in m.match(Query("Tariq Mansouri"))] == ["yusuf"]
    for text in ("OOO", "LLC", "ZAO", "GmbH"):
        assert all(r.entity.id != "fortress" for r in m.match(Query(text))), text
    assert m.match(Query("OAO"))[0].entity.id == "fortress"  # the same word: still found
