"""Text no database stores (NUL, unpaired surrogates) is a 422 naming the field."""

from __future__ import annotations

from typing import Any

from api_support import EXAMPLE_ID
from fastapi.testclient import TestClient

from credstack.api.routing import unstorable_text


def test_rejects_nul_in_a_body_field(client: TestClient) -> None:
    response = client.post("/api/v1/learners", json={"id": "ada", "display_name": "A\x00da"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "display_name"]
    assert client.get("/api/v1/learners/ada").status_code == 404


def test_rejects_unpaired_surrogate_in_a_body_field(
    client: TestClient, document: dict[str, Any]
) -> None:
    body = '{"id": "ada", "display_name": "\\ud935"}'
    response = client.post(
        "/api/v1/learners", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "display_name"]


def test_rejects_nul_in_a_path_parameter(client: TestClient) -> None:
    response = client.get("/api/v1/credentials/a%00b")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "credential_id"]


def test_rejects_nul_in_a_query_parameter(client: TestClient) -> None:
    response = client.get("/api/v1/credentials", params={"q": "climate\x00"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "q"]


def test_accepts_ordinary_unicode(client: TestClient, document: dict[str, Any]) -> None:
    document["title"] = "Adaptation climatique — fondements 🌍"
    assert client.post("/api/v1/credentials", json=document).status_code == 201
    assert client.get(f"/api/v1/credentials/{EXAMPLE_ID}").json()["title"] == document["title"]


def test_names_keys_and_list_positions() -> None:
    found = unstorable_text({"a": ["ok", "b\x00d"], "k\x00": 1}, ("body",))
    assert [error["loc"] for error in found] == [("body", "a", 1), ("body", "k\x00")]
