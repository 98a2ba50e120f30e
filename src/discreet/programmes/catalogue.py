"""The programme catalogue: each authority's programme codes and names -> one sanctions regime.

Authorities label one regime in their own vocabularies (OFAC ``SYRIA`` and ``SYRIA-EO13894``,
the UK's ``Syria`` and ``SYR``, Canada's ``Syria / Syrie``), and a UN ``GB`` is Guinea-Bissau,
not the United Kingdom. The facts are data, in the commented ``programmes/data/programmes.yml``
(shipped with the package), checked as they are read: an unknown key, a key given twice, a
label given to two programmes of one authority or a programme without a known regime fails
with the key's name. Codes are kept as the lists state them; this module only maps them.

>>> resolve("OFAC", "SYRIA-EO13894").regime
'syria'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from discreet.programmes.yamlfile import YamlFile

__all__ = [
    "Authority",
    "Catalogue",
    "Programme",
    "Regime",
    "catalogue",
    "catalogue_from_dict",
    "label_key",
    "programme_warnings",
    "programmes",
    "read_catalogue",
    "regime_of",
    "regimes",
    "resolve",
    "unknown_codes",
]

FILE = "programmes.yml"
_REGIME_KEYS = {"name", "summary"}
_AUTHORITY_KEYS = {"name", "aliases", "also", "programmes"}
_PROGRAMME_KEYS = {"name", "aliases", "regime", "umbrella", "legal_basis", "start", "renewal"}
_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_BILINGUAL = " / "  # Canada writes "Russia / Russie"


def label_key(text: str) -> str:
    """How labels are compared: case, repeated spaces and the kind of dash do not count."""
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", text))
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class Regime:
    """One sanctions regime, as several authorities run it (``russia-ukraine``, ``dprk``)."""

    id: str
    name: str
    summary: str = ""


@dataclass(frozen=True, slots=True)
class Programme:
    """One authority's programme: its code, the regime it belongs to and what it rests on."""

    authority: str  # as the parsers record it: OFAC, UN, EU, UK, CA, AU, FtM
    code: str  # exactly as the authority writes it
    name: str
    regime: str | None  # a Regime id; None only for an umbrella law
    aliases: tuple[str, ...] = ()  # other labels of the same programme
    umbrella: bool = False  # a law under which several regimes run (names none of them)
    legal_basis: tuple[str, ...] = ()
    start: str | None = None  # ISO date
    renewal: str | None = None


@dataclass(frozen=True, slots=True)
class Authority:
    """An authority's table of programmes."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()
    also: tuple[str, ...] = ()  # authorities consulted for a code this table lacks
    programmes: Mapping[str, Programme] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Every regime and every authority's programmes, with the lookups by label."""

    regimes: Mapping[str, Regime]
    authorities: Mapping[str, Authority]
    _by_label: Mapping[tuple[str, str], Programme]
    _authority_by_label: Mapping[str, str]

    def authority(self, name: str) -> Authority | None:
        """The authority a parser's label (``UK``, ``GB``, ``Canada``) names, if known."""
        code = self._authority_by_label.get(label_key(name or ""))
        return self.authorities[code] if code else None

    def resolve(self, authority: str, code_or_name: str) -> Programme | None:
        """The programme a code or name of ``authority`` denotes; None when not catalogued.

        A bilingual label (``Syria / Syrie``) resolves when its parts name one programme. An
        authority with ``also`` (FtM files) falls back to those authorities' tables when all
        of them that know the label agree on one regime.
        """
        found = self.authority(authority)
        if found is None or not (code_or_name or "").strip():
            return None
        own = self._lookup(found.code, code_or_name)
        if own is not None or not found.also:
            return own
        hits = [p for other in found.also if (p := self._lookup(other, code_or_name))]
        if hits and len({p.regime for p in hits}) == 1 and hits[0].regime is not None:
            return hits[0]
        return None

    def _lookup(self, authority: str, label: str) -> Programme | None:
        hit = self._by_label.get((authority, label_key(label)))
        if hit is not None or _BILINGUAL not in label:
            return hit
        parts = {self._by_label.get((authority, label_key(part)))
                 for part in label.split(_BILINGUAL) if part.strip()}
        parts.discard(None)
        return parts.pop() if len(parts) == 1 else None

    def regime_of(self, authority: str, code_or_name: str) -> Regime | None:
        """The regime a code belongs to (None when unknown or an umbrella law)."""
        programme = self.resolve(authority, code_or_name)
        return self.regimes[programme.regime] if programme and programme.regime else None

    def programmes(self, regime: str) -> list[Programme]:
        """Every authority's programmes of one regime, by authority then code."""
        return [p for a in self.authorities.values() for p in a.programmes.values()
                if p.regime == regime]


_FILE = YamlFile(FILE, dates_as_text=True)  # the reading and checks shared with lists/


def _programme(authority: str, code: str, raw: Any, regimes: Mapping[str, Regime]) -> Programme:
    where = f"authorities.{authority}.programmes.{code}"
    raw = _FILE.mapping(raw, where, _PROGRAMME_KEYS, ("name",))
    umbrella = raw.get("umbrella", False)
    if not isinstance(umbrella, bool):
        raise _FILE.fail(f"{where}.umbrella", "expected true or false")
    regime = _FILE.text(raw["regime"], f"{where}.regime") if "regime" in raw else None
    if umbrella == (regime is not None):
        raise _FILE.fail(where, "give exactly one of regime and umbrella: true "
                           "(one regime per code)")
    if regime is not None and regime not in regimes:
        raise _FILE.fail(f"{where}.regime", f"unknown regime {regime!r}")
    return Programme(
        authority=authority, code=code, name=_FILE.text(raw["name"], f"{where}.name"),
        regime=regime,
        aliases=_FILE.texts(raw.get("aliases", []), f"{where}.aliases"), umbrella=umbrella,
        legal_basis=_FILE.texts(raw.get("legal_basis", []), f"{where}.legal_basis"),
        start=_FILE.date(raw["start"], f"{where}.start") if "start" in raw else None,
        renewal=_FILE.text(raw["renewal"], f"{where}.renewal") if "renewal" in raw else None,
    )


def _authority(code: str, raw: Any, regimes: Mapping[str, Regime]) -> Authority:
    where = f"authorities.{code}"
    raw = _FILE.mapping(raw, where, _AUTHORITY_KEYS, ("name", "programmes"))
    table = _FILE.mapping(raw["programmes"], f"{where}.programmes")
    return Authority(
        code=code, name=_FILE.text(raw["name"], f"{where}.name"),
        aliases=_FILE.texts(raw.get("aliases", []), f"{where}.aliases"),
        also=_FILE.texts(raw.get("also", []), f"{where}.also"),
        programmes=MappingProxyType({c: _programme(code, c, p, regimes)
                                     for c, p in table.items()}),
    )


def catalogue_from_dict(data: Any) -> Catalogue:
    """A checked catalogue from the parsed YAML (a ValueError names the first bad key)."""
    data = _FILE.mapping(data, "top level", {"regimes", "authorities"}, ("regimes", "authorities"))
    regimes = {rid: Regime(rid, _FILE.text(raw["name"], f"regimes.{rid}.name"),
                           _FILE.text(raw["summary"], f"regimes.{rid}.summary")
                           if "summary" in raw else "")
               for rid, raw in ((rid, _FILE.mapping(raw, f"regimes.{rid}", _REGIME_KEYS, ("name",)))
                                for rid, raw in _FILE.mapping(data["regimes"], "regimes").items())}
    authorities = {code: _authority(code, raw, regimes)
                   for code, raw in _FILE.mapping(data["authorities"], "authorities").items()}
    by_label: dict[tuple[str, str], Programme] = {}
    authority_by_label: dict[str, str] = {}
    for code, authority in authorities.items():
        for label in (code, *authority.aliases):
            other = authority_by_label.setdefault(label_key(label), code)
            if other != code:
                raise _FILE.fail(f"authorities.{code}", f"label {label!r} also names {other}")
        for name in authority.also:
            if name not in authorities or name == code:
                raise _FILE.fail(f"authorities.{code}.also", f"{name!r} is not another authority")
        for programme in authority.programmes.values():
            for label in (programme.code, *programme.aliases):
                key = (code, label_key(label))
                if key in by_label:
                    raise _FILE.fail(f"authorities.{code}.programmes.{programme.code}",
                                f"label {label!r} is already {by_label[key].code!r}'s "
                                "(one regime per code per authority)")
                by_label[key] = programme
    used = {p.regime for a in authorities.values() for p in a.programmes.values()}
    idle = sorted(set(regimes) - used)
    if idle:
        raise _FILE.fail(f"regimes.{idle[0]}", "no programme belongs to it")
    return Catalogue(MappingProxyType(regimes), MappingProxyType(authorities),
                     MappingProxyType(by_label), MappingProxyType(authority_by_label))


def read_catalogue(text: str) -> Catalogue:
    """A checked catalogue from the YAML text (a ValueError names the first bad key)."""
    return catalogue_from_dict(_FILE.load(text))


@cache
def catalogue() -> Catalogue:
    """The catalogue shipped with discreet (read once)."""
    return read_catalogue(_FILE.packaged("discreet.programmes"))


def resolve(authority: str, code_or_name: str) -> Programme | None:
    """The shipped catalogue's programme for an authority's code or name, or None."""
    return catalogue().resolve(authority, code_or_name)


def regime_of(authority: str, code_or_name: str) -> Regime | None:
    """The shipped catalogue's regime for an authority's code or name, or None."""
    return catalogue().regime_of(authority, code_or_name)


def regimes() -> list[Regime]:
    """Every regime of the shipped catalogue, in the file's order."""
    return list(catalogue().regimes.values())


def programmes(regime: str) -> list[Programme]:
    """Every authority's programmes of one regime in the shipped catalogue."""
    return catalogue().programmes(regime)


def unknown_codes(authority: str, codes: Iterable[str]) -> list[str]:
    """The codes (sorted, once each) that the shipped catalogue cannot resolve."""
    return sorted({c for c in codes if resolve(authority, c) is None})


def programme_warnings(file_name: str, seen: Mapping[tuple[str, str], int],
                       shown: int = 20) -> list[str]:
    """One load warning per authority with programme codes the catalogue lacks.

    ``seen`` counts entities per (authority, code). The codes stay on the entities as the
    list states them; the warning says which ones no regime claims, so they can be added.
    """
    missing: dict[str, Counter[str]] = {}
    for (authority, code), count in seen.items():
        if resolve(authority, code) is None:
            missing.setdefault(authority, Counter())[code] += count
    out = []
    for authority, counts in sorted(missing.items()):
        listed = ", ".join(f"{code!r} ({n})" for code, n in sorted(counts.items())[:shown])
        more = f" and {len(counts) - shown} more" if len(counts) > shown else ""
        known = catalogue().authority(authority) is not None
        what = "not in the regime catalogue" if known else \
            f"of an authority the regime catalogue has no table for ({authority or 'none'!r})"
        out.append(f"{file_name}: {len(counts)} programme code(s) of {authority or '?'} "
                   f"{what}, kept unmapped (entities): {listed}{more}; see docs/regimes.md")
    return out
