"""The re-screening prefilter never drops a customer the restricted matcher would alert on.

Real list names (the UN consolidated list, with its Arabic-script originals, when the shared
fixtures are there; the project's own list samples always) with typos, reorderings, joined
words and Cyrillic spellings, plus Faker names in a dozen locales and scripts, are screened
against random sub-indexes. The names are cached as a previous run over a previous version
of the lists prepared them, and go through the token cache's encoding, as in production.
Whenever the matcher finds anything, the prefilter must have kept the row. The key test is
also held to ``NameIndex._query_keys`` itself, so a change there that the prefilter does not
follow fails here.
"""

from __future__ import annotations

import dataclasses
import random

import pytest

from discreet.match import Matcher, Query
from discreet.match.prefilter import (
    PROBE_NAMES,
    KeyFilter,
    NameParts,
    Prefilter,
    may_have_candidates,
    parts_of,
    query_names,
    rebuild,
    rebuilds_exactly,
)
from discreet.match.prepare import prepare_name
from discreet.match.rarity import Rarity, default_rarity
from discreet.model import DateSpec, Entity, Name
from discreet.screen import tokencache
from discreet.sources import open_list
from tests.conftest import OWN_FIXTURES, SHARED_LISTS

OWN_LISTS = ["un/un_small.xml", "uk_fcdo/uk_small.xml", "eu_fsf/eu_small.xml",
             "ofac_xml/sdn_sample.xml", "ofac_csv/sdn.csv", "ftm/entities.ftm.json"]
SHARED = "un/un_consolidated_2026-02-27.xml"
LOCALES = ["en_US", "de_DE", "ru_RU", "ar_AA", "fa_IR", "zh_CN", "ko_KR", "ja_JP", "el_GR",
           "tr_TR", "uk_UA", "hi_IN", "es_ES"]
CYRILLIC = dict(zip("abvgdezijklmnoprstufhcy", "абвгдезийклмнопрстуфхцы", strict=True))
THRESHOLDS = (None, 0.5, 0.8)


def faker_names(count: int, seed: int) -> list[tuple[str, str]]:
    """(name, schema) from many locales and scripts: people and companies."""
    from faker import Faker

    rng = random.Random(seed)
    fakers = [Faker(locale) for locale in LOCALES]
    for number, fake in enumerate(fakers):
        fake.seed_instance(seed + number)
    out = []
    for _ in range(count):
        fake = rng.choice(fakers)
        out.append((fake.company(), "Company") if rng.random() < 0.25 else
                   (fake.name(), "Person"))
    return out


@pytest.fixture(scope="module")
def entities() -> list[Entity]:
    """Real list entities, plus Faker-named ones in other scripts (some with weak aliases,
    birth dates and countries), so every kind of name and evidence is in the lists."""
    found: list[Entity] = []
    for rel in OWN_LISTS:
        found += open_list(OWN_FIXTURES / rel)[1]
    if (SHARED_LISTS / SHARED).exists():
        found += open_list(SHARED_LISTS / SHARED)[1]
    rng = random.Random(7)
    for number, (name, schema) in enumerate(faker_names(300, 11)):
        entity = Entity(f"fake-{number}", schema, source="fake", names=[Name(name)])
        if rng.random() < 0.3:
            entity.add_name(" ".join(reversed(name.split())), "weak")
        if rng.random() < 0.3:
            entity.birth_dates.append(DateSpec(f"19{rng.randrange(40, 99)}"))
            entity.nationalities.append(rng.choice(["ru", "ir", "cn", "de"]))
        found.append(entity)
    return found


def variant(name: str, rng: random.Random) -> str:
    """A customer file's spelling of a listed name."""
    tokens = name.replace(",", " ").split()
    kind = rng.choice(["typo", "typo", "swap", "drop", "join", "cyrillic", "comma", "same"])
    if kind == "typo" and len(name) > 4:
        i = rng.randrange(1, len(name) - 2)
        return rng.choice([name[:i] + name[i + 1] + name[i] + name[i + 2:],  # transposed
                           name[:i] + name[i + 1:],  # a letter dropped
                           name[:i] + name[i] + name[i:]])  # a letter doubled
    if kind == "swap" and len(tokens) > 1:
        return " ".join([tokens[-1], *tokens[:-1]])
    if kind == "drop" and len(tokens) > 2:
        del tokens[rng.randrange(1, len(tokens) - 1)]
        return " ".join(tokens)
    if kind == "join" and len(tokens) > 1:
        i = rng.randrange(len(tokens) - 1)
        return " ".join([*tokens[:i], tokens[i] + tokens[i + 1], *tokens[i + 2:]])
    if kind == "cyrillic" and name.isascii():
        return "".join(CYRILLIC.get(c, c) for c in name.lower())
    if kind == "comma" and len(tokens) > 1:
        return f"{tokens[-1].upper()}, {' '.join(tokens[:-1])}"
    return name


def queries(entities: list[Entity], chosen: list[Entity], rng: random.Random) -> list[Query]:
    """Variants of the chosen entities' names (they alert), of other entities' names (near
    misses) and Faker names, with random evidence."""
    def names(group: list[Entity], count: int) -> list[tuple[str, str]]:
        pool = [(n.value, e.schema) for e in group for n in e.names]
        return [(variant(text, rng), schema) for text, schema in
                (rng.choice(pool) for _ in range(count))]

    texts = names(chosen, 160) + names(entities, 80) + faker_names(80, rng.randrange(1000))
    out = []
    for text, schema in texts:
        out.append(Query(text, schema=rng.choice([schema, schema, None, "Vessel"]),
                         birth_date=rng.choice([None, None, "1970", "1965-03-02"]),
                         countries=rng.choice([(), (), ("ru",), ("ir", "sy")])))
    return out


def cached(previous: Matcher, query: Query) -> list[NameParts]:
    """The query's names as a previous full run cached them: prepared by that run's matcher,
    written to and read back from the token cache."""
    row = tokencache.encode_row(1, query_names(previous, query))
    _, names = tokencache.split_row(row.rstrip("\n"))
    return [tokencache.decode_name(text) for text in names.split("\t")]


def test_prefilter_keeps_every_row_the_restricted_matcher_alerts_on(
        entities: list[Entity]) -> None:
    rng = random.Random(2026)
    previous = Matcher.from_entities(rng.sample(entities, len(entities) * 9 // 10))
    current = Matcher.from_entities(entities)
    alerting = dropped = checked = 0
    for size in (1, 8, 60, 300):
        chosen = rng.sample(entities, size)
        sub = current.restricted({e.id for e in chosen})
        filters = {t: Prefilter(sub, t) for t in THRESHOLDS}
        keys = KeyFilter(sub.index)
        for query in queries(entities, chosen, rng):
            parts = cached(previous, query)
            for q in query_names(sub, query):
                # the key test is exactly "the index finds a key": held to the index itself
                has_key = any(k in sub.index.postings for k in sub.index._query_keys(q))
                assert keys.keeps(q.tokens, q.kinds, q.abjad) == has_key, query.name
                assert has_key or not sub.index.candidates(q, 40), query.name
            assert may_have_candidates(sub.index, [(p.tokens, p.kinds, p.abjad) for p in parts]) \
                == any(keys.keeps(p.tokens, p.kinds, p.abjad) for p in parts)
            for threshold, prefilter in filters.items():
                kept = prefilter.can_alert(prefilter.row_bound(parts), query)
                found = sub.match(query, limit=5, threshold=threshold)
                checked += 1
                if found:
                    alerting += 1
                    assert kept, (query, threshold, [(r.entity.id, r.score) for r in found])
                dropped += not kept
    print(f"{checked} rows, {alerting} alerting, {dropped} dropped")
    assert alerting >= 300  # the test met many real matches ...
    assert dropped >= (checked - alerting) // 2  # ... and the prefilter is no "keep all"


def test_cached_names_rebuild_exactly_as_prepared(entities: list[Entity]) -> None:
    """Parts cached with one rarity table rebuild into what preparing with another gives."""
    rng = random.Random(5)
    texts = [n.value for e in entities for n in e.names]
    texts = rng.sample(texts, min(len(texts), 1500)) + list(PROBE_NAMES) + [
        variant(t, rng) for t in rng.sample(texts, 300)] + [t for t, _ in faker_names(200, 3)]
    before = Rarity.from_token_sets([t.lower().split() for t in texts[: len(texts) // 2]] * 3)
    after = default_rarity()
    for text in texts:
        for cls in ("person", "org", "any"):
            old = prepare_name(text, cls, before)
            row = tokencache.encode_row(7, [old])
            line, names = tokencache.split_row(row.rstrip("\n"))
            parts = tokencache.decode_name(names)
            assert line == 7 and parts == parts_of(old)
            assert rebuild(parts, after) == dataclasses.replace(
                prepare_name(text, cls, after), original=""), (text, cls)
    assert rebuilds_exactly(after) and rebuilds_exactly(before)


def test_threshold_zero_has_no_prefilter(entities: list[Entity]) -> None:
    sub = Matcher.from_entities(entities[:5])
    with pytest.raises(ValueError, match="threshold 0"):
        Prefilter(sub, 0.0)


def test_an_empty_or_unrelated_name_is_dropped(entities: list[Entity]) -> None:
    sub = Matcher.from_entities(entities).restricted({entities[0].id})
    prefilter = Prefilter(sub, None)
    empty = NameParts((), (), (), (), False)
    assert prefilter.row_bound([empty]) is None
    listed = parts_of(prepare_name(entities[0].names[0].value, "any", sub.rarity))
    assert prefilter.can_alert(prefilter.row_bound([empty, listed]), Query("x"))
    other = parts_of(prepare_name("Zebulon Quackenbush", "person", sub.rarity))
    assert not prefilter.can_alert(prefilter.row_bound([other]), Query("x"))



def test_a_name_with_no_word_has_no_bound_on_an_index_small_enough_to_scan() -> None:
    """A small index compares every name with every query (Matcher.scan); a row whose name
    has no word must still be dropped, not bounded by what an empty name scores."""
    listed = [Entity(f"small-{i}", "Person", source="own", names=[Name(n)])
              for i, n in enumerate(["Ivan Petrov", "Olga Smirnova", "Wang Wei"])]
    sub = Matcher.from_entities(listed)
    assert sub.scan
    prefilter = Prefilter(sub, None)
    assert prefilter.row_bound([NameParts((), (), (), (), False)]) is None
    named = parts_of(prepare_name("Olga Smirnova", "person", sub.rarity))
    assert prefilter.row_bound([NameParts((), (), (), (), False), named]) is not None
