"""Request bodies over the documented limit are refused with 413 and store nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from api_support import EXAMPLE_ID
from fastapi import FastAPI
from fastapi.testclient import TestClient

from credstack.accounts.model import RegistryRole
from credstack.api.app import create_app
from credstack.config import MAX_BODY_ENV, Settings
from credstack.errors import InvalidInput
from credstack.store.unit_of_work import Database

LIMIT = 64_000
IMPORT_LIMIT = 256_000


@pytest.fixture
def app(database: Database) -> FastAPI:
    """The app with small limits, so tests send small bodies."""
    settings = Settings(
        database_url="unused", max_body_bytes=LIMIT, max_import_body_bytes=IMPORT_LIMIT
    )
    return create_app(database, settings)


def _padded(document: dict[str, Any], size: int) -> dict[str, Any]:
    """``document`` grown past ``size`` bytes by a long description."""
    return {**document, "description": {"summary": "x" * size}}


def test_rejects_declared_body_over_the_limit_with_413(
    client: TestClient, document: dict[str, Any]
) -> None:
    response = client.post("/api/v1/credentials", json=_padded(document, LIMIT))
    assert response.status_code == 413
    assert response.json() == {"detail": f"request body larger than {LIMIT} bytes"}
    assert client.get(f"/api/v1/credentials/{EXAMPLE_ID}").status_code == 404


def test_rejects_streamed_body_over_the_limit_with_413(
    served: httpx.Client, document: dict[str, Any]
) -> None:
    payload = json.dumps(_padded(document, LIMIT)).encode()

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(payload), 4096):
            yield payload[start : start + 4096]

    response = served.post(
        "/api/v1/credentials", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert served.get(f"/api/v1/credentials/{EXAMPLE_ID}").status_code == 404


def test_accepts_body_under_the_limit(client: TestClient, document: dict[str, Any]) -> None:
    assert client.post("/api/v1/credentials", json=document).status_code == 201


def test_framework_imports_have_their_own_limit(
    client: TestClient, bearer: Callable[..., dict[str, str]]
) -> None:
    framework = {
        "framework": {"id": "big", "name": "Big", "publisher": "Test", "version": "1"},
        "competencies": [
            {"uri": f"https://big.example/c/{index}", "label": f"Competency {index} " + "y" * 100}
            for index in range(LIMIT // 100)
        ],
    }
    admin = bearer("admin@example.org", registry_roles=[RegistryRole.ADMIN])
    response = client.post("/api/v1/competency-frameworks/import/custom", json=framework,
                           headers=admin)
    assert response.status_code == 201, response.text[:300]


def test_openapi_documents_the_limit_and_its_413(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert f"{LIMIT:,} bytes" in document["info"]["description"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                assert "413" in operation["responses"], (method, path)


def test_limit_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_BODY_ENV, "2048")
    assert Settings.resolve("sqlite://").max_body_bytes == 2048


def test_rejects_a_limit_that_is_not_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_BODY_ENV, "1MB")
    with pytest.raises(InvalidInput, match=MAX_BODY_ENV):
        Settings.resolve("sqlite://")
