"""A query name's keys read in two compiled calls (``query_words``, ``query_pairs``:
``NameIndex._query_ids``) are the rule's in Python (``NameIndex._query_ids_by_rule``): the
same keys, credits and order, shares and bridged words, on every name of a fixture list
and on queries made from them with typing errors, moved spaces, words run together and
other scripts."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from discreet.match import Matcher
from discreet.match.index import NameIndex
from discreet.match.prepare import PreparedName
from discreet.model import Entity
from discreet.sources import open_list

_LIST = (Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "lists"
         / "ofac_sdn_csv" / "history_jackdwyer" / "sdn_2024-05-03.csv")


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    if not _LIST.exists():
        pytest.skip(f"{_LIST} is missing (the shared data beside the project)")
    _, parsed = open_list(_LIST)
    entities: list[Entity] = list(parsed)
    return Matcher.from_entities(entities)


def _slips(text: str, rng: random.Random) -> str:
    """``text`` with a typing error: a letter dropped, doubled, replaced or swapped, a space
    moved or dropped."""
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    return rng.choice([
        text[:i] + text[i + 1:], text[:i] + text[i] + text[i:],
        text[:i] + rng.choice("aeiouksz") + text[i + 1:],
        text[:i - 1] + text[i] + text[i - 1] + text[i + 1:],
        text.replace(" ", "", 1), text[:i] + " " + text[i:]])


def _same(index: NameIndex, name: PreparedName) -> None:
    bridged: list[object] = []
    shares: list[float] = []
    keys = index._query_ids(name, bridged, shares)  # type: ignore[arg-type]
    rule_bridged: list[object] = []
    rule_shares: list[float] = []
    rule = index._query_ids_by_rule(name, rule_bridged, rule_shares)  # type: ignore[arg-type]
    assert list(keys.items()) == list(rule.items()), name.original
    assert shares == rule_shares and bridged == rule_bridged, name.original
    assert index._query_ids(name) == rule  # nothing asked but the keys


def test_list_names_and_their_slips_are_keyed_as_the_rule(matcher: Matcher) -> None:
    rng = random.Random(24)
    texts = sorted({name.original for name in matcher.names})
    assert len(texts) > 5000
    index = matcher.index
    classes = ("any", "person", "org")
    pairs = 0
    for text in texts:
        cls = rng.choice(classes)
        for query in (text, _slips(text, rng), _slips(_slips(text.lower(), rng), rng)):
            name = matcher.prepare(query, cls)  # type: ignore[arg-type]
            _same(index, name)
            pairs += len(NameIndex.searched(name.tokens, name.kinds)) > 1
    index._token_cache.clear()  # ... and with every word read anew, the rule's words first
    index.__dict__.pop("_known_cache", None)
    for text in texts[::7]:
        name = matcher.prepare(_slips(text, rng), "any")
        rule = index._query_ids_by_rule(name, [], [])
        assert list(index._query_ids(name, [], []).items()) == list(rule.items())
    assert pairs > 10000  # most queries have two words or more: their pairs are read


@pytest.mark.parametrize("text", [
    "Vladimir Putin", "Vldmr Ptn", "PY AR", "Hafe zMakhlouf", "QasemS Olemani",
    "شمس الدین محمد", "ولی جان", "Мухаммад аль-Хусейни", "山田 太郎", "Jean-Paul Sartre",
    "O'Brien Trading Co", "SREDNEVOL", "Al Qaida", "Ab", "X", "Banco Nacional de Cuba",
    "BNC", "abd al rahman", "Kirillov Ladimir", "Srednevolzhsky Gazprom Neft Ltd"])
def test_odd_names_are_keyed_as_the_rule(matcher: Matcher, text: str) -> None:
    for cls in ("any", "person", "org"):
        _same(matcher.index, matcher.prepare(text, cls))
