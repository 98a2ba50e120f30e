"""What a query without a schema most likely names: a person, an organisation or a vessel.

A payment screen often knows only a name. Without a schema, "Maria Garcia" is compared with
vessels and companies as readily as with persons, and a vessel called MARIA scores high.
:class:`KindReader` reads the name for what it most likely is, from the name's own shape and
from the lists themselves (never from a table of someone else's names):

* a vessel: an IMO-like number (seven digits whose last is the IMO check digit, or "IMO"
  before seven digits) or a ship-type prefix that is no person's title ("MV", "MT");
* an organisation: a legal form ("LLC", "GmbH", "S.A." written as a form: as plain as a
  stated schema, and weighed so) or a generic organisation word ("trading", "bank");
* a person: two to four names, nothing else of substance, at least two of whose words the
  listed persons bear much more often than the listed organisations, vessels and aircraft
  (counted per entity over every name the index holds; a title counts as such a word), or
  one word of a patronymic's shape ("-ovich", "-oglu"); none pointing strongly elsewhere;
* a body (an organisation or a vessel): the same the other way ("ocean star");
* otherwise nothing is inferred (one word alone, words the lists do not know).

The matcher then lowers a listed entity whose schema cannot be what the query reads as
(:func:`discreet.match.features.schema_unlikely`); a name that reads as nothing is compared
as before. The reading is a likelihood, never a filter: the weight is moderate, so a listed
company named after its owner still alerts on the owner's name written exactly.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from discreet.match.prepare import PreparedName
from discreet.text.names import parse_name
from discreet.text.normalize import tokenize
from discreet.text.scripts import ABJAD_SCRIPTS, scripts_of
from discreet.text.terms import terms

__all__ = ["BODIES", "INCOMPATIBLE", "KIND_WORDS", "Kind", "KindReader", "Reading", "consonants",
           "imo_like"]

Kind = Literal["person", "organisation", "vessel", "body"]

BODIES: Final = frozenset({"Organization", "Company", "Vessel", "Airplane"})
# the listed schemata a query read as each kind cannot be (LegalEntity fits any person or body;
# a vessel's name is often its owning company's, so a vessel reading leaves companies alone)
INCOMPATIBLE: Final[dict[Kind, frozenset[str]]] = {
    "person": BODIES,
    "organisation": frozenset({"Person", "Vessel", "Airplane"}),
    "vessel": frozenset({"Person", "Airplane"}),
    "body": frozenset({"Person"}),
}
KIND_WORDS: Final[dict[Kind, str]] = {
    "person": "a person's name", "organisation": "an organisation's name",
    "vessel": "a vessel's name", "body": "an organisation's or a vessel's name"}
ODDS: Final = math.log(3.0)  # evidence (natural log of the odds) a reading needs
_CLIP: Final = 3.0  # what one word can say, either way (a word in 40 persons' names, no body's)
_SIDES: Final[tuple[tuple[Kind, float], ...]] = (("person", 1.0), ("body", -1.0))
_BEARERS: Final = 2  # listed entities a word needs before its bearers say anything
_MAX_NAMES: Final = 4  # a person is rarely written with more names than this
_CACHE: Final = 4096
_IMO = re.compile(r"\bIMO\W{0,3}(\d{7})\b", re.IGNORECASE)
_SEVEN = re.compile(r"(?<!\d)(\d{7})(?!\d)")
_NAMES = frozenset({"name", "patronymic"})


def imo_like(text: str) -> str | None:
    """The IMO number written in ``text`` ("IMO 9176187", or seven digits whose last is the
    IMO check digit: the first six times 7, 6, ..., 2, summed, modulo 10), else None."""
    found = _IMO.search(text)
    if found:
        return found.group(1)
    for match in _SEVEN.finditer(text):
        digits = [int(c) for c in match.group(1)]
        if sum(d * w for d, w in zip(digits, range(7, 1, -1), strict=False)) % 10 == digits[6]:
            return match.group(1)
    return None


@dataclass(frozen=True, slots=True)
class Reading:
    """What a query most likely names (``kind`` None: nothing can be said) and why, in words."""

    kind: Kind | None
    why: str = ""
    # the name says so itself (a legal form: the "any" parser reads a form only where no
    # name can be meant), as plainly as a schema would: weighed as a stated schema
    stated: bool = False

    def describe(self) -> str:
        """The reading in words: "reads as a person's name ('maria' borne mostly by ...)"."""
        return f"reads as {KIND_WORDS[self.kind]} ({self.why})" if self.kind else ""


_UNKNOWN: Final = Reading(None)


_STATE: Final = ("persons", "bodies", "persons_abjad", "bodies_abjad", "n_persons", "n_bodies")


@dataclass(slots=True)
class KindReader:
    """Word counts of the listed names by what they name, and :meth:`read` from them.

    ``persons[w]`` / ``bodies[w]``: how many listed persons / organisations, vessels and
    aircraft have the word ``w`` in one of their names; the ``*_abjad`` tables count the same
    words by their consonants, for queries written in Arabic, Persian or Hebrew script.
    """

    persons: dict[str, int]
    bodies: dict[str, int]
    persons_abjad: dict[str, int]
    bodies_abjad: dict[str, int]
    n_persons: int
    n_bodies: int
    _cache: dict[str, Reading] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_names(cls, names: Sequence[PreparedName], owners: Sequence[int],
                   schemata: Sequence[str]) -> KindReader:
        """Count each name word once per entity (``owners``: name position -> entity
        position; ``schemata``: entity position -> schema)."""
        words: dict[int, set[str]] = {}
        for name, owner in zip(names, owners, strict=True):
            if schemata[owner] == "Person" or schemata[owner] in BODIES:
                words.setdefault(owner, set()).update(
                    t for t, k in zip(name.tokens, name.kinds, strict=True) if k in _NAMES)
        persons: Counter[str] = Counter()
        bodies: Counter[str] = Counter()
        n_persons = n_bodies = 0
        for owner, found in words.items():
            if schemata[owner] == "Person":
                persons.update(found)
                n_persons += 1
            else:
                bodies.update(found)
                n_bodies += 1
        return cls(dict(persons), dict(bodies), _by_skeleton(persons), _by_skeleton(bodies),
                   n_persons, n_bodies)

    def __getstate__(self) -> dict[str, object]:
        """The counts, not the cache (an index ships to other processes)."""
        return {name: getattr(self, name) for name in _STATE}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            setattr(self, name, value)
        self._cache = {}

    def read(self, text: str) -> Reading:
        """What ``text`` most likely names (cached: screening repeats names)."""
        found = self._cache.get(text)
        if found is None:
            if len(self._cache) >= _CACHE:
                self._cache.clear()
            found = self._cache[text] = self._read(text)
        return found

    def _evidence(self, word: str, abjad: bool) -> float | None:
        """How much ``word`` moves the odds (natural log) that its bearer is a person rather
        than a body, from the listed bearers: the posterior odds with one prior bearer shared
        as the classes are, over the classes' odds (a word one listed person bears and no
        body: about +1.1 on the full lists, one person against one vessel: 0). None for a
        word fewer than two listed entities bear: the one bearer may be the very entity the
        query is compared with ("Manuela Saenz", a vessel), and says nothing of the word."""
        persons, bodies = (self.persons_abjad, self.bodies_abjad) if abjad \
            else (self.persons, self.bodies)
        key = consonants(word) if abjad else word
        if abjad and len(key) < 2:
            return None
        p, b = persons.get(key, 0), bodies.get(key, 0)
        if p + b < _BEARERS or not self.n_persons or not self.n_bodies:
            return None
        share = self.n_persons / (self.n_persons + self.n_bodies)
        odds = math.log((p + share) / (b + 1.0 - share)) - math.log(share / (1.0 - share))
        return max(-_CLIP, min(_CLIP, odds))

    def _read(self, text: str) -> Reading:
        imo = imo_like(text)
        if imo:
            return Reading("vessel", f"an IMO-like number ({imo})")
        lists = terms()
        words = tokenize(text)
        if len(words) > 1 and words[0] in lists.vessel_prefixes \
                and words[0] not in lists.titles:
            return Reading("vessel", f"the vessel prefix {words[0].upper()}")
        tokens = parse_name(text, "any")
        for t in tokens:
            if t.kind == "legal":
                return Reading("organisation", f"a legal form ({t.source})", stated=True)
        for t in tokens:
            if t.kind == "generic" and len(t.text) > 3:
                return Reading("organisation", f"the organisation word {t.text!r}")
        if any(t.kind == "number" for t in tokens):
            return _UNKNOWN
        names = [t.text for t in tokens if t.kind in _NAMES]
        if not 2 <= len(names) <= _MAX_NAMES:
            return _UNKNOWN
        abjad = bool(scripts_of(text) & ABJAD_SCRIPTS)
        signals: list[float] = []  # what each word says, in log-odds (person > 0)
        said: list[str] = []
        for t in tokens:
            if t.kind == "patronymic":
                signals.append(ODDS)
                said.append(f"{t.text!r} a patronymic")
            elif t.kind == "title" and t.text not in lists.vessel_prefixes:
                signals.append(ODDS)
                said.append(f"{t.text!r} a title")
            elif t.kind == "name":
                odds = self._evidence(t.text, abjad)
                if odds is not None:
                    signals.append(odds)
                    said.append(f"{t.text!r} {_bearers(odds)}")
        patronymic = any(t.kind == "patronymic" for t in tokens)
        return _weigh(signals, "; ".join(said), patronymic)


def _weigh(signals: list[float], why: str, patronymic: bool = False) -> Reading:
    """A person's name (or a body's) when the words together say so by odds of ODDS or more,
    two words at least point that way and none points strongly the other: one word is
    weak evidence ("Kong" a city and a surname; "AG" a form and a Tuareg name), and a
    typo or an unknown word leaves only one. A patronymic (or a surname of that form,
    "-ovich", "-ewicz", "-oglu") is a person's by its shape, not by who bears it: it is
    enough alone, unless a word points strongly the other way."""
    total = sum(signals)
    for kind, sign in _SIDES:
        needed = 1 if patronymic and sign > 0 else 2
        if sign * total >= ODDS and sum(sign * s > 0 for s in signals) >= needed \
                and all(sign * s > -ODDS for s in signals):
            return Reading(kind, why)
    return _UNKNOWN


def _bearers(odds: float) -> str:
    if odds > 0:
        return "borne mostly by listed persons"
    return "borne mostly by listed organisations and vessels" if odds < 0 else "borne by both"


_DOUBLED = re.compile(r"(.)\1+")
_UNWRITTEN = str.maketrans("", "", "aeiouyw")


def consonants(word: str, *, romanised: bool = False) -> str:
    """The letters an abjad spelling of a name writes, as its transliteration gives them:
    no vowels nor the semi-vowels y and w (long vowels are written with them), no final h.
    A ``romanised`` word (as the lists write names) first has its doubled letters written
    once, as the abjad scripts do ("Sajjad" and سجاد give "sjd"; "Jalali" and جلالی "jll").
    Less lossy than the matcher's :func:`~discreet.text.phonetic.abjad_skeleton` (which
    also merges voiced and voiceless consonants): this key must say which name it is."""
    out = (_DOUBLED.sub(r"\1", word) if romanised else word).translate(_UNWRITTEN)
    return out[:-1] if len(out) > 2 and out.endswith("h") else out


def _by_skeleton(counts: Counter[str]) -> dict[str, int]:
    """The counts by :func:`consonants` (the words of Latin script only: the others have
    none that an abjad spelling could be); keys of fewer than two letters say nothing."""
    out: Counter[str] = Counter()
    for word, count in counts.items():
        if word.isascii() and word.isalpha():
            key = consonants(word, romanised=True)
            if len(key) >= 2:
                out[key] += count
    return dict(out)
