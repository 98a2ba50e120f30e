"""Which names cannot alert against a small index, decided from their cached preparation.

Re-screening a customer base against the few entities that changed, almost no customer can
match, but the matcher would still prepare every name (normalisation, transliteration,
parsing) only to find that. A full run caches each customer name as prepared
(:class:`NameParts`, see :mod:`discreet.screen.tokencache`); from those parts two tests,
each exactly conservative (a name they drop can never yield a match), leave only the few
customers worth screening:

1. :class:`KeyFilter`, per distinct token: the name shares no key with the index. It
   mirrors ``NameIndex._query_keys``: without a key ``NameIndex.candidates`` returns nothing,
   and ``Matcher.match`` of a large index scores only candidates (a small one scores every
   name, ``Matcher.found``: this test is then skipped).
2. :class:`Prefilter`, per distinct name that passed 1: the name rebuilt exactly as the
   matcher prepares it now (:func:`rebuild`: the current lists' rarity weights), then what
   the matcher makes of it: ``Matcher.best_name_score``, its candidates' name scores as
   ``Matcher.match`` computes them, weak aliases lowered. A row whose best name score plus
   the most its other evidence can add (``Matcher.bonus``) is below the threshold is one the
   matcher returns nothing for.

tests/screen/test_prefilter.py checks both against the real matcher on random names and
random sub-indexes, so a change to the index or the scorer that breaks either one fails;
:func:`rebuilds_exactly` lets a caller check :func:`rebuild` against the running code.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from discreet.match.pairs import query_alternatives
from discreet.match.prepare import PreparedName, assemble, prepare_name
from discreet.match.query import Query
from discreet.match.score import DEFAULT_THRESHOLD
from discreet.text.names import name_class

if TYPE_CHECKING:
    from discreet.match.index import NameIndex
    from discreet.match.matcher import Matcher
    from discreet.match.rarity import Rarity

__all__ = ["MARGIN", "PROBE_NAMES", "KeyFilter", "NameParts", "Prefilter",
           "may_have_candidates", "parts_of", "query_names", "rebuild", "rebuilds_exactly"]

MARGIN = 1e-6  # floating-point slack: a bound this close below the threshold still keeps
# fields of PreparedName that rebuild recomputes; NameParts keeps the rest
_RECOMPUTED = frozenset({"original", "weights", "total", "legal", "spans"})
_NAMED = frozenset({"tokens", "kinds", "sources", "families", "abjad"})

# names of every kind of token, script and structure: what the running code makes of them
# identifies it (discreet.screen.tokencache) and checks rebuild (rebuilds_exactly)
PROBE_NAMES = ("Dr. Ivan Ivanovich PETROV", "Владимир Владимирович Путин",
               "محمد بن سلمان آل سعود", "عبد الرحمن", "習近平", "김정은", "Ελευθέριος Βενιζέλος",
               "Abdul Aziz al-Saud", "Jean-Luc O'Neill III", "Müller GmbH & Co. KG",
               "OOO Trading Company Ltd", "Banco Nacional de Cuba S.A.", "M/V OCEAN STAR",
               "Al-Qa'ida/Islamic Army; ISIL", "VladimirPutin", "Patr ushev", "Brigade 44",
               "ולי בן דוד", "Islamic Revolutionary Guard Corps (IRGC)", "J. R. R. Tolkien")


class NameParts(NamedTuple):
    """What preparing a name gives that does not depend on the lists: tokens and their
    kinds, sources and legal-form families, the abjad flag, and any other field of
    :class:`PreparedName` (``extras``: sorted (field, value) pairs, defaults left out)."""

    tokens: tuple[str, ...]
    kinds: tuple[str, ...]
    sources: tuple[str, ...]
    families: tuple[str, ...]
    abjad: bool
    extras: tuple[tuple[str, Any], ...] = ()


def _extra_fields() -> list[dataclasses.Field[Any]]:
    return [f for f in dataclasses.fields(PreparedName)
            if f.name not in _RECOMPUTED and f.name not in _NAMED]


def parts_of(name: PreparedName) -> NameParts:
    """The list-independent parts of a prepared name (what the token cache keeps)."""
    extras = sorted((f.name, getattr(name, f.name)) for f in _extra_fields()
                    if getattr(name, f.name) != f.default)
    return NameParts(name.tokens, name.kinds, name.sources, name.families, name.abjad,
                     tuple(extras))


def rebuild(parts: NameParts, rarity: Rarity) -> PreparedName:
    """The name as ``prepare_name`` prepares it with ``rarity``, without parsing it again.

    ``original`` is left empty (neither the index nor the score bounds read it).
    :func:`rebuilds_exactly` checks this against the running code.
    """
    return assemble("", parts.tokens, parts.kinds, parts.sources, parts.families, rarity,
                    abjad=parts.abjad, **dict(parts.extras))


def rebuilds_exactly(rarity: Rarity) -> bool:
    """Whether :func:`rebuild` gives what ``prepare_name`` gives (but ``original``) for the
    probe names: False when preparation changed in a way this module does not follow."""
    for text in PROBE_NAMES:
        for cls in ("person", "org", "any"):
            for alt in query_alternatives(text, cls):
                prepared = prepare_name(alt, cls, rarity)
                try:
                    again = rebuild(parts_of(prepared), rarity)
                except (TypeError, KeyError, ValueError):
                    return False
                if again != dataclasses.replace(prepared, original=""):
                    return False
    return True


def query_names(matcher: Matcher, query: Query) -> list[PreparedName]:
    """The query's names as ``Matcher.match`` prepares them: each alternative, in the query
    schema's name class. From the matcher's cache, so right after a match they cost nothing."""
    cls = name_class(query.schema)
    return [matcher.prepare(text, cls) for text in query_alternatives(query.name, cls)]


class KeyFilter:
    """Does a name share any key with an index? False only when ``index.candidates`` would
    certainly return nothing for it; evaluated once per distinct token and joined pair."""

    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self._tokens: dict[tuple[str, bool], bool] = {}
        self._pairs: dict[tuple[str, bool], bool] = {}

    def keeps(self, tokens: Sequence[str], kinds: Sequence[str], abjad: bool) -> bool:
        """True when ``NameIndex._query_keys`` may find a key for the name."""
        toks = self.index.searched(tokens, kinds)
        token_hit, pair_hit = self._token_hit, self._pair_hit
        return any(token_hit(t, abjad) for t in toks) or any(
            pair_hit(a + b, abjad) for a, b in itertools.pairwise(toks))

    def _token_hit(self, token: str, abjad: bool) -> bool:
        """The token's own keys (typos, abjad skeletons) or its halves are posted."""
        found = self._tokens.get((token, abjad))
        if found is None:
            found = self._tokens[token, abjad] = self.index.posts_token(token, abjad)
        return found

    def _pair_hit(self, joined: str, abjad: bool) -> bool:
        """Two adjacent tokens written as one word ("Patr ushev") are posted."""
        found = self._pairs.get((joined, abjad))
        if found is None:
            found = self._pairs[joined, abjad] = self.index.posts_joined(joined, abjad)
        return found


def may_have_candidates(index: NameIndex,
                        alternatives: Iterable[tuple[Sequence[str], Sequence[str], bool]],
                        ) -> bool:
    """One row's alternatives (tokens, kinds, abjad): False only when ``index.candidates``
    returns nothing for every one of them. For many rows keep one :class:`KeyFilter`."""
    keys = KeyFilter(index)
    return any(keys.keeps(tokens, kinds, abjad) for tokens, kinds, abjad in alternatives)


class Prefilter:
    """Can a customer match an entity of ``matcher`` (a restricted one) at ``threshold``?

    :meth:`name_bound` bounds what a cached name can score (None: no candidate at all);
    :meth:`can_alert` adds the row's other evidence. Bounds are cached per distinct name
    (and the key test per distinct token), so repeated names cost nothing.
    """

    def __init__(self, matcher: Matcher, threshold: float | None) -> None:
        """ValueError at threshold 0, where the matcher reports every name it compares,
        whatever its score."""
        self.matcher = matcher
        self.cut = DEFAULT_THRESHOLD if threshold is None else threshold
        if self.cut <= MARGIN:
            raise ValueError("threshold 0 reports every name compared, whatever its score: "
                             "every row is screened")
        self.keys = KeyFilter(matcher.index)
        self._bounds: dict[NameParts, float | None] = {}
        # the most any evidence besides the name can add: every kind of it stated
        self.max_bonus = matcher.bonus(Query("", birth_date="1970-01-01", countries=("de",),
                                              id_numbers=("0",), gender="female"))

    def name_bound(self, parts: NameParts) -> float | None:
        """The highest score the name can reach against any entity with no other evidence
        (weak aliases lowered), or None when the index proposes no candidate for it."""
        if parts in self._bounds:
            return self._bounds[parts]
        bound = None
        # a small index compares every name (Matcher.found): a shared key is not needed;
        # a name with no word has nothing to compare, however small the index
        if parts.tokens and (self.matcher.scan
                             or self.keys.keeps(parts.tokens, parts.kinds, parts.abjad)):
            bound = self.matcher.best_name_score(rebuild(parts, self.matcher.rarity))
        self._bounds[parts] = bound
        return bound

    def row_bound(self, alternatives: Iterable[NameParts]) -> float | None:
        """The highest :meth:`name_bound` of a row's alternatives (None: no candidate)."""
        found = [b for b in map(self.name_bound, alternatives) if b is not None]
        return max(found) if found else None

    def may_alert(self, bound: float | None) -> bool:
        """Whether a row with this bound can alert with the best possible other evidence."""
        return bound is not None and bound + self.max_bonus >= self.cut - MARGIN

    def can_alert(self, bound: float | None, query: Query) -> bool:
        """Whether a row with this bound can alert, given the evidence its query states."""
        return bound is not None and bound + self.matcher.bonus(query) >= self.cut - MARGIN
