"""Settings: defaults, overrides, mirror rule, and errors that name the bad key."""

from __future__ import annotations

from pathlib import Path

import pytest

from discreet.errors import ConfigError
from discreet.lists.settings import DEFAULT_SOURCES, Settings, load_settings


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "discreet.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_the_official_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCREET_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings == Settings() and settings.path is None
    assert settings.max_drop == 0.05  # the removal gate, [load] max_removal
    sdn = settings.sources["us_ofac_sdn"]
    assert sdn.url == ("https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/"
                       "exports/SDN_ENHANCED.XML")
    assert (sdn.format, sdn.timeout, sdn.retries, sdn.max_bytes) == ("auto", 60.0, 3, 1 << 30)
    assert settings.sources["us_ofac_cons"].url.endswith("/CONS_ENHANCED.XML")
    assert settings.sources["un_sc_sanctions"].url == (
        "https://scsanctions.un.org/resources/xml/en/consolidated.xml")
    assert "xmlFullSanctionsList_1_1/content?token=" in settings.sources["eu_fsf"].url
    assert settings.sources["gb_fcdo_sanctions"].file_name == "UK-Sanctions-List.csv"


def test_cwd_file_and_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCREET_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "[update]\nmax_drop = 0.5\n")
    assert load_settings().max_drop == 0.5
    other = tmp_path / "other.toml"
    other.write_text("[update]\nmax_drop = 0.1\n")
    monkeypatch.setenv("DISCREET_CONFIG", str(other))
    assert load_settings().max_drop == 0.1 and load_settings().path == other
    monkeypatch.setenv("DISCREET_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="DISCREET_CONFIG"):
        load_settings()


def test_source_override_and_new_source(tmp_path: Path) -> None:
    settings = load_settings(_write(tmp_path, """
[sources.us_ofac_sdn]
timeout = 5
retries = 0

[sources.internal]
url = "https://intranet.example/lists/watch.csv"
format = "csv"
max_bytes = 1000
extra_files = ["https://intranet.example/lists/extra.csv"]
"""))
    sdn = settings.sources["us_ofac_sdn"]
    assert (sdn.timeout, sdn.retries, sdn.url) == (5.0, 0, DEFAULT_SOURCES["us_ofac_sdn"].url)
    own = settings.sources["internal"]
    assert (own.format, own.max_bytes, own.file_name) == ("csv", 1000, "watch.csv")
    assert own.extra_files == ("https://intranet.example/lists/extra.csv",)


def test_mirror_replaces_default_urls_only(tmp_path: Path) -> None:
    settings = load_settings(_write(tmp_path, """
[mirror]
base_url = "http://127.0.0.1:8000/lists"

[sources.un_sc_sanctions]
url = "https://un-mirror.example/consolidated.xml"

[sources.ofac_csv]
url = "https://ofac.example/SDN.CSV"
extra_files = ["https://ofac.example/ADD.CSV"]
"""))
    urls = {name: s.url for name, s in settings.sources.items()}
    assert urls["us_ofac_sdn"] == "http://127.0.0.1:8000/lists/SDN_ENHANCED.XML"
    assert urls["eu_fsf"] == "http://127.0.0.1:8000/lists/eu_fsf_1_1.xml"
    assert urls["un_sc_sanctions"] == "https://un-mirror.example/consolidated.xml"
    assert urls["ofac_csv"] == "https://ofac.example/SDN.CSV"
    assert settings.mirror_base_url == "http://127.0.0.1:8000/lists/"


@pytest.mark.parametrize(("text", "key"), [
    ("[update]\nmax_drop = 1.5\n", "update.max_drop"),
    ("[update]\nmax_drop = 'a lot'\n", "update.max_drop"),
    ("[update]\nmaxdrop = 0.1\n", "update.maxdrop"),
    ("[load]\nmax_removal = -0.1\n", "load.max_removal"),
    ("[load]\nmax_removal = 0.1\n[update]\nmax_drop = 0.1\n", "update.max_drop"),
    ("[mirror]\nbase_url = 'ftp://x/'\n", "mirror.base_url"),
    ("[sources.eu_fsf]\ntimeout = 0\n", "sources.eu_fsf.timeout"),
    ("[sources.eu_fsf]\nretries = true\n", "sources.eu_fsf.retries"),
    ("[sources.eu_fsf]\nmax_bytes = 1.5\n", "sources.eu_fsf.max_bytes"),
    ("[sources.eu_fsf]\nmax_byte = 10\n", "sources.eu_fsf.max_byte"),
    ("[sources.eu_fsf]\nurl = 'not a url'\n", "sources.eu_fsf.url"),
    ("[sources.eu_fsf]\nextra_files = 'x'\n", "sources.eu_fsf.extra_files"),
    ("[sources.eu_fsf]\nformat = 3\n", "sources.eu_fsf.format"),
    ("[sources.mine]\nformat = 'csv'\n", "sources.mine.url"),
    ("sources = 3\n", "sources"),
    ("[colours]\nx = 1\n", "colours"),
])
def test_bad_values_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError, match=f"^{key.replace('.', '[.]')}:"):
        load_settings(_write(tmp_path, text))


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "[update\nmax_drop = \n")
    with pytest.raises(ConfigError, match="invalid TOML") as info:
        load_settings(path)
    assert str(path) in str(info.value)


def test_unknown_source_lists_known() -> None:
    settings = Settings()
    assert settings.source("eu_fsf").file_name == "eu_fsf_1_1.xml"
    with pytest.raises(ConfigError, match=r"sources\.nope: unknown source .*us_ofac_sdn"):
        settings.source("nope")
