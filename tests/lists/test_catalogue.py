"""The dataset catalogue: one home for each fact, read by settings and the API, checked on load,
held to what the parsers actually say, and shipped with the package."""

from __future__ import annotations

import copy
import tomllib
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
import yaml

from discreet.api.datasets import COLLECTIONS, KNOWN, catalog, resolve_datasets
from discreet.api.errors import ApiError
from discreet.lists.catalogue import catalogue, catalogue_from_dict, read_catalogue
from discreet.lists.settings import DEFAULT_SOURCES, settings_from_dict
from discreet.sources import open_list, parsers

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "discreet" / "lists" / "data"
# One small file of every official list and format the project's own fixtures hold.
OFFICIAL = ["ofac_enhanced/sdn_enhanced_sample.xml", "ofac_xml/sdn_sample.xml",
            "ofac_xml/consolidated_sample_2024.xml", "ofac_csv/sdn.csv", "un/un_small.xml",
            "eu_fsf/eu_small.xml", "uk_fcdo/uk_small.xml", "uk_fcdo/uk_small.csv",
            "ofsi_csv/conlist_2014_layout.csv", "ofsi_csv/conlist_2022_layout.csv",
            "ca/sema_small.xml", "au/dfat_small.xlsx"]


def _raw() -> dict[str, Any]:
    data = yaml.safe_load((DATA / "datasets.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_settings_defaults_are_the_catalogue_datasets_with_a_url() -> None:
    known = catalogue().datasets
    fetched = [d for d in known.values() if d.url]
    assert list(DEFAULT_SOURCES) == [d.name for d in fetched]  # the catalogue's order
    for d in fetched:
        source = DEFAULT_SOURCES[d.name]
        assert source.url == d.url
        assert source.file_name == (d.file_name or d.url.rsplit("/", 1)[-1])
    # a retired list (no URL) is known to the API but not downloaded by `discreet update`
    assert not known["gb_hmt_sanctions"].url and "gb_hmt_sanctions" not in DEFAULT_SOURCES
    assert DEFAULT_SOURCES["eu_fsf"].file_name == "eu_fsf_1_1.xml"
    # the mirror rule still applies to every built-in source
    mirrored = settings_from_dict({"mirror": {"base_url": "http://127.0.0.1:9/l"}}).sources
    assert {s.url for s in mirrored.values()} == {
        f"http://127.0.0.1:9/l/{s.file_name}" for s in DEFAULT_SOURCES.values()}


def test_api_datasets_read_the_catalogue() -> None:
    known = catalogue().datasets
    assert {n: (d.title, d.publisher) for n, d in known.items()} == KNOWN
    assert catalogue().collections == COLLECTIONS and list(COLLECTIONS) == ["sanctions",
                                                                           "default"]
    body = catalog({"un_sc_sanctions": (2, 10, "2026-02-27T00:00:00")})
    entries = {e["name"]: e for e in body["datasets"]}
    assert entries["gb_hmt_sanctions"]["title"] == known["gb_hmt_sanctions"].title
    assert entries["gb_hmt_sanctions"]["load"] is False
    assert entries["gb_fcdo_sanctions"]["publisher"] == {"name": "UK FCDO", "official": True}
    assert entries["sanctions"]["children"] == ["un_sc_sanctions"]
    assert resolve_datasets("eu_fsf", ["un_sc_sanctions"]) == frozenset()  # known, not loaded
    with pytest.raises(ApiError):
        resolve_datasets("us_ofac_nothing", ["un_sc_sanctions"])


@pytest.mark.parametrize("name", OFFICIAL)
def test_parsers_agree_with_the_catalogue(name: str, own_fixtures: Path) -> None:
    """The dataset, authority and format a parser records are the catalogue's (the parsers
    cannot import it: sources/ is upstream of lists/)."""
    meta, entities = open_list(own_fixtures / name)
    assert sum(1 for _ in entities) > 0
    dataset = catalogue().datasets[meta.dataset]
    assert meta.authority == dataset.authority
    assert meta.format in dataset.formats


def test_every_dataset_and_format_is_real(own_fixtures: Path) -> None:
    seen = set()
    for name in OFFICIAL:
        meta, entities = open_list(own_fixtures / name)
        assert sum(1 for _ in entities) > 0  # the meta is filled in as the file is read
        seen.add(meta.dataset)
    assert seen == set(catalogue().datasets)  # each dataset has a fixture the parsers name
    formats = set(parsers())
    for d in catalogue().datasets.values():
        assert set(d.formats) <= formats, d.name


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d["datasets"]["eu_fsf"].update(titel="x"), "datasets.eu_fsf.titel: unknown key"),
    (lambda d: d["datasets"]["eu_fsf"].pop("title"), "datasets.eu_fsf.title: required"),
    (lambda d: d["datasets"]["un_sc_sanctions"].update(url="ftp://x/y.xml"),
     "datasets.un_sc_sanctions.url: expected an http(s) URL"),
    (lambda d: d["datasets"]["un_sc_sanctions"].update(formats="un_xml"),
     "datasets.un_sc_sanctions.formats: expected a non-empty list"),
    (lambda d: d["datasets"]["us_ofac_sdn"].update(publisher=""),
     "datasets.us_ofac_sdn.publisher: expected a non-empty string"),
    (lambda d: d["datasets"].update(us_ofac_cons=["not", "a", "mapping"]),
     "datasets.us_ofac_cons: expected a mapping"),
    (lambda d: d["collections"].update(eu_fsf="clash"), "eu_fsf: both a dataset and a collection"),
    (lambda d: d.update(extra={}), "expected exactly the top-level keys"),
    (lambda d: d.update(collections=["sanctions"]), "must be mappings"),
])
def test_a_bad_catalogue_names_the_key(edit: Any, message: str) -> None:
    data = copy.deepcopy(_raw())
    catalogue_from_dict(copy.deepcopy(data))  # the shipped file itself is valid
    edit(data)
    with pytest.raises(ValueError, match=r"datasets\.yml: ") as caught:
        catalogue_from_dict(data)
    assert message in str(caught.value)


def test_a_key_given_twice_is_refused() -> None:
    """YAML would keep the second entry silently; a pasted duplicate must fail instead."""
    text = (DATA / "datasets.yml").read_text(encoding="utf-8")
    assert set(read_catalogue(text).datasets) == set(_raw()["datasets"])
    block = text[text.index("  eu_fsf:\n"):text.index("  gb_fcdo_sanctions:\n")]
    doubled = text.replace(block, block + block.replace("EU Financial", "Other"))
    with pytest.raises(ValueError, match=r"datasets\.yml: line \d+: 'eu_fsf' is given twice"):
        read_catalogue(doubled)
    inner = text.replace("    publisher: UN\n", "    publisher: UN\n    publisher: XX\n")
    with pytest.raises(ValueError, match="'publisher' is given twice"):
        read_catalogue(inner)


def test_the_shared_catalogue_is_read_only() -> None:
    with pytest.raises(TypeError):
        catalogue().datasets["mine"] = catalogue().datasets["eu_fsf"]  # type: ignore[index]
    with pytest.raises(TypeError):
        catalogue().collections["mine"] = "x"  # type: ignore[index]


def test_the_catalogue_is_package_data() -> None:
    """pyproject ships every file under lists/data (a wheel without it could not start)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["discreet"]
    files = [p.relative_to(ROOT / "src" / "discreet").as_posix()
             for p in DATA.iterdir() if p.is_file()]
    assert files and all(any(fnmatch(f, pat) for pat in patterns) for f in files)
