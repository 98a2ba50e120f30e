"""Abd- names written joined with a doubled vowel or with their a and b swapped (issue 10,
item 4).

``text.names._split_abd`` read "Abdurrahman" as abdul + rahman but not "Abduurrahman" (its
vowel written twice) nor "bAdelbasit" (its a and b swapped): both now read so; a word that
merely begins with "bad" (Badri, Badalamenti, Badalyan, Badulescu) is left alone.

Names are made up; scores are checked on the Python scorer and the compiled kernel.
"""

from __future__ import annotations

import pytest

from discreet.text.names import _split_abd
from tests.match.scoring import both_scores, prepared


@pytest.mark.parametrize(("word", "rest"), [
    ("abduurrahman", "rahman"),  # its u written twice
    ("abdeelkader", "kader"),
    ("abdoolkarim", "karim"),  # the oo of Mauritian and South Asian spellings
    ("abdiirahman", "rahman"),  # Somali Abdi- with its i twice
    ("badelbasit", "basit"),  # its a and b swapped
    ("badulmajid", "majid"),
])
def test_a_joined_abd_name_with_a_doubled_vowel_or_swapped_letters_splits(
        word: str, rest: str) -> None:
    assert _split_abd((word,)) == ("abdul", rest)


@pytest.mark.parametrize("word", [
    "badri", "badalamenti", "badalyan", "badulescu", "badenhorst", "badurina", "badel",
    "abdeen", "abdoollah",  # Abd Allah, one name
])
def test_a_word_that_merely_begins_so_is_left_alone(word: str) -> None:
    assert _split_abd((word,)) == (word,)


@pytest.mark.parametrize(("query", "listed", "rest"), [
    ("Hamza bAdelbasit", "Abdelbasit Hamza", "basit"),
    ("Yusuf Abduurrahman", "Yusuf Abd al-Rahman", "rahman"),
    ("Kerim Abdoolkarim", "Kerim Abdul Karim", "karim"),
])
def test_the_split_name_meets_its_list_name_word_by_word(query: str, listed: str,
                                                          rest: str) -> None:
    assert prepared(query, "person").tokens[-2:] == ("abdul", rest)
    assert both_scores(query, listed, "person", "person") == pytest.approx(1.0)


def test_a_surname_beginning_with_bad_does_not_meet_an_abd_name() -> None:
    """Badalamenti is not Abd al-Amenti: it stays one word and pairs as one."""
    assert prepared("Marco Badalamenti", "person").tokens == ("marco", "badalamenti")
