"""A name screened is read again as another name only when a rule has something to change
(pairs.query_alternatives): initials written together read apart (initials.initials_apart)
and a particle a shifted space cut read back (particles.particle_rejoined). Each first asks a
cheap question that every name the rule changes answers yes (initials._may_spell,
particles._may_move); a name that answers no is passed without the rule's pass over its
words. These tests hold the shortcut to the rule: on the lists' names and on made-up ones
of every awkward shape, the answer with the shortcut is the rule's own, and the names the
shortcut passes are ones the rule leaves alone. A word's kind (names._kind) reads a
patronymic's key ending and a Roman numeral's letters with string methods first: the
patterns' own answers."""

from __future__ import annotations

import random
import re

import pytest

from discreet.model import Entity
from discreet.sources import open_list
from discreet.text import initials, names, particles
from discreet.text.initials import initials_apart
from discreet.text.names import NameClass
from discreet.text.numbers import ROMAN
from discreet.text.particles import particle_rejoined
from discreet.text.phonetic import phonetic_key
from discreet.text.terms import terms
from tests.conftest import OWN_FIXTURES

_OWN = ("un/un_small.xml", "uk_fcdo/uk_small.xml", "ofsi_csv/conlist_2022_layout.csv",
        "ftm/entities.ftm.json", "eu_fsf/eu_small.xml", "ofac_xml/sdn_sample.xml")
# words of the shapes both rules read: initials with and without dots, capitals with and
# without vowels, particles and titles whole and cut ("Ab", "Haj", "E", "Bi"), words with
# apostrophes, hyphens, commas and dots, a word ending in a letter after other signs
_AWKWARD = ("JC", "GW", "TJ", "NG", "AL", "DR", "BN", "J.C.", "G.W", "A.B.C.", "A.", "J.",
            "Ab", "ab", "Abu", "Haj", "Haji", "E", "El", "Bi", "Bin", "Al", "de", "De", "Mr",
            "Dr.", "O'Ab", "al-Ab", "Jean-Luc", "d'Arc", "Smith,", "S.A.", "LTD", "Trading",
            "uSalah", "LDIABLO", "iNika", "Salah", "Nika", "Rahman", "X", "Q.", "KIM", "SMITH")
_PLAIN = ("john", "smith", "maria", "garcia", "vladimir", "putin", "hassan", "olga",
          "juncker", "bush", "tony", "rina", "sari")


def _listed() -> list[str]:
    entities: list[Entity] = []
    for rel in _OWN:
        _, parsed = open_list(OWN_FIXTURES / rel)
        entities += parsed
    return sorted({name.value for entity in entities for name in entity.names})


def _made_up(rng: random.Random, count: int) -> list[str]:
    """Names of 1-4 words, plain, awkward or made up, in any case, apart by spaces (one or
    two, a tab), some with a comma after a word."""
    out = []
    for _ in range(count):
        words = []
        for _ in range(rng.randint(1, 4)):
            roll = rng.random()
            if roll < 0.45:
                word = rng.choice(_AWKWARD)
            elif roll < 0.75:
                word = rng.choice(_PLAIN)
            else:
                word = "".join(rng.choice("abcdeghijklmnorstuvyz")
                               for _ in range(rng.randint(1, 6)))
            word = rng.choice((word, word, word.upper(), word.title()))
            words.append(word + ("," if rng.random() < 0.1 else ""))
        out.append("".join(w + rng.choice((" ", " ", "  ", "\t")) for w in words).strip())
    return out


def _assert_as_the_rules(texts: list[str]) -> tuple[int, int]:
    """Both readings of every name are the rules' own; how many names each rule changed."""
    bare = terms().bare
    spelled = moved = 0
    for text in texts:
        if not text.isascii():
            continue
        apart = initials._apart(text)
        assert initials_apart(text) == apart, text
        rejoined = particles._rejoined(text, bare)
        assert particle_rejoined(text) == rejoined, text
        spelled += apart is not None
        moved += rejoined is not None
    return spelled, moved


def test_the_lists_names_are_read_again_as_the_rules_read_them() -> None:
    _assert_as_the_rules(_listed())


def test_made_up_names_are_read_again_as_the_rules_read_them() -> None:
    spelled, moved = _assert_as_the_rules(_made_up(random.Random(20), 20000))
    assert spelled > 1000 and moved > 50  # the rules did change many of them


@pytest.mark.parametrize(("text", "apart"), [
    ("JC Juncker", "J C Juncker"),  # capitals without a vowel, before the family name
    ("G.W. Bush", "G W Bush"),  # letters with dots
    ("Putin V.V.", "Putin V V"),  # the family name first, then the initials
    ("Tony NG", None),  # the family name in capitals
    ("JC JUNCKER", None),  # a name all in capitals: a short word may be a name
    ("Anna Weber B.A.", None),  # a degree after the whole name
    ("Guillaume Rayaud", None),  # no word of initials (most names)
    ("Jean-Claude Juncker", None),
])
def test_initials_written_together_are_read_apart(text: str, apart: str | None) -> None:
    assert initials_apart(text) == apart
    assert initials._may_spell(text) or apart is None


@pytest.mark.parametrize(("text", "rejoined"), [
    ("Ab uSalah", "Abu Salah"),  # a particle cut by a shifted space
    ("E LDIABLO", "EL DIABLO"),
    ("Haj iNika", "Haji Nika"),  # a title
    ("de Laine", None),  # a particle as written stays
    ("Abus Ufian", None),  # not the other way
    ("Guillaume Rayaud", None),  # no word a particle's first letters (most names)
    ("RHODES, Jeff", None),  # a word before a comma is followed by no space
])
def test_a_particle_a_shifted_space_cut_is_read_whole(text: str, rejoined: str | None,
                                                        ) -> None:
    assert particle_rejoined(text) == rejoined
    assert particles._may_move(text, terms().bare_stems) or rejoined is None


def test_most_names_are_passed_by_the_shortcuts() -> None:
    """The shortcuts do pass names (else they cost without saving): most made-up names of
    plain words answer no to both questions."""
    rng = random.Random(7)
    texts = [" ".join(rng.choice(_PLAIN).title() for _ in range(rng.randint(2, 3)))
             for _ in range(200)]
    stems = terms().bare_stems
    assert not any(initials._may_spell(t) or particles._may_move(t, stems) for t in texts)


# the patterns names._kind read before it read the key's ending and the numeral's letters
_PATRONYMIC_PATTERN = re.compile(r"(?:ovic|evic|ivic|ovna|evna|ivna|ogli|oglu|kisi|kizi)$")


def test_kinds_read_with_string_methods_are_the_patterns_reading() -> None:
    rng = random.Random(3)
    tokens = ["vladimirovich", "petrovna", "mamedoglu", "aliyevich", "ivanovic", "xiv",
              "ii", "mcmxc", "civic", "vic", "ovic", "lx", "i", "cli", "xl", "ivan", ""]
    endings = ("ovich", "evich", "ovic", "ovna", "evna", "ivna", "oglu", "ogly", "kizi",
               "kyzy", "ovitch", "ov", "ich", "")
    tokens += ["".join(rng.choice("ivxlcoaegnkzsh") for _ in range(rng.randint(1, 9)))
               + rng.choice(endings) for _ in range(20000)]
    tokens += ["".join(rng.choice("ivxlc") for _ in range(rng.randint(1, 6)))
               for _ in range(2000)]  # numerals, and letters of theirs that are none
    patronymics = numerals = 0
    for token in tokens:
        key = phonetic_key(token)
        assert key.endswith(names._PATRONYMIC) == (
            _PATRONYMIC_PATTERN.search(key) is not None), token
        numeral = ROMAN.match(token) is not None
        assert (not token.strip(names._ROMAN_LETTERS) and numeral) == numeral, token
        assert (names._kind(token, "org", terms()) == "number") == (
            token.isdigit() or numeral), token
        patronymics += names._kind(token, "person", terms()) == "patronymic"
        numerals += numeral
    assert patronymics > 1000 and numerals > 100


@pytest.mark.parametrize(("token", "cls", "kind"), [
    ("vladimirovich", "person", "patronymic"), ("petrovna", "any", "patronymic"),
    ("vladimir", "person", "name"), ("xiv", "org", "number"), ("xiv", "person", "name"),
    ("civic", "org", "name"), ("mix", "org", "name")])
def test_a_words_kind(token: str, cls: NameClass, kind: str) -> None:
    assert names._kind(token, cls, terms()) == kind
