"""Held-out aliases, typing errors and clean names: what the matcher finds and what it alerts on.

Scenario: the real lists (OFAC SDN CSV 2024-05-03, OFAC consolidated enhanced XML 2025-01-10,
UN consolidated 2026-02-27, the EU and UK excerpts and the OFSI consolidated list 2014) are
parsed. For every entity with at least two names one alias (chosen with a fixed seed) is
removed from the entity before indexing; the removed alias is then screened
(``Query(alias, schema=entity.schema)``, best 5 entities) and counts as found when its
entity is among the results at or above the threshold. Aliases that are also a name of
another entity (the same party on another list) are left out: finding them says nothing.

Each held-out pair is classed against the names that remain: cross-script (no remaining name
in the alias's script), trivial (same words once case, accents and punctuation are
folded), reordered (same words, another order), partial (the alias's words a subset or
superset of a remaining name's), spelling (same script, every word close to a word of a
remaining name and back: typos, transliteration variants) and other (a different name altogether:
acronyms, former names, nicknames, names without letters; the report counts what they are:
:func:`other_kind`).

Typing errors (issue 10, item 4; generators in ``bench/typos.py``: space-shift,
vowels-dropped, transposition, truncated-35, doubled-letter, dropped-letter), two families,
each with a fixed seed and the same entities for every matcher:

* ``typo:KIND``: the error made in a Latin-script list name that stays indexed (the list
  says RAMZAN KADYROV, the customer file says "Ramza nKadyrov"); the erroneous string itself
  is in no list. At most TYPOS_PER_KIND entities per kind, drawn by entity with the seed.
* ``held-out+typo:KIND``: the error made in a held-out alias (REMOVED from the index; the
  entity's other names stay), for the held-out pairs whose alias is trivial, reordered,
  partial or spelling and in Latin script: the typo lands on top of the alias's own
  difference. Reported beside the recall of the same aliases without the error.

A name cut at 35 characters that begins the names of more than SHARED_PREFIX entities (the
cut left "OBSHCHESTVO S OGRANICHENNOI OTVETST", a legal form hundreds of listed companies
begin with) names no one in particular: no matcher can put the right one among the best
five, so such cuts are left out of both families (and counted in the report's header).

Negatives. Clean names come from Faker in 24 locales (persons and companies, fixed seed),
each screened WITH its schema (Person / Company) and WITHOUT one (schema None, as a payment
screen that does not know what a name is). Near misses are made from listed names: a listed
person's surname replaced by a common surname, a listed person's first given name replaced
by a common given name (Faker, a Latin-script locale drawn with the seed) and a listed
organisation's longest word replaced by a surname; those equal to a listed name are dropped.
A negative alerts when its best result (any entity) reaches the threshold.

The threshold at which 1% of clean names (with schema) alert is found, and recall per class
is reported at that threshold and at DEFAULT_THRESHOLD, with the clean alert rates, and a
calibration table: held-out true pairs against negative tops per score band. In the same run
a brute-force baseline scores every indexed name with rapidfuzz token_sort_ratio
(default_process) and is held to its own 1%-false-positive threshold (it has no schema).

``--save FILE`` writes every query's score (JSON); ``--compare FILE`` reads such a file
made by another version of discreet (run this same script with that version on
``PYTHONPATH``) and reports it side by side as "previous discreet". ``--misses FILE`` writes
every true query below the 1% FPR threshold (class, query, list names, schema, score) as JSON
lines, with what its entity scores when every one of its names is compared ("compared") and
whether the index proposes the best of them ("proposed"): a miss compared at or above the
threshold is candidate generation's or the ranking's, not the scorer's; and ``--alerts
FILE`` every negative alerting at the default threshold: the material for finding the next
class of misses.

Run from the project root: ``.venv/bin/python bench/bench_heldout.py [--json]``
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import hashlib
import itertools
import json
import math
import random
import re
import subprocess
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from anyascii import anyascii
from faker import Faker
from rapidfuzz import fuzz, process, utils

import discreet
from common import FULL_LISTS, Report, load_entities, markdown_table, rss_mb
from discreet.match import DEFAULT_THRESHOLD, Matcher, Query
from discreet.model import Entity
from discreet.text.names import name_class
from typos import KINDS, typo

SEED = 20240503
LIMIT = 5
FPR = 0.01
FLOOR = 0.30  # the threshold the queries are asked at: every score that matters is above it
LISTS = (*FULL_LISTS, "uk_ofsi_conlist/sanctionsconlist_2014-04-02.csv")
LOCALES = ("en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "ru_RU", "ar_AA", "zh_CN", "ko_KR",
           "ja_JP", "tr_TR", "fa_IR", "pl_PL", "pt_BR", "nl_NL", "uk_UA", "he_IL", "el_GR",
           "hy_AM", "ka_GE", "hi_IN", "vi_VN", "id_ID", "sv_SE")
# near misses borrow common names from Latin-script locales (the lists' names are mostly Latin)
NEAR_LOCALES = ("en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "pl_PL", "pt_BR", "nl_NL",
                "tr_TR", "sv_SE", "id_ID")
PERSONS_PER_LOCALE = 200
COMPANIES_PER_LOCALE = 80
TYPOS_PER_KIND = 400
HELD_TYPOS_PER_KIND = 300
# a cut name beginning the names of more entities than this names no one in particular
# (a screening result lists 5)
SHARED_PREFIX = 5
NEAR_PER_KIND = 400
ALIAS_CLASSES = ("cross-script", "trivial", "reordered", "partial", "spelling", "other")
TYPO_CLASSES = tuple(f"typo:{k}" for k in KINDS)
HELD_TYPO_CLASSES = tuple(f"held-out+typo:{k}" for k in KINDS)
CLASSES = (*ALIAS_CLASSES, *TYPO_CLASSES, *HELD_TYPO_CLASSES)
NEAR_KINDS = ("near: surname replaced", "near: given name replaced",
              "near: organisation word replaced")
ORG_SCHEMATA = ("Organization", "Company", "LegalEntity")
PRIOR = 0.01  # "1 in 100 names screened is listed", for the calibration's last column
BANDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
CUTS = (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


@dataclass(slots=True)
class HeldOut:
    """A query that should find ``entity_id``: a held-out alias, or a typo of a list name."""

    entity_id: str
    schema: str
    alias: str  # what is screened
    remaining: tuple[str, ...]
    klass: str
    source: str = ""
    origin: str = ""  # the list name the typo was made from
    score: float | None = None  # the entity's score among the best LIMIT results, if there
    base_score: float | None = None


@dataclass(slots=True)
class Negative:
    """A name that should not alert: a Faker clean name or a near miss of a listed name."""

    kind: str  # "clean" or one of NEAR_KINDS
    locale: str
    schema: str  # "Person" or "Company" (clean); the listed entity's schema (near misses)
    name: str
    origin: str = ""  # near misses: the listed name and its entity
    origin_id: str = ""
    top: float = 0.0  # best score, schema given
    top_none: float = 0.0  # best score, schema None
    origin_score: float | None = None  # near misses: the source entity's score (schema given)
    base_top: float = 0.0

    @property
    def group(self) -> str:
        return "person" if self.schema == "Person" else "company"


def tokens(text: str) -> list[str]:
    """Words once case, accents and punctuation are folded."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                     if not unicodedata.combining(ch))
    return re.findall(r"\w+", folded.casefold())


def folded(text: str) -> str:
    return " ".join(tokens(text))


def script(text: str) -> str:
    """The script most of the letters are in (first word of their Unicode name)."""
    counts = Counter(unicodedata.name(ch, "UNKNOWN").split()[0]
                     for ch in text if ch.isalpha())
    return counts.most_common(1)[0][0] if counts else "NONE"


def close_words(a: Sequence[str], b: Sequence[str]) -> bool:
    """Every word of each name has a close word (similarity >= 70%) in the other."""
    return (abs(len(a) - len(b)) <= 1
            and all(max(fuzz.ratio(x, y) for y in b) >= 70 for x in a)
            and all(max(fuzz.ratio(y, x) for x in a) >= 70 for y in b))


def classify(alias: str, remaining: Sequence[str]) -> str:
    a_script = script(alias)
    if a_script == "NONE":  # no letters at all: a number or code ("40", "Z-40")
        return "other"
    same = [r for r in remaining if script(r) == a_script]
    if not same:
        return "cross-script"
    a = tokens(alias)
    for klass, test in (
        ("trivial", lambda b: a == b),
        ("reordered", lambda b: sorted(a) == sorted(b)),
        ("partial", lambda b: bool(a and b) and (set(a) < set(b) or set(a) > set(b))),
        ("spelling", lambda b: bool(a and b) and close_words(a, b)),
    ):
        if any(test(tokens(r)) for r in same):
            return klass
    return "other"


OTHER_KINDS = ("no letters (a number or code)", "initials or an acronym",
               "no word alike (a different name)", "one word alike", "two words alike or more",
               "a given name's nickname or other-language form, the other words alike")


def other_kind(alias: str, remaining: Sequence[str]) -> str:
    """What an "other" alias is beside its entity's remaining names (matcher-neutral: folded
    words and rapidfuzz ratios): a code, initials or an acronym (one word of five letters
    or fewer, or letters with dots, or the initials of a remaining name), a given name
    written as its nickname or its form in another language with the name's other words
    alike (:func:`_given_name_form`), a different name (no word of it within 70% of a
    remaining name's word: a former name, a translation, a nickname standing alone), or a
    name sharing one or more words with a remaining name."""
    if script(alias) == "NONE":
        return OTHER_KINDS[0]
    a = tokens(alias)
    words = [tokens(r) for r in remaining]
    letters = "".join(a)
    if (len(a) == 1 and len(letters) <= 5) or re.fullmatch(r"(?:\w\.\s*){2,}", alias.strip()) \
            or any(letters == "".join(w[0] for w in b) for b in words if len(b) > 1):
        return OTHER_KINDS[1]
    if any(_given_name_form(a, b) for b in words):
        return OTHER_KINDS[5]
    alike = max((sum(any(fuzz.ratio(x, y) >= 70 for y in b) for x in a) for b in words),
                default=0)
    return OTHER_KINDS[min(alike, 2) + 2]


def _given_name_form(alias: Sequence[str], name: Sequence[str]) -> bool:
    """Every word of ``alias`` (two or more) is within 70% of a word of ``name`` or a form
    of one given name with it (text/data/given_names.yml: Sasha / Alexander, John / Juan),
    and one is only the latter. Read from the table's YAML file itself, so that a version
    of discreet without it is classed the same way."""
    if len(alias) < 2:
        return False
    groups = _given_name_groups()
    related = False
    for x in alias:
        if any(fuzz.ratio(x, y) >= 70 for y in name):
            continue
        if not any(groups.get(x, set()) & groups.get(y, set()) for y in name):
            return False
        related = True
    return related


_GROUPS: dict[str, set[int]] = {}


def _given_name_groups() -> dict[str, set[int]]:
    """Each word of the given names' table by the groups it is in (loaded once)."""
    if not _GROUPS:
        path = Path(__file__).resolve().parent.parent / "src/discreet/text/data/given_names.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]
        for number, spec in enumerate(data.values()):
            for word in [*(spec.get("names") or []), *(spec.get("short") or [])]:
                _GROUPS.setdefault(str(word), set()).add(number)
    return _GROUPS


def name_owners(entities: Iterable[Entity]) -> dict[str, set[str]]:
    """Folded name -> the entities that have it (to drop queries that are a listed name)."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in entities:
        for name in entity.names:
            owners[folded(name.value)].add(entity.id)
    return owners


def hold_out(entities: Sequence[Entity],
             owners: dict[str, set[str]]) -> tuple[list[Entity], list[HeldOut], int]:
    """The entities to index (one alias removed where possible), the held-out pairs, and
    how many pairs were left out because the alias is also another entity's name."""
    indexed: list[Entity] = []
    pairs: list[HeldOut] = []
    leaked = 0
    for entity in entities:
        values = list(dict.fromkeys(n.value for n in entity.names))
        aliases = [v for v in values[1:] if tokens(v)]
        if len(values) < 2 or not aliases:
            indexed.append(entity)
            continue
        alias = random.Random(f"{SEED}:{entity.id}").choice(aliases)
        if owners[folded(alias)] - {entity.id}:
            leaked += 1
            indexed.append(entity)
            continue
        kept = [n for n in entity.names if n.value != alias]
        indexed.append(dataclasses.replace(entity, names=kept))
        remaining = tuple(dict.fromkeys(n.value for n in kept))
        pairs.append(HeldOut(entity.id, entity.schema, alias, remaining,
                             classify(alias, remaining), entity.source))
    return indexed, pairs, leaked


def _fresh(variant: str | None, origin: str, owners: dict[str, set[str]]) -> bool:
    """A typo worth screening: made, different from its origin once folded, no list name."""
    return (variant is not None and bool(tokens(variant))
            and folded(variant) != folded(origin) and not owners.get(folded(variant)))


class Prefixes:
    """Which entities have a name beginning with a text (folded), to leave out a cut name
    that names no one in particular: "OBSHCHESTVO S OGRANICHENNOI OTVETST" begins the
    names of hundreds of companies, so no matcher can tell which one the customer is."""

    def __init__(self, owners: dict[str, set[str]]) -> None:
        self.names = sorted(owners)
        self.owners = owners

    def count(self, text: str) -> int:
        """How many entities have a name that ``text`` (folded) begins."""
        start = bisect.bisect_left(self.names, text)
        found: set[str] = set()
        for name in itertools.islice(self.names, start, None):
            if not name.startswith(text):
                break
            found |= self.owners[name]
            if len(found) > SHARED_PREFIX:
                break
        return len(found)


def _named(variant: str, kind: str, prefixes: Prefixes) -> bool:
    """Whether a typo of ``kind`` still names someone in particular: a cut name must not
    begin the names of more entities than a screening result lists (SHARED_PREFIX)."""
    return kind != "truncated-35" or prefixes.count(folded(variant)) <= SHARED_PREFIX


def typo_pairs(indexed: Sequence[Entity], held: Sequence[HeldOut],
               owners: dict[str, set[str]]) -> tuple[list[HeldOut], Counter[str]]:
    """Both typo families, at most TYPOS_PER_KIND / HELD_TYPOS_PER_KIND per kind, by seed;
    and, per class, how many typos were left out because they name no one (:func:`_named`)."""
    out: list[HeldOut] = []
    prefixes = Prefixes(owners)
    unnamed: Counter[str] = Counter()
    latin = [e for e in indexed if e.names and script(e.names[0].value) == "LATIN"]
    held_latin = [p for p in held if p.klass in ("trivial", "reordered", "partial", "spelling")
                  and script(p.alias) == "LATIN"]
    for kind in KINDS:
        rng = random.Random(f"{SEED}:typo:{kind}")
        made: list[HeldOut] = []
        for entity in rng.sample(latin, len(latin)):  # a seeded order of the entities
            origin = entity.names[0].value
            variant = typo(kind, origin, SEED)
            if variant is not None and _fresh(variant, origin, owners):
                if not _named(variant, kind, prefixes):
                    unnamed[f"typo:{kind}"] += 1
                    continue
                names = tuple(dict.fromkeys(n.value for n in entity.names))
                made.append(HeldOut(entity.id, entity.schema, variant, names, f"typo:{kind}",
                                    entity.source, origin))
                if len(made) == TYPOS_PER_KIND:
                    break
        out += made
        made = []
        for pair in rng.sample(held_latin, len(held_latin)):
            variant = typo(kind, pair.alias, SEED)
            if variant is not None and _fresh(variant, pair.alias, owners):
                if not _named(variant, kind, prefixes):
                    unnamed[f"held-out+typo:{kind}"] += 1
                    continue
                made.append(dataclasses.replace(pair, alias=variant, origin=pair.alias,
                                                klass=f"held-out+typo:{kind}"))
                if len(made) == HELD_TYPOS_PER_KIND:
                    break
        out += made
    return out, unnamed


def romanised(text: str) -> tuple[str, str]:
    """The name in ASCII letters without spaces, as written and with its words sorted
    (赵伟 and ZHAO Wei give "zhaowei"), to find Faker names that are a listed name."""
    words = tokens(anyascii(text))
    return "".join(words), "".join(sorted(words))


def clean_names(entities: Sequence[Entity]) -> tuple[list[Negative], int]:
    """Faker persons and companies in LOCALES, deduplicated, seed fixed; and how many were
    dropped because they are a listed name, in any script (Faker's ru_RU companies include
    Газпром and Мечел, both listed; 赵伟 is ZHAO Wei): alerting on those is right."""
    listed = {key for entity in entities for name in entity.names
              for key in romanised(name.value)}
    out: dict[str, Negative] = {}
    for number, locale in enumerate(LOCALES):
        fake = Faker(locale)
        fake.seed_instance(SEED + number)
        for _ in range(PERSONS_PER_LOCALE):
            name = fake.name()
            out.setdefault(name, Negative("clean", locale, "Person", name))
        for _ in range(COMPANIES_PER_LOCALE):
            name = fake.company()
            out.setdefault(name, Negative("clean", locale, "Company", name))
    kept = [n for n in out.values() if not set(romanised(n.name)) & listed]
    return kept, len(out) - len(kept)


_SEPARATORS = re.compile(r"[/;()\[\]]")


def _part(name: Any, prop: str) -> str:
    return " ".join(v for p, v in name.parts if p == prop)


def near_misses(indexed: Sequence[Entity], owners: dict[str, set[str]]) -> list[Negative]:
    """Listed names with one part replaced by a common name of a Latin-script locale."""
    fakers = {}
    for number, locale in enumerate(NEAR_LOCALES):
        fakers[locale] = Faker(locale)
        fakers[locale].seed_instance(SEED + 100 + number)
    rng = random.Random(f"{SEED}:near")
    people: list[tuple[Entity, Any]] = []
    orgs: list[tuple[Entity, str]] = []
    for entity in indexed:
        if (not entity.names or script(entity.names[0].value) != "LATIN"
                or _SEPARATORS.search(entity.names[0].value)):
            continue  # "A/B", "A (B)": two names in one, a replaced word leaves the other
        first = entity.names[0]
        if entity.schema == "Person":
            given, last = _part(first, "firstName"), _part(first, "lastName")
            if given and last and given in first.value and last in first.value:
                people.append((entity, first))
        elif entity.schema in ORG_SCHEMATA and len(tokens(first.value)) >= 2:
            orgs.append((entity, first.value))
    out: list[Negative] = []

    def add(kind: str, locale: str, entity: Entity, origin: str, name: str) -> bool:
        if folded(name) == folded(origin) or owners.get(folded(name)):
            return False
        out.append(Negative(kind, locale, entity.schema, name, origin, entity.id))
        return True

    for kind in NEAR_KINDS[:2]:
        count = 0
        for entity, first in rng.sample(people, len(people)):
            locale = rng.choice(NEAR_LOCALES)
            if kind == NEAR_KINDS[0]:
                name = first.value.replace(_part(first, "lastName"), fakers[locale].last_name())
            else:
                word = _part(first, "firstName").split()[0]
                name = first.value.replace(word, fakers[locale].first_name(), 1)
            count += add(kind, locale, entity, first.value, name)
            if count == NEAR_PER_KIND:
                break
    count = 0
    for entity, value in rng.sample(orgs, len(orgs)):
        locale = rng.choice(NEAR_LOCALES)
        word = max(re.findall(r"\w+", value), key=len)
        count += add(NEAR_KINDS[2], locale, entity, value,
                     value.replace(word, fakers[locale].last_name().upper(), 1))
        if count == NEAR_PER_KIND:
            break
    return out


def sort_key(name: str) -> str:
    return " ".join(sorted(utils.default_process(name).split()))


class BruteForce:
    """rapidfuzz token_sort_ratio against every indexed name; best LIMIT entities."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.keys: list[str] = []
        self.owners: list[str] = []
        for entity in entities:
            for value in dict.fromkeys(n.value for n in entity.names):
                if key := sort_key(value):
                    self.keys.append(key)
                    self.owners.append(entity.id)

    def search(self, name: str, cutoff: float = 0.0) -> dict[str, float]:
        hits = process.extract(sort_key(name), self.keys, scorer=fuzz.ratio, processor=None,
                               limit=LIMIT * 10, score_cutoff=cutoff * 100)
        found: dict[str, float] = {}
        for _, score, index in hits:
            found.setdefault(self.owners[index], score / 100)
            if len(found) == LIMIT:
                break
        return found


def threshold_at(scores: Sequence[float], fpr: float) -> float:
    """The lowest threshold at which at most ``fpr`` of the clean names alert."""
    ordered = sorted(scores, reverse=True)
    return math.nextafter(ordered[int(fpr * len(ordered))], math.inf)


def share(flags: Sequence[bool]) -> float:
    return round(sum(flags) / len(flags), 3) if flags else float("nan")


def found_at(score: float | None, threshold: float) -> bool:
    return score is not None and score >= threshold


def run_discreet(indexed: Sequence[Entity], pairs: Sequence[HeldOut],
                 negatives: Sequence[Negative], matcher: Matcher | None = None,
                 ) -> dict[str, Any]:
    start = time.perf_counter()
    matcher = Matcher.from_entities(indexed) if matcher is None else matcher
    build = time.perf_counter() - start
    memory = rss_mb()
    start = time.perf_counter()
    for neg in negatives:
        results = matcher.match(Query(neg.name, schema=neg.schema), limit=LIMIT, threshold=FLOOR)
        neg.top = results[0].score if results else 0.0
        if neg.origin_id:
            neg.origin_score = next((r.score for r in results
                                     if r.entity.id == neg.origin_id), None)
        results = matcher.match(Query(neg.name), limit=1, threshold=FLOOR)
        neg.top_none = results[0].score if results else 0.0
    for pair in pairs:
        results = matcher.match(Query(pair.alias, schema=pair.schema), limit=LIMIT,
                                threshold=FLOOR)
        pair.score = next((r.score for r in results if r.entity.id == pair.entity_id), None)
    seconds = time.perf_counter() - start
    return {"build_s": round(build, 2), "memory": memory,
            "queries_per_s": round((2 * len(negatives) + len(pairs)) / seconds, 1)}


def compared(matcher: Matcher, pairs: Sequence[HeldOut]) -> dict[int, tuple[float, bool]]:
    """For each pair (by position): the best name score its entity reaches when every one of
    its names is compared with the query (weak aliases lowered; the name alone, no other
    evidence), and whether the index proposes that name as a candidate. A miss whose
    entity scores at or above the threshold so is the index's (candidate generation) or the
    ranking's, not the scorer's."""
    names: defaultdict[str, list[int]] = defaultdict(list)
    for position, owner in enumerate(matcher.owners):
        names[matcher.entities[owner].id].append(position)
    out = {}
    for k, pair in enumerate(pairs):
        q = matcher.prepare(pair.alias, name_class(pair.schema))
        positions = names[pair.entity_id]
        scores = matcher.scores(q, positions)
        best = max(range(len(positions)),
                   key=lambda i: scores.score(i) + matcher.lowering[positions[i]])
        out[k] = (scores.score(best) + matcher.lowering[positions[best]],
                  positions[best] in set(matcher.found(q)))
    return out


def run_rapidfuzz(indexed: Sequence[Entity], pairs: Sequence[HeldOut],
                  negatives: Sequence[Negative]) -> dict[str, Any]:
    brute = BruteForce(indexed)
    start = time.perf_counter()
    for neg in negatives:
        neg.base_top = max(brute.search(neg.name).values(), default=0.0)
    threshold = threshold_at([n.base_top for n in negatives if n.kind == "clean"], FPR)
    floor = min(threshold, 0.70)
    for pair in pairs:
        pair.base_score = brute.search(pair.alias, cutoff=floor).get(pair.entity_id)
    seconds = time.perf_counter() - start
    return {"names": len(brute.keys), "threshold": threshold,
            "queries_per_s": round((len(negatives) + len(pairs)) / seconds, 1)}


# -- what one matcher's scores say (the same functions read this run and a saved one) --


@dataclass(slots=True)
class Scores:
    """One matcher's scores of every query of the run, by query, plus where they came from."""

    label: str
    pos: list[tuple[str, float | None]]  # (class, score of the right entity or None)
    neg: list[tuple[str, str, str, float, float, float | None]]
    # (kind, locale, person/company, top with schema, top without, source entity's score)
    meta: dict[str, Any]


def scores_of(label: str, pairs: Sequence[HeldOut], negatives: Sequence[Negative],
              meta: dict[str, Any], rapid: bool = False) -> Scores:
    if rapid:  # no schema: one top serves both columns; near misses' source not looked up
        return Scores(label, [(p.klass, p.base_score) for p in pairs],
                      [(n.kind, n.locale, n.group, n.base_top, n.base_top, None)
                       for n in negatives], meta)
    return Scores(label, [(p.klass, p.score) for p in pairs],
                  [(n.kind, n.locale, n.group, n.top, n.top_none, n.origin_score)
                   for n in negatives], meta)


def clean_tops(s: Scores, schema: bool = True) -> list[float]:
    return [(n[3] if schema else n[4]) for n in s.neg if n[0] == "clean"]


def recall_by_class(s: Scores, threshold: float) -> dict[str, float]:
    out = {k: share([found_at(v, threshold) for c, v in s.pos if c == k]) for k in CLASSES}
    for name, group in (("held-out aliases", ALIAS_CLASSES), ("typos", TYPO_CLASSES),
                        ("held-out+typos", HELD_TYPO_CLASSES)):
        out[f"all {name}"] = share([found_at(v, threshold) for c, v in s.pos if c in group])
    return out


def alert_rates(s: Scores, threshold: float) -> dict[str, float]:
    """Share of negatives alerting, by kind, schema given or not, persons and companies."""
    out: dict[str, float] = {}
    clean = [n for n in s.neg if n[0] == "clean"]
    for schema, given in (("with schema", True), ("no schema", False)):
        out[f"clean, {schema}"] = share([(n[3] if given else n[4]) >= threshold
                                         for n in clean])
        for group in ("person", "company"):
            out[f"clean {group.replace('y', 'ie')}s, {schema}"] = share(
                [(n[3] if given else n[4]) >= threshold for n in clean if n[2] == group])
    for kind in NEAR_KINDS:
        chosen = [n for n in s.neg if n[0] == kind]
        out[f"{kind}, with schema"] = share([n[3] >= threshold for n in chosen])
        out[f"{kind}, no schema"] = share([n[4] >= threshold for n in chosen])
        out[f"{kind}: on its source entity"] = share(
            [found_at(n[5], threshold) for n in chosen])
    return out


def locale_rates(s: Scores, threshold: float) -> dict[str, list[float]]:
    """Per locale: persons with/without schema, companies with/without schema."""
    out: dict[str, list[float]] = {}
    for locale in LOCALES:
        row: list[float] = []
        for group in ("person", "company"):
            chosen = [n for n in s.neg if n[0] == "clean" and n[1] == locale and n[2] == group]
            row += [share([n[3] >= threshold for n in chosen]),
                    share([n[4] >= threshold for n in chosen])]
        out[locale] = row
    return out


def calibration(s: Scores) -> list[list[Any]]:
    """Per score band: true pairs (right entity's score), negatives' tops (clean with schema
    and near misses), in-band and at-or-above precision at the benchmark's mix, recall."""
    pos = [v for _, v in s.pos if v is not None]
    total = len(s.pos)
    neg = [n[3] for n in s.neg]
    rows: list[list[Any]] = []
    for low, high in zip(BANDS, (*BANDS[1:], 1.0000001), strict=True):
        t = sum(low <= v < high for v in pos)
        f = sum(low <= v < high for v in neg)
        t_up = sum(v >= low for v in pos)
        f_up = sum(v >= low for v in neg)
        band = f"[{low:.2f}, {min(high, 1.0):.2f}{']' if high > 1 else ')'}"
        recall, alerting = t_up / total, f_up / len(neg)
        rows.append([band, t, f, share([True] * t + [False] * f),
                     share([True] * t_up + [False] * f_up), round(recall, 3),
                     round(alerting, 4), at_prior(recall, alerting, PRIOR)])
    return rows


def at_prior(recall: float, alerting: float, prior: float) -> float:
    """Precision when ``prior`` of the names screened are listed (Bayes on the two rates)."""
    hits, false = prior * recall, (1 - prior) * alerting
    return round(hits / (hits + false), 3) if hits + false else float("nan")


def precision_curve(s: Scores) -> dict[str, list[float]]:
    """Per class and threshold: precision when each true query of the class meets one
    negative of the benchmark (1:1), from the class's recall and the negatives' alert rate."""
    neg = [n[3] for n in s.neg]
    alerting = [sum(v >= cut for v in neg) / len(neg) for cut in CUTS]
    return {k: [at_prior(share([found_at(v, cut) for c, v in s.pos if c == k]), a, 0.5)
                for cut, a in zip(CUTS, alerting, strict=True)] for k in CLASSES}


def recall_curve(s: Scores) -> dict[str, list[float]]:
    return {k: [share([found_at(v, cut) for c, v in s.pos if c == k]) for cut in CUTS]
            for k in CLASSES}


def other_found(s: Scores, kinds: Sequence[str | None], threshold: float) -> dict[str, float]:
    """Share of the "other" aliases found at ``threshold``, by :func:`other_kind`
    (``kinds``: per held-out pair, in the order of ``s.pos``; None for the other classes)."""
    return {kind: share([found_at(v, threshold) for (_, v), k in zip(s.pos, kinds, strict=False)
                         if k == kind]) for kind in OTHER_KINDS}


def summary(s: Scores, fixed: float, kinds: Sequence[str | None] = ()) -> dict[str, Any]:
    t = threshold_at(clean_tops(s), FPR)
    return {"label": s.label, "threshold_1pct": t,
            "other_found_1pct": other_found(s, kinds, t),
            "other_found_fixed": other_found(s, kinds, fixed),
            "threshold_1pct_no_schema": threshold_at(clean_tops(s, False), FPR),
            "fixed": fixed, "recall_at_1pct": recall_by_class(s, t),
            "recall_at_fixed": recall_by_class(s, fixed),
            "alerts_at_fixed": alert_rates(s, fixed), "alerts_at_1pct": alert_rates(s, t),
            "locales_at_fixed": locale_rates(s, fixed), "calibration": calibration(s),
            "recall_curve": recall_curve(s), "precision_curve": precision_curve(s),
            "meta": s.meta}


def digest(pairs: Sequence[HeldOut], negatives: Sequence[Negative]) -> str:
    """What was screened, so two runs can be checked to have asked the same questions."""
    text = "\n".join([f"{p.klass}\t{p.entity_id}\t{p.alias}" for p in pairs]
                     + [f"{n.kind}\t{n.schema}\t{n.name}" for n in negatives])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def code_version() -> dict[str, Any]:
    """Where the discreet measured lives and its commit (dirty when src/ has local edits)."""
    src = Path(discreet.__file__).resolve().parents[1]
    out: dict[str, Any] = {"discreet": str(src), "default_threshold": DEFAULT_THRESHOLD}
    try:
        out["commit"] = subprocess.run(["git", "-C", str(src), "rev-parse", "--short", "HEAD"],
                                       capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(src), "status", "--porcelain", "--", "."],
                               capture_output=True, text=True, check=True).stdout.split("\n")
        out["uncommitted_src_files"] = len([line for line in dirty if line.strip()])
    except (OSError, subprocess.CalledProcessError):
        out["commit"] = "unknown"
    return out


# -- the report --


def misses(pairs: Sequence[HeldOut], threshold: float, per_class: int = 3) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for klass in CLASSES:
        missed = [p for p in pairs if p.klass == klass and (p.score or 0.0) < threshold]
        for p in missed[:per_class]:
            score = "not in top 5" if p.score is None else round(p.score, 3)
            names = p.origin if p.origin else " / ".join(p.remaining[:3])
            rows.append([klass, p.alias, names, p.schema, score])
    return rows


def worst_negatives(negatives: Sequence[Negative], threshold: float,
                    count: int = 12) -> list[list[Any]]:
    alerting = sorted((n for n in negatives if max(n.top, n.top_none) >= threshold),
                      key=lambda n: -max(n.top, n.top_none))
    return [[n.kind, n.locale, n.schema, n.name, round(n.top, 3), round(n.top_none, 3)]
            for n in alerting[:count]]


CLEAN_TAIL = 0.55  # clean names scoring this or more are the ones that set the 1% thresholds


def clean_tail(matcher: Matcher, negatives: Sequence[Negative]) -> Iterable[dict[str, Any]]:
    """The clean names at the top of the score range, best first, each with its best result
    asked with and without its schema and how that result's words aligned: the names that set
    the 1% thresholds, and why they score."""
    def explained(query: Query) -> dict[str, Any] | None:
        results = matcher.match(query, limit=1, threshold=FLOOR)
        if not results:
            return None
        best = results[0]
        return {"score": round(best.score, 3), "entity": best.entity.id,
                "schema": best.entity.schema, "caption": best.entity.caption,
                "explanation": best.explanation.to_dict()}

    tail = sorted((n for n in negatives
                   if n.kind == "clean" and max(n.top, n.top_none) >= CLEAN_TAIL),
                  key=lambda n: -max(n.top, n.top_none))
    for n in tail:
        yield {"locale": n.locale, "schema": n.schema, "name": n.name,
               "top": round(n.top, 3), "top_none": round(n.top_none, 3),
               "with_schema": explained(Query(n.name, schema=n.schema)),
               "no_schema": explained(Query(n.name))}


def print_report(report: Report, facts: dict[str, Any], runs: Sequence[dict[str, Any]],
                 pairs: Sequence[HeldOut], negatives: Sequence[Negative],
                 speed: list[list[Any]]) -> None:
    report.section("Data", markdown_table(["what", "value"], facts.items()))
    counts = Counter(p.klass for p in pairs)
    head = ["class (queries)"]
    for run in runs:
        head += [f"{run['label']} at its 1% FPR ({run['threshold_1pct']:.3f})",
                 f"{run['label']} at {run['fixed']}"]
    rows = []
    keys = [*CLASSES, "all held-out aliases", "all typos", "all held-out+typos"]
    for klass in keys:
        n = counts[klass] if klass in counts else sum(
            counts[c] for c in {"all held-out aliases": ALIAS_CLASSES, "all typos": TYPO_CLASSES,
                                "all held-out+typos": HELD_TYPO_CLASSES}[klass])
        row: list[Any] = [f"{klass} ({n})"]
        for run in runs:
            row += [run["recall_at_1pct"][klass], run["recall_at_fixed"][klass]]
        rows.append(row)
    report.section("Recall per class (right entity in the best 5 at the threshold)",
                   markdown_table(head, rows))
    kinds = [other_kind(p.alias, p.remaining) for p in pairs if p.klass == "other"]
    report.section(
        'What the "other" aliases are (matcher-neutral) and the share found, at each '
        "matcher's 1% FPR threshold and at its fixed one", markdown_table(
            ["kind", "aliases", *(f"{r['label']} at {at}" for r in runs
                                  for at in ("1% FPR", r["fixed"]))],
            [[kind, kinds.count(kind), *(r[key][kind] for r in runs
                                         for key in ("other_found_1pct", "other_found_fixed"))]
             for kind in OTHER_KINDS]))
    report.section("Thresholds and clean alert rates", markdown_table(
        ["matcher", "1% of clean names alert at (schema)", "1% alert at (no schema)",
         "fixed threshold", "clean alerting at it (schema)", "clean alerting (no schema)"],
        [[r["label"], round(r["threshold_1pct"], 3), round(r["threshold_1pct_no_schema"], 3),
          r["fixed"], r["alerts_at_fixed"]["clean, with schema"],
          r["alerts_at_fixed"]["clean, no schema"]] for r in runs]))
    held_plain = {}
    for klass in HELD_TYPO_CLASSES:  # the same aliases without the typo, for the typo's cost
        chosen = {p.origin for p in pairs if p.klass == klass}
        held_plain[klass] = [p for p in pairs if p.klass in ALIAS_CLASSES and p.alias in chosen]
    rows = [[k, len(v), share([found_at(p.score, runs[0]["threshold_1pct"]) for p in v])]
            for k, v in held_plain.items()]
    report.section(f"{runs[0]['label']}: the held-out+typo aliases without their typo "
                   f"(at its 1% FPR threshold)",
                   markdown_table(["class", "aliases", "recall without the typo"], rows))
    head = ["negatives alerting"]
    for run in runs:
        head += [f"{run['label']} at {run['fixed']}", f"{run['label']} at its 1% FPR"]
    rows = [[key, *(v for run in runs for v in (run["alerts_at_fixed"][key],
                                                 run["alerts_at_1pct"][key]))]
            for key in runs[0]["alerts_at_fixed"]]
    report.section("Alert rates of clean names and near misses", markdown_table(head, rows))
    first = runs[0]
    ordered = sorted(LOCALES, key=lambda loc: -max(first["locales_at_fixed"][loc]))
    head = ["locale"]
    for run in runs[:2]:
        head += [f"{run['label']}: persons, schema", "persons, none", "companies, schema",
                 "companies, none"]
    rows = [[loc, *(v for run in runs[:2] for v in run["locales_at_fixed"][loc])]
            for loc in ordered]
    report.section(f"Clean names alerting at {DEFAULT_THRESHOLD} per locale (worst first)",
                   markdown_table(head, rows))
    for run in runs[:2]:
        report.section(
            f"Calibration, {run['label']} (true pairs: every class above; negatives: clean "
            f"names with schema and near misses; the benchmark's mix)",
            markdown_table(["score band", "true pairs", "negatives", "precision in band",
                            "precision at ≥ band", "recall at ≥ band",
                            "negatives alerting at ≥ band",
                            f"precision at ≥ band if {PRIOR:.0%} of names are listed"],
                           run["calibration"]))
    head = ["class", *(f"≥ {c}" for c in CUTS)]
    report.section(f"Recall per class and threshold, {first['label']}",
                   markdown_table(head, [[k, *v] for k, v in first["recall_curve"].items()]))
    report.section(f"Precision per class and threshold at a 1:1 mix (each true query against "
                   f"one negative), {first['label']}",
                   markdown_table(head, [[k, *v] for k, v in first["precision_curve"].items()]))
    report.section("Speed (this run)", markdown_table(["", *(r["label"] for r in runs)], speed))
    report.section(f"Some of discreet's misses at its 1% FPR threshold "
                   f"({first['threshold_1pct']:.3f})",
                   markdown_table(["class", "query", "list name(s)", "schema", "score"],
                                  misses(pairs, first["threshold_1pct"], per_class=2)))
    report.section(f"Highest-scoring negatives ({first['label']})",
                   markdown_table(["kind", "locale", "schema", "name", "top, schema",
                                   "top, none"], worst_negatives(negatives, DEFAULT_THRESHOLD)))


def write_lines(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def load_saved(path: Path, expected: str) -> Scores:
    doc = json.loads(path.read_text())
    if doc["digest"] != expected:
        raise SystemExit(f"error: {path} screened other queries (digest {doc['digest']}, this "
                         f"run {expected}): the two versions parsed the lists differently")
    meta = doc["meta"]
    return Scores(f"previous discreet {meta.get('commit', '?')}",
                  [(c, v) for c, v in doc["pos"]], [tuple(n) for n in doc["neg"]], meta)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="one JSON document for machines")
    parser.add_argument("--save", type=Path, help="write every query's score to this JSON file")
    parser.add_argument("--compare", type=Path,
                        help="a --save file of another discreet version, reported beside")
    parser.add_argument("--misses", type=Path,
                        help="write every miss at the 1%% FPR threshold (JSON lines)")
    parser.add_argument("--alerts", type=Path,
                        help="write every negative alerting at the default threshold")
    parser.add_argument("--clean-tail", type=Path,
                        help=f"write every clean name scoring at least {CLEAN_TAIL} (with or "
                             "without schema) and the listed names behind its scores (JSON lines)")
    parser.add_argument("--no-rapidfuzz", action="store_true",
                        help="skip the brute-force baseline (e.g. when only saving scores)")
    args = parser.parse_args()
    report = Report("Held-out aliases, typos and clean names (bench_heldout)", args.json)
    start = time.perf_counter()
    entities = load_entities(LISTS)
    owners = name_owners(entities)
    indexed, held, leaked = hold_out(entities, owners)
    typos, unnamed = typo_pairs(indexed, held, owners)
    pairs = held + typos
    clean, listed = clean_names(entities)
    negatives = clean + near_misses(indexed, owners)
    prepared_s = time.perf_counter() - start
    meta = code_version()
    matcher = Matcher.from_entities(indexed)
    ours = run_discreet(indexed, pairs, negatives, matcher)
    key = digest(pairs, negatives)
    if args.save:
        args.save.write_text(json.dumps(
            {"digest": key, "meta": meta | ours, "pos": [[p.klass, p.score] for p in pairs],
             "neg": [[n.kind, n.locale, n.group, n.top, n.top_none, n.origin_score]
                     for n in negatives]}, ensure_ascii=False))
    label = f"discreet {meta.get('commit', '?')}" + ("+local edits" if meta.get(
        "uncommitted_src_files") else "")
    kinds = [other_kind(p.alias, p.remaining) if p.klass == "other" else None for p in pairs]
    runs = [summary(scores_of(label, pairs, negatives, meta | ours), DEFAULT_THRESHOLD, kinds)]
    speed = [["index build (s)", ours["build_s"]], ["queries/s", ours["queries_per_s"]],
             ["RSS after build (MiB)", ours["memory"]["rss_mib"]]]
    if args.compare:
        previous = load_saved(args.compare, key)
        runs.append(summary(previous, previous.meta.get("default_threshold", DEFAULT_THRESHOLD),
                            kinds))
        speed[0].append(previous.meta.get("build_s"))
        speed[1].append(previous.meta.get("queries_per_s"))
        speed[2].append(previous.meta.get("memory", {}).get("rss_mib"))
    brute: dict[str, Any] = {}
    if not args.no_rapidfuzz:
        brute = run_rapidfuzz(indexed, pairs, negatives)
        runs.append(summary(scores_of("rapidfuzz", pairs, negatives, brute, rapid=True), 0.70,
                            kinds))
        speed[0].append("-")
        speed[1].append(brute["queries_per_s"])
        speed[2].append("-")
    facts = {"discreet measured": f"{meta['discreet']} at {meta.get('commit')} "
                                  f"({meta.get('uncommitted_src_files', 0)} uncommitted files "
                                  f"under src/)",
             "lists": ", ".join(LISTS), "entities indexed": len(indexed),
             "names indexed (baseline's distinct keys)": brute.get("names", "-"),
             "held-out alias pairs": len(held),
             "left out (alias is another entity's name)": leaked,
             "typo queries (typo of an indexed name / of a held-out alias)":
                 f"{sum(p.klass in TYPO_CLASSES for p in pairs)} / "
                 f"{sum(p.klass in HELD_TYPO_CLASSES for p in pairs)}",
             "typo queries left out (a cut name that begins more than "
             f"{SHARED_PREFIX} entities' names)": " / ".join(
                 str(unnamed[f"{family}truncated-35"]) for family in ("typo:", "held-out+typo:")),
             "clean names (each with and without schema)": len(
                 [n for n in negatives if n.kind == "clean"]),
             "clean names left out (a listed name, romanised)": listed,
             "clean persons / companies": "{person} / {company}".format(
                 **Counter(n.group for n in negatives if n.kind == "clean")),
             "clean locales": len(LOCALES),
             "near misses": ", ".join(f"{k} {v}" for k, v in
                                      Counter(n.kind for n in negatives
                                              if n.kind != "clean").items()),
             "queries asked at threshold": FLOOR, "seed": SEED, "digest of the queries": key,
             "lists parsed and queries made in (s)": round(prepared_s, 1)}
    report.add("data", facts)
    report.add("runs", runs)
    report.add("discreet_misses", misses(pairs, runs[0]["threshold_1pct"], per_class=10))
    if args.misses:
        cut = runs[0]["threshold_1pct"]
        missed = [p for p in pairs if (p.score or 0.0) < cut]
        seen = compared(matcher, missed)
        write_lines(args.misses, ({"class": p.klass, "query": p.alias, "schema": p.schema,
                                   "names": [p.origin] if p.origin else list(p.remaining),
                                   "score": p.score, "compared": round(seen[k][0], 3),
                                   "proposed": seen[k][1]}
                                  for k, p in enumerate(missed)))
    if args.clean_tail:
        write_lines(args.clean_tail, clean_tail(matcher, negatives))
    if args.alerts:
        write_lines(args.alerts, (dataclasses.asdict(n) for n in negatives
                                  if max(n.top, n.top_none) >= DEFAULT_THRESHOLD))
    print_report(report, facts, runs, pairs, negatives, speed)
    report.finish()


if __name__ == "__main__":
    main()
