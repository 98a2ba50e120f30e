"""POST /match/{dataset}: yente's shapes, parameters, filters and limits, in process."""

from __future__ import annotations

import asyncio
from typing import Any

from discreet.store import Store
from tests.api.conftest import Keys, make_app
from tests.api.helpers import api_client, load_entities, person

PUTIN = {"schema": "Person", "properties": {"name": ["Vladimir Putin"]}}


def call(url: str, key: str, path: str, body: Any, **params: Any) -> tuple[int, Any]:
    async def go() -> tuple[int, Any]:
        async with api_client(make_app(url), key) as client:
            r = await client.post(path, json=body, params=params)
            return r.status_code, r.json()
    return asyncio.run(go())


def test_match_shape_is_yentes(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store
    status, data = call(url, keys.screen, "/match/us_ofac_sdn", {"queries": {"a": PUTIN}})
    assert status == 200
    assert data["limit"] == 5
    answer = data["responses"]["a"]
    assert answer["status"] == 200
    assert answer["query"]["properties"]["name"] == ["Vladimir Putin"]
    top = answer["results"][0]
    assert top["id"] == "ofac-1" and top["caption"] == "Vladimir Vladimirovich PUTIN"
    assert top["match"] is True and 0.7 <= top["score"] <= 1
    assert top["datasets"] == ["us_ofac_sdn"] and top["target"] is True
    assert set(top) >= {"properties", "referents", "first_seen", "last_seen", "last_change",
                        "explanations", "schema"}
    assert top["explanations"]["name"]["score"] > 0.7
    assert answer["total"] == {"value": len(answer["results"]), "relation": "eq"}


def test_dataset_selects_sources(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store
    _, sdn = call(url, keys.screen, "/match/us_ofac_sdn", {"queries": {"a": PUTIN}},
                  threshold=0.0, cutoff=0.0, limit=10)
    _, un = call(url, keys.screen, "/match/un_sc_sanctions", {"queries": {"a": PUTIN}},
                 cutoff=0.0, limit=10)
    _, both = call(url, keys.screen, "/match/default", {"queries": {"a": PUTIN}},
                   cutoff=0.0, limit=10)
    assert {r["datasets"][0] for r in sdn["responses"]["a"]["results"]} == {"us_ofac_sdn"}
    assert {r["datasets"][0] for r in un["responses"]["a"]["results"]} <= {"un_sc_sanctions"}
    ids = [r["id"] for r in both["responses"]["a"]["results"]]
    assert ids[0] == "ofac-1" and "un-2" in ids
    _, excl = call(url, keys.screen, "/match/default", {"queries": {"a": PUTIN}}, cutoff=0.0,
                   exclude_dataset=["us_ofac_sdn"], limit=10)
    assert "ofac-1" not in [r["id"] for r in excl["responses"]["a"]["results"]]
    _, unloaded = call(url, keys.screen, "/match/eu_fsf", {"queries": {"a": PUTIN}})
    assert unloaded["responses"]["a"]["results"] == []


def test_a_pair_scores_the_same_whichever_datasets_are_asked(
        small_store: tuple[str, Keys]) -> None:
    """Datasets are views of one index (one set of rarity weights): the score of an entity
    does not depend on which other lists the request includes."""
    url, keys = small_store
    queries = {"a": PUTIN, "b": {"schema": "Person", "properties": {"name": ["Wladimir Poutine"]}},
               "c": {"schema": "LegalEntity", "properties": {"name": ["Putin Vladimir"]}},
               # partial names, whose score depends on how rare each word is in the index
               "d": {"schema": "Person", "properties": {"name": ["Viktor Putin"]}},
               "e": {"schema": "Person", "properties": {"name": ["Vladimir Yanukovych"]}},
               "f": {"schema": "Company", "properties": {"name": ["Korea Oil Company"]}}}
    scores: dict[str, dict[tuple[str, str], float]] = {}
    for dataset in ("default", "us_ofac_sdn", "un_sc_sanctions"):
        _, data = call(url, keys.screen, f"/match/{dataset}", {"queries": queries},
                       cutoff=0.0, limit=20)
        scores[dataset] = {(key, r["id"]): r["score"]
                           for key, answer in data["responses"].items()
                           for r in answer["results"]}
    for dataset in ("us_ofac_sdn", "un_sc_sanctions"):
        assert scores[dataset], dataset
        for pair, score in scores[dataset].items():
            assert scores["default"].get(pair, score) == score, (dataset, pair)
    shared = set(scores["us_ofac_sdn"]) & set(scores["default"])
    assert len(shared) >= 3


def test_a_small_list_is_scored_with_the_whole_index_s_rarity(
        small_store: tuple[str, Keys]) -> None:
    """A list small enough to weigh every word alike on its own (under 1,000 names) is
    scored, through /match/{its dataset}, with the word weights of the whole index: a word
    common across the loaded lists ("Mohammed") counts for less there too."""
    url, keys = small_store
    with Store.open(url) as store:
        load_entities(store, "eu_fsf", [
            person(f"eu-{i}", f"Mohammed {'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[i % 26]}{i:04d}ov",
                   "eu_fsf") for i in range(1100)])
        load_entities(store, "un_sc_sanctions", [
            person("un-9", "Mohammed RAHIMI", "un_sc_sanctions", "1970")])
    query = {"schema": "Person", "properties": {"name": ["Mohammed Rahimi Karimi"]}}
    found = {}
    for dataset in ("default", "un_sc_sanctions"):
        _, data = call(url, keys.screen, f"/match/{dataset}", {"queries": {"q": query}},
                       cutoff=0.0, threshold=0.0, limit=50)
        found[dataset] = {r["id"]: r["score"] for r in data["responses"]["q"]["results"]}
    assert "un-9" in found["un_sc_sanctions"]
    assert found["un_sc_sanctions"]["un-9"] == found["default"]["un-9"]


def test_threshold_flags_and_cutoff_drops(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store
    _, data = call(url, keys.screen, "/match/default", {"queries": {"a": PUTIN}},
                   threshold=0.99, cutoff=0.0, limit=10)
    results = data["responses"]["a"]["results"]
    assert results and not any(r["match"] for r in results)
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    _, high = call(url, keys.screen, "/match/default", {"queries": {"a": PUTIN}}, cutoff=0.95)
    assert high["responses"]["a"]["results"] == []
    _, one = call(url, keys.screen, "/match/default", {"queries": {"a": PUTIN}}, cutoff=0.0,
                  limit=1)
    assert len(one["responses"]["a"]["results"]) == 1 and one["limit"] == 1


def test_evidence_and_exclusions(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store
    dob = {"schema": "Person", "properties": {"name": ["Vladimir Putin"],
                                              "birthDate": ["1952-10-07"],
                                              "nationality": ["Russia"]}}
    _, data = call(url, keys.screen, "/match/default", {"queries": {"a": PUTIN, "b": dob}})
    plain, rich = (data["responses"][k]["results"][0] for k in "ab")
    assert rich["score"] > plain["score"]
    assert any(k.startswith("dob") for k in rich["explanations"])
    _, gone = call(url, keys.screen, "/match/default", {"queries": {"a": PUTIN}},
                   exclude_entity_ids=["ofac-1"], cutoff=0.0)
    assert "ofac-1" not in [r["id"] for r in gone["responses"]["a"]["results"]]
    company = {"schema": "Company", "properties": {"name": ["Rosneft Oil Company"]}}
    _, nocomp = call(url, keys.screen, "/match/default", {"queries": {"c": company}},
                     exclude_schema=["Company"])
    assert nocomp["responses"]["c"]["results"] == []
    _, future = call(url, keys.screen, "/match/default", {"queries": {"a": PUTIN}},
                     changed_since="2999-01-01")
    assert future["responses"]["a"]["results"] == []


def test_batch_keeps_keys_and_is_capped(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store
    queries = {f"k{i}": PUTIN for i in range(100)}
    status, data = call(url, keys.screen, "/match/default", {"queries": queries})
    assert status == 200 and set(data["responses"]) == set(queries)
    queries["k100"] = PUTIN
    status, data = call(url, keys.screen, "/match/default", {"queries": queries})
    assert status == 413 and data["error"] == "too_large" and "100" in data["detail"]


def test_bad_queries_are_4xx_in_one_shape(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store
    cases: list[tuple[str, Any, dict[str, Any], int]] = [
        ("/match/default", {"queries": {"a": {"schema": "Person", "properties": {}}}}, {}, 400),
        ("/match/default", {"queries": {"a": {"schema": "Address",
                                              "properties": {"name": ["x"]}}}}, {}, 400),
        ("/match/default", {"queries": {"a": PUTIN}}, {"algorithm": "logic-v9"}, 400),
        ("/match/default", {"queries": {"a": {"properties": {"name": ["x"]}}}}, {}, 422),
        ("/match/default", {"queries": {"a": PUTIN}}, {"limit": 0}, 422),
        ("/match/default", {"queries": {"a": PUTIN}}, {"changed_since": "yesterday"}, 422),
        ("/match/default", [1, 2], {}, 422),
        ("/match/no_such_list", {"queries": {"a": PUTIN}}, {}, 404),
    ]
    for path, body, params, expected in cases:
        status, data = call(url, keys.screen, path, body, **params)
        assert status == expected, (body, params, data)
        assert set(data) == {"status", "error", "detail", "fields"} and data["status"] == status


def test_best_and_own_algorithm_names(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store
    for name in ("best", "discreet-v1"):
        status, _ = call(url, keys.screen, "/match/default", {"queries": {"a": PUTIN}},
                         algorithm=name)
        assert status == 200
