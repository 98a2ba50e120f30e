"""schemathesis against /openapi.json on a live server: no 500, no answer off its schema.

Bounded: a fixed number of generated cases per operation, valid and invalid inputs alike.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.generation.case import Case
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from discreet.api import ApiSettings, create_app
from discreet.store import Store
from discreet.store.apikeys import create_key
from tests.api.conftest import small_lists
from tests.api.helpers import live_server

EXAMPLES = 30
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          content_type_conformance]


@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE,
                                  schemathesis.GenerationMode.NEGATIVE])
def test_openapi_fuzz(tmp_path: object, mode: schemathesis.GenerationMode) -> None:
    url = f"{tmp_path}/fuzz.db"
    with Store.open(url) as store:
        small_lists(store)
        key = create_key(store.db, "fuzz", ("admin",), rate_limit=1_000_000)[1]
    headers = {"Authorization": f"ApiKey {key}"}
    with live_server(create_app(ApiSettings(db=url))) as server:
        schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json", headers=headers)
        operations = [result.ok() for result in schema.get_all_operations()
                      if isinstance(result, Ok)]
        assert len(operations) >= 15
        fuzzed = 0
        for operation in operations:
            if operation.path == "/updatez":
                continue  # rebuilds the index: exercised in test_updates

            @settings(max_examples=EXAMPLES, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case: Case[Any]) -> None:
                case.call_and_validate(base_url=server.url, headers=headers, checks=CHECKS)
            try:
                run()
                fuzzed += 1
            except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
                assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label
        assert fuzzed >= 10
