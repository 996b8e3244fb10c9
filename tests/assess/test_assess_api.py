"""Assessment endpoints: rubrics, learners, assessments; errors name the field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from credstack.api.app import create_app
from credstack.registry import service as registry
from credstack.registry.files import load_record
from credstack.store.unit_of_work import Database

Factory = Callable[..., dict[str, Any]]


@pytest.fixture
def client(database: Database, example_path: Path, rubric_path: Path) -> TestClient:
    with database.unit_of_work() as session:
        registry.save(session, record=load_record(example_path), actor="test")
    client = TestClient(create_app(database))
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
