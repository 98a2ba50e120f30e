"""Small helpers the UN, EU and UK parsers share: script detection, countries, joining.

Kept apart from ``values`` because they are about presentation choices these parsers make
(which script a name is in, how free-text country fields degrade), not about value syntax.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from discreet.sources.values import clean, country_code, country_codes
from discreet.text.scripts import char_script

__all__ = ["countries_in", "detect_script", "join_clean", "source_line"]

# Unicode script word (as text.scripts.char_script gives it) -> the name lists use.
_SCRIPT_ALIASES = {"CJK": "Han", "HIRAGANA": "Japanese", "KATAKANA": "Japanese"}


def detect_script(value: str | None) -> str | None:
    """The script most of the letters are in ("Arabic", "Cyrillic", "Han"…); None if none.

    Sources rarely say which script a non-Latin name is in, but matchers and reviewers
    need it (transliteration, display direction). Linear in the length, one cached lookup
    per distinct character, so a huge value costs little before the size cap refuses it.
    """
    counts = Counter(value or "")
    scripts: Counter[str] = Counter()
    for char, count in counts.items():
        word = char_script(char)
        if word:
            scripts[_SCRIPT_ALIASES.get(word, word.title())] += count
    if not scripts:
        return None
    return scripts.most_common(1)[0][0]


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


def join_clean(parts: Iterable[str | None], sep: str = ", ") -> str | None:
    """Join the non-blank, whitespace-collapsed parts; None when all are blank."""
    kept = [c.strip(" ,;") for c in (clean(p) for p in parts) if c and c.strip(" ,;")]
    return sep.join(kept) or None


def source_line(element: Any) -> int | None:
    """The element's line in the file, for error messages (the stubs type it loosely)."""
    line = getattr(element, "sourceline", None)
    return line if isinstance(line, int) else None
