"""A customer book with planted listed names, and the review tests' own small lists."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from discreet.lists.load import load_file
from discreet.model import Entity, Name
from discreet.review import Actor
from discreet.store import LoadResult, ParsedList, Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "review"
SOURCE = "review_test"
MAPPING = {"id": "Ref", "name": "Full Name", "birth_date": "DOB", "country": "Country",
           "schema": "Type"}
ANA = Actor.of("ana", ["analyst"])
RUI = Actor.of("rui", ["reviewer"])
EVA = Actor.of("eva", ["analyst", "reviewer"])
AUDITOR = Actor.of("audrey", ["auditor"])

# ref -> (name, birth date, country, type, the entity it must alert on; None: new in v2)
PLANTED: dict[str, tuple[str, str, str, str, str]] = {
    "P-001": ("Viktor Brunov", "1961-04-12", "RU", "Person", "R-001"),
    "P-003": ("Hamid Tavakkoli", "", "IR", "Person", "R-003"),
    "P-004": ("Kwame Osei", "1969-02-28", "GH", "Person", "R-004"),
    "P-005": ("梁文浩", "1972-11-19", "CN", "Person", "R-005"),
    "P-006": ("Дмитрий Валько", "", "BY", "Person", "R-006"),
    "P-010": ("Nordwind Maritime Holdings", "", "CY", "Company", "R-010"),
}
PLANTED_V2: dict[str, tuple[str, str, str, str, str]] = {
    "P-021": ("Evgenia Lutsenko", "1986-02-11", "RU", "Person", "R-021"),
    "P-022": ("Crimson Ridge Petroleum", "", "AE", "Company", "R-022"),
    "P-023": ("Wilhelm Korte", "", "DE", "Person", "R-023"),
}
_SYLLABLES = ("ka", "lo", "mi", "ren", "tas", "vel", "dor", "phi", "zun", "bre", "sol", "mar",
              "ith", "gal", "nox", "ure", "bix", "qua", "tem", "jor")


def entity_id(ref: str) -> str:
    return f"{SOURCE}-{ref}"


def load_list(store: Store, version: int) -> LoadResult:
    """Our list: v1 (20 entities); v2 amends R-003 (a new alias) and adds R-021..R-023;
    v3 delists R-010."""
    return load_file(store, FIXTURES / f"list_v{version}.csv", source=SOURCE, fmt="csv",
                     published=f"2026-0{version}-01")


_FILLER = ("xo", "qu", "yr", "vax", "zem", "oth", "uly", "brak", "wix", "eft", "orn", "gry")


def load_filler(store: Store, size: int = 1200) -> LoadResult:
    """A second list of invented names, unlike the customers' and our list's, so that the
    index is as large as a real one is in kind (above the size where every name is
    compared): candidates come from the index and the prefilter's key test works."""
    rnd = random.Random(11)

    def word(parts: int) -> str:
        return "".join(rnd.choice(_FILLER) for _ in range(parts)).capitalize()

    entities = [Entity(id=f"filler-{n}", schema="Person", source="review_filler",
                       authority="TEST", authority_id=str(n),
                       names=[Name(f"{word(2)} {word(3)}")], programmes=["TEST-FILL"])
                for n in range(size)]
    records = {e.id: (e.content_hash(), e.to_json()) for e in entities}
    return store.write(ParsedList(source="review_filler", authority="TEST", format="test",
                                  file_name="filler", sha256="0" * 64,
                                  published="2026-01-01", records=records))


def write_book(path: Path, size: int, *, seed: int = 7) -> Path:
    """``size`` invented customers (names no list holds) plus every planted one."""
    rnd = random.Random(seed)

    def word(parts: int) -> str:
        return "".join(rnd.choice(_SYLLABLES) for _ in range(parts)).capitalize()

    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Ref", "Full Name", "DOB", "Country", "Type", "Segment", "Notes"])
        for n in range(size):
            out.writerow([f"C-{n:06d}", f"{word(rnd.randint(2, 3))} {word(3)}",
                          f"19{rnd.randint(40, 99)}-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}",
                          rnd.choice(["FR", "DE", "ES", "GB", "NL"]), "Person",
                          rnd.choice(["retail", "private"]), "invented"])
        for ref, (name, dob, country, kind, _) in {**PLANTED, **PLANTED_V2}.items():
            out.writerow([ref, name, dob, country, kind, "private", "planted"])
    return path
