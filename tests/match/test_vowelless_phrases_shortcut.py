"""A name's form phrases written without vowels (prepare._vowelless_phrases: "LMTD LBLTY
CMPNY") are looked for only when one of its bare words has the vowel skeleton of a phrase's
word (prepare._skeleton_words): a name whose bare words are acronyms or a name's own
skeleton is passed before its windows are read. The reading is the rule's own: every window
read, as before the shortcut (``_every_window`` below)."""

from __future__ import annotations

import random

import pytest

from discreet.match import prepare
from discreet.match.prepare import repair_forms
from discreet.match.similarity import vowel_skeleton

_WORDS = ("lmtd", "lblty", "cmpny", "ltd", "llc", "jnt", "stck", "co", "company", "limited",
          "joint", "stock", "trdng", "trading", "hldngs", "holdings", "grp", "group", "s",
          "a", "de", "c", "v", "d", "krause", "shipping", "lcl", "bnk", "abc", "xyz", "mr",
          "smn", "dvlpmnt", "development", "intl", "crp", "corporation", "lc")


def _every_window(tokens: list[str]) -> bool:
    """The rule without the shortcut: every window with a bare word is read."""
    known, skeletons, longest = prepare._form_words()
    changed = False
    bare = [t not in known and prepare._without_vowels(t) for t in tokens]
    if True not in bare:
        return False
    skeleton = [vowel_skeleton(t) for t in tokens]
    last = len(bare) - 1 - bare[::-1].index(True)
    k = 0
    while k <= last:
        for size in range(min(longest, len(tokens) - k), 0, -1):
            if True not in bare[k:k + size]:
                continue
            window = tokens[k:k + size]
            phrase = skeletons.get(tuple(skeleton[k:k + size]))
            if phrase is not None and all(t == w or prepare._without_vowels(t)
                                          for t, w in zip(window, phrase, strict=True)):
                tokens[k:k + size] = phrase
                changed = True
                k += size - 1
                break
        k += 1
    return changed


def test_made_up_names_are_read_as_every_window_reads_them() -> None:
    rng = random.Random(20)
    restored = passed = 0
    for _ in range(20000):
        tokens = [rng.choice(_WORDS) for _ in range(rng.randint(1, 6))]
        fast, slow = list(tokens), list(tokens)
        changed = prepare._vowelless_phrases(fast)
        assert (changed, fast) == (_every_window(slow), slow), tokens
        restored += changed
        passed += not changed
    assert restored > 2000 and passed > 2000  # both kinds of names, many of each


@pytest.mark.parametrize(("text", "read"), [
    ("ACME LMTD LBLTY CMPNY", "acme limited liability company"),
    ("SBW JNT STCK CMPNY", "sbw joint stock company"),
    ("KRAUSE SHIPPING HOLDINGS LCL", None),  # a bare word no phrase's word is
    ("XYZ BNK", None),
])
def test_phrases_written_without_vowels_are_restored(text: str, read: str | None) -> None:
    assert repair_forms(text, shift=False) == read
