"""Explanations: why a list name matched a query, in words a reviewer can check.

For each result: which query token matched which list token and how (exact, phonetic,
fuzzy with its similarity, transliterated, initial, legal form, joined, written without
vowels, regrouped, truncated), which tokens found no partner, and what every other piece of
evidence added or subtracted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from discreet.match._rows import Slots
from discreet.match.align import Alignment, Pair
from discreet.match.features import Feature
from discreet.match.prepare import PreparedName
from discreet.match.rules import RULES
from discreet.match.score import NameScore, kunya_named
from discreet.text.scripts import char_script

__all__ = ["Explanation", "TokenMatch", "build_explanation", "explained_score"]

_HOW = {
    "exact": "same word",
    "phonetic": "spelling variant of the same sound (romanisation)",
    "fuzzy": "similar spelling",
    "skeleton": "same consonants (vowels differ or are not written)",
    "transliterated": "same name written in another script",
    "initial": "initial of the name",
    "legal-form": "same legal form",
    "joined": "written as one word on one side, split on the other",
    "acronym": "initials of the words on the other side",
    "declined": "the same name with a Baltic nominative ending (Lavrovs, Lavrovas)",
    "romanised": "Belarusian or Ukrainian spelling of the Russian name (Sviatlana, Svetlana)",
    "vowelless": "the same word written without its vowels (Rmzn, Ramzan)",
    "regrouped": "the same letters with the space between the words one place off",
    "truncated": "the word cut short, as a field limit cuts the end of a long name",
    "nickname": "a nickname or short form of the same given name (Ted, Theodore)",
    "equivalent": "the same given name in another language (John, Juan)",
}


@dataclass(frozen=True, slots=True)
class TokenMatch:
    """Query word(s) paired with list word(s)."""

    query: str
    listed: str
    method: str
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "listed": self.listed, "method": self.method,
                "similarity": round(self.similarity, 3)}


@dataclass(frozen=True, slots=True)
class Explanation:
    """Everything behind one score; ``to_dict`` for JSON, ``to_text`` for people."""

    query_name: str
    matched_name: str
    name_kind: str
    name_score: float
    score: float
    tokens: tuple[TokenMatch, ...] = ()
    unmatched_query: tuple[str, ...] = ()
    unmatched_listed: tuple[str, ...] = ()
    features: tuple[Feature, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "query_name": self.query_name,
            "matched_name": self.matched_name,
            "name_kind": self.name_kind,
            "name_score": round(self.name_score, 4),
            "score": round(self.score, 4),
            "tokens": [t.to_dict() for t in self.tokens],
            "unmatched_query": list(self.unmatched_query),
            "unmatched_listed": list(self.unmatched_listed),
            "features": [f.to_dict() for f in self.features],
            "notes": list(self.notes),
        }

    def to_text(self) -> str:
        kind = "" if self.name_kind == "primary" else f" ({self.name_kind} name)"
        lines = [f"{self.query_name!r} ~ {self.matched_name!r}{kind}: score {self.score:.2f} "
                 f"(name {self.name_score:.2f})"]
        for t in self.tokens:
            sim = "" if t.method in ("exact", "legal-form") else f", {t.similarity:.0%} alike"
            lines.append(f"  {t.query} = {t.listed}: {_HOW.get(t.method, t.method)}{sim}")
        if self.unmatched_query:
            lines.append(f"  not in the list name: {', '.join(self.unmatched_query)}")
        if self.unmatched_listed:
            lines.append(f"  not in the query: {', '.join(self.unmatched_listed)}")
        for f in self.features:
            lines.append(f"  {f.delta:+.2f} {f.detail}")
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


_READ_ACROSS = frozenset(("exact", "phonetic", "skeleton"))  # "transliterated" across scripts

def _maker(cls: type) -> Slots:
    """The compiled maker of ``cls``'s objects of their slots' values (``_rows.pyx``): each
    slot stored as its descriptor stores it (a frozen dataclass's ``__init__`` calls
    ``object.__setattr__`` for each field; a filling class's ``__class__`` assignment costs
    as much as its stores), and every result of every query makes an explanation, its
    token matches and its name score's records (tests/match/test_explain_methods.py: the
    same objects, every field set)."""
    return Slots(cls, tuple(cls.__dict__["__slots__"]))


_TOKEN, _EXPLANATION = _maker(TokenMatch), _maker(Explanation)
# The name score of a result as the kernel explains it, its alignment and pairs made so too
_PAIRS, _ALIGNMENT, _SCORE = (_maker(c) for c in (Pair, Alignment, NameScore))


def explained_score(found: tuple[Any, ...]) -> NameScore:
    """The :class:`~discreet.match.score.NameScore` of a pair the kernel explains
    (``Kernel.explain``, or ``Kept.explain`` from the pass that scored it: the score,
    the pairs as (query positions, list positions, similarity, method), the unmatched
    positions of each side, then the name score's other fields in its order), its records
    made by their slots (each result's explanation reads one)."""
    alignment = _ALIGNMENT((_PAIRS.many(found[1]), found[2], found[3]))
    explained: NameScore = _SCORE((found[0], alignment, *found[4:]))
    return explained


def _legal_only(kinds: Sequence[str], at: Sequence[int]) -> bool:
    """Whether every list token at ``at`` is a legal form (a loop, not ``all`` over a
    generator closed half read: asked of every exact pair of a result)."""
    for j in at:  # noqa: SIM110 (no generator)
        if kinds[j] != "legal":
            return False
    return True


@lru_cache(maxsize=4096)
def _written_apart(text: str) -> bool:
    """Whether ``text`` has letters of a script besides Latin: ``scripts_of(text)`` less
    LATIN not empty, read up to the first such letter (no set of every script made; an
    ASCII character is a Latin letter or no letter, passed over). Once per name written
    so: each result of a query asks it of the query's name again, and of a new list name."""
    for char in text:
        if not char.isascii():
            script = char_script(char)
            if script and script != "LATIN":
                return True
    return False


def build_explanation(q: PreparedName, listed: PreparedName, ns: NameScore, *, score: float,
                      name_kind: str = "primary", features: tuple[Feature, ...] = (),
                      ) -> Explanation:
    """Turn a name score (and the features) into an :class:`Explanation`."""
    q_text, l_text = q.original, listed.original
    # whether one name only is written in a script besides Latin (the pairs then read
    # across scripts)
    foreign = (not q_text.isascii() and _written_apart(q_text)) \
        != (not l_text.isascii() and _written_apart(l_text))
    tokens = []
    kinds, q_sources, l_sources = listed.kinds, q.sources, listed.sources
    alignment = ns.alignment
    for pair in alignment.pairs:  # each pair's words as written, a token match made
        # of its slots' values in line
        method = pair.method
        at_q, at_l = pair.query, pair.listed
        if method == "exact" and (not at_l or kinds[at_l[0]] == "legal") \
                and _legal_only(kinds, at_l):  # (its first word not a legal form: no call)
            method = "legal-form"
        elif foreign and method in _READ_ACROSS:
            method = "transliterated"
        tokens.append(_TOKEN((
            q_sources[at_q[0]] if len(at_q) == 1 else " ".join(map(q_sources.__getitem__, at_q)),
            l_sources[at_l[0]] if len(at_l) == 1 else " ".join(map(l_sources.__getitem__, at_l)),
            method, pair.sim)))
    notes = []
    if ns.capped:
        notes.append("only generic words, legal forms or particles agree: score capped")
    if ns.one_word:
        notes.append("the list name is one word (titles and particles aside) and a name of "
                     "the query has no counterpart: score capped")
    if ns.lone_variant and ns.score <= RULES.one_word_cap:
        notes.append("the query has one word of substance and it is only alike to a word "
                     "of the list name, not the same word or one slip apart: score capped")
    if ns.legal_conflict:
        notes.append("the legal forms are of different kinds")
    if ns.lineage_crossed:
        notes.append("the lineages are reversed (A bin B against B bin A): father and son")
    if ns.truncated:
        notes.append("the query reads as the list name truncated by a field limit: the list "
                     "words after its end count little")
    if not ns.truncated and len(q.tokens) == 2 and kunya_named(q, listed, alignment):
        # (a kunya alone is two words: the test kunya_named begins with, asked first)
        notes.append("the query is a kunya alone, met in the list name: the list words "
                     "around it count less")
    if ns.contradiction:
        notes.append("words on both sides have no counterpart: likely a different name")
    # (most results leave no word of one side or the other unmatched: no map made)
    unmatched_q, unmatched_l = alignment.unmatched_query, alignment.unmatched_listed
    made: Explanation = _EXPLANATION((
        q_text, l_text, name_kind, ns.score, score, tuple(tokens),
        tuple(map(q_sources.__getitem__, unmatched_q)) if unmatched_q else (),
        tuple(map(l_sources.__getitem__, unmatched_l)) if unmatched_l else (), features,
        tuple(notes) if notes else ()))
    return made
