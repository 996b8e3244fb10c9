"""Assessment endpoints: rubrics, learners, assessments; errors name the field; the
policy decides who may write and read them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from acting import OPERATOR, PARTNER, add_user, bearer
from credstack.accounts import audit
from credstack.accounts.model import OrgRole, RegistryRole, Scope
from credstack.api.app import create_app
from credstack.registry import service as registry
from credstack.registry.files import load_record
from credstack.store.unit_of_work import Database

Factory = Callable[..., dict[str, Any]]


@pytest.fixture
def client(database: Database, example_path: Path, rubric_path: Path) -> TestClient:
    """A client acting as an assessor and editor of the example record's organization."""
    with database.unit_of_work() as session:
        registry.save(session, record=load_record(example_path), actor="test")
    add_user(database, "assessor@example.org", OrgRole.ASSESSOR, OrgRole.EDITOR)
    client = TestClient(create_app(database),
                        headers=bearer(database, "assessor@example.org"))
    rubric = yaml.safe_load(rubric_path.read_text(encoding="utf-8"))
    assert client.post("/api/v1/rubrics", json=rubric).status_code == 201
    assert client.post("/api/v1/learners", json={"id": "ada"}).status_code == 201
    return client


def test_assessment_is_recorded_with_its_decision(
    client: TestClient, assessment_data: Factory
) -> None:
    data = assessment_data()
    data["results"][0]["level"] = "developing"
    response = client.post("/api/v1/assessments", json=data)
    assert response.status_code == 201
    recorded = response.json()
    assert recorded["decision"]["decision"] == "not_yet_competent"
    assert client.get(f"/api/v1/assessments/{recorded['id']}").json() == recorded
    listed = client.get("/api/v1/assessments", params={"learner": "ada"}).json()
    assert [item["id"] for item in listed] == [recorded["id"]]


def test_invalid_rubric_is_422_naming_the_field(client: TestClient, rubric_path: Path) -> None:
    rubric = yaml.safe_load(rubric_path.read_text(encoding="utf-8"))
    rubric["criteria"][0]["method"] = "astrology"
    response = client.post("/api/v1/rubrics", json=rubric)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "criteria", 0, "method"]


def test_learner_email_is_never_returned(client: TestClient) -> None:
    response = client.post("/api/v1/learners", json={"id": "bob", "email": "bob@example.org"})
    assert response.json() == {"id": "bob", "display_name": None, "has_email": True}


def test_duplicate_learner_is_409(client: TestClient) -> None:
    assert client.post("/api/v1/learners", json={"id": "ada"}).status_code == 409


def test_assessment_of_unknown_learner_is_422(client: TestClient, assessment_data: Factory) -> None:
    response = client.post("/api/v1/assessments", json=assessment_data(learner="nobody"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "learner"]


def test_rubric_is_shown_with_version(client: TestClient) -> None:
    data = client.get("/api/v1/rubrics/rru-caf-foundations-rubric").json()
    assert data["version"] == 1 and data["scale"]["levels"][2]["id"] == "proficient"


def _as(client: TestClient, database: Database, email: str) -> dict[str, str]:
    return bearer(database, email, Scope.WRITE)


def test_anonymous_visitors_are_401_on_every_assessment_operation(
    client: TestClient, assessment_data: Factory, rubric_path: Path
) -> None:
    anonymous = TestClient(client.app)
    rubric = yaml.safe_load(rubric_path.read_text(encoding="utf-8"))
    assert anonymous.post("/api/v1/rubrics", json=rubric).status_code == 401
    assert anonymous.get("/api/v1/rubrics").status_code == 401
    assert anonymous.post("/api/v1/learners", json={"id": "eve"}).status_code == 401
    assert anonymous.post("/api/v1/assessments", json=assessment_data()).status_code == 401
    assert anonymous.get("/api/v1/assessments").status_code == 401


def test_learner_is_404_and_rubric_401_to_anonymous_visitors(client: TestClient) -> None:
    anonymous = TestClient(client.app)
    assert anonymous.get("/api/v1/learners/ada").status_code == 404
    assert anonymous.get("/api/v1/rubrics/rru-caf-foundations-rubric").status_code == 401


def test_assessor_of_another_organization_is_403_recording(
    client: TestClient, database: Database, assessment_data: Factory
) -> None:
    add_user(database, "other@example.org", OrgRole.ASSESSOR, organization=PARTNER)
    response = client.post("/api/v1/assessments", json=assessment_data(),
                           headers=_as(client, database, "other@example.org"))
    assert response.status_code == 403


def test_assessment_is_hidden_from_users_outside_it(
    client: TestClient, database: Database, assessment_data: Factory
) -> None:
    recorded = client.post("/api/v1/assessments", json=assessment_data()).json()
    add_user(database, "stranger@example.org")
    add_user(database, "issuer@example.org", OrgRole.ISSUER)
    for email in ("stranger@example.org", "issuer@example.org"):
        headers = _as(client, database, email)
        assert client.get(f"/api/v1/assessments/{recorded['id']}",
                          headers=headers).status_code == 404
        assert client.get("/api/v1/assessments", headers=headers).json() == []
        assert client.get("/api/v1/learners/ada", headers=headers).status_code == 404


def test_learner_and_registry_admin_read_the_assessment(
    client: TestClient, database: Database, assessment_data: Factory
) -> None:
    add_user(database, "bob@example.org")
    assert client.post("/api/v1/learners",
                       json={"id": "bob", "account": "bob@example.org"}).status_code == 201
    recorded = client.post("/api/v1/assessments", json=assessment_data(learner="bob")).json()
    add_user(database, "admin@example.org", registry_roles=(RegistryRole.ADMIN,))
    for email in ("bob@example.org", "admin@example.org"):
        response = client.get(f"/api/v1/assessments/{recorded['id']}",
                              headers=_as(client, database, email))
        assert response.status_code == 200 and response.json()["learner"] == "bob"


def test_learner_linked_to_an_unknown_account_is_422(client: TestClient) -> None:
    response = client.post("/api/v1/learners", json={"id": "eve", "account": "no@example.org"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "account"]


def test_editor_of_another_organization_is_403_importing_a_rubric(
    client: TestClient, database: Database, rubric_path: Path
) -> None:
    add_user(database, "editor-b@example.org", OrgRole.EDITOR, organization=PARTNER)
    rubric = yaml.safe_load(rubric_path.read_text(encoding="utf-8"))
    rubric["title"] = "Changed"
    response = client.post("/api/v1/rubrics", json=rubric,
                           headers=_as(client, database, "editor-b@example.org"))
    assert response.status_code == 403


def test_recording_an_assessment_is_audited(
    client: TestClient, database: Database, assessment_data: Factory
) -> None:
    recorded = client.post("/api/v1/assessments", json=assessment_data()).json()
    with database.read() as session:
        entries = audit.entries(session, viewer=OPERATOR, action="assessment.record")
    assert [(e.actor, e.resource_id) for e in entries] == [
        ("user:assessor@example.org", recorded["id"])]
