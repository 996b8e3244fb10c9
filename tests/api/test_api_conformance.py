"""Every operation answers as the OpenAPI document says, on a small loaded registry.

Schemathesis generates requests for each operation from the document (seeded, so a run
repeats) and fails on any server error, a status the operation does not list, or a
body or header that does not match the documented schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from credstack.api.app import create_app
from credstack.config import Settings
from credstack.registry.demo import load_demo
from credstack.registry.gate import quality_gate
from credstack.store.engine import make_engine
from credstack.store.unit_of_work import Database

EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
STANDARD = "bc-assessment-standard"


@pytest.fixture(scope="module")
def loaded_app(module_database: Database) -> FastAPI:
    """The app on the bundled demo registry (37 micro-credentials, most published)."""
    load_demo(module_database, gate=quality_gate(STANDARD), standard=STANDARD)
    return create_app(module_database, Settings(database_url="unused", publish_standard=STANDARD))


def _document_only_app() -> FastAPI:
    # The document does not depend on the data; requests go to ``loaded_app``.
    return create_app(Database(make_engine("sqlite://")), Settings(database_url="sqlite://"))


schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _document_only_app())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_operation_answers_as_documented(case: schemathesis.Case, loaded_app: FastAPI) -> None:
    if case.path_parameters == {"kind": "esco"}:
        # Importing the shipped ESCO snapshot takes seconds each time and has its own
        # tests (tests/taxonomy); CASE and custom bodies exercise the operation here.
        return
    case.call_and_validate(app=loaded_app, checks=CHECKS)
