"""Normalisation of names to comparable lower-case ASCII tokens.

Everything that differs between two spellings of one name but says nothing about who is meant
goes here: Unicode compatibility forms (NFKC), case, diacritics, punctuation, invisible and
zero-width characters, look-alike letters from other scripts, digits standing for letters
(``Ig0r Sech1n``) and the script itself (transliteration).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from discreet.text.scripts import ARABIC_LETTERS, transliterate

__all__ = ["fold_word", "has_letter", "normalize", "to_latin", "tokenize", "vowel_opened"]

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b",
                       "9": "g", "@": "a", "$": "s"})
_MIXED_RUN = re.compile(r"[a-z0-9@$]+")
_LEET_CHARS = re.compile(r"[0-9@$]")
_DOTTED = re.compile(r"(?<![a-z0-9])((?:[a-z]\.){2,}[a-z]?)(?![a-z0-9])")
_APOSTROPHES = re.compile(r"[\u0027\u2018\u2019\u02bc\u02bb\u0060\u00b4\u02b9\u02be\u02bf]")
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _strip_invisible(text: str) -> str:
    """Drop format (zero-width, bidi) and control characters; they hide in pasted names.
    A printable text has none (``str.isprintable`` is False for every Cf and Cc
    character): it is returned as it is, without a look at each character."""
    if text.isprintable():
        return text
    return "".join(ch for ch in text
                   if ch.isspace() or unicodedata.category(ch) not in ("Cf", "Cc"))


def has_letter(text: str) -> bool:
    """Whether ``text`` holds a letter (``any(c.isalpha() for c in text)``, without a
    generator closed half read: asked of every word of a query's name)."""
    for c in text:  # noqa: SIM110 (no generator)
        if c.isalpha():
            return True
    return False


def _unleet(run: str) -> str:
    """Digits (and @, $) inside a run that also has letters are read as the letters they mimic."""
    if _ORDINAL.match(run):
        return run
    has_alpha = has_letter(run)
    has_other = any(not c.isalpha() for c in run)
    return run.translate(_LEET) if has_alpha and has_other else run


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """One whitespace-free chunk to lower-case ASCII, punctuation still in place."""
    return _fold(word)


def _fold(word: str) -> str:
    """:func:`fold_word`, made (its cache is the caller's)."""
    if word.isascii():  # nothing to decompose or transliterate
        text = word.casefold()
    else:
        text = unicodedata.normalize("NFKD", transliterate(word))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = transliterate(text).casefold()
    if "." in text:
        text = _DOTTED.sub(lambda m: m.group(1).replace(".", ""), text)
    text = text.replace("&", " and ")
    text = _APOSTROPHES.sub("", text)
    if not _LEET_CHARS.search(text):  # letters alone: nothing to read as letters
        return text
    return _MIXED_RUN.sub(lambda m: _unleet(m.group(0)), text)


def to_latin(text: str) -> str:
    """The name in Latin letters, otherwise as written (case, accents, punctuation kept)."""
    if text.isascii() and text.isprintable():  # nothing to fold, strip or transliterate
        return " ".join(text.split())
    clean = _strip_invisible(unicodedata.normalize("NFKC", text))
    return " ".join(transliterate(word) for word in clean.split())


@lru_cache(maxsize=65536)
def tokenize(text: str) -> tuple[str, ...]:
    """Normalised tokens of a name: ``"PUTIN, Vladimir"`` -> ``("putin", "vladimir")``."""
    # (an ASCII name is its own Latin spelling: to_latin would only join its words)
    words = text.split() if text.isascii() and text.isprintable() else to_latin(text).split()
    out: list[str] = []
    for word in words:
        # an ASCII word of letters alone is its one token in lower case (_fold has nothing
        # to read in it: no dot, ampersand, apostrophe or digit; nothing to split it at)
        if word.isalpha() and word.isascii():
            out.append(word.lower())
        else:
            out += _word_tokens(word)
    return tuple(out)


@lru_cache(maxsize=65536)
def _word_tokens(word: str) -> tuple[str, ...]:
    """The tokens of one whitespace-free chunk (:func:`tokenize`), kept for the words met
    lately: a name screened is mostly words met before, each folded and split once."""
    return tuple(t for t in _NON_WORD.split(_fold(word)) if t)


def normalize(text: str) -> str:
    """The normalised form of a name as one string (tokens joined by single spaces)."""
    return " ".join(tokenize(text))


# The Arabic script's words (its letters, presentation forms folded by NFKC first), and the
# letters a word opens with when it begins with a vowel: alif in its forms (ا أ إ آ ٱ) and
# ayn (ع), which the transliteration leaves out (anyascii writes alif as nothing, and ayn and
# hamza as apostrophes that normalisation drops): اشرفی (Ashrafi) is "shrfy", as شرفی is.
_ARABIC_WORD = re.compile(f"[{ARABIC_LETTERS}]+")
_VOWEL_LETTERS = frozenset("\u0627\u0623\u0625\u0622\u0671\u0639")
_ARTICLE = "\u0627\u0644"  # ال, written joined to its word
# the kunya Abu (ابو, أبو), which Gulf and Maghrebi spellings write without its vowel: Bu,
# Bou (Bu Shahab, Bou Zid)
_KUNYA = "bw"


@lru_cache(maxsize=4096)
def vowel_opened(text: str) -> frozenset[str]:
    """The transliterations (as a name's words are tokenised) of the words of ``text``
    written in the Arabic script that open with a vowel letter, alif or ayn (the article
    ال set aside: الأنصاري's word is أنصاري): what is left of each is a skeleton that begins
    with the consonant after the vowel, which a Latin spelling writes with the vowel before
    it (Ashrafi, Ali, Ehsan). A transliteration that another word of ``text`` opening with
    a consonant also gives is left out (which one a token is cannot be told), and so is the
    kunya Abu, which spellings write Bu or Bou too."""
    if text.isascii():
        return frozenset()
    opened: set[str] = set()
    other: set[str] = set()
    for word in _ARABIC_WORD.findall(unicodedata.normalize("NFKC", text)):
        if word.startswith(_ARTICLE) and len(word) > 3:
            word = word[2:]  # the article is a token of its own (transliterate)
        tokens = tokenize(word)
        if tokens and tokens[0] != _KUNYA:
            (opened if word[0] in _VOWEL_LETTERS else other).add(tokens[0])
    return frozenset(opened - other)
