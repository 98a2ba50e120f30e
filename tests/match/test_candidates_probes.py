"""A word written without vowels whose skeleton no list word has looks up the skeletons the
vowel rule reads alike (``NameIndex._probes``: "Mrrdn" looks up v:mrdn, the skeleton
written once, and it with one letter doubled). Written once, that skeleton is what the
word's folded key reads too (f:mrdn): both meet Mardin, and counted as two keys they gave
the one query word's second reading nearly twice a key's credit, over the list names
written without vowels one slip from it (MRDN, which the scorer pairs far better). At a
million names the vowel-ful namesakes pushed such names out of the 40 candidates (1M
candidate recall, eighteenth session: "frrts" and the FRTS names).

The probes are now the word's bridge keys, as its folded key is: a second reading credits a
name only when the word's near keys did not meet it, and once however many of its second
readings meet it (the compiled candidates mark a name a bridge key credits). Made-up names.
"""

from __future__ import annotations

from discreet.match.index import NameIndex
from tests.match.ranking import add_key, ranked, summed_keys
from tests.match.scoring import prepared

_OTHERS = ["Petrov Ivan", "Karlsson Nils", "Dubois Marc", "Rossi Luca", "Novak Jan",
           "Silva Ana"]
_BARE = ["MRDN Holding", "MRDN", "MRDN Group"]
_VOWELS = ["Mardin", "Merdan", "Murdun"]


def _index(texts: list[str]) -> NameIndex:
    return NameIndex([prepared(t, "org") for t in texts])


def test_probes_are_the_words_bridge_keys() -> None:
    """The written-once probe and the folded key are both marked as the word's second
    readings (the high byte of the kernel's marks)."""
    index = _index([*_BARE, *_VOWELS, *_OTHERS])
    name = prepared("Mrrdn", "org")
    assert index._probes("mrrdn", False)[0] == "v:mrdn"
    bridges = {key: bridge for key, _, _, bridge in summed_keys(index, name)}
    assert bridges["v:mrdn"] == 1 and bridges["f:mrdn"] == 1
    assert bridges["mrdn"] == 0  # the word's own key: not a second reading


def test_a_name_both_second_readings_meet_is_credited_once() -> None:
    """Mardin gains the folded key's credit or the probe's, never both: the compiled
    ranking equals the reference summing that marks a name a bridge key credited."""
    texts = [*_BARE, *_VOWELS, *_OTHERS]
    index = _index(texts)
    name = prepared("Mrrdn", "org")
    sums: dict[int, float] = {}
    met: dict[int, int] = {}
    once = {}
    for key, share, own, bridge in summed_keys(index, name):
        gain = index.idf.get(key, 0.0) * share
        add_key(sums, met, index.postings[key], gain, own, bridge)
        if bridge:
            once[key] = gain
    mardin = texts.index("Mardin")
    assert sums[mardin] < max(once.values()) + index.idf["c:mrtn"] + 1e-9
    assert index.candidates(name, 10) == ranked(index, name, sums, 10, 0.45)


def test_names_written_without_vowels_are_not_displaced() -> None:
    """"Mrrdn": the list's MRDN names (one letter from it, as written) come before the
    vowel-ful namesakes only the second readings meet."""
    texts = [*_BARE, *_VOWELS, *_OTHERS]
    index = _index(texts)
    found = [texts[p] for p in index.candidates(prepared("Mrrdn", "org"), 3)]
    assert sorted(found) == sorted(_BARE)


def test_a_word_only_the_probes_meet_still_finds_its_name() -> None:
    """Where no list word is written without vowels, the probes still propose the vowel-ful
    names, a doubled letter the written skeleton does not have too ("Shbbz": Shahbaz,
    skeleton shhbz); a clean other name is not proposed."""
    texts = ["Shahbaz Trading", "Shabir Trading", *_OTHERS]
    index = _index(texts)
    found = [texts[p] for p in index.candidates(prepared("Shbbz", "org"), 10)]
    assert found[0] == "Shahbaz Trading"
    assert "Shabir Trading" not in found
    assert [texts[p] for p in index.candidates(prepared("Mrrdn", "org"), 10)] == []
    mixed = [*_VOWELS, *_OTHERS]
    assert sorted(mixed[p] for p in _index(mixed).candidates(prepared("Mrrdn", "org"), 10)) \
        == sorted(_VOWELS)
