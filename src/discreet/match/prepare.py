"""A name made ready for comparison: tokens, their kinds and weights, computed once.

The matcher prepares every list name at index time, so a query pays only for its own name.
Plain tuples inside: picklable and cheap to ship.
"""

from __future__ import annotations

from dataclasses import dataclass

from discreet.match.align import Span, join_spans
from discreet.match.rarity import Rarity
from discreet.text.names import NameClass, NameToken, parse_name
from discreet.text.scripts import ABJAD_SCRIPTS, SYLLABLE_KEYS, scripts_of

__all__ = ["KIND_WEIGHTS", "PREPARATION_VERSION", "PreparedName", "assemble", "prepare_name"]

# Bump when the tokens, kinds, sources or families a name prepares to may change (text/
# normalisation, transliteration, parsing; alternatives): caches of prepared customer names
# (discreet.screen.tokencache) made before are then never used.
PREPARATION_VERSION = 3

_RARE_KINDS = frozenset({"name", "patronymic"})  # the kinds rarity scales
_NO_FORMS: frozenset[str] = frozenset()

# How much each kind of token counts, before rarity (names only are scaled by rarity).
KIND_WEIGHTS: dict[str, float] = {
    "name": 1.0,
    "patronymic": 0.6,
    "initial": 0.5,
    "number": 0.3,
    "generic": 0.25,
    "particle": 0.2,
    "legal": 0.15,
    "title": 0.05,
}


@dataclass(frozen=True, slots=True)
class PreparedName:
    """Tokens of one name with kind, weight and legal-form family; ``original`` as written."""

    original: str
    tokens: tuple[str, ...]
    kinds: tuple[str, ...]
    sources: tuple[str, ...]
    families: tuple[str, ...]
    weights: tuple[float, ...]
    total: float  # sum of the weights
    legal: frozenset[str]  # families of the specific (not generic) legal forms named
    spans: tuple[Span, ...] | None = None  # runs of tokens that may be one word written apart
    abjad: bool = False  # written in an abjad script (Arabic, Persian, Hebrew): vowels omitted
    org: bool = False  # an organisation's name (acronyms of its words are read as it)
    syllabic: str = ""  # "han" or "hangul": each token a romanised Chinese / Korean syllable


def prepare_name(text: str, cls: NameClass, rarity: Rarity,
                 parsed: tuple[NameToken, ...] | None = None) -> PreparedName:
    """Parse ``text`` (unless ``parsed`` is given) and weigh each token (kind weight, times
    rarity for names)."""
    if parsed is None:
        parsed = parse_name(text, cls)
    texts, kinds, sources, families = zip(*parsed, strict=True) if parsed else ((), (), (), ())
    if text.isascii():
        return assemble(text, texts, kinds, sources, families, rarity, abjad=False,
                        org=cls == "org")
    scripts = scripts_of(text)
    return assemble(text, texts, kinds, sources, families, rarity,
                    abjad=bool(scripts & ABJAD_SCRIPTS), org=cls == "org",
                    syllabic=next((key for script, key in SYLLABLE_KEYS if script in scripts),
                                  ""))


def assemble(original: str, tokens: tuple[str, ...], kinds: tuple[str, ...],
             sources: tuple[str, ...], families: tuple[str, ...], rarity: Rarity, *,
             abjad: bool, org: bool = False, syllabic: str = "") -> PreparedName:
    """A prepared name from its parsed tokens: only the weights depend on the lists (the
    re-screening cache keeps the rest and weighs them again with the lists of the day)."""
    weights = tuple(KIND_WEIGHTS[k] * rarity.weight(t) if k in _RARE_KINDS else KIND_WEIGHTS[k]
                    for t, k in zip(tokens, kinds, strict=True))
    legal = frozenset(f for f, k in zip(families, kinds, strict=True)
                      if k == "legal" and f != "generic") if "legal" in kinds else _NO_FORMS
    return PreparedName(original, tokens, kinds, sources, families, weights, sum(weights),
                        legal, join_spans(tokens, kinds), abjad, org, syllabic)
