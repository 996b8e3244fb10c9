"""The quality API: frameworks, compliance of uploads and of stored records."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from credstack.api.app import create_app
from credstack.domain.vocabulary import LifecycleStatus
from credstack.registry import service as registry
from credstack.store.unit_of_work import Database
from quality.conftest import load_example

EXAMPLE_ID = "rru-caf-foundations-climate-adaptation"


def document() -> dict[str, Any]:
    return load_example().to_document()


def test_frameworks_lists_every_shipped_set(database: Database) -> None:
    client = TestClient(create_app(database))
    response = client.get("/api/v1/frameworks")
    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["frameworks"]]
    assert len(ids) == 11 and "bc-assessment-standard" in ids


def test_post_compliance_checks_an_upload_without_storing_it(
    database: Database, user_client: TestClient
) -> None:
    client = user_client
    response = client.post("/api/v1/compliance?framework=eu-cmf,au-nmf", json=document())
    assert response.status_code == 200
    body = response.json()
    assert body["compliant"] is False
    assert [r["framework"] for r in body["reports"]] == ["eu-cmf", "au-nmf"]
    assert body["reports"][1]["compliant"] is True
    with database.read() as session:
        assert registry.count_records(session) == 0


def test_post_compliance_rejects_invalid_record_with_422(user_client: TestClient) -> None:
    client = user_client
    bad = document()
    bad["title"] = ""
    response = client.post("/api/v1/compliance?framework=au-nmf", json=bad)
    assert response.status_code == 422
    assert any(item["loc"] == ["body", "title"] for item in response.json()["detail"])


def test_unknown_framework_is_422(user_client: TestClient) -> None:
    client = user_client
    response = client.post("/api/v1/compliance?framework=atlantis", json=document())
    assert response.status_code == 422


def test_framework_as_server_path_is_refused(user_client: TestClient) -> None:
    client = user_client
    response = client.post("/api/v1/compliance?framework=/etc/rules.yaml", json=document())
    assert response.status_code == 422


def test_post_compliance_of_an_anonymous_visitor_is_401(database: Database) -> None:
    client = TestClient(create_app(database))
    response = client.post("/api/v1/compliance?framework=au-nmf", json=document())
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_stored_record_compliance(database: Database) -> None:
    with database.unit_of_work() as session:
        registry.save(session, record=load_example(), actor="test")
        for status in (LifecycleStatus.SUBMITTED, LifecycleStatus.PUBLISHED):
            registry.transition(session, credential_id=EXAMPLE_ID, target=status, actor="test")
    client = TestClient(create_app(database))
    response = client.get(
        f"/api/v1/credentials/{EXAMPLE_ID}/compliance",
        params={"framework": "bc-assessment-standard"},
    )
    assert response.status_code == 200
    assert response.json()["compliant"] is True


def test_compliance_of_a_draft_is_not_found_for_anonymous_visitors(database: Database) -> None:
    with database.unit_of_work() as session:
        registry.save(session, record=load_example(), actor="test")
    response = TestClient(create_app(database)).get(f"/api/v1/credentials/{EXAMPLE_ID}/compliance")
    assert response.status_code == 404


def test_stored_record_compliance_of_unknown_id_is_404(database: Database) -> None:
    client = TestClient(create_app(database))
    response = client.get("/api/v1/credentials/no-such-record/compliance")
    assert response.status_code == 404
