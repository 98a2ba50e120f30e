"""Synthetic OpenSanctions-like FollowTheMoney data at any size, for repeatable benchmarks.

    python bench/synth_ftm.py --entities 1000000 --seed 7 --out synth.ftm.json
    python bench/synth_ftm.py --entities 100000 --seed 7 --nested --out targets.nested.json
    python bench/synth_ftm.py --entities 1000000 --seed 7 --aliases 15,35,50 --out 1m.ftm.json

Writes OpenSanctions' line formats: ``entities.ftm.json`` (default: one FtM entity per line;
the Sanction, Passport/Identification and Address entities that describe a target on lines
of their own, the Sanction naming its ``entity``, the target its ``addressEntity``) or, with
``--nested``, ``targets.nested.json`` (one line per target, those entities nested in its
``sanctions``, ``identification`` and ``addressEntity`` properties). What it makes:

* persons (about 70%), companies (about 27%) and vessels (about 3%), in 26 locales and 13
  scripts (Latin, Cyrillic, Arabic, Hebrew, Greek, Han, Kana, Hangul, Devanagari, Thai,
  Georgian, Armenian, Persian Arabic): names from the ``faker`` package's per-locale tables
  (a pinned dev dependency, so the same seed gives the same bytes), company names from its
  family names and a per-country legal form;
* 1 to 3 names per entity: the name in its own script, with aliases as OpenSanctions has
  them (a Latin transliteration of a non-Latin name, the name reordered "FAMILY, Given",
  initials "G. Family"); persons also ``firstName`` / ``lastName`` (and a patronymic in
  Russia and Ukraine);
* birth dates (exact, month or year), genders, nationalities and countries (mostly the
  locale's, sometimes a second), identifiers (passports, Russian INN and OGRN, tax and
  registration numbers, IMO numbers with their check digit and MMSI for vessels);
* ``topics`` in OpenSanctions' proportions: PEPs (``role.pep``) the majority of persons,
  sanctions a small minority (about 6% of all entities), then relatives and close
  associates, crime, persons of interest, debarment, wanted, export control, state-owned
  companies, shadow-fleet vessels; ``datasets`` that fit the topics (a sanctioned entity is
  in one or two sanctions lists); ``first_seen`` / ``last_seen`` / ``last_change``.

Output is streamed (memory does not grow with ``--entities``; a window of 256 lines is
shuffled so that related entities stand before or after their target, as in a real dump)
and deterministic for a seed.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from anyascii import anyascii

__all__ = ["LOCALES", "Generator", "imo_number", "main"]

WINDOW = 256  # lines shuffled together in the flat form
# how often an entity asks for 0, 1 and 2 aliases (it gets fewer when it has fewer forms)
ALIASES = (30.0, 45.0, 25.0)
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


@dataclass(frozen=True)
class Locale:
    """Where names come from: faker's locale, the country it stands for, its script, how
    common it is in the data, and the company legal forms used there."""

    code: str
    country: str
    script: str
    weight: float
    forms: tuple[str, ...]


LOCALES: tuple[Locale, ...] = (
    Locale("en_US", "us", "Latin", 8, ("Inc.", "LLC", "Corp.", "Holdings LLC")),
    Locale("en_GB", "gb", "Latin", 5, ("Ltd", "PLC", "LLP", "Holdings Ltd")),
    Locale("ru_RU", "ru", "Cyrillic", 12, ("ООО", "АО", "ПАО", "ЗАО")),
    Locale("uk_UA", "ua", "Cyrillic", 4, ("ТОВ", "ПрАТ", "АТ")),
    Locale("ar_AA", "ae", "Arabic", 4, ("ش.ذ.م.م", "ش.م.ع", "للتجارة العامة")),
    Locale("ar_SA", "sa", "Arabic", 3, ("ش.م.م", "المحدودة", "القابضة")),
    Locale("fa_IR", "ir", "Arabic", 5, ("شرکت سهامی خاص", "شرکت با مسئولیت محدود")),
    Locale("zh_CN", "cn", "Han", 6, ("有限公司", "股份有限公司", "集团有限公司")),
    Locale("ja_JP", "jp", "Kana", 2, ("株式会社", "合同会社")),
    Locale("ko_KR", "kr", "Hangul", 2, ("주식회사", "유한회사")),
    Locale("el_GR", "gr", "Greek", 2, ("Α.Ε.", "Ε.Π.Ε.", "Ι.Κ.Ε.")),
    Locale("he_IL", "il", "Hebrew", 2, ('בע"מ',)),
    Locale("hi_IN", "in", "Devanagari", 3, ("प्राइवेट लिमिटेड", "लिमिटेड")),
    Locale("th_TH", "th", "Thai", 1, ("บริษัท จำกัด", "จำกัด (มหาชน)")),
    Locale("ka_GE", "ge", "Georgian", 1, ("შპს", "სს")),
    Locale("hy_AM", "am", "Armenian", 1, ("ՍՊԸ", "ՓԲԸ")),
    Locale("de_DE", "de", "Latin", 5, ("GmbH", "AG", "GmbH & Co. KG")),
    Locale("fr_FR", "fr", "Latin", 4, ("SA", "SARL", "SAS")),
    Locale("es_ES", "es", "Latin", 3, ("S.A.", "S.L.")),
    Locale("es_MX", "mx", "Latin", 3, ("S.A. de C.V.", "S. de R.L.")),
    Locale("it_IT", "it", "Latin", 3, ("S.p.A.", "S.r.l.")),
    Locale("pt_BR", "br", "Latin", 3, ("Ltda.", "S.A.")),
    Locale("tr_TR", "tr", "Latin", 3, ("A.Ş.", "Ltd. Şti.")),
    Locale("pl_PL", "pl", "Latin", 2, ("Sp. z o.o.", "S.A.")),
    Locale("id_ID", "id", "Latin", 2, ("PT", "Tbk")),
    Locale("nl_NL", "nl", "Latin", 2, ("B.V.", "N.V.")),
)

# (topic set, weight) per schema: PEPs dominate persons; sanctions are a small minority.
PERSON_TOPICS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("role.pep",), 56), (("role.pep", "role.pep.natl"), 6), (("role.rca",), 12),
    (("sanction",), 4), (("sanction", "role.pep"), 1.5), (("sanction", "crime.terror"), 0.5),
    (("crime",), 3), (("crime.fin",), 1.5), (("wanted", "crime"), 1.5), (("poi",), 6),
    (("debarment",), 3), (("role.oligarch", "sanction"), 0.3), (("corp.disqual",), 4.7),
)
COMPANY_TOPICS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("sanction",), 6), (("sanction", "export.control"), 2), (("export.control",), 12),
    (("debarment",), 22), (("gov.soe",), 20), (("crime.fin",), 4), (("poi",), 14),
    (("sanction.linked",), 5), (("reg.action",), 15),
)
VESSEL_TOPICS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("sanction",), 60), (("sanction", "mare.shadow"), 20), (("mare.shadow",), 15),
    (("poi",), 5),
)
# Datasets that publish each kind of topic (one or two chosen per entity).
DATASETS: dict[str, tuple[str, ...]] = {
    "sanction": ("us_ofac_sdn", "eu_fsf", "gb_hmt_sanctions", "un_sc_sanctions",
                 "ch_seco_sanctions", "ua_nsdc_sanctions", "ca_dfatd_sema_sanctions",
                 "au_dfat_sanctions", "jp_mof_sanctions"),
    "role.pep": ("wd_peps", "everypolitician", "ru_rupep", "ua_war_sanctions", "br_pep",
                 "in_pep", "mx_pep"),
    "role.rca": ("wd_peps", "ru_rupep"),
    "crime": ("interpol_red_notices", "us_fbi_most_wanted", "ru_mvd_wanted"),
    "poi": ("wd_oligarchs", "icij_offshoreleaks", "ext_gleif"),
    "debarment": ("worldbank_debarred", "adb_sanctions", "us_sam_exclusions",
                  "gb_coh_disqualified"),
    "export": ("us_bis_denied", "us_trade_csl", "eu_dual_use"),
    "gov": ("ru_egrul_soe", "wd_state_owned"),
    "mare": ("ext_shadow_fleet", "us_ofac_sdn"),
    "reg": ("us_finra_actions", "gb_fca_warnings"),
}
PROGRAMMES = ("RUSSIA-EO14024", "UKRAINE-EO13660", "IRAN", "SDGT", "DPRK3", "EU-RUS-833",
              "UK-RUS", "UN-1267", "SYRIA", "VENEZUELA-EO13850", "BELARUS")
SECTORS = ("Trading", "Energy", "Logistics", "Invest", "Shipping", "Engineering", "Capital",
           "Metals", "Agro", "Construction", "Telecom", "Finance", "Industries", "Group")
VESSEL_WORDS = ("Star", "Ocean", "Pearl", "Eagle", "Fortune", "Grace", "Spirit", "Queen",
                "Voyager", "Horizon", "Glory", "Sun", "Wave", "Harmony", "Liberty", "Dream")
VESSEL_TYPES = ("Crude Oil Tanker", "Oil Products Tanker", "Bulk Carrier", "General Cargo",
                "Container Ship", "LPG Tanker", "Chemical Tanker")
FLAGS = ("pa", "lr", "mh", "km", "cm", "ga", "sl", "gm", "ru", "ir", "kp", "hk", "mt")
PATRONYMIC = {"ru": ("ович", "овна"), "ua": ("ович", "івна")}


def _pool(module: Any, *names: str) -> list[str]:
    """The first of ``names`` the provider has, as a list of strings (faker keeps some as
    dicts of weights, and Poland's family names by gender)."""
    for name in names:
        value = getattr(module.Provider, name, None)
        if isinstance(value, dict) and value and all(isinstance(v, (list, tuple))
                                                     for v in value.values()):
            return [str(x) for v in value.values() for x in v]
        if isinstance(value, (list, tuple, dict)) and len(value) >= 2:
            return [str(x) for x in value]
    return []


class _Names:
    """Name tables of one locale, read once from faker's person provider."""

    def __init__(self, locale: Locale) -> None:
        module = importlib.import_module(f"faker.providers.person.{locale.code}")
        self.male = _pool(module, "first_names_male", "first_names")
        self.female = _pool(module, "first_names_female", "first_names")
        self.last = _pool(module, "last_names_male", "male_last_names", "last_names")
        self.last_female = _pool(module, "last_names_female") or self.last
        self.middle = _pool(module, "middle_names_male")
        if len(self.last) < 20:  # a locale whose table is too small to be realistic
            self.last = self.last + _pool(module, "last_names")


def imo_number(rng: random.Random) -> str:
    """A valid IMO number: six digits and their check digit (weights 7..2)."""
    digits = [rng.randrange(1 if i == 0 else 0, 10) for i in range(6)]
    check = sum(d * w for d, w in zip(digits, range(7, 1, -1), strict=True)) % 10
    return "IMO" + "".join(map(str, digits)) + str(check)


def _inn(rng: random.Random, person: bool) -> str:
    """A Russian INN with valid check digits (12 digits for a person, 10 for a company)."""
    if person:
        digits = [rng.randrange(10) for _ in range(10)]
        for weights in ((7, 2, 4, 10, 3, 5, 9, 4, 6, 8),
                        (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)):
            digits.append(sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10)
        return "".join(map(str, digits))
    digits = [rng.randrange(10) for _ in range(9)]
    company: tuple[int, ...] = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    digits.append(sum(d * w for d, w in zip(digits, company, strict=True)) % 11 % 10)
    return "".join(map(str, digits))


def _ogrn(rng: random.Random) -> str:
    """A Russian OGRN (13 digits; the last is the rest modulo 11 of the first twelve)."""
    head = str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(11))
    return head + str(int(head) % 11 % 10)


def _date(rng: random.Random, first: int, last: int) -> str:
    return f"{rng.randint(first, last)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _stamp(rng: random.Random, first: int, last: int) -> str:
    return (f"{_date(rng, first, last)}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:"
            f"{rng.randint(0, 59):02d}")


class Generator:
    """Makes the entities of one seed, one target (with its related entities) at a time."""

    def __init__(self, seed: int, aliases: Sequence[float] = ALIASES) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.alias_weights = tuple(aliases)
        self.names = {loc.code: _Names(loc) for loc in LOCALES}
        self.locale_weights = [loc.weight for loc in LOCALES]

    def _choice_weighted(self, table: Sequence[tuple[tuple[str, ...], float]]
                         ) -> tuple[str, ...]:
        return self.rng.choices([t for t, _ in table], [w for _, w in table])[0]

    def _ident(self, number: int, topics: tuple[str, ...], datasets: list[str]) -> str:
        """OpenSanctions-style ids: a dataset's own (``ofac-123``), a Wikidata QID for
        PEPs, or a merged ``NK-`` id."""
        digest = hashlib.sha1(f"{self.seed}:{number}".encode()).digest()
        roll = digest[0] % 10
        if "role.pep" in topics and roll < 6:
            return f"Q{number * 7 + 1000003}"
        if roll < 3:
            prefix = datasets[0].split("_")[0] + "-" + datasets[0].split("_")[-1][:4]
            return f"{prefix}-{number}"
        value = int.from_bytes(digest[:16], "big")
        text = ""
        while value and len(text) < 22:
            value, rest = divmod(value, 58)
            text += BASE58[rest]
        return f"NK-{text}"

    def _datasets(self, topics: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        for topic in topics:
            family = topic if topic in DATASETS else topic.split(".")[0]
            pool = DATASETS.get(family) or DATASETS.get("poi", ())
            out.extend(self.rng.sample(pool, 2 if family == "sanction"
                                       and self.rng.random() < 0.35 else 1))
        return list(dict.fromkeys(out))

    def entity(self, number: int) -> list[dict[str, Any]]:
        """Target number ``number`` and the entities that describe it (target first)."""
        rng = self.rng
        roll = rng.random()
        locale = rng.choices(LOCALES, self.locale_weights)[0]
        if roll < 0.70:
            topics = self._choice_weighted(PERSON_TOPICS)
            schema = "Person"
        elif roll < 0.97:
            topics = self._choice_weighted(COMPANY_TOPICS)
            schema = "Company"
        else:
            topics = self._choice_weighted(VESSEL_TOPICS)
            schema = "Vessel"
        datasets = self._datasets(topics)
        ident = self._ident(number, topics, datasets)
        if schema == "Person":
            props = self._person(locale)
        elif schema == "Company":
            props = self._company(locale)
        else:
            props = self._vessel()
        props["topics"] = list(topics)
        first_seen = _stamp(rng, 2018, 2024)
        last_change = max(first_seen, _stamp(rng, 2022, 2025))
        target = {"id": ident, "caption": props["name"][0], "schema": schema,
                  "properties": props, "referents": [], "datasets": datasets,
                  "first_seen": first_seen, "last_seen": "2026-01-15T06:00:00",
                  "last_change": last_change, "target": True}
        out = [target]
        out.extend(self._related(target, locale, topics, datasets, first_seen))
        return out

    def _person(self, locale: Locale) -> dict[str, list[str]]:
        rng = self.rng
        names = self.names[locale.code]
        female = rng.random() < 0.3
        given = rng.choice(names.female if female else names.male)
        family = rng.choice(names.last_female if female else names.last)
        parts = [given, family]
        props: dict[str, list[str]] = {"firstName": [given], "lastName": [family],
                                       "gender": ["female" if female else "male"]}
        if locale.country in PATRONYMIC and names.middle:
            root = rng.choice(names.middle)
            father = root if female is False else root.replace("ович", PATRONYMIC[
                locale.country][1]).replace("евич", "евна")
            parts.insert(1, father)
            props["fatherName"] = [father]
        east = locale.script in ("Han", "Hangul", "Kana")
        primary = family + given if locale.script == "Han" else \
            (f"{family} {given}" if east else " ".join(parts))
        props["name"] = [primary]
        props["alias"] = self._aliases(primary, given, family, locale, person=True)
        precision = rng.random()
        birth = _date(rng, 1935, 2002)
        props["birthDate"] = [birth if precision < 0.7 else birth[:7] if precision < 0.75
                              else birth[:4]]
        nationality = [locale.country] + (
            [rng.choice(LOCALES).country] if rng.random() < 0.08 else [])
        props["nationality"] = list(dict.fromkeys(nationality))
        props["country"] = [locale.country]
        if rng.random() < 0.25:
            props["passportNumber"] = [f"{rng.randrange(10**8, 10**9)}"]
        if locale.country == "ru" and rng.random() < 0.3:
            props["innCode"] = [_inn(rng, True)]
        if rng.random() < 0.4:
            props["position"] = [rng.choice(("Member of Parliament", "Minister", "Governor",
                                             "Director", "Ambassador", "Judge", "Mayor",
                                             "Deputy Minister", "General"))]
        return {k: v for k, v in props.items() if v}

    def _company(self, locale: Locale) -> dict[str, list[str]]:
        rng = self.rng
        names = self.names[locale.code]
        family = rng.choice(names.last)
        form = rng.choice(locale.forms)
        sector = rng.choice(SECTORS)
        if locale.script == "Latin":
            primary = f"{family} {sector} {form}"
        elif locale.script in ("Arabic", "Hebrew"):
            primary = f"{family} {form}"
        else:
            primary = f"{form} {family}" if locale.code in ("ru_RU", "uk_UA", "ka_GE",
                                                             "hy_AM") else f"{family}{form}"
        props: dict[str, list[str]] = {"name": [primary], "country": [locale.country],
                                       "jurisdiction": [locale.country]}
        props["alias"] = self._aliases(primary, sector, family, locale, person=False)
        props["incorporationDate"] = [_date(rng, 1990, 2023)]
        if locale.country == "ru":
            props["innCode"] = [_inn(rng, False)]
            if rng.random() < 0.8:
                props["ogrnCode"] = [_ogrn(rng)]
        elif rng.random() < 0.5:
            props["registrationNumber"] = [f"{rng.randrange(10**6, 10**9)}"]
        if rng.random() < 0.2:
            props["taxNumber"] = [f"{locale.country.upper()}{rng.randrange(10**8, 10**10)}"]
        return {k: v for k, v in props.items() if v}

    def _vessel(self) -> dict[str, list[str]]:
        rng = self.rng
        primary = f"{rng.choice(VESSEL_WORDS)} {rng.choice(VESSEL_WORDS)}".upper()
        props: dict[str, list[str]] = {"name": [primary], "imoNumber": [imo_number(rng)],
                                       "flag": [rng.choice(FLAGS)],
                                       "type": [rng.choice(VESSEL_TYPES)],
                                       "buildDate": [str(rng.randint(1985, 2020))],
                                       "mmsi": [str(rng.randrange(2 * 10**8, 8 * 10**8))]}
        if rng.random() < 0.4:
            props["previousName"] = [f"{rng.choice(VESSEL_WORDS)} "
                                     f"{rng.choice(VESSEL_WORDS)}".upper()]
        return props

    def _aliases(self, primary: str, given: str, family: str, locale: Locale,
                 person: bool) -> list[str]:
        """0 to 2 aliases (so 1 to 3 names): transliteration, reordering, initials."""
        rng = self.rng
        wanted = rng.choices((0, 1, 2), self.alias_weights)[0]
        found: list[str] = []
        if locale.script != "Latin":
            found.append(anyascii(primary).strip())
        if person:
            latin_given, latin_family = anyascii(given).strip(), anyascii(family).strip()
            found.append(f"{latin_family.upper()}, {latin_given}")
            if latin_given:
                found.append(f"{latin_given[0]}. {latin_family}")
        else:
            found.append(anyascii(primary).upper())
        out = [a for a in dict.fromkeys(found) if a and a != primary]
        return out[:wanted]

    def _related(self, target: dict[str, Any], locale: Locale, topics: tuple[str, ...],
                 datasets: list[str], first_seen: str) -> Iterator[dict[str, Any]]:
        """The target's Sanction entities, an identity document and an address."""
        rng = self.rng
        ident = target["id"]
        props = target["properties"]
        shell = {"referents": [], "first_seen": first_seen, "last_seen": "2026-01-15T06:00:00",
                 "last_change": target["last_change"], "target": False}
        if any(t.startswith("sanction") and t != "sanction.linked" for t in topics):
            for dataset in (d for d in datasets if d in DATASETS["sanction"]):
                sanction = {"entity": [ident], "authority": [dataset.split("_")[0].upper()],
                            "program": [rng.choice(PROGRAMMES)],
                            "listingDate": [_date(rng, 2014, 2025)],
                            "sourceUrl": [f"https://sanctions.example/{dataset}"]}
                if rng.random() < 0.5:
                    sanction["authorityId"] = [str(rng.randrange(10000, 99999))]
                digest = hashlib.sha1(f"{ident}:{dataset}".encode()).hexdigest()
                yield {"id": f"{dataset.split('_')[0]}-sanc-{digest[:24]}", "caption": dataset,
                       "schema": "Sanction", "properties": sanction, "datasets": [dataset],
                       **shell}
        if target["schema"] == "Person" and "passportNumber" in props and rng.random() < 0.5:
            number = props["passportNumber"][0]
            digest = hashlib.sha1(f"{ident}:passport:{number}".encode()).hexdigest()
            yield {"id": f"id-{digest[:24]}", "caption": number, "schema": "Passport",
                   "properties": {"holder": [ident], "number": [number],
                                  "country": [locale.country], "type": ["Passport"]},
                   "datasets": datasets[:1], **shell}
        if target["schema"] != "Vessel" and rng.random() < 0.3:
            names = self.names[locale.code]
            city = anyascii(rng.choice(names.last)).strip() or "City"
            full = f"{rng.randint(1, 200)} {anyascii(rng.choice(names.last))} St, " \
                   f"{rng.randrange(10000, 99999)} {city}"
            digest = hashlib.sha1(f"{ident}:address".encode()).hexdigest()
            address = f"addr-{digest[:24]}"
            props["addressEntity"] = [address]
            yield {"id": address, "caption": full, "schema": "Address",
                   "properties": {"full": [full], "city": [city], "country": [locale.country]},
                   "datasets": datasets[:1], **shell}


REVERSE = {"Sanction": ("sanctions", "entity"), "Passport": ("identification", "holder"),
           "Identification": ("identification", "holder"), "Address": ("addressEntity", "")}


def nest(group: list[dict[str, Any]]) -> dict[str, Any]:
    """The target of ``group`` with its related entities nested, as targets.nested.json
    has them (the back-reference to the target left out)."""
    target = {**group[0], "properties": dict(group[0]["properties"])}
    props = target["properties"]
    if any(item["schema"] == "Address" for item in group[1:]):
        props.pop("addressEntity", None)
    for item in group[1:]:
        prop, back = REVERSE[item["schema"]]
        child = {k: v for k, v in item.items() if k not in ("referents", "target")}
        child["properties"] = {k: v for k, v in item["properties"].items() if k != back}
        props.setdefault(prop, []).append(child)
    return target


def generate(count: int, seed: int, out: IO[str], nested: bool = False,
             aliases: Sequence[float] = ALIASES) -> int:
    """Write ``count`` targets (and their related entities); returns the lines written.
    ``aliases``: the weights of asking for 0, 1 and 2 aliases (:data:`ALIASES`)."""
    gen = Generator(seed, aliases)
    window: list[str] = []
    shuffle = random.Random(seed ^ 0x5F3759DF)
    lines = 0
    for number in range(count):
        group = gen.entity(number)
        if nested:
            out.write(json.dumps(nest(group), ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
            lines += 1
            continue
        for item in group:
            window.append(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
            if len(window) > WINDOW:
                index = shuffle.randrange(len(window))
                window[index], window[-1] = window[-1], window[index]
                out.write(window.pop())
                out.write("\n")
                lines += 1
    shuffle.shuffle(window)
    for line in window:
        out.write(line)
        out.write("\n")
        lines += 1
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entities", type=int, required=True,
                        help="target entities (persons, companies, vessels) to make")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same bytes")
    parser.add_argument("--out", default="-", help="output file (default: standard output)")
    parser.add_argument("--nested", action="store_true",
                        help="targets.nested.json form: related entities nested in each target")
    parser.add_argument("--aliases", default=",".join(f"{w:g}" for w in ALIASES),
                        help="weights of 0, 1 and 2 aliases per entity (default "
                             f"{','.join(f'{w:g}' for w in ALIASES)}: about 1.9 names an "
                             "entity; 15,35,50 about 2.26)")
    args = parser.parse_args(argv)
    try:
        aliases = tuple(float(w) for w in args.aliases.split(","))
    except ValueError:
        parser.error("--aliases: three numbers, e.g. 30,45,25")
    if len(aliases) != 3 or min(aliases) < 0 or not sum(aliases):
        parser.error("--aliases: three weights, none negative, not all 0")
    if args.entities < 0:
        parser.error("--entities must be 0 or more")
    if args.out == "-":
        lines = generate(args.entities, args.seed, sys.stdout, args.nested, aliases)
    else:
        path = Path(args.out)
        partial = path.with_name(path.name + ".partial")
        with partial.open("w", encoding="utf-8", newline="\n") as handle:
            lines = generate(args.entities, args.seed, handle, args.nested,
                             aliases)
        partial.replace(path)  # never a half-written file under the name asked for
    print(f"{args.entities} targets, {lines} lines", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
