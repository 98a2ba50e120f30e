"""Same-as links: which entities of different lists are one party, and why.

Two kinds of evidence, strongest first:

* **identifier**: a UN reference number (the UN's own listing and every other list that
  cites it), a passport or national ID number (normalised: spaces, dashes and case; issuing
  countries must not disagree), an IMO number, a registration or tax number (countries must
  not disagree), a BIC. Values are blocked by a map from normalised value to holders, so
  only entities sharing a value are ever compared. A value that more than one entity of one
  list carries (a shared company number, a passport two listings share) says nothing about
  which one is meant there and links nobody of that list. The names must still be
  plausibly the same (a passport number carried by a relative, a typing slip).
* **name**: the matcher's index proposes the closest names of other lists; a pair is kept
  only at a strict setting: the same schema family, a very high name score, and for a
  person an agreeing birth date (and no disagreeing nationality or gender), for an
  organisation or vessel an agreeing country or a long, distinctive name (and no
  disagreeing country or IMO number). An organisation's name that more than one entity of a
  list carries is not evidence for any of them (a person's birth date tells them apart).

Every link keeps its evidence lines and a confidence. One entity linked to two entities of
one list keeps the stronger link; the other is reported, not proposed.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from discreet.match import Matcher, Query
from discreet.match.pairs import alternatives
from discreet.match.prepare import PreparedName
from discreet.match.score import name_score
from discreet.model import Address, Entity, Name
from discreet.store import SameAs, Store
from discreet.text.names import name_class, parse_name
from discreet.text.normalize import normalize

__all__ = [
    "LinkReport",
    "LinkSettings",
    "compare_birth_dates",
    "id_key",
    "link_view",
    "propose_links",
    "refresh_links",
    "stated_un_references",
    "un_reference",
]

FAMILIES = {"Person": "person", "Organization": "org", "Company": "org", "LegalEntity": "org",
            "Vessel": "vessel", "Airplane": "airplane"}
# Identifier types and the group their values are compared in (a number listed as a
# passport by one authority is often a national ID number to another).
ID_GROUPS = {"passport": "document", "national_id": "document", "imo": "imo",
             "registration": "registration", "tax_id": "tax", "swift_bic": "bic"}
GROUP_WORDS = {"document": "passport/ID number", "imo": "IMO number",
               "registration": "registration number", "tax": "tax number", "bic": "BIC"}
_UN_REF = re.compile(r"^([A-Z]{2})([A-Z])\.?(\d{1,4})$")
# "UN Ref QDi.086" / "UN Ref.KPi.067" / before 2015 "UN Ref QI.A.86.03" (Al-Qaida's number)
_STATED_UN_REF = re.compile(r"\bUN\s*Ref\W{0,3}(?:([A-Z]{2}[IE])\.(\d{1,4})\b"
                            r"|Q([IE])\.[A-Z]\.(\d{1,4})\.\d{2}\b)", re.IGNORECASE)
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


@dataclass(frozen=True, slots=True)
class LinkSettings:
    """The strict setting: how high a name must score and when identifiers count."""

    person_name: float = 0.93  # a person's best name score with an exact birth date
    person_name_partial: float = 0.97  # ... with only a year or month that agrees
    org_name: float = 0.95  # an organisation's or vessel's best name score
    org_name_alone: float = 0.98  # ... with no country stated on one side
    distinctive_chars: int = 20  # a "long, distinctive" name: this many letters ...
    distinctive_words: int = 3  # ... and this many name words
    id_name_floor: float = 0.55  # names of an identifier link must at least score this
    min_id_chars: int = 6  # shorter document numbers need agreeing issuing countries
    query_threshold: float = 0.9  # what the matcher is asked for
    query_limit: int = 8
    query_names: int = 6  # names of an entity the matcher is asked about


@dataclass
class LinkReport:
    """What a computation of links found: counts, and what it refused to link."""

    links: int = 0
    by_basis: dict[str, int] = field(default_factory=dict)
    parties: int = 0  # connected groups of two or more entities
    entities_linked: int = 0
    by_source_pair: dict[str, int] = field(default_factory=dict)  # "a + b" -> links
    parties_by_source_pair: dict[str, int] = field(default_factory=dict)
    entities: int = 0  # entities in the active versions compared
    common_values: int = 0  # identifier values carried by several entities of one list
    conflicts: list[str] = field(default_factory=list)  # dropped double links, one per line
    refused: list[str] = field(default_factory=list)  # identifier pairs whose names disagree
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {"links": self.links, "by_basis": self.by_basis, "parties": self.parties,
                "entities_linked": self.entities_linked, "by_source_pair": self.by_source_pair,
                "parties_by_source_pair": self.parties_by_source_pair,
                "entities": self.entities, "common_values": self.common_values,
                "conflicts": self.conflicts, "refused": self.refused,
                "seconds": round(self.seconds, 2)}

    def summary(self) -> str:
        """One line for ``load`` and ``update``: how many links and parties."""
        basis = ", ".join(f"{n} by {k}" for k, n in sorted(self.by_basis.items()))
        return (f"links: {self.links} same-party links ({basis or 'none'}), {self.parties} "
                f"parties over {self.entities_linked} entities")


# -- normalising evidence -------------------------------------------------------------------

def un_reference(value: str) -> str | None:
    """A UN reference number in one spelling (``QDi.001``), or None when it is not one."""
    found = _UN_REF.match(value.strip().upper().replace(" ", ""))
    if not found:
        return None
    return f"{found[1]}{found[2].lower()}.{int(found[3]):03d}"


def id_key(group: str, value: str) -> str | None:
    """A comparable form of an identifier, or None when it is too weak to link anything:
    too short, too few digits, one repeated character."""
    text = _NOT_ALNUM.sub("", value.upper())
    if group == "imo":
        text = text.removeprefix("IMO")
        return text if len(text) == 7 and text.isdigit() and len(set(text)) > 1 else None
    if group == "bic":
        return text[:8] if _BIC.match(text) else None
    digits = sum(ch.isdigit() for ch in text)
    if len(text) < 4 or digits < 3 or len(set(text)) < 3:
        return None
    return text


def _countries(entity: Entity) -> set[str]:
    codes = {*entity.countries, *entity.nationalities, *entity.citizenships}
    codes.update(a.country for a in entity.addresses if a.country)
    return {c.lower() for c in codes if c}


def _nationalities(entity: Entity) -> set[str]:
    return {c.lower() for c in (*entity.nationalities, *entity.citizenships) if c}


def _names(entity: Entity) -> list[str]:
    """The names worth comparing: every name but weak aliases (unless it has no other)."""
    strong = [n.value for n in entity.names if n.kind != "weak"]
    return list(dict.fromkeys(strong or [n.value for n in entity.names]))


class _Names:
    """Best-name scores between two entities, with each name prepared once (by the
    matcher, with its rarity weights: the same scores screening gives)."""

    def __init__(self, matcher: Matcher, limit: int = 12) -> None:
        self.matcher = matcher
        self.limit = limit
        self._prepared: dict[tuple[str, str], list[PreparedName]] = {}

    def _prepare(self, text: str, schema: str) -> list[PreparedName]:
        key = (text, schema)
        found = self._prepared.get(key)
        if found is None:
            cls = name_class(schema)
            found = self._prepared[key] = [self.matcher.prepare(part, cls)
                                           for part in alternatives(text)]
        return found

    def best(self, a: Entity, b: Entity) -> tuple[float, str, str]:
        """The best score of any name of ``a`` against any name of ``b``, and the names."""
        best = (0.0, a.caption, b.caption)
        schema_a = a.schema if a.schema == b.schema else "LegalEntity"
        schema_b = b.schema if a.schema == b.schema else "LegalEntity"
        for x in _names(a)[:self.limit]:
            for qa in self._prepare(x, schema_a):
                for y in _names(b)[:self.limit]:
                    for lb in self._prepare(y, schema_b):
                        score = name_score(qa, lb).score
                        if score > best[0]:
                            best = (score, x, y)
        return best


def _name_words(name: str, schema: str) -> list[str]:
    """The words of a name that name someone (not titles, particles or legal forms)."""
    cls = "person" if schema == "Person" else "org"
    return [t.text for t in parse_name(name, cls) if t.kind in ("name", "patronymic")]


def _bounds(start: str, end: str | None) -> tuple[str, str]:
    """A date written as an ISO prefix (a year, a month, a day) or a range, as the first
    and last day it may mean, comparable as strings."""
    last = end or start
    return (start + "-01-01"[len(start) - 4:] if len(start) < 10 else start,
            last + "-12-31"[len(last) - 4:] if len(last) < 10 else last)


def compare_birth_dates(a: Entity, b: Entity) -> tuple[str, str]:
    """How two persons' birth dates compare, and the dates that do: ``exact`` (one day on
    both), ``partial`` (a year, month or range that covers the other), ``disagree`` (both
    stated, none compatible) or ``unknown`` (one side states none)."""
    if not a.birth_dates or not b.birth_dates:
        return "unknown", ""
    partial = ""
    for x in a.birth_dates:
        for y in b.birth_dates:
            if len(x.start) == 10 and x.start == y.start and not x.end and not y.end:
                return "exact", x.start
            lo_x, hi_x = _bounds(x.start, x.end)
            lo_y, hi_y = _bounds(y.start, y.end)
            if not partial and lo_x <= hi_y and lo_y <= hi_x:
                partial = f"{x} / {y}"
    return ("partial", partial) if partial else ("disagree", "")


# -- candidates -----------------------------------------------------------------------------

@dataclass
class _Candidate:
    """Evidence gathered for one pair of entities (positions ``i < j``)."""

    i: int
    j: int
    ids: list[str] = field(default_factory=list)  # identifier evidence lines
    id_weight: float = 0.0  # the strongest identifier's confidence
    name: tuple[float, str, str] | None = None  # best name score and the two names

    def keep_name(self, found: tuple[float, str, str]) -> None:
        if self.name is None or found[0] > self.name[0]:
            self.name = found


@dataclass(frozen=True, slots=True)
class _Link:
    link: SameAs
    i: int
    j: int
    strength: tuple[int, float, float]  # identifier first, then confidence, then name score


def stated_un_references(remarks: Iterable[str]) -> list[str]:
    """UN references a listing states as its own in its remarks (OFSI's "UN Ref QDi.086",
    before 2015 "UN Ref QI.A.86.03"); a reference in brackets elsewhere in a remark
    ("member of … (QDe.128)") names another listing and is not one of these."""
    found = []
    for remark in remarks:
        for match in _STATED_UN_REF.finditer(remark):
            if match[1]:
                found.append(f"{match[1][:2].upper()}{match[1][2].lower()}.{int(match[2]):03d}")
            else:
                found.append(f"QD{match[3].lower()}.{int(match[4]):03d}")
    return found


def _identifier_values(entity: Entity) -> Iterable[tuple[str, str, str, str | None]]:
    """(group, comparable key, the value as written, issuing country) of an entity."""
    for ref in [*entity.properties.get("unReference", []),
                *stated_un_references(entity.remarks)]:
        key = un_reference(ref)
        if key:
            yield "un", key, ref, None
    for ident in entity.identifiers:
        group = ID_GROUPS.get(ident.type)
        if group is None:
            continue
        key = id_key(group, ident.value)
        if key:
            yield group, key, ident.value, (ident.country or "").lower() or None


def _families_meet(group: str, a: Entity, b: Entity) -> bool:
    fa, fb = FAMILIES.get(a.schema, a.schema), FAMILIES.get(b.schema, b.schema)
    if fa == fb:
        return True
    # an IMO number names a ship or a shipping company; lists file either as an organisation
    return group == "imo" and {fa, fb} <= {"org", "vessel"}


ID_CONFIDENCE = {"un": 0.99, "imo": 0.97, "document": 0.95, "bic": 0.95, "registration": 0.95,
                 "tax": 0.94}


class _Linker:
    """One computation over the entities of the active versions."""

    def __init__(self, entities: Sequence[Entity], settings: LinkSettings,
                 matcher: Matcher | None) -> None:
        self.entities = list(entities)
        self.settings = settings
        self.matcher = matcher or Matcher.from_entities(self.entities)
        self.scorer = _Names(self.matcher)
        self.report = LinkReport(entities=len(self.entities))
        self.pairs: dict[tuple[int, int], _Candidate] = {}

    def pair(self, i: int, j: int) -> _Candidate | None:
        """The candidate for two positions, or None when they cannot be one party's
        listings of two lists (same list, or the same id)."""
        a, b = self.entities[i], self.entities[j]
        if a.source == b.source or a.id == b.id:
            return None
        key = (i, j) if a.id < b.id else (j, i)
        found = self.pairs.get(key)
        if found is None:
            found = self.pairs[key] = _Candidate(*key)
        return found

    # identifiers ---------------------------------------------------------------------------

    def identifiers(self) -> None:
        holders: dict[tuple[str, str], list[tuple[int, str, str | None]]] = defaultdict(list)
        for pos, entity in enumerate(self.entities):
            seen: set[tuple[str, str]] = set()
            for group, key, shown, country in _identifier_values(entity):
                if (group, key) not in seen:
                    seen.add((group, key))
                    holders[(group, key)].append((pos, shown, country))
        for (group, key), held in holders.items():
            if len(held) < 2:
                continue
            per_source = Counter(self.entities[pos].source for pos, _, _ in held)
            if len(per_source) < 2:
                continue
            shared = {s for s, n in per_source.items() if n > 1}
            if shared:
                # several listings of one list carry it: it tells them apart from nobody
                self.report.common_values += 1
                held = [h for h in held if self.entities[h[0]].source not in shared]
            for x, (pi, shown_i, ci) in enumerate(held):
                for pj, shown_j, cj in held[x + 1:]:
                    self._identifier_pair(group, key, (pi, shown_i, ci), (pj, shown_j, cj))

    def _identifier_pair(self, group: str, key: str, one: tuple[int, str, str | None],
                         two: tuple[int, str, str | None]) -> None:
        (pi, _, ci), (pj, _, cj) = one, two
        a, b = self.entities[pi], self.entities[pj]
        if not _families_meet(group, a, b):
            return
        if ci and cj and ci != cj:
            return  # issued by two countries: two documents that happen to share digits
        if group == "document" and len(key) < self.settings.min_id_chars and not (ci and cj):
            return  # a short number links only when both lists say who issued it
        candidate = self.pair(pi, pj)
        if candidate is None:
            return
        if group == "un":
            line = f"UN reference {key} on both"
        else:
            country = f" ({ci or cj})" if ci or cj else ""
            line = f"{GROUP_WORDS[group]} {key}{country} on both"
            if group == "document":
                kinds = {i.type for e in (a, b) for i in e.identifiers
                         if id_key(group, i.value) == key}
                line += f" (as {' and '.join(sorted(kinds)).replace('_', ' ')})"
        if line not in candidate.ids:
            candidate.ids.append(line)
        weight = ID_CONFIDENCE[group] + (0.02 if group == "document" and ci and cj else 0.0)
        candidate.id_weight = max(candidate.id_weight, weight)

    # names ---------------------------------------------------------------------------------

    def names(self) -> None:
        """Candidates from the matcher's index (each pair of lists asked from the smaller
        side) and, for persons, from one exact birth date."""
        position = {(e.source, e.id): pos for pos, e in enumerate(self.entities)}
        sizes = Counter(e.source for e in self.entities)
        order = sorted(sizes, key=lambda s: (-sizes[s], s))
        bigger = {s: order[:k] for k, s in enumerate(order)}
        settings = self.settings
        for pos, entity in enumerate(self.entities):
            targets = bigger[entity.source]
            if not targets or (entity.schema == "Person" and not entity.birth_dates):
                continue  # a person with no birth date is never linked on names
            for name in _names(entity)[:settings.query_names]:
                results = self.matcher.match(Query(name, schema=entity.schema),
                                             limit=settings.query_limit,
                                             threshold=settings.query_threshold,
                                             sources=targets)
                for result in results:
                    why = result.explanation
                    other = position.get((result.entity.source, result.entity.id))
                    if other is None or why.name_kind == "weak":
                        continue  # a weak alias ("Abu Ali") is no evidence of who is meant
                    candidate = self.pair(pos, other)
                    if candidate is not None:
                        candidate.keep_name((why.name_score, name, why.matched_name))
        by_date: dict[str, list[int]] = defaultdict(list)
        for pos, entity in enumerate(self.entities):
            if entity.schema == "Person":
                for date in {d.start for d in entity.birth_dates
                             if len(d.start) == 10 and not d.end}:
                    by_date[date].append(pos)
        for held in by_date.values():
            if len(held) > 60:
                continue  # a placeholder date (1 January of a year), not a block
            for x, pi in enumerate(held):
                for pj in held[x + 1:]:
                    candidate = self.pair(pi, pj)
                    if candidate is not None and candidate.name is None:
                        candidate.name = (0.0, "", "")

    # judging -------------------------------------------------------------------------------

    def judge(self) -> list[_Link]:
        generic = self._generic_names()
        links: list[_Link] = []
        for candidate in self.pairs.values():
            a, b = self.entities[candidate.i], self.entities[candidate.j]
            if candidate.ids:
                made = self._identifier_link(candidate, a, b)
            elif candidate.name is not None:
                made = self._name_link(candidate, a, b, generic)
            else:
                made = None
            if made is not None:
                links.append(made)
        return links

    def _generic_names(self) -> dict[str, set[str]]:
        """Normalised name -> the lists where more than one entity carries it."""
        holders: dict[str, Counter[str]] = defaultdict(Counter)
        for entity in self.entities:
            for text in {normalize(n) for n in _names(entity)}:
                holders[text][entity.source] += 1
        return {text: {s for s, n in per.items() if n > 1} for text, per in holders.items()
                if any(n > 1 for n in per.values())}

    def _identifier_link(self, candidate: _Candidate, a: Entity, b: Entity) -> _Link | None:
        score, x, y = self.scorer.best(a, b)
        lines = list(candidate.ids)
        confidence = candidate.id_weight + 0.01 * (len(candidate.ids) - 1)
        renamed = (a.schema == "Vessel" == b.schema and score < self.settings.id_name_floor
                   and any(line.startswith("IMO") for line in candidate.ids))
        if renamed:
            # a ship keeps its IMO number through every change of name
            lines.append(f"names differ ({x!r} / {y!r}): a ship keeps its IMO number "
                         "when renamed")
            confidence -= 0.03
        elif score < self.settings.id_name_floor:
            self.report.refused.append(f"{a.id} = {b.id}: {'; '.join(candidate.ids)} but the "
                                       f"names differ ({x!r} ~ {y!r} {score:.2f})")
            return None
        else:
            lines.append(f"names {x!r} ~ {y!r} score {score:.2f}")
        if a.schema == "Person" == b.schema:
            verdict, shown = compare_birth_dates(a, b)
            if verdict == "exact":
                lines.append(f"birth date {shown} on both")
                confidence += 0.01
            elif verdict == "partial":
                lines.append(f"birth dates agree ({shown})")
            elif verdict == "disagree":
                if score < 0.8:
                    self.report.refused.append(
                        f"{a.id} = {b.id}: {'; '.join(candidate.ids)} but the birth dates "
                        f"and names differ ({x!r} ~ {y!r} {score:.2f})")
                    return None
                lines.append("birth dates differ: "
                             f"{', '.join(map(str, a.birth_dates))} / "
                             f"{', '.join(map(str, b.birth_dates))}")
                confidence -= 0.1
        if score < 0.8 and not renamed:
            confidence -= 0.05
        confidence = round(max(0.5, min(0.995, confidence)), 3)
        link = SameAs(a.id, b.id, "identifier", confidence, tuple(lines))
        return _Link(link, candidate.i, candidate.j, (1, confidence, score))

    def _name_link(self, candidate: _Candidate, a: Entity, b: Entity,
                   generic: dict[str, set[str]]) -> _Link | None:
        """A link on names, at the strict setting, or None. The cheap vetoes come first;
        a pair met only by a shared birth date is scored here."""
        settings = self.settings
        fa, fb = FAMILIES.get(a.schema), FAMILIES.get(b.schema)
        if fa != fb or fa is None or candidate.name is None:
            return None
        lines: list[str] = []
        bonus = 0.0
        if fa == "person":
            if set(a.genders) and set(b.genders) and not set(a.genders) & set(b.genders):
                return None
            na, nb = _nationalities(a), _nationalities(b)
            if na and nb and not na & nb:
                return None
            verdict, shown = compare_birth_dates(a, b)
            if verdict == "exact":
                lines.append(f"birth date {shown} on both")
                bonus += 0.05
            elif verdict == "partial" and na & nb:
                lines.append(f"birth dates agree ({shown})")
            else:
                return None
            if na & nb:
                lines.append(f"nationality {', '.join(sorted(na & nb))} on both")
                bonus += 0.02
            floor = settings.person_name if verdict == "exact" else settings.person_name_partial
        else:
            if self._ids_disagree(a, b):
                return None
            ca, cb = _countries(a), _countries(b)
            if ca and cb and not ca & cb:
                return None
            if ca & cb:
                lines.append(f"country {', '.join(sorted(ca & cb))} on both")
                bonus += 0.03
                floor = settings.org_name
            else:
                floor = settings.org_name_alone
        score, x, y = candidate.name
        if not x:
            score, x, y = self.scorer.best(a, b)
        if score < floor:
            return None
        if fa != "person" and (a.source in generic.get(normalize(x), ())
                               or b.source in generic.get(normalize(y), ())):
            return None  # several organisations of one list carry this name: which one?
        if fa == "person":
            if min(len(_name_words(x, "Person")), len(_name_words(y, "Person"))) < 2:
                return None  # one name word says too little
        elif not lines:
            words = min(len(_name_words(x, a.schema)), len(_name_words(y, b.schema)))
            if (words < settings.distinctive_words
                    or min(len(x), len(y)) < settings.distinctive_chars):
                return None
            lines.append(f"long distinctive name ({words} words); no country on "
                         f"{'both' if not _countries(a) and not _countries(b) else 'one side'}")
        lines.insert(0, f"names {x!r} ~ {y!r} score {score:.2f}")
        confidence = round(min(0.95, score * 0.9 + bonus), 3)
        link = SameAs(a.id, b.id, "name", confidence, tuple(lines))
        return _Link(link, candidate.i, candidate.j, (0, confidence, score))

    @staticmethod
    def _ids_disagree(a: Entity, b: Entity) -> bool:
        """Both state an IMO number, BIC or registration number and none is shared: two
        ships or companies of one name."""
        keys_a: dict[str, set[str]] = defaultdict(set)
        keys_b: dict[str, set[str]] = defaultdict(set)
        for keys, entity in ((keys_a, a), (keys_b, b)):
            for group, key, _, _ in _identifier_values(entity):
                keys[group].add(key)
        return any(keys_a[g] and keys_b[g] and not keys_a[g] & keys_b[g]
                   for g in ("imo", "bic", "registration"))

    # one listing per list ------------------------------------------------------------------

    def one_per_list(self, links: list[_Link]) -> list[_Link]:
        """Keep, for each entity and each other list, only its strongest link; a tie links
        neither. What is dropped is reported."""
        links = sorted(links, key=lambda k: (k.strength, k.link.a, k.link.b), reverse=True)
        taken: dict[tuple[int, str], _Link] = {}
        dropped: set[int] = set()
        for number, made in enumerate(links):
            ends = ((made.i, self.entities[made.j].source), (made.j, self.entities[made.i].source))
            rivals = [taken[e] for e in ends if e in taken]
            if not rivals:
                for end in ends:
                    taken[end] = made
                continue
            dropped.add(number)
            for rival in rivals:
                tie = rival.strength[:2] == made.strength[:2]
                if tie:
                    dropped.add(links.index(rival))
                word = "tied with" if tie else "weaker than"
                self.report.conflicts.append(
                    f"{made.link.a} = {made.link.b} ({made.link.basis} "
                    f"{made.link.confidence}) {word} {rival.link.a} = {rival.link.b} "
                    f"({rival.link.basis} {rival.link.confidence}): "
                    f"{'neither' if tie else 'the latter'} kept")
        return [made for number, made in enumerate(links) if number not in dropped]


def propose_links(entities: Sequence[Entity], settings: LinkSettings | None = None,
                  matcher: Matcher | None = None) -> tuple[list[SameAs], LinkReport]:
    """Same-as links between entities of different lists, and a report of the computation
    (counts are of the proposals; parties are over them)."""
    started = time.perf_counter()
    if len({e.source for e in entities}) < 2:
        return [], LinkReport(entities=len(entities))  # one list: nothing to link across
    linker = _Linker(entities, settings or LinkSettings(), matcher)
    linker.identifiers()
    linker.names()
    kept = linker.one_per_list(linker.judge())
    proposals = sorted((k.link for k in kept), key=lambda s: (s.a, s.b))
    report = linker.report
    _count(report, proposals, {e.id: e.source for e in linker.entities})
    report.seconds = time.perf_counter() - started
    return proposals, report


def _count(report: LinkReport, links: Sequence[SameAs], sources: dict[str, str]) -> None:
    """Links by basis and by pair of lists, parties and linked entities."""
    report.links = len(links)
    report.by_basis = dict(sorted(Counter(s.basis for s in links).items()))
    pairs = Counter(" + ".join(sorted((sources.get(s.a, "?"), sources.get(s.b, "?"))))
                    for s in links)
    report.by_source_pair = dict(sorted(pairs.items()))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for s in links:
        ra, rb = find(s.a), find(s.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, set[str]] = defaultdict(set)
    for x in parent:
        groups[find(x)].add(sources.get(x, "?"))
    report.parties = len(groups)
    report.entities_linked = len(parent)
    spans: Counter[str] = Counter()
    for listed in groups.values():
        ordered = sorted(listed)
        for k, first in enumerate(ordered):
            for second in ordered[k + 1:]:
                spans[f"{first} + {second}"] += 1
    report.parties_by_source_pair = dict(sorted(spans.items()))


def link_view(entity: Entity, source: str | None = None) -> Entity:
    """What the linker reads of an entity and nothing more: its id, list (``source``, by
    default its own), schema, names and their kinds, birth dates, genders, nationalities and
    countries (an address's country, not its text), identifiers, UN references
    (``unReference`` and the remarks that state one). The proposals over these views are
    the proposals over the entities (every evidence line is made of these fields); a large
    list held this way takes a fraction of the memory (no remarks, addresses, programmes,
    free properties, name parts)."""
    refs = entity.properties.get("unReference", [])
    return Entity(entity.id, entity.schema, source=source or entity.source,
                  authority=entity.authority,
                  names=[Name(n.value, n.kind) for n in entity.names],
                  birth_dates=entity.birth_dates, nationalities=entity.nationalities,
                  citizenships=entity.citizenships, countries=entity.countries,
                  genders=entity.genders, identifiers=entity.identifiers,
                  addresses=[Address("", country=a.country) for a in entity.addresses
                             if a.country],
                  remarks=[r for r in entity.remarks if _STATED_UN_REF.search(r)],
                  properties={"unReference": refs} if refs else {})


def refresh_links(store: Store, settings: LinkSettings | None = None) -> LinkReport:
    """Compute the links between the active versions and store them as the machine's
    proposals (analyst decisions kept); the report counts what was proposed.

    A list is a source of the store: one file loaded as one source is one list, even an
    FtM export whose entities name several datasets (its publisher has already merged
    each party's listings into one entity; linking inside it would second-guess that with
    namesakes). So with fewer than two active sources there is nothing to link across and
    no entity is read; otherwise each source's entities are read one source at a time and
    kept only as :func:`link_view`, their list being their source (on official lists,
    whose entities name their own source, the proposals are those over the entities)."""
    started = time.perf_counter()
    active = store.active()
    if len({v.source for v in active}) < 2:
        proposals: list[SameAs] = []
        report = LinkReport(entities=sum(v.entities for v in active))
    else:
        entities = [link_view(e, v.source) for v in active for e in store.entities(v.source)]
        proposals, report = propose_links(entities, settings)
    store.replace_proposed_links(proposals)
    report.seconds = time.perf_counter() - started
    return report
