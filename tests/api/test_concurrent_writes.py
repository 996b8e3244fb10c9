"""Concurrent writers of one record: a new version each, or 409 with the current version."""

from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from api_support import EXAMPLE_ID
from fastapi.testclient import TestClient

WRITERS = 8
PUTS_EACH = 6


def _edition(document: dict[str, Any], label: str) -> dict[str, Any]:
    body = copy.deepcopy(document)
    body["title"] = f"Climate adaptation, edition {label}"
    return body


def _put_many(
    served: httpx.Client, document: dict[str, Any], writer: int
) -> list[httpx.Response]:
    # A client per writer, with the same credentials.
    with httpx.Client(base_url=served.base_url, timeout=60, headers=served.headers) as http:
        return [
            http.put(
                f"/api/v1/credentials/{EXAMPLE_ID}", json=_edition(document, f"{writer}.{index}")
            )
            for index in range(PUTS_EACH)
        ]


def _concurrent_puts(served: httpx.Client, document: dict[str, Any]) -> list[httpx.Response]:
    """Create the record, then PUT it from ``WRITERS`` threads at once."""
    assert served.post("/api/v1/credentials", json=document).status_code == 201
    with ThreadPoolExecutor(WRITERS) as pool:
        batches = list(pool.map(lambda w: _put_many(served, document, w), range(WRITERS)))
    return [response for batch in batches for response in batch]


def test_concurrent_puts_each_get_a_new_version(
    served: httpx.Client, document: dict[str, Any]
) -> None:
    answers = _concurrent_puts(served, document)
    assert sorted({response.status_code for response in answers}) == [200]
    versions = sorted(response.json()["version"] for response in answers)
    assert versions == list(range(2, 2 + WRITERS * PUTS_EACH))
    listed = served.get(f"/api/v1/credentials/{EXAMPLE_ID}/versions").json()
    assert [item["version"] for item in listed] == list(range(1, 2 + WRITERS * PUTS_EACH))


def test_searches_work_after_concurrent_puts(
    served: httpx.Client, document: dict[str, Any]
) -> None:
    _concurrent_puts(served, document)
    for _ in range(WRITERS * 2):
        found = served.get("/api/v1/credentials", params={"status": "draft", "q": "climate"})
        assert found.status_code == 200, found.text


def test_put_with_the_current_version_in_if_match_stores_a_new_one(
    client: TestClient, document: dict[str, Any]
) -> None:
    created = client.post("/api/v1/credentials", json=document)
    response = client.put(
        f"/api/v1/credentials/{EXAMPLE_ID}",
        json=_edition(document, "2"),
        headers={"If-Match": created.headers["ETag"]},
    )
    assert (response.status_code, response.headers["ETag"]) == (200, '"2"')


def test_put_with_a_stale_if_match_is_409_with_the_current_version(
    client: TestClient, document: dict[str, Any]
) -> None:
    client.post("/api/v1/credentials", json=document)
    client.put(f"/api/v1/credentials/{EXAMPLE_ID}", json=_edition(document, "2"))
    response = client.put(
        f"/api/v1/credentials/{EXAMPLE_ID}",
        json=_edition(document, "3"),
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert response.headers["ETag"] == '"2"'
    assert client.get(f"/api/v1/credentials/{EXAMPLE_ID}").json()["version"] == 2


def test_concurrent_puts_with_one_if_match_store_one_version(
    served: httpx.Client, document: dict[str, Any]
) -> None:
    etag = served.post("/api/v1/credentials", json=document).headers["ETag"]

    def put(writer: int) -> int:
        with httpx.Client(base_url=served.base_url, timeout=60, headers=served.headers) as http:
            return http.put(
                f"/api/v1/credentials/{EXAMPLE_ID}",
                json=_edition(document, str(writer)),
                headers={"If-Match": etag},
            ).status_code

    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = sorted(pool.map(put, range(WRITERS)))
    assert statuses == [200] + [409] * (WRITERS - 1)


def test_malformed_if_match_is_422(client: TestClient, document: dict[str, Any]) -> None:
    client.post("/api/v1/credentials", json=document)
    response = client.put(
        f"/api/v1/credentials/{EXAMPLE_ID}", json=document, headers={"If-Match": "yesterday"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "If-Match"]


def test_read_answers_the_version_as_etag(client: TestClient, document: dict[str, Any]) -> None:
    client.post("/api/v1/credentials", json=document)
    client.put(f"/api/v1/credentials/{EXAMPLE_ID}", json=_edition(document, "2"))
    assert client.get(f"/api/v1/credentials/{EXAMPLE_ID}").headers["ETag"] == '"2"'
    old = client.get(f"/api/v1/credentials/{EXAMPLE_ID}", params={"version": 1})
    assert old.headers["ETag"] == '"1"'
