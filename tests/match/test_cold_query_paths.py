"""A cold query's shortcuts give what the rules give (fx16): a query token's key groups
read off its compiled forms (``index._key_groups``) are the key functions' groups
(``index._groups_by_rule``); an organisation's form readings made in one pass
(``prepare.form_readings``) are :func:`repair_forms` with and without a space moved; the
acronym runs' test of a word that breaks a run, counted once, is the word-by-word test."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.match import align, prepare
from discreet.match.align import ACRONYM_LENGTHS, acronym_runs
from discreet.match.index import _groups_by_rule, _key_groups
from discreet.match.prepare import form_readings, repair_forms

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _made_up_words(count: int, seed: int) -> list[str]:
    """Words of 1-14 letters: plain, with a letter doubled, without vowels, starting with
    a, with th/sh/kh (abjad readings), and runs of one letter."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        word = "".join(rng.choice(_LETTERS) for _ in range(rng.randint(1, 12)))
        shape = rng.randrange(6)
        if shape == 1 and word:
            i = rng.randrange(len(word))
            word = word[:i + 1] + word[i:]
        elif shape == 2:
            word = "".join(c for c in word if c not in "aeiou") or "bcd"
        elif shape == 3:
            word = "a" + word
        elif shape == 4:
            word = rng.choice(("th", "sh", "kh", "dh")) + word
        elif shape == 5:
            word = rng.choice(_LETTERS) * rng.randint(1, 6) + word[:3]
        out.append(word)
    return out


def test_key_groups_from_forms_equal_the_rule() -> None:
    words = _made_up_words(4000, 16)
    words += ["vladimir", "ruubinov", "roomeo", "aaaa", "vldmr", "ahmd", "kdyrv", "thd",
              "hssn", "aleksandr", "aliaksandr", "barsukou", "sasha", "ted", "jsc", "llc"]
    for word in words:
        for abjad in (False, True):
            assert _key_groups(word, abjad) == _groups_by_rule(word, abjad), (word, abjad)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aeiouybcdhkmnrstvzhéßж\u0645\u062d1 -", min_size=1, max_size=14),
       st.booleans())
def test_key_groups_of_any_token_equal_the_rule(token: str, abjad: bool) -> None:
    assert _key_groups(token, abjad) == _groups_by_rule(token, abjad)


def test_key_groups_written_out() -> None:
    # a word with vowels: its keys, the east-Slavic one, the "V:" skeleton, no folded key
    groups = _key_groups("vladimir", False)
    keys = [key for found, _, _ in groups for key in found]
    assert any(key.startswith("s:") for key in keys)
    assert "V:vldmr" in keys and not any(key.startswith("f:") for key in keys)
    # a word without vowels after its first letter: the "v:" skeleton and a folded key
    keys = [key for found, _, _ in _key_groups("vldmr", False) for key in found]
    assert "v:vldmr" in keys and any(key.startswith("f:") for key in keys)
    assert not any(key.startswith("s:") for key in keys)  # no vowel: no east-Slavic key
    # a letter typed twice: the word written once looks its keys up too ("ruubinov")
    assert len(_key_groups("ruubinov", False)) == len(_key_groups("rubinov", False)) + 2


def _old_edge(text: str) -> str | None:
    """edge_reading as two calls of repair_forms (before form_readings)."""
    edged = repair_forms(text, org=True)
    return edged if edged is not None and edged != repair_forms(text, shift=False) else None


def _old_shift(text: str) -> str | None:
    shifted = repair_forms(text)
    return shifted if shifted is not None and shifted != repair_forms(text, shift=False) \
        else None


_NAMES = [
    "ZA OPRIMTEKH", "OAOJ SC NEFTEGAZ", "JOINT STOCKC OMPANY KAMA", "KB LINESL IMITED",
    "ORLAN REAL ESTATE JSC", "ORLAN KASPER JSC", "SBERBANK PPF DJSC", "ZLT HLDNGS LMTD",
    "NORTHERN STAR SHIPPINGL IMITED", "Volgobank Kpf Djsc", "ARAB WOOD", "JONIT STOCK BANK",
    "URAL HEAVY MACHINERY PLANT JOINT STOC", "Northern Star Shipping", "Brwn Smth", "D",
    "CANADAL TD", "GENI ASRL", "PROTECTION LLLC", "JSCC NOVOSIBIRSK", "Sr. Lucca",
]


@pytest.mark.parametrize("name", _NAMES)
def test_form_readings_are_the_two_repairs(name: str) -> None:
    prepare._READINGS.clear()
    assert form_readings(name, org=True) == (repair_forms(name, shift=False), _old_edge(name))
    assert form_readings(name) == (repair_forms(name, shift=False), _old_shift(name))
    # kept: the name's own reading is not made again when the query is prepared
    assert (name, True) in prepare._READINGS


def test_form_readings_of_made_up_names() -> None:
    rng = random.Random(5)
    words = ["joint", "stock", "company", "limited", "holding", "zao", "ooo", "jsc", "llc",
             "bank", "trade", "real", "estate", "kama", "volga", "primtekh", "sngb", "oaoj",
             "lmtd", "cmpny", "hldngs", "stockc", "ompany", "jonit", "limted", "sc"]
    shifted = 0
    for _ in range(1500):
        name = " ".join(rng.choice(words) for _ in range(rng.randint(1, 5)))
        prepare._READINGS.clear()
        own, edge = form_readings(name, org=True)
        assert (own, edge) == (repair_forms(name, shift=False), _old_edge(name))
        assert form_readings(name) == (own, _old_shift(name))
        shifted += edge is not None
    assert shifted > 50  # the shapes read beside the name were met


def test_a_clean_name_has_no_reading_beside_it() -> None:
    assert form_readings("Northern Star Shipping", org=True) == (None, None)
    assert form_readings("Orlan Kasper") == (None, None)


def _reference_runs(tokens: tuple[str, ...], kinds: tuple[str, ...],
                    ) -> dict[str, tuple[int, ...]]:
    """align._acronym_runs with the run test written word by word (before fx16)."""
    leading = kinds[0] == "legal" and tokens[0] in align._LEADING_WORDS
    spelled = [i for i, (t, k) in enumerate(zip(tokens, kinds, strict=True))
               if (k in align._SPELLED_KINDS and t not in align._UNSPELLED
                   and t[:1].isalpha()) or (i == 0 and leading)]
    runs: dict[str, tuple[int, ...]] = {}
    for start in range(len(spelled)):
        for size in range(ACRONYM_LENGTHS[0] - 1, ACRONYM_LENGTHS[-1] + 1):
            chosen = spelled[start:start + size]
            if len(chosen) < size:
                break
            if any(kinds[j] not in align._SPELLED_KINDS and tokens[j] not in align._UNSPELLED
                   and not (j == 0 and leading) for j in range(chosen[0], chosen[-1] + 1)):
                break
            initials = "".join(tokens[j][0] for j in chosen)
            if size >= ACRONYM_LENGTHS[0]:
                runs.setdefault(initials, tuple(range(chosen[0], chosen[-1] + 1)))
            after = chosen[-1] + 1
            if (len(initials) < ACRONYM_LENGTHS[-1] and after < len(tokens)
                    and kinds[after] == "legal" and tokens[after] in align._TRAILING_WORDS):
                runs.setdefault(initials + tokens[after][0],
                                tuple(range(chosen[0], after + 1)))
    return runs


def test_acronym_runs_equal_the_word_by_word_test() -> None:
    rng = random.Random(11)
    words = ["urmia", "petrochemical", "company", "of", "the", "co", "corp", "bank", "12",
             "national", "iran", "sa", "de", "trading", "al"]
    kinds = ["name", "generic", "patronymic", "legal", "number", "particle", "title"]
    for _ in range(3000):
        n = rng.randint(3, 9)
        tokens = tuple(rng.choice(words) for _ in range(n))
        shape = tuple(rng.choice(kinds) for _ in range(n))
        assert acronym_runs(tokens, shape) == _reference_runs(tokens, shape)
    # a name's legal form is its code (Company: co), which spells its letter after the words
    assert acronym_runs(("urmia", "petrochemical", "co"), ("name", "name", "legal")) \
        == {"upc": (0, 1, 2)}
