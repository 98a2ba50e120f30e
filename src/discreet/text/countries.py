"""Country normalisation: a country name, demonym or code as ISO 3166-1 alpha-2.

The lists, customer files and screening queries all name countries in free text
("Iran (Islamic Republic of)", "German", "UK", "Iraq (as at 2003)"). One reading for all of
them makes the same country compare equal whoever wrote it. The names themselves are data
kept by two maintained libraries: ``countrynames`` (names, demonyms, historic forms in many
languages) and ``pycountry`` (the ISO table, fuzzy search); this module holds only the rules
for using them.
"""

from __future__ import annotations

import importlib.util
import re
import runpy
import unicodedata
from functools import lru_cache
from pathlib import Path

from discreet.text.cells import clean

__all__ = ["countries_in", "country_code", "country_codes", "country_words",
           "names_a_country"]

# Codes in use for a country the ISO table does not (yet) list: Kosovo.
USER_ASSIGNED = frozenset({"XK"})


@lru_cache(maxsize=16384)
def country_code(text: str | None) -> str | None:
    """ISO 3166-1 alpha-2 (lower case) for a country name, demonym or code; None if unknown.

    Uses the maintained ``countrynames`` library (names, demonyms, historic forms in many
    languages), then ``pycountry``'s fuzzy search. EU's ``00`` means unknown.
    """
    value = clean(text)
    if value is None:
        return None
    # imported at the first country read, not with the package: screening a name without
    # a country (``discreet match NAME``) starts without their tables and ICU
    import countrynames
    import pycountry

    if len(value) == 2 and value.isalpha():
        found = pycountry.countries.get(alpha_2=value.upper())
        if found is not None or value.upper() in USER_ASSIGNED:
            return value.lower()
    code = countrynames.to_code(value)
    if code is None:
        try:
            code = pycountry.countries.search_fuzzy(value)[0].alpha_2
        except LookupError:
            return None
    if code is None or len(code) != 2:
        return None  # countrynames' non-ISO codes for historic states (e.g. SUHH)
    return code.lower()


def country_codes(text: str | None) -> list[str]:
    """Codes for a free-text list: ``(1) German (2) Moroccan``, ``Iraq; Syria``, ``UK|UN``."""
    value = clean(text)
    if value is None:
        return []
    parts = re.split(r"\(\d+\)|[;|/]|,(?=\s*\w)", value)
    codes = [country_code(p) for p in parts if p.strip()]
    if not any(codes):
        codes = [country_code(value)]
    out: list[str] = []
    for code in codes:
        if code and code not in out:
            out.append(code)
    return out


def countries_in(value: str | None) -> list[str]:
    """ISO alpha-2 codes for a country field that may carry a note ("Iraq (as at 2003)").

    Tries the whole value, then the value without parenthesised notes, then a split list.
    """
    text = clean(value)
    if text is None:
        return []
    code = country_code(text)
    if code is None:
        code = country_code(re.sub(r"\([^)]*\)", " ", text))
    return [code] if code else country_codes(text)


def names_a_country(word: str) -> bool:
    """One word of a name (a token: lower case, letters) that is a country's name or its
    demonym as ``countrynames`` lists them, in any of its languages (China, Chinese,
    Nederland, Iran), exactly: no fuzzy search (which reads "bank" as Gambia), no code of
    two letters (a word that short is an initial or a particle as often), not "Global"
    (its code for no country). Read in a set of the table's one-word names made once from
    its data (the table's own lookup transliterates every word it is asked with ICU: a
    millisecond each)."""
    return word in country_words()


@lru_cache(maxsize=1)
def country_words() -> frozenset[str]:
    """The one-word names and demonyms of ``countrynames``' data of a country (a code of
    two letters, not ZZ), their accents folded, in lower case. Its data module is read
    alone, not through the package: the package imports ICU and its transliteration's
    modules, whose objects every garbage collection of a screening process would walk."""
    spec = importlib.util.find_spec("countrynames")
    if spec is None or spec.origin is None:
        return frozenset()
    data = runpy.run_path(str(Path(spec.origin).with_name("data.py")))["DATA"]
    words = set()
    for code, names in data.items():
        if len(code) != 2 or code == "ZZ":
            continue
        for name in names:
            folded = "".join(c for c in unicodedata.normalize("NFKD", name.lower())
                             if not unicodedata.combining(c))
            if len(folded) >= 3 and folded.isascii() and folded.isalpha():
                words.add(folded)
    return frozenset(words)
