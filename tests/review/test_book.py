"""The customer book on SQLite and PostgreSQL: imports from every format screen-file reads,
idempotent by reference, versioned, bad rows reported by line, screening-only storage,
closing, segments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from discreet.errors import ConfigError
from discreet.review import (
    close_customers,
    customer_input,
    import_customers,
    screen_book,
    upsert_customers,
)
from discreet.screen.rows import load_matcher
from discreet.store import Store
from discreet.store.review import fields_hash
from tests.review.helpers import ANA, entity_id, load_list


def test_csv_import_versions_and_rejects(store_url: str, tmp_path: Path) -> None:
    path = tmp_path / "book.csv"
    path.write_text("Ref;Name;DOB;Country;Branch\n"
                    "A1;Viktor Brunov;1961-04-12;RU|DE;Lisbon\n"
                    ";No Reference;;;Porto\n"
                    "A2;;1970;;Porto\n"
                    "A3;Ana Lima;;PT;Porto\n"
                    "A4;Bad Schema;;;Porto\n", encoding="utf-8")
    path_schema = tmp_path / "schema.csv"
    path_schema.write_text("Ref,Name,Kind\nS1,Sol Mar,Ship\n", encoding="utf-8")
    mapping = {"id": "Ref", "birth_date": "DOB"}
    with Store.open(store_url) as store:
        summary = import_customers(store, path, ANA, mapping=mapping)
        assert (summary.rows, summary.created, summary.rejected) == (5, 3, 2)
        assert summary.rejects == ["line 3: a customer needs the firm's reference (id)",
                                   "line 4: customer A2: no name"]
        bad = import_customers(store, path_schema, ANA, mapping={"id": "Ref",
                                                                 "schema": "Kind"})
        assert bad.rejected == 1 and "unknown schema 'Ship'" in bad.rejects[0]
        one = store.review.customer("A1")
        assert one.fields == {"names": ["Viktor Brunov"], "birth_date": "1961-04-12",
                              "countries": ["RU", "DE"]}
        assert one.attributes == {"Branch": "Lisbon"}
        assert one.screening_hash == fields_hash(one.fields)
        # an attribute change is a new version; the screening hash stays
        path.write_text(path.read_text(encoding="utf-8").replace("Lisbon", "Faro"),
                        encoding="utf-8")
        again = import_customers(store, path, ANA, mapping=mapping)
        assert (again.updated, again.unchanged, again.changed) == (1, 2, [])
        versions = store.review.customer_versions("A1")
        assert [(v.version, v.attributes["Branch"]) for v in versions] == [(1, "Lisbon"),
                                                                           (2, "Faro")]
        assert versions[0].screening_hash == versions[1].screening_hash
        assert versions[1].actor == "ana"


def test_every_format_and_screening_only(store_url: str, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Client", "Full Name", "Segment", "Notes"])
    sheet.append(["X1", "Kwame Osei", "retail", "met in 2020"])
    sheet.append(["X2", "Ana Lima", "private", None])
    xlsx = tmp_path / "book.xlsx"
    book.save(xlsx)
    jsonl = tmp_path / "book.jsonl"
    jsonl.write_text(json.dumps({"id": "J1", "name": "Дмитрий Валько", "country": "BY",
                                 "note": "x"}) + "\nnot json\n", encoding="utf-8")
    with Store.open(store_url) as store:
        first = import_customers(store, xlsx, ANA, mapping={"id": "Client",
                                                             "name": "Full Name"},
                                 screening_only=True)
        assert first.created == 2
        assert store.review.customer("X1").attributes == {}
        kept = import_customers(store, xlsx, ANA, mapping={"id": "Client",
                                                            "name": "Full Name"})
        assert kept.updated == 2  # the attributes come in: a new version, same screening
        assert store.review.customer("X1").attributes == {"Segment": "retail",
                                                          "Notes": "met in 2020"}
        assert kept.changed == []
        lines = import_customers(store, jsonl, ANA)
        assert (lines.created, lines.rejected) == (1, 1)
        assert store.review.customer("J1").fields["names"] == ["Дмитрий Валько"]
        # a segment is screened alone
        load_list(store, 1)
        run = screen_book(store, load_matcher(store), ANA, segment={"Segment": "retail"})
        assert (run.kind, run.screened, run.segment) == ("segment", 1, {"Segment": "retail"})
        assert {(a.customer_ref, a.entity_id) for a in store.review.alerts()} == {
            ("X1", entity_id("R-004"))}


def test_library_upsert_and_close(store_url: str) -> None:
    with Store.open(store_url) as store:
        changes = upsert_customers(store, [
            customer_input("L1", names=["Ana Lima", "Анна Лима"], countries=["PT"]),
            customer_input("L2", names="Sol Mar; Sol Marques", schema="person")], ANA)
        assert [(c.ref, c.outcome) for c in changes] == [("L1", "created"), ("L2", "created")]
        assert store.review.customer("L2").fields == {"names": ["Sol Mar", "Sol Marques"],
                                                      "schema": "Person"}
        same = upsert_customers(store, [customer_input("L1", names=["Ana Lima", "Анна Лима"],
                                                       countries=["PT"])], ANA)
        assert same[0].outcome == "unchanged"
        closed = close_customers(store, ["L1"], ANA)
        assert closed[0].outcome == "closed"
        assert [c.ref for c in store.review.customers()] == ["L2"]
        assert store.review.customer("L1").status == "closed"
        assert store.review.count_customers(None) == 2
        with pytest.raises(ConfigError, match="no customer NOPE"):
            close_customers(store, ["NOPE"], ANA)
        for bad in (dict(ref=" ", names="A B"), dict(ref="Q", names=" "),
                    dict(ref="Q", names="A B", schema="Spaceship")):
            with pytest.raises(ConfigError):
                customer_input(**bad)  # type: ignore[arg-type]
