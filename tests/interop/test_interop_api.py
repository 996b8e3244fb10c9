"""The interop API: CTDL and ELM documents of a record, CTDL and CSV imports, the template."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from interop_support import BASE_URL

from credstack.api.app import create_app
from credstack.config import Settings
from credstack.domain.credential import MicroCredential
from credstack.interop.csv_catalogue import template_text
from credstack.interop.ctdl import to_ctdl
from credstack.interop.ctdl_schema import validate_graph
from credstack.store.unit_of_work import Database

EXAMPLE_ID = "rru-caf-foundations-climate-adaptation"


@pytest.fixture
def client(database: Database) -> Iterator[TestClient]:
    """A client of the app on the test's database."""
    settings = Settings(database_url="unused", publish_standard="bc-assessment-standard")
    with TestClient(create_app(database, settings)) as test_client:
        yield test_client


def _import_template(client: TestClient) -> None:
    response = client.post(
        "/api/v1/interop/csv/import", content=template_text(), headers={"Content-Type": "text/csv"}
    )
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
