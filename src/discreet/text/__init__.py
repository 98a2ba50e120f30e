"""Text normalisation for name matching: Unicode, scripts, phonetic keys, name structure.

>>> normalize("PUTIN, Vladimir Vladimirovich")
'putin vladimir vladimirovich'
>>> normalize("Владимир Путин") == normalize("Vladimir Putin")
True
"""

from __future__ import annotations

from discreet.text.names import NameClass, NameToken, TokenKind, name_class, parse_name
from discreet.text.normalize import fold_word, normalize, tokenize
from discreet.text.phonetic import consonants, phonetic_key, skeleton
from discreet.text.scripts import fix_homoglyphs, transliterate
from discreet.text.terms import reset_caches, terms

__all__ = [
    "NameClass",
    "NameToken",
    "TokenKind",
    "consonants",
    "fix_homoglyphs",
    "fold_word",
    "name_class",
    "normalize",
    "parse_name",
    "phonetic_key",
    "reset_caches",
    "skeleton",
    "terms",
    "tokenize",
    "transliterate",
]
