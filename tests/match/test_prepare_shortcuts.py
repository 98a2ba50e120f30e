"""The shortcuts of a cold query's preparation and kernel arguments (pq16) give what the
rules give: a name without the article joins its runs' words as written; a name with no
number word, no Allah and no Abd keeps its tokens; the shifted-space strings and their rows
are align.shifted_words' in order; a rarity weight is clipped to [FLOOR, 1] as before."""

from __future__ import annotations

import dataclasses
import math
import random

import pytest

from discreet.match import align, prepare, prune
from discreet.match.align import join_spans, shifted_words
from discreet.match.rarity import FLOOR, Rarity
from discreet.match.similarity import vowel_skeleton
from discreet.text import names
from discreet.text.names import parse_name
from discreet.text.normalize import _NON_WORD, fold_word, to_latin, tokenize
from discreet.text.numbers import numbers_to_digits
from discreet.text.terms import terms

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_KINDS = ("name", "name", "name", "particle", "legal", "generic", "number", "initial")


def _words(rng: random.Random, count: int) -> list[str]:
    """Made-up words of 1-9 letters, some of them the article, wa, li or a number word."""
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.15:
            out.append(rng.choice(("al", "wa", "li", "bin", "forty", "two", "3rd", "7")))
        else:
            out.append("".join(rng.choice(_LETTERS) for _ in range(rng.randint(1, 9))))
    return out


def _spans_by_rule(texts: list[str], kinds: list[str]) -> tuple[align.Span, ...]:
    """join_spans with the article's rules asked of every run (no shortcut)."""
    out: list[align.Span] = []
    for start in range(len(texts)):
        if kinds[start] in align._NO_JOIN:
            continue
        joined = texts[start]
        for size in range(2, align._MAX_JOIN + 1):
            end = start + size - 1
            if end >= len(texts) or kinds[end] in align._NO_JOIN:
                break
            joined += texts[end]
            written = align._article_joined(texts, kinds, start, joined) \
                if size == 3 else joined
            out.append((start, size, written))
            assimilated = align._assimilated(texts, kinds, start, size)
            if assimilated is not None and assimilated != written:
                out.append((start, size, assimilated))
    return tuple(out)


def test_join_spans_is_the_rule_on_made_up_names() -> None:
    rng = random.Random(16)
    with_article = 0
    for _ in range(4000):
        texts = _words(rng, rng.randint(1, 6))
        kinds = [rng.choice(_KINDS) if t != "al" else "particle" for t in texts]
        with_article += "al" in texts
        assert join_spans(texts, kinds) == _spans_by_rule(texts, kinds), texts
    assert with_article > 200


@pytest.mark.parametrize(("texts", "kinds", "joined"), [
    (["hizb", "al", "tahrir"], ["name", "particle", "name"], "hizbuttahrir"),  # assimilated
    (["shms", "al", "dyn"], ["name", "particle", "name"], "shmsdyn"),  # abjad compound
    (["wa", "al", "jhd"], ["particle", "particle", "name"], "wljhd"),
])
def test_an_article_run_is_still_read_as_latin_spellings_write_it(
        texts: list[str], kinds: list[str], joined: str) -> None:
    assert joined in {text for _, _, text in join_spans(texts, kinds)}


def test_a_name_without_the_article_joins_its_words_as_written() -> None:
    spans = join_spans(["hizb", "ul", "tahrir"], ["name", "particle", "name"])
    assert [text for _, _, text in spans] == ["hizbul", "hizbultahrir", "ultahrir"]


def test_numbers_shortcut_keeps_a_name_without_numbers() -> None:
    rng = random.Random(3)
    for _ in range(2000):
        tokens = tuple("".join(rng.choice(_LETTERS) for _ in range(rng.randint(1, 8)))
                       for _ in range(rng.randint(0, 5)))
        if any(t in ("one", "two", "six", "ten") for t in tokens):
            continue
        assert numbers_to_digits(tokens) == tokens
    assert numbers_to_digits(("forty", "four", "trading")) == ("44", "trading")
    assert numbers_to_digits(("hotel", "1st")) == ("hotel", "1")
    assert numbers_to_digits(("seven", "seas")) == ("7", "seas")


def test_every_abd_form_begins_as_the_shortcut_reads() -> None:
    assert all(w.startswith(names._ABD_STARTS) for w in names._ABD_WORDS)
    assert names._ABD.pattern.startswith("^abd")
    assert names._ABD_ABJAD.pattern.startswith("^bdl")


@pytest.mark.parametrize(("text", "cls", "tokens"), [
    ("Abdulaziz Khalil", "person", ("abdul", "aziz", "khalil")),
    ("bdlrhmn khn", "person", ("abdul", "rhmn", "khn")),
    ("Abd al-Qadir", "person", ("abdul", "qadir")),
    ("Abdullah Saleh", "person", ("abdullah", "saleh")),  # Abd Allah: one name
    ("Ahmad Abbas", "person", ("ahmad", "abbas")),  # no Abd: kept
    ("Forty Four Trading", "org", ("44", "trading")),
    ("Northern Star Shipping", "org", ("northern", "star", "shipping")),
])
def test_parse_reads_abd_and_numbers_and_keeps_other_names(
        text: str, cls: names.NameClass, tokens: tuple[str, ...]) -> None:
    assert tuple(t.text for t in parse_name.__wrapped__(text, cls)) == tokens


def test_allah_is_joined_only_when_written() -> None:
    assert names._join_allah(("hbyb", "al", "lh")) == ("hbybllh",)
    assert names._join_allah(("al", "lh", "nwr")) == ("allah", "nwr")
    assert names._join_allah(("hbyb", "al", "lhm")) == ("hbyb", "al", "lhm")
    assert names._split_abd(("ahmad", "bakr")) == ("ahmad", "bakr")


def _shifts_by_rule(tokens: list[str], runs: list[align.Span], first: int,
                    ) -> tuple[list[str], list[tuple[int, ...]]]:
    """prune._shifts as align.shifted_words states it, string by string."""
    texts: list[str] = []
    rows: list[tuple[int, ...]] = []
    for start, size, _ in runs:
        row = [-1, -1, -1, -1]
        if size == 2:
            for k, words in enumerate(shifted_words(tokens[start], tokens[start + 1])):
                if words is not None:
                    row[2 * k], row[2 * k + 1] = first + len(texts), first + len(texts) + 1
                    texts += words
        rows.append(tuple(row))
    return texts, rows


def test_shifted_strings_and_rows_are_the_rule() -> None:
    rng = random.Random(5)
    seen_one_side = 0
    for _ in range(3000):
        tokens = _words(rng, rng.randint(1, 5))
        kinds = ["name"] * len(tokens)
        runs = list(join_spans(tokens, kinds))
        first = len(tokens) + len(runs)
        texts, rows = prune._shifts(tokens, runs, first)
        assert (texts, [tuple(r) for r in rows]) == _shifts_by_rule(tokens, runs, first)
        seen_one_side += any((r[0] < 0) != (r[2] < 0) for r in rows if r[0] + r[2] != -2)
    assert seen_one_side > 100


def test_rarity_weight_is_clipped_to_floor_and_one() -> None:
    counts = {f"w{i}": i * i for i in range(400)}
    rarity = Rarity(counts, 5000)
    for token in [*counts, "unseen"]:
        count = counts.get(token, 0)
        idf = math.log((5000 + 1) / (count + 1))
        assert rarity.weight(token) == max(FLOOR, min(1.0, idf / math.log(5000 / 4.0)))
    assert rarity.weight("unseen") == 1.0
    assert rarity.weight("w399") == FLOOR
    assert FLOOR < rarity.weight("w20") < 1.0


class _Everything:
    """A set that holds every key: _legal_forms tries every word (no shortcut)."""

    def __contains__(self, key: object) -> bool:
        return True


def test_legal_forms_shortcut_is_the_rule_on_made_up_names() -> None:
    lists = terms()
    reference = dataclasses.replace(lists)
    object.__setattr__(reference, "form_starts", _Everything())
    form_words = sorted({w for f in lists.written for w in f.split()} | {
        "limited", "liability", "company", "joint", "stock", "compan", "sa", "pat", "tov",
        "gmbh", "ooo", "llc", "sp", "z", "o"})
    rng = random.Random(11)
    found = 0
    for _ in range(3000):
        words = [rng.choice(form_words) if rng.random() < 0.4 else w
                 for w in _words(rng, rng.randint(1, 6))]
        raw = " ".join(w.upper() if rng.random() < 0.3 else w.title() for w in words)
        tokens = tuple(words)
        for cls in ("org", "any"):
            got = names._legal_forms(tokens, lists, cls, raw)
            assert got == names._legal_forms(tokens, reference, cls, raw), (raw, cls)
            found += any(legal is not None for _, legal in got)
    assert found > 1000
    assert all(key[0] in lists.form_starts for key in lists.forms)


@pytest.mark.parametrize(("text", "kinds"), [
    ("Ali Sa", ("name", "name")),  # a form that is also a name, not written as one
    ("ROSNEFT TRADING SA", ("name", "generic", "legal")),
    ("Gomez S.A.", ("name", "legal")),
    ("Pat Smith", ("name", "name")),
    ("Acme Limited Liability Company", ("name", "legal")),
])
def test_forms_of_a_name_of_no_class(text: str, kinds: tuple[str, ...]) -> None:
    assert tuple(t.kind for t in parse_name.__wrapped__(text, "any")) == kinds


_CHUNKS = ("Putin", "VLADIMIR", "al-Qa'ida", "O'Brien", "S.A.", "Ig0r", "Sech1n", "&", "Co.",
           "Мария", "محمد", "北京", "Ärzte", "\u200bZero", "4th", "x/y", "--", "l'Union")


@pytest.mark.parametrize("seed", range(3))
def test_tokenize_is_every_word_folded_and_split(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(1500):
        text = rng.choice(("", " ", "\t", "  ")).join(
            rng.choice(_CHUNKS) for _ in range(rng.randint(0, 5)))
        expected = tuple(t for word in to_latin(text).split()
                         for t in _NON_WORD.split(fold_word(word)) if t)
        assert tokenize.__wrapped__(text) == expected, text
    assert tokenize.__wrapped__("PUTIN, Vladimir") == ("putin", "vladimir")
    assert tokenize.__wrapped__("Ig0r") == ("igor",)


def _vowelless_by_rule(tokens: list[str]) -> bool:
    """prepare._vowelless_phrases window by window, every skeleton made again."""
    known, skeletons, longest = prepare._form_words()
    changed = False
    bare = [t not in known and prepare._without_vowels(t) for t in tokens]
    k = 0
    while k < len(tokens) and True in bare[k:]:
        for size in range(min(longest, len(tokens) - k), 0, -1):
            window = tokens[k:k + size]
            if True not in bare[k:k + size]:
                continue
            phrase = skeletons.get(tuple(vowel_skeleton(t) for t in window))
            if phrase is not None and all(t == w or prepare._without_vowels(t)
                                          for t, w in zip(window, phrase, strict=True)):
                tokens[k:k + size] = phrase
                changed = True
                k += size - 1
                break
        k += 1
    return changed


def test_vowelless_phrases_are_the_rule_on_made_up_names() -> None:
    known = sorted(prepare._form_words()[0])
    rng = random.Random(8)
    restored = 0
    for _ in range(4000):
        words = []
        for word in _words(rng, rng.randint(1, 6)):
            if rng.random() < 0.5:
                word = rng.choice(known)
                if rng.random() < 0.7:  # written without its vowels
                    word = vowel_skeleton(word)
            words.append(word)
        mine, theirs = list(words), list(words)
        assert prepare._vowelless_phrases(mine) == _vowelless_by_rule(theirs), words
        assert mine == theirs, words
        restored += mine != words
    assert restored > 300
    tokens = ["lmtd", "lblty", "cmpny", "smn"]
    assert prepare._vowelless_phrases(tokens)
    assert tokens == ["limited", "liability", "company", "smn"]
    clean = ["arab", "wood", "trading"]
    assert not prepare._vowelless_phrases(clean) and clean == ["arab", "wood", "trading"]
