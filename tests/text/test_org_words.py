"""The English reading of organisation names (text/org_words.py, data/org_words.yml): the
common words in the lists' other languages, their case forms, and adjectives of place."""

from __future__ import annotations

import pytest

from discreet.text.org_words import english_reading, english_words, place_adjective


@pytest.mark.parametrize(("word", "english"), [
    ("zavod", ("plant",)), ("zavoda", ("plant",)), ("zavodom", ("plant",)),
    ("завод", None),  # a word as the name normalises it: Latin letters
    ("factory", ("plant",)), ("plant", ("plant",)),
    ("ministerstvo", ("ministry",)), ("ministerstva", ("ministry",)),
    ("priborostroitelnyy", ("instrument", "making")),
    ("priborostroitelnogo", ("instrument", "making")),
    ("nefti", ("oil",)), ("neft", ("oil",)),
    ("zavodskiy", None), ("murom", None), ("ross", None),  # no form of a listed word
])
def test_words_and_their_forms(word: str, english: tuple[str, ...] | None) -> None:
    assert english_words(word) == english


@pytest.mark.parametrize(("word", "place"), [
    ("muromskiy", "murom"), ("muromsky", "murom"), ("muromskogo", "murom"),
    ("muromskaya", "murom"), ("novosibirskiy", "novosibir"), ("novosibirsk", "novosibir"),
    ("donetskiy", "done"), ("donetsk", "done"), ("omskiy", "omsk"),
    ("murom", None), ("omsk", None), ("risk", None), ("desk", None), ("kiosk", None),
    ("mekhanicheskiy", None), ("khimicheskogo", None),  # -ical: no place
])
def test_adjectives_of_place(word: str, place: str | None) -> None:
    assert place_adjective(word) == place


@pytest.mark.parametrize(("name", "reading"), [
    ("ООО «Муромский завод»", "ooo murom plant"),
    ("Zavod Imeni Lenina", "plant imeni lenina"),
    ("Uralskiy Trading LLC", "ural trading llc"),  # a generic word: an organisation
    ("Uralskiy Fedor", None),  # an adjective alone tells no organisation
    ("Gazprom Neft", None),  # a short word alone: also a name (Fond, Gaz)
    ("Murom Plant", None),  # nothing to read otherwise
    ("Novosibirsk Aircraft Repair Plant", "novosibir aircraft repair plant"),
    ("Maersk A/S", None),  # a place in -sk needs a word of the table: a name
    ("Kalinsk Holdings Ltd", None),
    ("Иван Заводский", None),
])
def test_english_reading(name: str, reading: str | None) -> None:
    assert english_reading(name) == reading
