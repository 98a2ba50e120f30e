"""A name each of whose words reads as itself whatever the words around it is parsed word by
word (names._words_alone, sp17): exactly the tokens the rules give (names._parse_by_rule),
on the lists' names and on made-up ones of every awkward shape; a name with a word the rules
read with its neighbours (a number, a legal form, Abd, Allah, the article joined, li, an
abbreviation, a vessel's prefix), a slash, the Arabic script or Chinese characters is left to
the rules. An ASCII word of letters alone is its token in lower case (normalize.tokenize)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from discreet.model import Entity
from discreet.sources import open_list
from discreet.text import names, reset_caches
from discreet.text.names import NameClass, parse_name
from discreet.text.normalize import _word_tokens, to_latin, tokenize
from tests.conftest import OWN_FIXTURES, require_shared

_CLASSES: tuple[NameClass, ...] = ("person", "org", "any")
_OWN = ("un/un_small.xml", "uk_fcdo/uk_small.xml", "ofsi_csv/conlist_2022_layout.csv",
        "ftm/entities.ftm.json", "eu_fsf/eu_small.xml", "ofac_xml/sdn_sample.xml",
        "ofac_enhanced/sdn_enhanced_sample.xml", "ofac_csv/sdn.csv")
_FULL = ("un/un_consolidated_2026-02-27.xml", "eu_fsf/eu_fsf_1_1_excerpt_2026-08-05.xml",
         "ofac_enhanced_xml/CONS_ENHANCED_2025-01-10.XML")
# words of the awkward shapes: titles, particles, initials, patronymics, legal forms and
# generic words, numbers, Abd and Allah, the article joined, li, abbreviations, prefixes,
# apostrophes and hyphens, accents, other scripts (Cyrillic, Greek, Arabic, Han, Hangul)
_AWKWARD = ("dr", "mr", "sheikh", "al", "el", "bin", "ibn", "de", "la", "van", "der", "von",
            "J.", "A", "ivanovich", "petrovna", "llc", "ltd", "gmbh", "s.a.", "sa", "ooo",
            "limited", "liability", "company", "joint", "stock", "trading", "group", "bank",
            "forty", "two", "3rd", "7", "ii", "iv", "abdul", "abd", "abdulaziz", "bdlrhmn",
            "abbd", "aabdul",
            "lh", "allah", "abul", "wal", "bwlyzyd", "li", "us", "an", "ar", "ud", "m/v",
            "mv", "O'Neill", "Jean-Luc", "d'Arc", "al-Tikriti", "Smith,", "&", "ag", "pat",
            "José", "Müller", "Владимир", "Путин", "Ελένη", "محمد", "王", "김")
_PLAIN = ("john", "smith", "maria", "garcia", "vladimir", "putin", "rostec", "neft",
          "hassan", "rahman", "nasser", "olga", "ivanova", "kuznetsov", "global", "marine")


def _names(folder: Path, relative: tuple[str, ...]) -> list[str]:
    entities: list[Entity] = []
    for rel in relative:
        _, parsed = open_list(folder / rel)
        entities += parsed
    return sorted({name.value for entity in entities for name in entity.names})


def _made_up(rng: random.Random, count: int) -> list[str]:
    """Names of 1-5 words: plain words, awkward ones, made-up ones, in any case."""
    out = []
    for _ in range(count):
        words = []
        for _ in range(rng.randint(1, 5)):
            roll = rng.random()
            if roll < 0.3:
                word = rng.choice(_AWKWARD)
            elif roll < 0.7:
                word = rng.choice(_PLAIN)
            else:
                word = "".join(rng.choice("abcdeghiklmnorstuvyz")
                               for _ in range(rng.randint(1, 9)))
            words.append(rng.choice((word, word.upper(), word.title())))
        out.append(" ".join(words))
    return out


def _assert_as_the_rules(texts: list[str]) -> int:
    """Every name read word by word is read as the rules read it; how many were."""
    taken = 0
    for cls in _CLASSES:
        for text in texts:
            found = names._words_alone(text, cls)
            if found is not None:
                taken += 1
                assert found == names._parse_by_rule(text, cls), (text, cls)
    return taken


def test_the_lists_names_read_word_by_word_are_the_rules_reading() -> None:
    texts = _names(OWN_FIXTURES, _OWN)
    assert _assert_as_the_rules(texts) > len(texts)  # most, of three classes


def test_the_full_lists_names_read_word_by_word_are_the_rules_reading() -> None:
    texts = _names(require_shared(), _FULL)
    taken = _assert_as_the_rules(texts)
    assert taken > len(texts)  # persons' names mostly, organisations' without a form


def test_made_up_names_of_awkward_words_read_as_the_rules_read_them() -> None:
    texts = _made_up(random.Random(17), 6000)
    taken = _assert_as_the_rules(texts)
    # both ways: many names read word by word, many left to the rules
    assert 3000 < taken < 3 * len(texts) - 3000


@pytest.mark.parametrize(("text", "cls"), [
    ("John Smith", "person"),
    ("Dr John Smith", "person"),  # a title beside a name
    ("Vladimir Vladimirovich PUTIN", "person"),  # a patronymic
    ("J. Smith", "person"),  # an initial
    ("Maria de la Cruz", "any"),  # particles, read as the lists' particles
    ("Hassan bin Ali", "person"),
    ("Rostec Global Marine", "org"),  # generic words
    ("Владимир Путин", "person"),  # Cyrillic: its Latin spelling's words
    ("Louis XIV Holding", "org"),  # a Roman numeral in an organisation's name
])
def test_a_name_of_words_alone_is_read_word_by_word(text: str, cls: NameClass) -> None:
    found = names._words_alone(text, cls)
    assert found is not None
    assert found == names._parse_by_rule(text, cls) == parse_name(text, cls)


@pytest.mark.parametrize(("text", "cls"), [
    ("Forty Four Trading", "org"),  # number words: one number
    ("Hotel 1st", "any"),  # an ordinal
    ("Acme Trading LLC", "org"),  # a legal form
    ("Limited Liability Kompany Acme", "any"),  # a form's phrase, by its words' keys
    ("Abdul Aziz", "person"),  # Abd and the name: one name
    ("Abdulaziz Saud", "any"),
    ("Abbd Rahman", "person"),  # Abd with a letter typed twice (names._split_abd)
    ("Aabdullah Karim", "any"),
    ("hbyb al lh", "person"),  # Allah as the Arabic script's transliteration writes it
    ("Abul Kalam", "person"),  # Abu al- joined
    ("Ahmad wal Jihad", "any"),  # wa al- as one word
    ("Jamaat li al Dawa", "org"),  # li before the article
    ("Hizb ut Tahrir", "org"),  # the article assimilated, no particle
    ("MV Ocean Star", "org"),  # a vessel's prefix
    ("US Steel", "org"),  # an abbreviation
    ("Dr Mr", "person"),  # nothing but titles: read apart as names
    ("Al", "any"),  # a particle alone
    ("A/S Nordic", "org"),  # a slash
    ("محمد علي", "person"),  # the Arabic script
    ("北京公司", "any"),  # Chinese characters
    ("", "any"),
])
def test_a_name_with_a_word_read_with_others_is_left_to_the_rules(
        text: str, cls: NameClass) -> None:
    assert names._words_alone(text, cls) is None
    assert parse_name(text, cls) == names._parse_by_rule(text, cls)


def test_a_word_read_with_others_is_no_word_alone() -> None:
    assert names._word_alone("forty", "any") is None
    assert names._word_alone("abdul", "person") is None
    assert names._word_alone("lh", "any") is None
    assert names._word_alone("llc", "org") is None
    # a person's name reads no legal form, an organisation's no Abd or Allah
    assert names._word_alone("llc", "person") is not None
    assert names._word_alone("abdul", "org") is not None
    # a clean name's words are themselves
    assert names._word_alone("smith", "person") == ("smith", "name", "smith", "")


def test_reset_caches_forgets_the_words_read_alone() -> None:
    names._word_alone("smith", "person")
    assert names._word_alone.cache_info().currsize > 0
    reset_caches()
    assert names._word_alone.cache_info().currsize == 0


def test_an_ascii_word_of_letters_is_its_token_in_lower_case() -> None:
    # the words of the name's Latin spelling, each folded and split (_word_tokens) but an
    # ASCII word of letters, whatever script the name is written in
    rng = random.Random(170)
    pieces = ("Smith", "O'Neill", "Jean-Luc", "S.A.", "A.B.C", "Ig0r", "Sech1n", "1st",
              "AT&T", "d`Arc", "Smith,", "(KKBC)", "$tar", "@bc", "x", "ÉLAN", "--", "J.",
              "Владимир", "Ελένη", "محمد", "王小明", "Müller", "ǅemal", "ﬁne", "İstanbul")
    for _ in range(3000):
        text = " ".join(rng.choice(pieces) if rng.random() < 0.5 else "".join(
            rng.choice("abcXYZ.-'&0 ") for _ in range(rng.randint(1, 8)))
            for _ in range(rng.randint(1, 4)))
        words = text.split() if text.isascii() and text.isprintable() else to_latin(text).split()
        assert tokenize(text) == tuple(t for w in words for t in _word_tokens(w)), text
    assert tokenize("PUTIN, Vladimir") == ("putin", "vladimir")
    assert tokenize("ACME Trading") == ("acme", "trading")
