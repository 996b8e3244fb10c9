"""Every operation answers as the OpenAPI document says, on a small loaded registry.

Schemathesis generates requests for each operation from the document (seeded, so a run
repeats) and fails on any server error, a status the operation does not list, or a
body or header that does not match the documented schema. Requests carry the bearer token
of a registry admin, so operations that need a user run too; the same operations are
also called without it, which must answer as documented (401 where a user is needed).
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

from credstack.accounts import service as accounts
from credstack.accounts import tokens
from credstack.accounts.model import Actor, RegistryRole, Scope
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


@pytest.fixture(scope="module")
def admin_headers(module_database: Database) -> dict[str, str]:
    """The Authorization header of a registry admin's write token."""
    operator = Actor.system("operator")
    with module_database.unit_of_work() as session:
        accounts.add_user(session, email="admin@example.org", display_name="Admin",
                          password="correct horse battery staple",
                          registry_roles=[RegistryRole.ADMIN], actor=operator)
        _token, secret = tokens.create(session, email="admin@example.org", name="conformance",
                                       scope=Scope.WRITE, lifetime=None, actor=operator)
    return {"Authorization": f"Bearer {secret}"}


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
def test_operation_answers_as_documented(
    case: schemathesis.Case, loaded_app: FastAPI, admin_headers: dict[str, str]
) -> None:
    if case.path_parameters == {"kind": "esco"}:
        # Importing the shipped ESCO snapshot takes seconds each time and has its own
        # tests (tests/taxonomy); CASE and custom bodies exercise the operation here.
        return
    case.call_and_validate(app=loaded_app, checks=CHECKS, headers=admin_headers)
    case.call_and_validate(app=loaded_app, checks=CHECKS)
