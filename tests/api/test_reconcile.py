"""/reconcile: answers validate against the W3C Reconciliation API 0.2 schemas."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from fastapi import FastAPI

from discreet.api.routes_reconcile import PUBLIC_URL_VAR
from discreet.errors import ConfigError
from tests.api import w3c_recon
from tests.api.conftest import Keys, make_app
from tests.api.helpers import api_client


def valid(schema: dict[str, Any], data: Any) -> None:
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft7Validator)


def test_schemas_reject_what_the_spec_rejects() -> None:
    bad = [(w3c_recon.MANIFEST, {"versions": ["0.1"], "name": "x", "identifierSpace": "a",
                                 "schemaSpace": "b"}),
           (w3c_recon.RESULT_BATCH, {"q0": {"result": [{"id": "x", "name": "y"}]}}),
           (w3c_recon.RESULT_BATCH, {"q0": {}}),
           (w3c_recon.SUGGEST_ENTITIES, {"result": [{"name": "x"}]})]
    for schema, data in bad:
        assert not jsonschema.Draft7Validator(schema).is_valid(data)


def test_manifest_and_query_batches(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store
    batch = {"q0": {"query": "Vladimir Putin", "type": "Person", "limit": 3,
                    "properties": [{"pid": "birthDate", "v": "1952-10-07"},
                                   {"pid": "nationality", "v": ["ru"]}]},
             "q1": {"query": "Banco Nacional de Cuba"},
             "q2": {"query": "Nobody Atall Zzyzx"},
             "q3": {"properties": [{"pid": "country", "v": "ru"}]}}

    async def go() -> None:
        async with api_client(make_app(url), keys.screen) as client:
            manifest = (await client.get("/reconcile/default")).json()
            valid(w3c_recon.MANIFEST, manifest)
            assert manifest["view"]["url"].endswith("/entities/{{id}}")
            form = await client.post("/reconcile/default", data={"queries": json.dumps(batch)})
            assert form.status_code == 200
            answer = form.json()
            valid(w3c_recon.RESULT_BATCH, answer)
            assert set(answer) == set(batch)
            top = answer["q0"]["result"][0]
            assert top["id"] == "ofac-1" and top["match"] is True and top["score"] > 70
            assert answer["q1"]["result"][0]["id"] == "ofac-2"
            assert answer["q2"]["result"] == [] and answer["q3"]["result"] == []
            by_get = await client.get("/reconcile/us_ofac_sdn",
                                      params={"queries": json.dumps({"a": batch["q1"]})})
            valid(w3c_recon.RESULT_BATCH, by_get.json())
            as_json = await client.post("/reconcile/default", json={"queries": batch})
            assert as_json.json() == answer
    asyncio.run(go())


def test_suggest(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store

    async def go() -> None:
        async with api_client(make_app(url), keys.screen) as client:
            ent = (await client.get("/reconcile/default/suggest/entity",
                                    params={"prefix": "kim j"})).json()
            valid(w3c_recon.SUGGEST_ENTITIES, ent)
            assert [e["id"] for e in ent["result"]] == ["un-1"]
            types = (await client.get("/reconcile/default/suggest/type",
                                      params={"prefix": "per"})).json()
            valid(w3c_recon.SUGGEST_TYPES, types)
            assert [t["id"] for t in types["result"]] == ["Person"]
            props = (await client.get("/reconcile/default/suggest/property",
                                      params={"prefix": "birth"})).json()
            valid(w3c_recon.SUGGEST_PROPERTIES, props)
            assert [p["id"] for p in props["result"]] == ["birthDate"]
    asyncio.run(go())


def test_bad_batches_are_400(small_store: tuple[str, Keys]) -> None:
    url, keys = small_store

    async def go() -> None:
        async with api_client(make_app(url), keys.screen) as client:
            for text in ["not json", "[1]", json.dumps({"a": {"query": 5}}),
                         json.dumps({"a": {"query": "x", "bogus": 1}})]:
                r = await client.post("/reconcile/default", data={"queries": text})
                assert r.status_code == 400 and r.json()["fields"] == ["queries"], text
            r = await client.post("/reconcile/default", data={"other": "x"})
            assert r.status_code == 400
            for deep in ("[" * 3000 + "]" * 3000, "{" * 50, '{"a": {"query": "x", '
                         '"properties": [{"pid": "name", "v": ' + "[" * 40 + "]" * 40 + "}]}}"):
                form = await client.post("/reconcile/default", data={"queries": deep})
                query = await client.get("/reconcile/default", params={"queries": deep})
                body = await client.post("/reconcile/default",
                                         content='{"queries": ' + deep + "}")
                for r in (form, query, body):
                    assert r.status_code in (400, 422) and r.json()["fields"], deep[:20]
            surrogate = await client.post("/reconcile/default", data={
                "queries": '{"q": {"query": "Kim Jong Un\\udc00"}}'})
            assert surrogate.json()["q"]["result"][0]["id"] == "un-1"
            many = {f"q{i}": {"query": "x"} for i in range(101)}
            r = await client.post("/reconcile/default", data={"queries": json.dumps(many)})
            assert r.status_code == 413
    asyncio.run(go())


def test_manifest_urls_come_from_public_url_never_host(small_store: tuple[str, Keys],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    url, keys = small_store
    monkeypatch.delenv(PUBLIC_URL_VAR, raising=False)
    hostile = {"Host": "evil.example", "X-Forwarded-Host": "evil2.example",
               "Forwarded": "host=evil3.example"}

    async def manifest(app: FastAPI) -> dict[str, Any]:
        async with api_client(app, keys.screen) as client:
            answer = await client.get("/reconcile/us_ofac_sdn", headers=hostile)
        assert answer.status_code == 200 and "evil" not in answer.text
        data: dict[str, Any] = answer.json()
        valid(w3c_recon.MANIFEST, data)
        return data

    neutral = asyncio.run(manifest(make_app(url)))
    assert neutral["identifierSpace"] == "/entities/"
    assert neutral["view"]["url"] == "/entities/{{id}}"
    assert neutral["suggest"]["entity"] == {"service_path": "/suggest/entity"}
    public = asyncio.run(manifest(make_app(url, public_url="https://screen.example.org/")))
    assert public["identifierSpace"] == "https://screen.example.org/entities/"
    assert public["view"]["url"] == "https://screen.example.org/entities/{{id}}"
    assert public["suggest"]["type"] == {
        "service_url": "https://screen.example.org/reconcile/us_ofac_sdn",
        "service_path": "/suggest/type"}
    monkeypatch.setenv(PUBLIC_URL_VAR, "http://10.0.0.5:8000")
    from_env = asyncio.run(manifest(make_app(url)))
    assert from_env["schemaSpace"] == "http://10.0.0.5:8000/schemata/"
    for bad in ("screen.example.org", "javascript:alert(1)", "https://x/?a=b",
                'https://x/"><script>'):
        with pytest.raises(ConfigError, match="public_url"):
            make_app(url, public_url=bad)
