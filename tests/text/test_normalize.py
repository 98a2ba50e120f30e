"""Normalisation: Unicode, case, diacritics, punctuation, invisibles, homoglyphs, leetspeak."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from discreet.text import normalize, tokenize
from discreet.text.normalize import to_latin
from discreet.text.scripts import scripts_of


def test_case_diacritics_and_punctuation_fold_away() -> None:
    assert normalize("Recep Tayyip ERDOĞAN") == "recep tayyip erdogan"
    assert normalize("Aleksandar Vučić") == normalize("Aleksandar Vucic")
    assert normalize("PUTIN, Vladimir") == "putin vladimir"
    assert normalize("Margarita-Simonyan") == "margarita simonyan"


def test_dotted_initials_and_apostrophes_join() -> None:
    assert tokenize("A.B.C. Company") == ("abc", "company")
    assert tokenize("Oboronnye Initsiativy o.O.O.") == ("oboronnye", "initsiativy", "ooo")
    assert tokenize("Al Qa'ida") == ("al", "qaida")
    assert tokenize("MUN CHO'NG-CH'O'L") == ("mun", "chong", "chol")


def test_invisible_and_zero_width_characters_are_dropped() -> None:
    assert normalize("Pu\u200btin\u00ad Vla\u200ddimir\ufeff") == "putin vladimir"
    assert normalize("Osama\u202e bin Laden") == "osama bin laden"


def test_homoglyphs_inside_latin_words_become_latin() -> None:
    disguised = "Vl\u0430dimir P\u0443tin"  # Cyrillic а and у
    assert normalize(disguised) == "vladimir pytin"
    assert normalize("\u0412\u043b\u0430\u0434\u0438\u043c\u0438\u0440") == "vladimir"


def test_digits_for_letters_only_inside_mixed_tokens() -> None:
    assert tokenize("Ig0r Sech1n") == ("igor", "sechin")
    assert tokenize("I9or") == ("igor",)
    assert tokenize("Brigade 44") == ("brigade", "44")
    assert tokenize("1st International Bank")[0] == "1st"


def test_scripts_transliterate_to_latin() -> None:
    assert normalize("Владимир Владимирович Путин") == "vladimir vladimirovich putin"
    assert normalize("Κυριάκος Μητσοτάκης") == "kyriakos mitsotakis"
    assert tokenize("习近平") == ("xi", "jin", "ping")
    assert tokenize("김정은") == ("kim", "jeong", "eun")
    assert tokenize("오영철") == ("o", "yeong", "cheol")  # a one-letter syllable comes apart
    assert normalize("Բարակ Օբամա") == "barak obama"
    assert normalize("ბარაკ ობამა") == "barak obama"


def test_abjad_scripts_keep_consonants_and_split_the_article() -> None:
    assert tokenize("محمد بن سلمان") == ("mhmd", "bn", "slmn")
    assert tokenize("أحمد الحمزي") == ("hmd", "al", "hmzy")
    assert tokenize("בנימין נתניהו") == ("bnymyn", "ntnyhw")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_never_crashes_and_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert once.isascii()
    assert normalize(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_is_script_stable(text: str) -> None:
    """Transliterating first and normalising after gives what normalising gives."""
    latin = to_latin(text)
    assert not scripts_of(latin) - {"LATIN"}
    assert normalize(latin) == normalize(text)


@settings(deadline=None)
@given(st.sampled_from(["Vladimir Putin", "Kim Jong Un", "Mohammed bin Salman", "Xi Jinping"]))
def test_latin_names_are_fixed_points(name: str) -> None:
    assert normalize(name) == name.lower()
