"""The programme catalogue: checked as read, one regime per label, and every programme code of
every fixture (the project's own and the real published files) resolved to a regime."""

from __future__ import annotations

import csv
import tomllib
from collections import Counter
from pathlib import Path

import pytest

import discreet.programmes
from discreet.errors import DiscreetError
from discreet.lists.load import load_file, read_list
from discreet.programmes.catalogue import (
    catalogue,
    label_key,
    programme_warnings,
    programmes,
    read_catalogue,
    regime_of,
    regimes,
    resolve,
    unknown_codes,
)
from discreet.sources import detect, open_list
from discreet.store import Store
from tests.conftest import OWN_FIXTURES, ROOT, SHARED_LISTS, skip_outside_ci

ARCHIVE = SHARED_LISTS.parent / "archive"
# Files of a published set that are not lists by themselves (OFAC's add/alt/comments beside
# sdn.csv, schemas, data specs), and the FtM catalogue index: no programme codes to check.
NOT_LISTS = ("add.csv", "alt.csv", "sdn_comments.csv", "cons_add.csv", "cons_alt.csv",
             "cons_comments.csv", ".xsd", ".txt", ".md", ".py", "catalog_index_2024-06.json")
# Files no parser reads (OFSI's XLSX: the CSV of the same list is read): each must be refused
# in one line, and is listed here so that a parser for it makes this test say so.
UNREAD = ("uk_ofsi_conlist/conlist_2025-04-10_resaved.xlsx",)


def _codes(path: Path) -> Counter[tuple[str, str]]:
    """(authority, programme code) -> entities, as the parsers record them."""
    meta, entities = open_list(path)
    seen: Counter[tuple[str, str]] = Counter()
    for entity in entities:
        seen.update((entity.authority or meta.authority, p) for p in entity.programmes)
    return seen


def _unresolved(seen: Counter[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(key for key in seen if resolve(*key) is None)


def _manifest(folder: Path) -> list[str]:
    path = folder / "MANIFEST.csv"
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return [row["path"] for row in csv.DictReader(handle)]


# files beside a list (OFAC's add/alt), schemas and specs are not lists: not parametrised
SHARED = [pytest.param(SHARED_LISTS / rel, id=f"lists/{rel}") for rel in _manifest(SHARED_LISTS)
          if not rel.lower().endswith(NOT_LISTS)]
SHARED += [pytest.param(ARCHIVE / rel, id=f"archive/{rel}") for rel in _manifest(ARCHIVE)
           if not rel.lower().endswith(NOT_LISTS)]


# -- the shipped catalogue --------------------------------------------------------------------


def test_shipped_catalogue_reads_and_covers_every_authority() -> None:
    shipped = catalogue()
    assert set(shipped.authorities) == {"OFAC", "UN", "EU", "UK", "CA", "AU", "FtM"}
    assert all(a.programmes for a in shipped.authorities.values())
    assert len(shipped.regimes) >= 40
    # every programme names a regime of the catalogue, or is an umbrella law naming none
    for authority in shipped.authorities.values():
        for p in authority.programmes.values():
            assert (p.regime in shipped.regimes) != p.umbrella, p
            assert p.start is None or len(p.start) == 10


def test_shipped_catalogue_is_package_data() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "programmes/data/*.yml" in data["tool"]["setuptools"]["package-data"]["discreet"]


@pytest.mark.parametrize(("authority", "labels", "regime"), [
    ("OFAC", ["SYRIA", "SYRIA-EO13894", "SYRIA-CAESAR", "HRIT-SY", "FSE-SY"], "syria"),
    ("UK", ["Syria", "SYRIA", "SYR"], "syria"),
    ("EU", ["SYR"], "syria"),
    ("CA", ["Syria / Syrie", "Syria", "Syrie"], "syria"),
    ("AU", ["Autonomous (Syria)"], "syria"),
    ("UK", ["AFG", "Afghanistan"], "taliban"),
    ("EU", ["AFG"], "taliban"),
    ("UN", ["Taliban", "TA"], "taliban"),
    ("AU", ["1988 (Taliban)", "1988 (Taliban) "], "taliban"),
    ("UN", ["GB", "gb", "Guinea-Bissau"], "guinea-bissau"),
    ("UK", ["Republic of Guinea-Bissau"], "guinea-bissau"),
    ("EU", ["GNB"], "guinea-bissau"),
    ("UN", ["Al-Qaida", "ISIL (Da'esh) & Al-Qaida", "QD"], "isil-al-qaida"),
    ("UK", ["AQD", "Al-Qaida", "The ISIL (Da'esh) and Al-Qaida organisations"], "isil-al-qaida"),
    ("EU", ["TAQA"], "isil-al-qaida"),
    ("AU", ["1267/1989/2253 (ISIL (Da'esh) and Al-Qaida)"], "isil-al-qaida"),
    ("UN", ["DPRK", "KP"], "dprk"),
    ("OFAC", ["DPRK", "DPRK2", "DPRK3", "DPRK4", "DPRK-NKSPEA"], "dprk"),
    ("OFAC", ["RUSSIA-EO14024", "RUSSIA-EO", "UKRAINE-EO13662", "CAATSA - RUSSIA"],
     "russia-ukraine"),
    ("EU", ["UKR"], "russia-ukraine"),
    ("UK", ["RUS", "Russia", "Ukraine (Sovereignty)"], "russia-ukraine"),
    ("CA", ["Russia / Russie", "Ukraine"], "russia-ukraine"),
    ("AU", ["Autonomous (Russia)", "Autonomous (Ukraine)"], "russia-ukraine"),
    ("OFAC", ["SDGT", "SDT", "FTO"], "counter-terrorism"),
    ("EU", ["TERR"], "counter-terrorism"),
    ("OFAC", ["CYBER2"], "cyber"),
    ("AU", ["Autonomous (Thematic - Cyber)", "Autonomous (Thematic – Cyber)  "], "cyber"),
    ("OFAC", ["GLOMAG", "MAGNIT"], "human-rights"),
    ("AU", ["Autonomous (Thematic – Corruption)", "autonomous (thematic - corruption)"],
     "corruption"),
    ("OFAC", ["SDNTK", "ILLICIT-DRUGS-EO14059", "ILLICIT-DRUGS-EO"], "narcotics"),
    ("OFAC", ["NPWMD"], "non-proliferation"),
    ("UN", ["Haiti", "26532022"], "haiti"),
])
def test_examples_resolve_to_one_regime(authority: str, labels: list[str], regime: str) -> None:
    found = {resolve(authority, label) for label in labels}
    assert None not in found, [label for label in labels if resolve(authority, label) is None]
    assert {p.regime for p in found if p} == {regime}
    assert {r.id for label in labels if (r := regime_of(authority, label))} == {regime}


def test_uk_and_gb_are_authorities_while_un_gb_is_guinea_bissau() -> None:
    # "GB" as an authority is the United Kingdom; as a UN regime code it is Guinea-Bissau.
    uk = catalogue().authority("GB")
    assert uk is not None and uk.code == "UK"
    assert resolve("GB", "RUS") == resolve("UK", "RUS")
    un_gb = resolve("UN", "GB")
    assert un_gb is not None and un_gb.regime == "guinea-bissau"
    assert "2048 (2012)" in " ".join(un_gb.legal_basis) and un_gb.start == "2012-05-18"
    assert resolve("UK", "GB") is None  # not a UK code


def test_unknown_labels_and_authorities_resolve_to_none() -> None:
    assert resolve("OFAC", "NOT-A-PROGRAM") is None
    assert resolve("OFAC", "") is None and resolve("OFAC", "   ") is None
    assert resolve("Atlantis", "SDGT") is None
    assert resolve("EU", "SDGT") is None  # codes belong to their authority
    assert regime_of("OFAC", "NOT-A-PROGRAM") is None
    assert unknown_codes("OFAC", ["SDGT", "NOPE", "NOPE", "IRAN"]) == ["NOPE"]


def test_bilingual_labels_resolve_only_when_their_parts_agree() -> None:
    assert resolve("CA", "Russie / Russia") == resolve("CA", "Russia")
    assert resolve("CA", "Myanmar (Burma) / Myanmar (Birmanie)") == resolve("CA", "Burma")
    assert resolve("CA", "Russia / Syria") is None  # two programmes: not one regime
    assert resolve("CA", "Nowhere / Nulle part") is None


def test_ftm_files_fall_back_to_the_authorities_they_quote() -> None:
    own = resolve("FtM", "US-RUSHAR")
    assert own is not None and (own.authority, own.regime) == ("FtM", "russia-ukraine")
    quoted = resolve("FtM", "RUSSIA-EO14024")
    assert quoted is not None and (quoted.authority, quoted.code) == ("OFAC", "RUSSIA-EO14024")
    assert resolve("OpenSanctions", "SDGT") == resolve("OFAC", "SDGT")
    umbrella = resolve("FtM", "CA-SEMA")
    assert umbrella is not None and umbrella.umbrella and umbrella.regime is None
    assert regime_of("FtM", "CA-SEMA") is None  # an umbrella law names no regime


def test_programmes_of_a_regime_span_authorities() -> None:
    russia = programmes("russia-ukraine")
    assert {p.authority for p in russia} >= {"OFAC", "EU", "UK", "CA", "AU", "FtM"}
    eu_ukr = next(p for p in russia if (p.authority, p.code) == ("EU", "UKR"))
    assert "Council Regulation (EU) No 269/2014" in eu_ukr.legal_basis
    assert eu_ukr.start == "2014-03-17" and eu_ukr.renewal and "six months" in eu_ukr.renewal
    assert {p.authority for p in programmes("isil-al-qaida")} == {"UN", "EU", "UK", "AU"}
    assert programmes("no-such-regime") == []
    ids = [r.id for r in regimes()]
    assert len(ids) == len(set(ids)) and {"russia-ukraine", "belarus", "syria", "iran", "dprk",
                                          "isil-al-qaida", "taliban", "counter-terrorism",
                                          "cyber", "human-rights"} <= set(ids)
    assert discreet.programmes.regimes() == regimes()  # the package's face


def test_label_key_ignores_case_spaces_and_dashes() -> None:
    assert label_key("  Autonomous (Thematic \u2013 Corruption) ") == \
        "autonomous (thematic - corruption)"
    assert label_key("CAATSA  -  RUSSIA") == label_key("caatsa - russia")
    assert label_key("SYRIA") == label_key("Syria")


# -- the YAML is checked as it is read --------------------------------------------------------

GOOD = """
regimes:
  syria: {name: Syria}
  iran: {name: Iran}
authorities:
  OFAC:
    name: OFAC
    programmes:
      SYRIA: {name: Syria sanctions, regime: syria, start: 2004-05-11}
      IRAN: {name: Iran sanctions, regime: iran, aliases: [ITSR]}
  UK:
    name: UK
    aliases: [GB]
    also: [OFAC]
    programmes:
      Syria: {name: Syria, regime: syria}
"""


def _variant(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


def test_a_small_catalogue_reads() -> None:
    small = read_catalogue(GOOD)
    assert small.resolve("OFAC", "itsr") == small.resolve("OFAC", "IRAN")
    assert small.resolve("GB", "syria") is not None  # the same label in two authorities: fine
    syria = small.resolve("OFAC", "SYRIA")
    assert syria is not None and syria.start == "2004-05-11"
    assert small.resolve("UK", "IRAN") == small.resolve("OFAC", "IRAN")  # via also


@pytest.mark.parametrize(("old", "new", "message"), [
    ("  iran: {name: Iran}", "  iran: {name: Iran, colour: red}", "regimes.iran.colour: unknown"),
    ("    name: OFAC\n", "    name: OFAC\n    website: x\n", "authorities.OFAC.website: unknown"),
    ("regime: syria, start", "regime: syria, began: 2004, start",
     "programmes.SYRIA.began: unknown"),
    ("  iran: {name: Iran}", "  iran: {name: Iran}\n  iran: {name: Iran again}", "given twice"),
    ("      IRAN: {name", "      SYRIA: {name: Again, regime: syria}\n      IRAN: {name",
     "given twice"),
    ("aliases: [ITSR]", "aliases: [Syria]", "already 'SYRIA'"),  # case-insensitive clash
    ("aliases: [ITSR]", "aliases: [ITSR, itsr]", "already 'IRAN'"),
    ("      Syria: {name: Syria, regime: syria}", "      Syria: {name: Syria}",
     "exactly one of regime and umbrella"),
    ("      Syria: {name: Syria, regime: syria}",
     "      Syria: {name: Syria, regime: syria, umbrella: true}",
     "exactly one of regime and umbrella"),
    ("regime: iran, aliases", "regime: persia, aliases", "unknown regime 'persia'"),
    ("      IRAN: {name", "      561: {name: x, regime: iran}\n      IRAN: {name", "quote it"),
    ("start: 2004-05-11", "start: May 2004", "ISO date"),
    ("start: 2004-05-11", "start: 2004-02-30", "ISO date"),
    ("  iran: {name: Iran}", "  iran: {name: Iran}\n  cuba: {name: Cuba}",
     "regimes.cuba: no programme"),
    ("also: [OFAC]", "also: [EU]", "'EU' is not another authority"),
    ("also: [OFAC]", "also: [UK]", "'UK' is not another authority"),
    ("aliases: [GB]", "aliases: [ofac]", "also names OFAC"),
    ("{name: Iran sanctions,", "{name: '',", "non-empty string"),
    ("aliases: [ITSR]", "aliases: ITSR", "expected a list"),
])
def test_bad_catalogues_are_refused_with_the_key(old: str, new: str, message: str) -> None:
    with pytest.raises(ValueError, match=r"programmes\.yml") as info:
        read_catalogue(_variant(old, new))
    assert message in str(info.value)


def test_top_level_keys_are_required_and_known() -> None:
    with pytest.raises(ValueError, match="top level"):
        read_catalogue("regimes: {}\n")
    with pytest.raises(ValueError, match=r"top level\.extra: unknown"):
        read_catalogue(GOOD + "extra: 1\n")
    with pytest.raises(ValueError, match="expected a mapping"):
        read_catalogue("- a list\n")
    with pytest.raises(ValueError, match=r"programmes\.yml: not valid YAML"):
        read_catalogue("regimes: [unclosed\n")


# -- load reports codes the catalogue lacks ----------------------------------------------------


def test_programme_warnings_name_each_unknown_code_once_per_authority() -> None:
    seen = Counter({("OFAC", "SDGT"): 5, ("OFAC", "NEW-EO99999"): 3, ("OFAC", "ALSO-NEW"): 1,
                    ("UN", "Al-Qaida"): 2, ("internal", "VIP"): 4})
    lines = programme_warnings("x.csv", seen)
    assert len(lines) == 2, lines
    ofac = next(line for line in lines if " of OFAC " in line)
    assert "'ALSO-NEW' (1), 'NEW-EO99999' (3)" in ofac and "SDGT" not in ofac
    assert "not in the regime catalogue" in ofac and ofac.startswith("x.csv: 2 programme")
    internal = next(line for line in lines if "'internal'" in line)
    assert "no table for" in internal and "'VIP' (4)" in internal
    many = Counter({("OFAC", f"X{i:02}"): 1 for i in range(25)})
    assert programme_warnings("y.xml", many)[0].endswith("and 5 more; see docs/regimes.md")
    assert programme_warnings("z.xml", Counter({("OFAC", "SDGT"): 9})) == []


def _with_unknown_code(tmp_path: Path) -> Path:
    text = (OWN_FIXTURES / "un" / "un_small.xml").read_text("utf-8")
    first = text.index("<UN_LIST_TYPE>") + len("<UN_LIST_TYPE>")
    end = text.index("</UN_LIST_TYPE>", first)
    changed = tmp_path / "un_new_regime.xml"
    changed.write_text(text[:first] + "Atlantis" + text[end:], "utf-8")
    return changed


def test_read_list_reports_unknown_codes_and_keeps_them(tmp_path: Path) -> None:
    clean = read_list(OWN_FIXTURES / "un" / "un_small.xml")
    assert not [w for w in clean.warnings if "programme" in w]
    parsed = read_list(_with_unknown_code(tmp_path))
    assert [w for w in parsed.warnings if "programme" in w] == [
        "un_new_regime.xml: 1 programme code(s) of UN not in the regime catalogue, kept "
        "unmapped (entities): 'Atlantis' (1); see docs/regimes.md"]
    assert any('"Atlantis"' in data for _, data in parsed.records.values())  # never dropped


def test_load_outcome_carries_the_warning(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "d.db")) as store:
        result = load_file(store, _with_unknown_code(tmp_path))
        assert result.status == "new"
        assert any("'Atlantis'" in w for w in result.warnings), result.warnings


# -- every programme code of every fixture resolves --------------------------------------------


def test_every_programme_code_of_the_own_fixtures_resolves() -> None:
    seen: Counter[tuple[str, str]] = Counter()
    read = []
    for path in sorted(OWN_FIXTURES.rglob("*")):
        if not path.is_file() or path.name.lower().endswith(NOT_LISTS):
            continue
        try:
            detect(path)
        except DiscreetError:
            # customer files and the review tests' generic CSV lists are read with their
            # format given; the same-as link tests write entities straight into a store
            assert path.parent.name in {"watchlist", "review", "links"}, path
            continue
        seen += _codes(path)
        read.append(path.relative_to(OWN_FIXTURES).as_posix())
    assert len(read) >= 12, read
    assert {("EU", "TAQA"), ("EU", "UKR"), ("UK", "RUS"), ("UN", "Al-Qaida"),
            ("FtM", "RUSSIA-EO14024")} <= set(seen)
    assert _unresolved(seen) == []


@pytest.mark.parametrize("path", SHARED or [pytest.param(None, id="shared-missing")])
def test_every_programme_code_of_the_real_files_resolves(path: Path | None) -> None:
    if path is None or not path.exists():
        skip_outside_ci(f"needs the real list files at {SHARED_LISTS} and {ARCHIVE}")
    rel = path.as_posix()
    unread = any(rel.endswith(name) for name in UNREAD)
    try:
        detect(path)
        seen = _codes(path)
    except DiscreetError as exc:
        # the failure cases kept on purpose: an empty download, an error body, a damaged
        # re-save, a format no parser reads; each refused in one line
        assert (unread or path.stat().st_size == 0 or "bad_download" in path.name
                or "resaved_unquoted" in rel), exc
        assert "\n" not in str(exc) and str(exc), exc
        return
    assert not unread, f"{rel} is read now: take it out of UNREAD"
    assert _unresolved(seen) == []
    if "opensanctions_ftm" not in rel:  # official lists state a programme for their entries
        assert seen, "no programme codes read"
