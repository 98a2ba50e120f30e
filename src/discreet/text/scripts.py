"""Scripts: which writing system a character is in, and transliteration to Latin.

Lists carry names in Cyrillic, Arabic, Han, Hangul, Greek, Hebrew, Armenian, Georgian and more;
screening compares everything in one Latin form. ``anyascii`` (data shipped in the package, no
run-time download) does the transliteration; this module adds the few things it leaves to the
caller: Han and Hangul syllables split apart, Cyrillic/Greek look-alike letters inside Latin
words (homoglyphs) mapped to the Latin letter they imitate, Hebrew vav/bet told apart, and
the few letters the lists' Latin spellings write otherwise (``letters`` of
``data/scripts.yml``: the Pashto dze is Z).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml
from anyascii import anyascii

__all__ = [
    "ABJAD_SCRIPTS", "APPROXIMATE_SCRIPTS", "LOSSY_SCRIPTS", "SYLLABIC_SCRIPTS",
    "SYLLABLE_KEYS", "ScriptFact", "approximate_scripts", "char_script", "detect_script",
    "fix_homoglyphs", "other_readings", "reading_note", "script_facts", "scripts_of",
    "transcribed", "transliterate",
]


@dataclass(frozen=True, slots=True)
class ScriptFact:
    """What ``data/scripts.yml`` says of one script: how it writes a name, and whether its
    transliteration is the Latin spelling a list would write ("standard"), is so where the
    lists bear its rules out ("lossy": abjads, syllabic scripts), or is only a
    letter-by-letter reading ("approximate")."""

    kind: str  # alphabet, abjad, syllabic, abugida
    romanisation: str  # standard, lossy, approximate
    syllables: str = ""  # the romanisation key of a syllabic script: "han", "hangul"


@cache
def _table() -> dict[str, Any]:
    path = resources.files("discreet.text").joinpath("data").joinpath("scripts.yml")
    # yaml.safe_load's loader, in C when PyYAML has libyaml (as text.terms._YAML_LOADER)
    loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    if not isinstance(data, dict):
        raise ValueError("scripts.yml: expected a mapping at the top level")
    return data


@cache
def script_facts() -> dict[str, ScriptFact]:
    """The table of ``data/scripts.yml`` (read once; a bad table fails loudly on import)."""
    return {str(name): ScriptFact(str(spec["kind"]), str(spec["romanisation"]),
                                  str(spec.get("syllables", "")))
            for name, spec in _table()["scripts"].items()}


_FACTS = script_facts()
# Scripts written without short vowels: their Latin transliteration is a consonant skeleton.
ABJAD_SCRIPTS = frozenset(n for n, f in _FACTS.items() if f.kind == "abjad")
# Scripts written a syllable per character (Han, Hangul, kana): the one definition; two names
# in the same ones are compared character by character (match.score), a name in them against
# a romanised one syllable by syllable (match.similarity.syllable_similarity).
SYLLABIC_SCRIPTS = frozenset(n for n, f in _FACTS.items() if f.kind == "syllabic")
# the syllabic scripts whose syllables have a romanisation key, and its name
SYLLABLE_KEYS: tuple[tuple[str, str], ...] = tuple(
    (n, f.syllables) for n, f in _FACTS.items() if f.syllables)
# scripts whose transliteration is only approximate (and scripts the table does not know)
APPROXIMATE_SCRIPTS = frozenset(n for n, f in _FACTS.items() if f.romanisation == "approximate")
# scripts whose transliteration is reliable only where the lists contain names in them
LOSSY_SCRIPTS = frozenset(n for n, f in _FACTS.items() if f.romanisation == "lossy")
# The Arabic script's letters (Arabic, Persian, Urdu, Pashto) as a regular expression's
# class ranges: its two blocks, and the presentation forms, which NFKC folds into them (a
# text folded first needs the blocks alone). One home for text.normalize and text.names.
ARABIC_LETTERS = "\u0600-\u06ff\u0750-\u077f"
ARABIC_PRESENTATION = "\ufb50-\ufdff\ufe70-\ufeff"
# Han ideographs likewise: the unified blocks (extension A and the main one), and the
# compatibility ideographs. One home for text.names and the dotted names below.
HAN_IDEOGRAPHS = "\u3400-\u4dbf\u4e00-\u9fff"
HAN_COMPATIBILITY = "\uf900-\ufaff"
_KANA = frozenset(str(name) for name in _table()["japanese_kana"])


def approximate_scripts(scripts: set[str] | frozenset[str],
                        listed: set[str] | frozenset[str] | None = None) -> frozenset[str]:
    """The scripts among ``scripts`` through which a name's transliteration is approximate:
    those the table says so of, those it does not know, the lossy ones (abjads, syllabic
    scripts) that the lists (``listed``: the scripts their names are written in, when
    known) contain no name in, and Han in a name with kana (a Japanese name, whose Han
    characters anyascii reads in Mandarin)."""
    out = {s for s in scripts if s in APPROXIMATE_SCRIPTS or s not in _FACTS
           or (listed is not None and s in LOSSY_SCRIPTS and s not in listed)}
    if "CJK" in scripts and scripts & _KANA:
        out.add("CJK")
    return frozenset(out)

# Cyrillic and Greek letters that look like Latin ones (used to disguise names).
_HOMOGLYPHS = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h",
    "ӏ": "l", "ү": "y", "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O",
    "Р": "P", "С": "C", "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "У": "Y",
    "α": "a", "ο": "o", "ν": "v", "ι": "i", "κ": "k", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
})
_LOOKALIKE_SCRIPTS = frozenset({"CYRILLIC", "GREEK"})
# Hebrew vav (a vowel letter as often as a consonant) and bet: anyascii writes both as "v".
_HEBREW = str.maketrans({"ו": "w", "ב": "b"})
# Khmer ba with the musikatoan sign (ប៉) is the p Khmer has no letter of its own for (ប៉ុល,
# Pol); anyascii reads it b: it is written as the letter po (ព), which anyascii reads p
_KHMER_P = ("\u1794\u17c9", "\u1796")
_ABJAD_VOWELS = re.compile(r"(?<=[A-Za-z'`])[aeiou]|[aeiou](?=[A-Za-z])")
_KOREAN_INITIAL = {"G": "K", "D": "T", "B": "P"}
_CAMEL = re.compile(r"(?<=[A-Za-z])(?=[A-Z])")  # each syllable capitalised: OYeongCheol


@lru_cache(maxsize=4096)
def char_script(char: str) -> str:
    """The Unicode script word of a letter (LATIN, CYRILLIC, ARABIC…); "" for non-letters."""
    if not char.isalpha():
        return ""
    try:
        first = unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return ""
    return first


_SCRIPTS_KEPT = 256  # texts up to this long have their scripts kept (_kept_scripts)


def scripts_of(text: str) -> frozenset[str]:
    """The set of scripts the letters of ``text`` are written in.

    One lookup per distinct character: linear, and cheap even on a huge value. Kept for
    the names met lately (:func:`_kept_scripts`; a huge value is not kept)."""
    if len(text) > _SCRIPTS_KEPT:
        return _scripts(text)
    return _kept_scripts(text)


def _scripts(text: str) -> frozenset[str]:
    """:func:`scripts_of`, not kept."""
    return frozenset([s for s in map(char_script, set(text)) if s])


# a query name not in ASCII asks its scripts several times (preparing it, the kernel's
# script set, its words' transliteration, its kind): once, kept for the names met lately
_kept_scripts = lru_cache(maxsize=4096)(_scripts)


# Unicode script word (as char_script gives it) -> the name lists use ("Cyrillic", "Han"…).
_SCRIPT_NAMES = {"CJK": "Han", "HIRAGANA": "Japanese", "KATAKANA": "Japanese"}


def detect_script(value: str | None) -> str | None:
    """The script most of the letters are in, as lists name it ("Arabic", "Cyrillic",
    "Han"…); None if none.

    Sources rarely say which script a non-Latin name is in, but matchers and reviewers
    need it (transliteration, display direction). Linear in the length, one cached lookup
    per distinct character, so a huge value costs little before the size cap refuses it.
    """
    counts = Counter(value or "")
    scripts: Counter[str] = Counter()
    for char, count in counts.items():
        word = char_script(char)
        if word:
            scripts[_SCRIPT_NAMES.get(word, word.title())] += count
    if not scripts:
        return None
    return scripts.most_common(1)[0][0]


# letters written as the Latin spellings of the lists read them (``letters`` of the table)
_LETTERS = str.maketrans({str(k): str(v) for k, v in (_table().get("letters") or {}).items()})
_LETTERS_SET = frozenset(chr(c) for c in _LETTERS)

# each reading's letters, and the letters a name written with is not read so
_READING_NAMES: tuple[str, ...] = tuple(_table().get("readings") or {})
_READINGS: tuple[tuple[dict[int, str], frozenset[str]], ...] = tuple(
    (str.maketrans({str(k): str(v) for k, v in _table()["readings"][name].items()}),
     frozenset(str((_table().get("not_read_with") or {}).get(name, ""))))
    for name in _READING_NAMES)
_READ_LETTERS = frozenset(chr(c) for table, _ in _READINGS for c in table)
_READING_NOTES: dict[str, str] = {str(k): str(v) for k, v in (
    _table().get("reading_notes") or {}).items()}


# A ta marbuta closing a word that another word follows (the first noun of a construct, an
# idafa: Jama'at al-..., Harakat ..., Hay'at ...) is read t, and the Latin spellings write
# the t (Asbat al-Ansar, Jabhat al-Nusrah); closing the name, it is read a or ah.
_CONSTRUCT = re.compile("\u0629(?=[\\s\u200c]+[\u0600-\u06ff])")


@lru_cache(maxsize=4096)
def other_readings(text: str) -> tuple[str, ...]:
    """``text`` as the other languages writing its script read it (``readings`` of
    ``data/scripts.yml``: "فضل" read as Persian reads it is "فزل", Fazl beside Fadl): the
    name with those letters replaced, one per reading that changes it (a reading's
    ``not_read_with`` letters in the name rule it out: "جنتی", with the Farsi yeh, is not
    read as Egyptian Arabic reads jim), and the name with a ta marbuta that another word
    follows read t ("عصبة الأنصار" as "عصبت الأنصار", Asbat al-Ansar); none for most
    names."""
    if text.isascii():
        return ()
    construct = _CONSTRUCT.sub("\u062a", text) if "\u0629" in text else text
    if _READ_LETTERS.isdisjoint(text) and construct == text:
        return ()
    return tuple(dict.fromkeys(r for r in (
        *(text.translate(t) for t, unless in _READINGS if unless.isdisjoint(text)),
        construct) if r != text))


def reading_note(text: str, reading: str) -> str:
    """What an explanation says of ``text`` screened as ``reading`` (one of the
    :func:`other_readings` of ``text`` or of a part of it): ``text`` and how it was read
    (``reading_notes`` of ``data/scripts.yml``)."""
    construct = _CONSTRUCT.sub("\u062a", text)
    notes = [_READING_NOTES[name] for name, (table, unless) in zip(
        _READING_NAMES, _READINGS, strict=True) if unless.isdisjoint(text)
        and text.translate(table) != text and reading in text.translate(table)]
    if construct != text and reading in construct:
        notes.append(_READING_NOTES["construct"])
    return f"{text} {'; '.join(notes) if notes else 'read otherwise'}"


def fix_homoglyphs(word: str) -> str:
    """Map Cyrillic/Greek look-alikes to Latin in a word that mixes them with Latin letters.

    A whole Cyrillic word is a real Cyrillic name and is left for transliteration.
    """
    found = scripts_of(word)
    if "LATIN" in found and found & _LOOKALIKE_SCRIPTS:
        return word.translate(_HOMOGLYPHS)
    return word


# The dots Chinese writing puts between the parts of a foreign name written in Han
# characters by its sounds (贝拉克·奥巴马, Barack Obama; 买买提·艾力, a Uyghur name): the
# middle dot, the katakana middle dot in its two widths, the hyphenation point, the bullet.
_NAME_DOTS = "\u00b7\u30fb\uff65\u2027\u2022"
_DOTTED_HAN = re.compile(f"[{HAN_IDEOGRAPHS}][{_NAME_DOTS}][{HAN_IDEOGRAPHS}]")


def transcribed(text: str) -> bool:
    """Whether ``text`` is a foreign name written in Han characters by its sounds: parts
    of Han characters parted by a name dot. Its characters are not Chinese syllables each
    (a Chinese name is written without the dot): each part is one word, its syllables
    read together (bei la ke: Beilake, ~ Barack), and the reading is only approximate."""
    return not text.isascii() and _DOTTED_HAN.search(text) is not None


def _transcription(word: str) -> str:
    """The Latin form of a word of Han parts parted by name dots (:func:`transcribed`):
    each part's syllables joined into one word, the parts parted by a hyphen."""
    for dot in _NAME_DOTS[1:]:
        word = word.replace(dot, _NAME_DOTS[0])
    parts = (transliterate(part) for part in word.split(_NAME_DOTS[0]))
    return "-".join(p[:1] + p[1:].replace(" ", "").lower() for p in parts if p)


@lru_cache(maxsize=65536)
def transliterate(word: str) -> str:
    """Latin (ASCII) form of one word in any script; Han and Hangul syllables come apart
    (but for the parts of a foreign name written in Han characters: :func:`transcribed`)."""
    if word.isascii():
        return word
    if transcribed(word):
        return _transcription(word)
    word = fix_homoglyphs(word)
    found = scripts_of(word)
    if "HEBREW" in found:
        word = word.translate(_HEBREW)
    if "KHMER" in found:
        word = word.replace(*_KHMER_P)
    if not _LETTERS_SET.isdisjoint(word):
        word = word.translate(_LETTERS)  # the Pashto dze: z, as Zadran writes it
    latin = anyascii(word)
    if "ARABIC" in found and word.startswith("ال") and len(word) > 3:
        return "al-" + transliterate(word[2:])  # the article is written joined to the word
    if found & ABJAD_SCRIPTS:
        latin = _ABJAD_VOWELS.sub("", latin)  # written vowels are sporadic: keep none
    if found & SYLLABIC_SCRIPTS:
        latin = _CAMEL.sub(" ", latin)
    if "HANGUL" in found and latin[:1] in _KOREAN_INITIAL:
        # Revised Romanisation writes a surname's first consonant voiced (Gim, Bak); the
        # McCune-Reischauer and customary forms the lists use write it voiceless (Kim, Pak).
        latin = _KOREAN_INITIAL[latin[0]] + latin[1:]
    return latin
