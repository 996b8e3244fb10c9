"""The registry REST API under /api/v1 on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from api_support import EXAMPLE_ID
from fastapi import FastAPI
from fastapi.testclient import TestClient


@pytest.fixture
def created(client: TestClient, document: dict[str, Any]) -> dict[str, Any]:
    """The example record, created through the API."""
    response = client.post("/api/v1/credentials", json=document)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _publish(client: TestClient, credential_id: str) -> None:
    for status in ("submitted", "published"):
        response = client.post(
            f"/api/v1/credentials/{credential_id}/status", json={"status": status}
        )
        assert response.status_code == 200, response.text


def test_create_answers_201_with_a_draft_version_1(created: dict[str, Any]) -> None:
    assert (created["id"], created["status"], created["version"]) == (EXAMPLE_ID, "draft", 1)
    assert created["record"]["learner_effort"]["total_hours"] == 28


def test_create_with_an_existing_id_is_409(
    client: TestClient, created: dict[str, Any], document: dict[str, Any]
) -> None:
    response = client.post("/api/v1/credentials", json=document)
    assert response.status_code == 409
    assert "PUT a new version" in response.json()["detail"]


def test_invalid_body_is_422_with_field_paths(client: TestClient, document: dict[str, Any]) -> None:
    document["titel"] = document.pop("title")
    document["price"]["currency"] = "CDN"
    response = client.post("/api/v1/credentials", json=document)
    assert response.status_code == 422
    detail = {tuple(item["loc"]): item["msg"] for item in response.json()["detail"]}
    assert detail["body", "title"] == "required field is missing"
    assert "did you mean 'title'?" in detail["body", "titel"]
    assert "ISO 4217" in detail["body", "price", "currency"]
    assert client.get(f"/api/v1/credentials/{EXAMPLE_ID}").status_code == 404


def test_body_that_is_not_an_object_is_422(client: TestClient) -> None:
    assert client.post("/api/v1/credentials", json=["not", "a", "record"]).status_code == 422


def test_get_returns_the_whole_record(
    client: TestClient, created: dict[str, Any], document: dict[str, Any]
) -> None:
    response = client.get(f"/api/v1/credentials/{EXAMPLE_ID}")
    assert response.status_code == 200
    assert response.json()["record"]["title"] == document["title"]


def test_get_unknown_id_is_404(client: TestClient) -> None:
    response = client.get("/api/v1/credentials/absent")
    assert response.status_code == 404
    assert "absent" in response.json()["detail"]


def test_put_stores_a_new_version(
    client: TestClient, created: dict[str, Any], document: dict[str, Any]
) -> None:
    changed = copy.deepcopy(document)
    changed["title"] = "Renamed"
    response = client.put(f"/api/v1/credentials/{EXAMPLE_ID}", json=changed)
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["record"]["title"]) == (2, "Renamed")
    old = client.get(f"/api/v1/credentials/{EXAMPLE_ID}", params={"version": 1}).json()
    assert (old["version"], old["current_version"]) == (1, 2)
    assert old["record"]["title"] == document["title"]


def test_put_with_a_different_id_in_the_body_is_422(
    client: TestClient, created: dict[str, Any], document: dict[str, Any]
) -> None:
    response = client.put("/api/v1/credentials/other-id", json=document)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "id"]


def test_put_of_an_unknown_id_is_404(client: TestClient, document: dict[str, Any]) -> None:
    document["id"] = "absent"
    assert client.put("/api/v1/credentials/absent", json=document).status_code == 404


def test_unknown_version_is_404(client: TestClient, created: dict[str, Any]) -> None:
    response = client.get(f"/api/v1/credentials/{EXAMPLE_ID}", params={"version": 5})
    assert response.status_code == 404


def test_versions_lists_every_version(
    client: TestClient, created: dict[str, Any], document: dict[str, Any]
) -> None:
    client.put(f"/api/v1/credentials/{EXAMPLE_ID}", json=dict(document, title="Renamed"))
    versions = client.get(f"/api/v1/credentials/{EXAMPLE_ID}/versions").json()
    author = "user:staff@example.org"
    assert [(v["version"], v["created_by"]) for v in versions] == [(1, author), (2, author)]


def test_versions_of_an_unknown_id_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/credentials/absent/versions").status_code == 404


def test_search_answers_items_total_and_facets(client: TestClient, created: dict[str, Any]) -> None:
    _publish(client, EXAMPLE_ID)
    page = client.get("/api/v1/credentials", params={"q": "climate adaptation"}).json()
    assert set(page) == {"items", "total", "facets"}
    assert page["total"] == 1
    assert page["items"][0]["id"] == EXAMPLE_ID
    assert page["facets"]["provider"] == {"royal-roads-university": 1}


def test_search_hides_drafts_unless_asked(client: TestClient, created: dict[str, Any]) -> None:
    assert client.get("/api/v1/credentials").json()["total"] == 0
    drafts = client.get("/api/v1/credentials", params={"status": ["draft"]}).json()
    assert drafts["total"] == 1


@pytest.mark.parametrize(
    ("params", "total"),
    [
        ({"level": "eqf:6"}, 1),
        ({"level": "eqf:7"}, 0),
        ({"jurisdiction": "CA-BC", "language": "en"}, 1),
        ({"assessment_method": "portfolio"}, 0),
        ({"hours_min": 20, "hours_max": 30}, 1),
        ({"price_max": 100, "currency": "CAD"}, 0),
        ({"credit_system": "ects"}, 1),
    ],
)
def test_search_filters(
    client: TestClient, created: dict[str, Any], params: dict[str, Any], total: int
) -> None:
    found = client.get("/api/v1/credentials", params={"status": "draft", **params}).json()
    assert found["total"] == total


def test_search_with_an_inverted_range_is_422(client: TestClient) -> None:
    response = client.get("/api/v1/credentials", params={"hours_min": 10, "hours_max": 5})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "hours_min"]


def test_search_with_a_price_range_but_no_currency_is_422(client: TestClient) -> None:
    response = client.get("/api/v1/credentials", params={"price_max": 500})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "price_max"]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"sort": "x"}])
def test_search_with_bad_paging_or_sort_is_422(client: TestClient, params: dict[str, Any]) -> None:
    assert client.get("/api/v1/credentials", params=params).status_code == 422


def test_status_transition_and_history(client: TestClient, created: dict[str, Any]) -> None:
    response = client.post(
        f"/api/v1/credentials/{EXAMPLE_ID}/status",
        json={"status": "submitted", "note": "ready"},
    )
    assert response.json() == {"id": EXAMPLE_ID, "status": "submitted"}
    shown = client.get(f"/api/v1/credentials/{EXAMPLE_ID}/status").json()
    assert shown["status"] == "submitted"
    assert [(e["from"], e["to"], e["actor"], e["note"]) for e in shown["history"]] == [
        ("draft", "submitted", "user:staff@example.org", "ready")
    ]


def test_forbidden_transition_is_409(client: TestClient, created: dict[str, Any]) -> None:
    response = client.post(f"/api/v1/credentials/{EXAMPLE_ID}/status", json={"status": "published"})
    assert response.status_code == 409
    assert client.get(f"/api/v1/credentials/{EXAMPLE_ID}").json()["status"] == "draft"


def test_publish_blocked_by_the_standard_is_422_with_failing_rules(
    client: TestClient, document: dict[str, Any]
) -> None:
    del document["assessment"]
    client.post("/api/v1/credentials", json=document)
    url = f"/api/v1/credentials/{EXAMPLE_ID}/status"
    client.post(url, json={"status": "submitted"})
    response = client.post(url, json={"status": "published"})
    assert response.status_code == 422
    assert response.json()["standard"] == "bc-assessment-standard"
    assert all({"rule", "message"} <= set(f) for f in response.json()["failures"])
    assert client.get(url).json()["status"] == "submitted"


def test_transition_of_an_unknown_id_is_404(client: TestClient) -> None:
    response = client.post("/api/v1/credentials/absent/status", json={"status": "submitted"})
    assert response.status_code == 404


def test_unknown_status_is_422(client: TestClient, created: dict[str, Any]) -> None:
    response = client.post(f"/api/v1/credentials/{EXAMPLE_ID}/status", json={"status": "gone"})
    assert response.status_code == 422


def test_providers_are_listed_with_counts(client: TestClient, created: dict[str, Any]) -> None:
    providers = {p["id"]: p for p in client.get("/api/v1/providers").json()}
    assert providers["royal-roads-university"]["credentials"] == 1
    assert providers["pics-climate"]["credentials"] == 0


def test_provider_counts_leave_out_drafts_the_caller_may_not_see(
    app: FastAPI, created: dict[str, Any]
) -> None:
    providers = {p["id"]: p for p in TestClient(app).get("/api/v1/providers").json()}
    assert providers["royal-roads-university"]["credentials"] == 0


def test_one_provider_and_an_unknown_one(client: TestClient, created: dict[str, Any]) -> None:
    assert client.get("/api/v1/providers/royal-roads-university").json()["region"] == "CA-BC"
    assert client.get("/api/v1/providers/absent").status_code == 404


def test_openapi_lists_the_registry_endpoints(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/credentials"]) >= {"get", "post"}
    assert set(paths["/api/v1/credentials/{credential_id}"]) >= {"get", "put"}
    assert "get" in paths["/api/v1/credentials/{credential_id}/versions"]
    assert set(paths["/api/v1/credentials/{credential_id}/status"]) >= {"get", "post"}
    assert "get" in paths["/api/v1/providers"]
    assert "get" in paths["/api/v1/providers/{provider_id}"]


def test_unknown_key_with_brackets_is_422(client: TestClient, document: dict[str, Any]) -> None:
    document["title[en]"] = "Climate"
    assert client.post("/api/v1/credentials", json=document).status_code == 422


def test_duplicate_outcome_id_is_422_at_its_field_path(
    client: TestClient, document: dict[str, Any]
) -> None:
    document["learning_outcomes"][1]["id"] = document["learning_outcomes"][0]["id"]
    response = client.post("/api/v1/credentials", json=document)
    assert response.status_code == 422
    locations = [item["loc"] for item in response.json()["detail"]]
    assert locations == [["body", "learning_outcomes", 1, "id"]]
