"""bench/synth_ftm.py: the same seed gives the same bytes; the data is valid FtM with
OpenSanctions' shape (persons most, PEPs most of them, sanctions a minority, 1-3 names,
many scripts); its two forms read as the same entities."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

from discreet.model import Entity
from discreet.sources.common.base import ListMeta
from discreet.sources.opensanctions.ftm_json import PARSER
from tests.sources.opensanctions.ftm_check import check_export

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "synth_ftm.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synth_ftm", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["synth_ftm"] = module
    spec.loader.exec_module(module)
    return module


SYNTH = _module()


def _make(count: int, seed: int, nested: bool = False) -> str:
    out = io.StringIO()
    SYNTH.generate(count, seed, out, nested)
    return out.getvalue()


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_same_seed_same_bytes_other_seed_other_data() -> None:
    assert _make(300, 5) == _make(300, 5)
    assert _make(300, 5, nested=True) == _make(300, 5, nested=True)
    assert _make(300, 6) != _make(300, 5)
    assert _make(0, 5) == ""


def test_cli_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "synth.ftm.json"
    assert SYNTH.main(["--entities", "50", "--seed", "2", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == _make(50, 2)
    assert not list(tmp_path.glob("*.partial"))


def test_flat_output_is_valid_ftm_with_opensanctions_shape() -> None:
    entities = _lines(_make(2000, 11))
    assert check_export(entities) == []
    targets = [e for e in entities if e.get("target")]
    assert len(targets) == 2000
    schemata = Counter(e["schema"] for e in targets)
    assert schemata["Person"] > 1200 and schemata["Company"] > 400 and schemata["Vessel"] > 20
    topics = Counter(t for e in targets for t in e["properties"]["topics"])
    persons = [e for e in targets if e["schema"] == "Person"]
    peps = sum("role.pep" in e["properties"]["topics"] for e in persons)
    assert peps > len(persons) / 2  # PEPs the majority of persons
    assert 0.02 * len(targets) < topics["sanction"] < 0.15 * len(targets)  # a minority
    assert {"crime", "poi", "debarment", "role.rca", "export.control"} <= set(topics)
    names = Counter(len(e["properties"]["name"]) + len(e["properties"].get("alias", []))
                    for e in targets)
    assert set(names) == {1, 2, 3}
    scripts = {unicodedata.name(ch).split()[0] for e in persons
               for ch in e["properties"]["name"][0] if ch.isalpha()}
    assert {"LATIN", "CYRILLIC", "ARABIC", "CJK", "HANGUL", "GREEK", "HEBREW"} <= scripts
    assert all(e["properties"].get("birthDate") for e in persons)
    assert all(e["first_seen"] <= e["last_change"] for e in targets)
    sanctioned = {e["id"] for e in targets if "sanction" in e["properties"]["topics"]}
    described = {e["properties"]["entity"][0] for e in entities if e["schema"] == "Sanction"}
    assert described <= sanctioned and len(described) > 0.9 * len(sanctioned)
    assert any(e["schema"] == "Vessel" and e["properties"]["imoNumber"] for e in targets)


def _sorted(value: Any) -> Any:
    """Lists in a stable order: related entities apply in file order, which differs."""
    if isinstance(value, dict):
        return {k: _sorted(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_sorted(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def _canonical(entity: Entity) -> str:
    return json.dumps(_sorted(entity.to_dict()), sort_keys=True)


def test_flat_and_nested_read_as_the_same_entities() -> None:
    """The shuffled flat form (Sanctions before and after their target) and the nested
    form give the same entities, with topics, programmes' authority and addresses."""
    flat = list(PARSER.parse(io.BytesIO(_make(400, 3).encode()), ListMeta(file_name="f")))
    meta = ListMeta(file_name="n")
    nested = list(PARSER.parse(io.BytesIO(_make(400, 3, nested=True).encode()), meta))
    assert meta.warnings == []
    assert len(flat) == len(nested) == 400
    assert sorted(map(_canonical, flat)) == sorted(map(_canonical, nested))
    assert all(e.topics for e in flat)
    assert any(e.addresses for e in flat) and any(e.listed_on for e in flat)
