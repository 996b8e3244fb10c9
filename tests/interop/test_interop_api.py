"""The interop API: CTDL and ELM documents of a record, CTDL and CSV imports, the template.

Imports act as an editor of the example's provider (royal-roads-university); the refusals
(anonymous 401, another organization's editor 403, nothing stored) have their own tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from interop_support import BASE_URL

from account_fixtures import OPERATOR, OTHER_ORG, Bearer, bearer, new_user
from credstack.accounts import audit
from credstack.accounts.model import OrgRole, RegistryRole
from credstack.api.app import create_app
from credstack.config import Settings
from credstack.domain.credential import MicroCredential
from credstack.interop.csv_catalogue import template_text
from credstack.interop.ctdl import to_ctdl
from credstack.interop.ctdl_schema import validate_graph
from credstack.interop.elm import elm_document
from credstack.registry import service as registry
from credstack.store.unit_of_work import Database

__all__ = ["bearer", "new_user"]  # the fixtures, for this file's tests

EXAMPLE_ID = "rru-caf-foundations-climate-adaptation"
CSV = {"Content-Type": "text/csv"}


@pytest.fixture
def anonymous(database: Database) -> Iterator[TestClient]:
    """A client of the app on the test's database, without credentials."""
    settings = Settings(database_url="unused", publish_standard="bc-assessment-standard")
    with TestClient(create_app(database, settings)) as test_client:
        yield test_client


@pytest.fixture
def client(anonymous: TestClient, bearer: Bearer) -> TestClient:
    """The client as an editor of the example's provider."""
    anonymous.headers.update(bearer("editor@example.org", org_roles=[OrgRole.EDITOR]))
    return anonymous


def _headers(bearer: Bearer, email: str, **roles: Any) -> dict[str, str]:
    return {**bearer(email, **roles), **CSV}


def _csv_import(client: TestClient, headers: dict[str, str], query: str = "") -> Any:
    return client.post(f"/api/v1/interop/csv/import{query}", content=template_text(),
                       headers=headers)


def _stored(database: Database) -> int:
    with database.read() as session:
        return registry.count_records(session)


def _import_template(client: TestClient) -> None:
    response = client.post("/api/v1/interop/csv/import", content=template_text(), headers=CSV)
    assert response.status_code == 200, response.text


def test_csv_import_stores_the_rows(client: TestClient) -> None:
    _import_template(client)
    assert client.get(f"/api/v1/credentials/{EXAMPLE_ID}").status_code == 200


def test_csv_import_with_a_bad_row_answers_422_and_stores_nothing(client: TestClient) -> None:
    response = client.post(
        "/api/v1/interop/csv/import",
        content=template_text().replace(",CAD,", ",CDN,"),
        headers={"Content-Type": "text/csv"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "row 2, column 'price.currency'"]
    assert client.get(f"/api/v1/credentials/{EXAMPLE_ID}").status_code == 404


def test_csv_import_skip_invalid_returns_the_rejected_rows(client: TestClient) -> None:
    response = client.post(
        "/api/v1/interop/csv/import?skip_invalid=true",
        content=template_text().replace(",CAD,", ",CDN,"),
        headers={"Content-Type": "text/csv"},
    )
    assert response.status_code == 200
    assert response.json()["rejected"] == 1
    assert "errors" in response.json()["rejects_csv"].splitlines()[0]


def test_ctdl_document_of_a_record_is_valid_json_ld(client: TestClient) -> None:
    _import_template(client)
    response = client.get(f"/api/v1/interop/ctdl/credentials/{EXAMPLE_ID}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    assert validate_graph(response.json()) == []


def test_ctdl_document_of_an_unknown_record_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/interop/ctdl/credentials/no-such-record").status_code == 404


def test_ctdl_import_answers_the_report(
    client: TestClient, example_record: MicroCredential
) -> None:
    document = to_ctdl(example_record.model_copy(update={"id": "from-ctdl"}), base_url=BASE_URL)
    response = client.post("/api/v1/interop/ctdl/import", json=document)
    assert response.status_code == 200, response.text
    assert response.json()["created"] == ["from-ctdl"]


def test_csv_template_is_csv(client: TestClient) -> None:
    response = client.get("/api/v1/interop/csv/template")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")


def test_csv_import_of_an_anonymous_visitor_is_401_and_stores_nothing(
    anonymous: TestClient, database: Database
) -> None:
    assert _csv_import(anonymous, CSV).status_code == 401
    assert _stored(database) == 0


def test_csv_import_of_another_organizations_editor_is_403_and_stores_nothing(
    anonymous: TestClient, bearer: Bearer, database: Database
) -> None:
    headers = _headers(bearer, "other@example.org", org_roles=[OrgRole.EDITOR],
                       organization=OTHER_ORG)
    assert _csv_import(anonymous, headers).status_code == 403
    assert _stored(database) == 0


def test_dry_run_of_another_organizations_records_is_403(
    anonymous: TestClient, bearer: Bearer
) -> None:
    headers = _headers(bearer, "other@example.org", org_roles=[OrgRole.EDITOR],
                       organization=OTHER_ORG)
    assert _csv_import(anonymous, headers, "?dry_run=true").status_code == 403


def test_csv_import_of_a_reviewer_is_403(anonymous: TestClient, bearer: Bearer) -> None:
    headers = _headers(bearer, "reviewer@example.org", registry_roles=[RegistryRole.REVIEWER])
    assert _csv_import(anonymous, headers).status_code == 403


def test_registry_admin_imports_any_providers_records(
    anonymous: TestClient, bearer: Bearer
) -> None:
    headers = _headers(bearer, "admin@example.org", registry_roles=[RegistryRole.ADMIN])
    assert _csv_import(anonymous, headers).json()["created"] == [EXAMPLE_ID]


def test_an_import_over_a_hidden_record_is_404_and_changes_nothing(
    client: TestClient, anonymous: TestClient, bearer: Bearer, database: Database
) -> None:
    _import_template(client)
    # An editor of another organization sends a new version of the example's draft.
    document = to_ctdl(_example(database).model_copy(update={"title": "Taken over"}),
                       base_url=BASE_URL)
    headers = bearer("other@example.org", org_roles=[OrgRole.EDITOR], organization=OTHER_ORG)
    response = anonymous.post("/api/v1/interop/ctdl/import", json=document, headers=headers)
    assert response.status_code == 404
    assert _example(database).title != "Taken over"


def test_imported_versions_name_their_author_and_are_audited(
    client: TestClient, database: Database
) -> None:
    _import_template(client)
    with database.read() as session:
        stored = registry.get_record(session, credential_id=EXAMPLE_ID)
        entries = audit.entries(session, viewer=OPERATOR, action="record.import")
    assert stored.version_created_by == "user:editor@example.org"
    assert [(e.resource_id, e.version_after) for e in entries] == [(EXAMPLE_ID, "1")]


def test_ctdl_import_of_an_anonymous_visitor_is_401(
    anonymous: TestClient, example_record: MicroCredential
) -> None:
    document = to_ctdl(example_record, base_url=BASE_URL)
    assert anonymous.post("/api/v1/interop/ctdl/import", json=document).status_code == 401


def test_elm_import_of_another_organizations_editor_is_403(
    anonymous: TestClient, bearer: Bearer, example_record: MicroCredential
) -> None:
    document = elm_document(example_record, base_url=BASE_URL)
    headers = bearer("other@example.org", org_roles=[OrgRole.EDITOR], organization=OTHER_ORG)
    response = anonymous.post("/api/v1/interop/elm/import", json=document, headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize("fmt", ["ctdl", "elm"])
def test_a_draft_is_hidden_from_the_public_in_every_format(
    client: TestClient, anonymous: TestClient, fmt: str
) -> None:
    _import_template(client)
    assert client.get(f"/api/v1/interop/{fmt}/credentials/{EXAMPLE_ID}").status_code == 200
    del anonymous.headers["Authorization"]
    assert anonymous.get(f"/api/v1/interop/{fmt}/credentials/{EXAMPLE_ID}").status_code == 404


def _example(database: Database) -> MicroCredential:
    with database.read() as session:
        return registry.get_record(session, credential_id=EXAMPLE_ID).record
