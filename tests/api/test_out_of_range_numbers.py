"""Numbers beyond what the database holds are a 422 naming the parameter, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import EXAMPLE_ID
from fastapi.testclient import TestClient

HUGE = "88252783367759577088"


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/rubrics/some-rubric", "version"),
        ("/api/v1/credentials/some-id", "version"),
        ("/api/v1/credentials/some-id/compliance", "version"),
        ("/api/v1/credentials", "offset"),
        ("/api/v1/competency-frameworks/esco", "offset"),
        ("/api/v1/interop/ctdl/credentials/some-id", "version"),
        ("/api/v1/interop/elm/credentials/some-id", "version"),
    ],
)
def test_rejects_an_integer_beyond_32_bits(client: TestClient, path: str, name: str) -> None:
    response = client.get(path, params={name: HUGE})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", name]


@pytest.mark.parametrize("value", ["inf", "nan", "1e400"])
def test_rejects_a_range_bound_that_is_not_a_finite_amount(client: TestClient, value: str) -> None:
    response = client.get("/api/v1/credentials", params={"hours_min": value})
    assert response.status_code == 422


def test_rejects_a_version_beyond_32_bits_in_if_match(
    client: TestClient, document: dict[str, Any]
) -> None:
    client.post("/api/v1/credentials", json=document)
    response = client.put(
        f"/api/v1/credentials/{EXAMPLE_ID}", json=document, headers={"If-Match": '"9999999999"'}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "If-Match"]


def test_rejects_a_numeric_jurisdiction(client: TestClient) -> None:
    response = client.get("/api/v1/credentials", params={"jurisdiction": "123"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "jurisdiction", 0]
