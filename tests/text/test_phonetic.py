"""Phonetic keys fold romanisation variants; consonant skeletons fold unwritten vowels."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.text import consonants, phonetic, phonetic_key
from discreet.text.phonetic import abjad_skeleton


@pytest.mark.parametrize("variants", [
    ("vladimirovich", "vladimirovitch", "wladimirowitsch", "vladimirovitj"),
    ("zelensky", "zelenskyy", "selenskyj", "zelenskiy"),
    ("sergei", "sergey", "sergej"),
    ("schwartz", "schwarz"),
    ("xi", "hsi", "shi"),
])
def test_romanisations_share_one_key(variants: tuple[str, ...]) -> None:
    assert len({phonetic_key(v) for v in variants}) == 1


@pytest.mark.parametrize("variants", [
    ("mohammed", "muhammad", "mohamad", "mhmd"),
    ("qaddafi", "gaddafi"),
    ("netanyahu", "ntnyhw"),
    ("osama", "usama"),
])
def test_vowel_free_skeletons_agree(variants: tuple[str, ...]) -> None:
    assert len({consonants(v) for v in variants}) == 1


def test_different_names_keep_different_keys() -> None:
    assert phonetic_key("putin") != phonetic_key("pulin")
    assert consonants("hassan") != consonants("ahmed")


@pytest.mark.parametrize(("arabic_script", "latin"), [
    ("frnndw", "fernando"),  # فرناندو: the alif between the two n is not written
    ("mrwn", "marwan"),  # w writes a long vowel
    ("ftmh", "fatimah"),  # ta marbuta, and the h Latin spellings add
    ("ftmh", "fatima"),
    ("hsyn", "hussein"),  # not the Wade-Giles hs of Hsi
    ("wlyjn", "walijan"),
    ("sdm", "saddam"),
])
def test_abjad_skeletons_meet_latin_spellings(arabic_script: str, latin: str) -> None:
    assert abjad_skeleton(arabic_script) == abjad_skeleton(latin)


def test_wade_giles_hs_only_where_there_are_vowels() -> None:
    assert phonetic_key("hsi") == phonetic_key("si")
    assert phonetic_key("hsyn").startswith("h")
    assert phonetic_key("zhd").startswith("sh")  # z then h (Zahed), not zhe
    assert phonetic_key("zhukov") == phonetic_key("sukov")


def test_east_slavic_key_joins_belarusian_ukrainian_and_russian_spellings() -> None:
    from discreet.text.phonetic import east_slavic_key

    pairs = [("sviatlana", "svetlana"), ("rastsislavauna", "rostislavovna"),
             ("zakharau", "zakharov"), ("tsertsel", "tertel"), ("siarhei", "sergei"),
             ("dzmitry", "dmitry"), ("uladzimir", "vladimir"), ("oleh", "oleg"),
             ("mikalai", "nikolai"), ("mikalaevich", "nikolaevich")]
    for a, b in pairs:
        assert east_slavic_key(a) == east_slavic_key(b), (a, b)
    assert east_slavic_key("ulyanov") != east_slavic_key("vlyanov")  # a Russian U stays
    assert east_slavic_key("ivanov") != east_slavic_key("ivanova")
    assert east_slavic_key("mhmd") == "mhmd"  # vowel-less (abjad) tokens are left alone


def test_chinese_key_joins_pinyin_and_wade_giles_only() -> None:
    from discreet.text.phonetic import chinese_key

    same = [("zhang", "chang"), ("xie", "hsieh"), ("zhou", "chou"), ("qian", "chien"),
            ("guo", "kuo"), ("zhong", "chung"), ("deng", "teng"), ("xiaoping", "hsiaoping"),
            ("dong", "tung"), ("shi", "shih"), ("ren", "jen"), ("li", "lee")]
    for a, b in same:
        assert chinese_key(a) == chinese_key(b), (a, b)
    different = [("xie", "shi"), ("yan", "jian"), ("xue", "zhu"), ("zhang", "song"),
                 ("chen", "chun"), ("wang", "huang")]
    for a, b in different:
        assert chinese_key(a) != chinese_key(b), (a, b)


_INITIALS = ("zh", "ch", "tz", "ts", "hs", "sz", "ss", "q", "c", "b", "d", "g", "j", "ji", "h",
             "s", "t", "z", "")


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_INITIALS), st.text(alphabet="zhctsqbdgjxkpwieuon\n", max_size=6))
def test_chinese_key_reads_the_first_initial_of_its_table(initial: str, rest: str) -> None:
    """The initial read is the first of the table's spellings that begins the word (the
    two-letter ones before c, q...), whatever way the key looks it up."""
    from discreet.text.phonetic import _CHINESE_FINALS, _CHINESE_INITIALS, chinese_key

    token = text = initial + rest
    if text.startswith("j") and not text.startswith(("ji", "ju")):
        text = "r" + text[1:]
    else:
        for written, sound in _CHINESE_INITIALS:
            if text.startswith(written):
                text = sound + text[len(written):]
                break
    for pattern, repl in _CHINESE_FINALS:
        text = pattern.sub(repl, text)
    assert chinese_key.__wrapped__(token) == text


def test_korean_key_joins_the_romanisations_of_one_syllable() -> None:
    from discreet.text.phonetic import korean_key

    same = [("seong", "song"), ("seong", "sung"), ("jeong", "jong"), ("jeong", "chung"),
            ("cheol", "chul"), ("byeong", "pyong"), ("pag", "pak"), ("gim", "kim"),
            ("li", "ri"), ("i", "lee"), ("yi", "ri"), ("lyong", "ryong"), ("ryong", "yong"),
            ("yeong", "young"), ("o", "oh"), ("eun", "un")]
    for a, b in same:
        assert korean_key(a) == korean_key(b), (a, b)
    for a, b in [("sang", "song"), ("yang", "jang"), ("son", "song"), ("yeong", "tong")]:
        assert korean_key(a) != korean_key(b), (a, b)



# The compiled keys (text/_phonetic.pyx) apply the rules the Python reference writes out.
_LETTERS = "aeiouyhszcktdxjwqgrlmnpbvf"
_KEY_PAIRS = [(phonetic.phonetic_key, phonetic.reference_phonetic_key),
              (phonetic.consonants, phonetic.reference_consonants),
              (phonetic.abjad_skeleton, phonetic.reference_abjad_skeleton),
              (phonetic.east_slavic_key, phonetic.reference_east_slavic_key)]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_LETTERS + "0123 ", min_size=0, max_size=24))
def test_compiled_keys_equal_the_reference(token: str) -> None:
    for fast, reference in _KEY_PAIRS:
        assert fast.__wrapped__(token) == reference(token), (fast.__name__, token)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=12))
def test_compiled_keys_leave_other_scripts_to_the_reference(token: str) -> None:
    for fast, reference in _KEY_PAIRS:
        assert fast.__wrapped__(token) == reference(token), (fast.__name__, token)


@pytest.mark.parametrize("token", [
    "shchukin", "tschaikowsky", "zhd", "hsieh", "hsn", "xavier", "max", "aksenov",
    "rastsislau", "uladzimir", "mikalaevich", "dzmitry", "siarhei", "oleh", "sviatlana",
    "zakharau", "tsertsel", "mhmd", "muhammad", "fatimah", "abdulrahman", "x", "hs", "uu",
    "auA", "Svetlana", "ZAKHAROV",  # capitals: left to the rules as written
])
def test_compiled_keys_on_the_rules_own_examples(token: str) -> None:
    for fast, reference in _KEY_PAIRS:
        assert fast.__wrapped__(token) == reference(token), (fast.__name__, token)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_LETTERS + "0123", min_size=0, max_size=24), st.booleans())
def test_word_keys_in_one_call_equal_the_reference(token: str, slavic: bool) -> None:
    """word_keys (the four keys in one compiled call, as the matcher's tables read them)
    gives each reference key of an ASCII token, letters or not, as bytes."""
    expected = (phonetic.reference_phonetic_key(token),
                phonetic.reference_east_slavic_key(token) if slavic else "",
                phonetic.reference_consonants(token), phonetic.reference_abjad_skeleton(token))
    assert phonetic.word_keys(token, slavic) == tuple(k.encode("ascii") for k in expected)


@pytest.mark.parametrize("token", ["shchukin", "hsieh", "mhmd", "sviatlana", "zakharau",
                                   "bdllh", "x", "1968", "a1"])
def test_word_keys_on_the_rules_own_examples(token: str) -> None:
    for slavic in (False, True):
        keys = phonetic.word_keys(token, slavic)
        assert keys[0].decode() == phonetic.reference_phonetic_key(token)
        assert keys[1].decode() == (phonetic.reference_east_slavic_key(token) if slavic else "")
        assert keys[2].decode() == phonetic.reference_consonants(token)
        assert keys[3].decode() == phonetic.reference_abjad_skeleton(token)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_LETTERS, min_size=0, max_size=20),
       st.sampled_from([None, "s:", ""]), st.sampled_from(["a:", ""]))
def test_swap_keys_in_one_call_equal_the_reference(token: str, slavic: str | None,
                                                   skeleton: str) -> None:
    """swap_keys (every reading with two letters swapped back and its keys, one compiled
    call) gives the reference keys of each reading, prefixes and Nones in their places."""
    assert phonetic.swap_keys(token, slavic, skeleton) == \
        phonetic.reference_swap_keys(token, slavic, skeleton)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=10))
def test_swap_keys_leave_other_scripts_to_the_reference(token: str) -> None:
    assert phonetic.swap_keys(token, "s:", "a:") == \
        phonetic.reference_swap_keys(token, "s:", "a:")


@pytest.mark.parametrize("token", ["rahihgi", "sadihgi", "kohslaf", "tsertsel", "xavier",
                                   "hsieh", "mhmd", "prp", "aab", "bdllh", "siarhei", "ab"])
def test_swap_keys_on_the_rules_own_examples(token: str) -> None:
    """Readings that move a letter into or out of a group the keys read (gh, sh, ts, a
    first x or hs, a last llh) keep the reference's keys; a letter beside itself is no
    reading."""
    found = phonetic.swap_keys(token, "s:", "a:")
    assert found == phonetic.reference_swap_keys(token, "s:", "a:")
    assert [i for i, *_ in found] == [i for i in range(len(token) - 1)
                                      if token[i] != token[i + 1]]


def test_swap_keys_read_each_swap() -> None:
    """Rahihgi read with h and g swapped back is Rahighi: its keys are Rahighi's, the
    skeleton only where two consonants were swapped, the east-Slavic key only when asked."""
    found = {i: rest for i, *rest in phonetic.swap_keys("rahihgi", "s:", "a:")}
    back = "rahighi"
    assert found[4] == [phonetic.phonetic_key(back), "s:" + phonetic.east_slavic_key(back),
                        "a:" + abjad_skeleton(back)]
    assert found[0][2] is None  # r and a: a vowel moved, no skeleton
    assert all(slavic is None for _, _, slavic, _ in phonetic.swap_keys("rahihgi", None, ""))
    assert all(slavic is None for _, _, slavic, _ in phonetic.swap_keys("mhmd", "s:", ""))
