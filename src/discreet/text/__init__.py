"""Text normalisation for name matching: Unicode, scripts, phonetic keys, name structure.

>>> normalize("PUTIN, Vladimir Vladimirovich")
'putin vladimir vladimirovich'
>>> normalize("Владимир Путин") == normalize("Vladimir Putin")
True
"""

from __future__ import annotations

from discreet.text.given_names import (
    equivalents,
    full_forms,
    given_classes,
    given_classes_ascii,
    given_names,
    given_positions,
)
from discreet.text.names import (
    NameClass,
    NameToken,
    TokenKind,
    forget_words,
    name_class,
    parse_name,
)
from discreet.text.normalize import fold_word, normalize, tokenize
from discreet.text.phonetic import consonants, phonetic_key, skeleton
from discreet.text.scripts import fix_homoglyphs, transliterate
from discreet.text.terms import form_variants, load_yaml, terms

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


def reset_caches() -> None:
    """Forget the loaded word lists and everything derived from them (the parsed names):
    here, above both, so that the word lists need not import the parser."""
    load_yaml.cache_clear()
    terms.cache_clear()
    form_variants.cache_clear()
    parse_name.cache_clear()
    forget_words()
    given_names.cache_clear()
    given_classes.cache_clear()
    given_classes_ascii.cache_clear()
    equivalents.cache_clear()
    full_forms.cache_clear()
    given_positions.cache_clear()
