"""The keys of a query word read with two letters swapped back, which both the index
(:func:`~discreet.match.index.swapped_back_keys`: the keys it looks up) and the scorer's
choice of readings (:func:`posted_readings`) ask of every query word no list word writes.

One compiled call per word makes every reading and its keys
(:func:`~discreet.text.phonetic.swap_keys`), kept for the words met lately, so the two
ask it once between them. Its own module: the index imports the scorer's tables
(``prune``), which ask the readings.
"""

from __future__ import annotations

from collections.abc import Container
from functools import lru_cache

from discreet.match._kernel import KeyTable
from discreet.match.rules import RULES
from discreet.match.similarity import swapped_at
from discreet.text.phonetic import SwapKeys, swap_keys

__all__ = ["JOINED", "SKELETON", "SLAVIC", "SLAVIC_LETTERS", "posted_readings", "reading_keys"]

SLAVIC = "s:"  # key prefix: a token's east_slavic_key (Belarusian against Russian spelling)
SLAVIC_LETTERS = 4  # a word has an east-Slavic key from this many letters (index.slavic_key)
SKELETON = "a:"  # key prefix: a list word's abjad skeleton (index.abjad_keys)
JOINED = "j:"  # key prefix: two adjacent words of a list name written together


@lru_cache(maxsize=65536)
def reading_keys(token: str) -> SwapKeys:
    """Per reading of ``token`` with two neighbouring letters swapped back: (the place of
    the swap, the reading's phonetic key, its east-Slavic key as the index posts it or
    None, its abjad skeleton as the index posts it when two consonants were swapped or
    None): :func:`~discreet.text.phonetic.swap_keys`, the east-Slavic keys from
    :data:`SLAVIC_LETTERS` letters (:func:`~discreet.match.index.slavic_key`'s rule)."""
    return swap_keys(token, SLAVIC if len(token) >= SLAVIC_LETTERS else None, SKELETON)


def posted_readings(token: str, posted: Container[str]) -> tuple[str, ...]:
    """The readings of ``token`` with two letters swapped back (similarity.swap_readings,
    in its order) that some list word may be a spelling variant of: those a key of which
    some list word is ``posted`` under — its phonetic or east-Slavic key, or, when the swap
    moved two consonants, its abjad skeleton (the consonant rule's: "Rahihgi" read
    Rahighi, rhk). A spelling rule reads a reading and a list word alike by such a key: a
    reading no list word shares one with is compared in vain (the bound and align ask
    only these). The keys of every reading made and looked up in one compiled call when
    ``posted`` is the matcher's table (``KeyTable.swaps``), else by :func:`reading_keys`;
    a reading's string made only when it is kept (most are none of the lists' words: this
    runs on every query word no list name writes)."""
    if len(token) < RULES.variant_letters or not (token.isascii() and token.isalpha()):
        return ()
    if isinstance(posted, KeyTable):  # the matcher's: the keys made and looked up at once
        found = posted.swaps(token, SLAVIC, SKELETON, JOINED)  # as the index asks: kept
        if found is not None:
            kept = []
            for i, key, slavic, skeleton, _, _ in found:
                if key >= 0 or slavic >= 0 or skeleton >= 0:
                    kept.append(swapped_at(token, i))
            return tuple(kept)
    return tuple(swapped_at(token, i) for i, key, slavic, skeleton in reading_keys(token)
                 if key in posted or (slavic is not None and slavic in posted)
                 or (skeleton is not None and skeleton in posted))
