"""The shared reading of packaged YAML data files: every error names the file and the key."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from discreet.programmes.yamlfile import YamlFile


def test_a_key_given_twice_names_the_file_and_line() -> None:
    with pytest.raises(ValueError, match=r"^one\.yml: line 3: 'a' is given twice$"):
        YamlFile("one.yml").load("a: 1\nb: 2\na: 3\n")
    with pytest.raises(ValueError, match=r"^two\.yml: line 3: 'x' is given twice$"):
        YamlFile("two.yml").load("top:\n  x: 1\n  x: 2\n")  # nested mappings too


def test_invalid_yaml_and_unsafe_tags_are_value_errors_naming_the_file() -> None:
    with pytest.raises(ValueError, match=r"^f\.yml: not valid YAML: "):
        YamlFile("f.yml").load("a: [1, 2\n")
    with pytest.raises(ValueError, match=r"^f\.yml: not valid YAML: "):
        YamlFile("f.yml").load("a: !!python/object/apply:os.system ['true']\n")


def test_dates_stay_text_only_where_asked() -> None:
    assert YamlFile("d.yml", dates_as_text=True).load("start: 2004-02-30\n") == {
        "start": "2004-02-30"}
    assert YamlFile("p.yml").load("start: 2004-02-28\n") == {"start": dt.date(2004, 2, 28)}
    # the text reading is the file's own: YAML's loader and another file's keep their dates
    assert yaml.safe_load("start: 2004-02-28\n") == {"start": dt.date(2004, 2, 28)}


def test_checks_name_the_key_path() -> None:
    f = YamlFile("c.yml")
    with pytest.raises(ValueError, match=r"^c\.yml: top\.b: unknown key \(known: a\)$"):
        f.mapping({"a": 1, "b": 2}, "top", {"a"})
    with pytest.raises(ValueError, match=r"^c\.yml: top\.a: required$"):
        f.mapping({}, "top", {"a"}, ("a",))
    with pytest.raises(ValueError, match=r"^c\.yml: top: key 26532022 is not text \(quote it\)$"):
        f.mapping({26532022: "x"}, "top")
    with pytest.raises(ValueError, match=r"^c\.yml: top: expected a mapping$"):
        f.mapping(["a"], "top")
    with pytest.raises(ValueError, match=r"^c\.yml: l\[1\]: expected a non-empty string"):
        f.texts(["a", " "], "l")
    with pytest.raises(ValueError, match=r"^c\.yml: s: expected an ISO date"):
        f.date("2004-02-30", "s")
    assert f.text("  kept  ", "t") == "kept"
    assert f.text("  kept  ", "t", strip=False) == "  kept  "
    assert f.date(dt.date(2020, 1, 2), "s") == f.date("2020-01-02", "s") == "2020-01-02"
