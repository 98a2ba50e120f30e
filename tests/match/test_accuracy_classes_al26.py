"""An Arabic-script word's first alif or ayn is a letter too (issue 10).

The transliteration leaves a word's first vowel letter out (alif in its forms, ayn): اشرفی
(Ashrafi) reads ``shrfy``, as شرفی would, so its consonants met SHARIFI as the same word
and a clean Persian name alerted. A word that opened with that letter is now never paired
with a Latin word that opens on one consonant and a vowel (or has no vowel), while a Latin
spelling that writes the vowel (Ashrafi, Ali, Omar, Ebrahim) or leaves the first vowel
unsounded before two consonants (Maghrebi Brahim, Smail) scores as before. Each rule is
checked on the Python scorer and on the compiled kernel (they must agree), with names made
up in Arabic and Persian script and real ones from the lists.
"""

from __future__ import annotations

import random

import pytest

from discreet.match.score import name_score, vowel_opened_words
from discreet.match.similarity import opens_on_consonant
from discreet.text.normalize import vowel_opened
from tests.match.scoring import assert_kernel_scores_as_python, both_scores, prepared

# below the held-out test's 1% FPR threshold (0.61), where these names alerted before
_APART = 0.55


def _both(query: str, listed: str, qcls: str = "person", lcls: str = "person") -> float:
    """The name score, Python's asserted equal to the kernel's."""
    return both_scores(query, listed, qcls, lcls)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "opened"), [
    ("علی اشرفی", {"ly", "shrfy"}),  # ayn, alif
    ("احسان طلوعی", {"hsn"}),
    ("الأنصاري", {"nsry"}),  # the article aside: its word opens with hamza on alif
    ("إبراهيم العبيدي", {"brhym", "bydy"}),  # hamza under alif; ayn after the article
    ("آرش کمالی", {"rsh"}),  # alif madda
    ("محمد حسن", set()),  # consonants only
    ("اشرفی شرفی", set()),  # one transliteration, both ways: not told apart
    ("أبو بكر", set()),  # the kunya, which spellings also write Bu, Bou
    ("Ali ASHRAFI", set()),  # a Latin name
])
def test_the_words_that_open_with_alif_or_ayn_are_known(text: str, opened: set[str]) -> None:
    assert vowel_opened(text) == opened


@pytest.mark.parametrize(("word", "apart"), [
    ("sharifi", True), ("hassan", True), ("suri", True), ("rg", True), ("yaqub", True),
    ("kabir", True), ("s", True),
    ("ashrafi", False), ("ali", False), ("omar", False), ("ebrahim", False),
    ("brahim", False), ("smail", False), ("sberbank", False), ("hmed", False),
])
def test_a_latin_word_opening_on_one_consonant_is_apart(word: str, apart: bool) -> None:
    assert opens_on_consonant(word) is apart


@pytest.mark.parametrize(("query", "listed", "qcls"), [
    ("علی اشرفی", "Ali SHARIFI", "person"),  # real list name; Persian Ashrafi
    ("علی اكبر اشرفی", "Ali SHARIFI", "person"),
    ("حسين اشرفی", "Sa'd Abdullah Hussein AL-SHARIF", "person"),  # the article's run too
    ("احسان طلوعی", "Mohammad Hassan TOULAI", "person"),  # Ehsan is not Hassan
    ("اسرا محمد پور", "Muhammad SURI", "person"),
    ("علی دایی", "LADY D", "person"),  # a run of two words opening with Ali
    ("اکبر نوری", "Kabir NOURI", "person"),  # made up: Akbar, Kabir
    ("عارف حسن", "Rauf HASSAN", "person"),  # made up: Aref, Rauf
    ("ایرج کریمی", "Raj KARIMI", "person"),  # made up: Iraj, Raj
    ("إسلام محمود", "Salam MAHMOUD", "person"),  # made up: Islam, Salam
    ("ارج", "RG HOLDINGS LTD", "org"),  # real list name: the same letters, an acronym
    ("الأنصاري", "NASSIRIYA", "org"),
])
def test_a_word_opening_with_alif_or_ayn_does_not_meet_one_opening_on_a_consonant(
        query: str, listed: str, qcls: str) -> None:
    assert _both(query, listed, qcls, qcls) < _APART


@pytest.mark.parametrize(("query", "listed", "at_least"), [
    ("علی اشرفی", "Ali ASHRAFI", 0.75),
    ("احسان طلوعی", "Ehsan TOLOUI", 0.7),
    ("عمر عبد الرحمن", "Omar ABDEL RAHMAN", 0.8),  # ayn written as a vowel
    ("عمر عبد الرحمن", "Umar ABD AL-RAHMAN", 0.8),
    ("عمر عبد الرحمن", "Umar 'ABD AL-RAHMAN", 0.8),  # ayn written as an apostrophe
    ("ابراهیم رئیسی", "Ebrahim RAISI", 0.7),  # real list name
    ("ابراهیم رئیسی", "Ibrahim RAISI", 0.7),
    ("إبراهيم بن علي", "Brahim BEN ALI", 0.75),  # Maghrebi: the first vowel unsounded
    ("اسماعيل هنية", "Smail HANIYEH", 0.75),
    ("اسماعيل هنية", "Ismail HANIYEH", 0.8),
    ("أبو بكر البغدادي", "Bou Bakr AL-BAGHDADI", 0.75),  # the kunya written Bou
    ("أبو بكر البغدادي", "Abu Bakr AL-BAGHDADI", 0.8),
    ("عارف حسن", "Aref HASSAN", 0.69),
    ("اکبر نوری", "Akbar NOURI", 0.7),
    ("ایرج کریمی", "Iraj KARIMI", 0.7),
    ("إسلام محمود", "Islam MAHMOUD", 0.8),
    ("الأنصاري", "AL-ANSARI", 0.8),
])
def test_a_romanisation_that_writes_the_letter_still_matches(
        query: str, listed: str, at_least: float) -> None:
    assert _both(query, listed) >= at_least


def test_latin_and_same_script_names_are_left_alone() -> None:
    """A Latin query has no such words; against a list name in the Arabic script the list
    word's first letter is not known to the kernel, and the two are left as they were."""
    latin = prepared("Ali ASHRAFI", "person")
    assert vowel_opened_words(latin) == 0
    assert len(name_score(latin, prepared("Ali SHARIFI", "person")).alignment.pairs) == 2
    assert _both("اشرفی", "شرفی") == 1.0
    q = prepared("علی اشرفی", "person")
    assert vowel_opened_words(q) == 0b11


def test_the_kernel_reads_the_rule_as_python_does() -> None:
    """Made-up abjad names against Latin list names built of words opening on a vowel, on
    one consonant and on two (and the article): scores, alignments and bounds agree."""
    rng = random.Random(26)
    abjad = ("اشرفی", "علی", "احسان", "امید", "عارف", "ایرج", "حسن", "محمد", "الأنصاري",
             "اسماعيل", "عمر", "کریمی", "نوری")
    latin = ("ASHRAFI", "SHARIFI", "ALI", "LADY", "EHSAN", "HASSAN", "OMID", "MID", "AREF",
             "RAUF", "IRAJ", "RAJ", "HASAN", "MOHAMMAD", "AL", "ANSARI", "NASIRI", "SMAIL",
             "ISMAIL", "OMAR", "MR", "KARIMI", "NOURI", "BRAHIM")
    for _ in range(25):
        query = " ".join(rng.choice(abjad) for _ in range(rng.randrange(1, 4)))
        names = [prepared(" ".join(rng.choice(latin) for _ in range(rng.randrange(1, 5))),
                          "person") for _ in range(8)]
        assert_kernel_scores_as_python(prepared(query, "person"), names)
