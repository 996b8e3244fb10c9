"""A write is committed before its response is sent: a read right after it sees it."""

from __future__ import annotations

import copy
from typing import Any

import httpx

TRIES = 200
PUTS = 100


def test_created_record_is_readable_right_after_201(
    served: httpx.Client, document: dict[str, Any]
) -> None:
    missing = []
    for index in range(TRIES):
        body = copy.deepcopy(document)
        body["id"] = f"race-{index}"
        created = served.post("/api/v1/credentials", json=body)
        assert created.status_code == 201, created.text
        read = served.get(f"/api/v1/credentials/race-{index}")
        if read.status_code != 200:
            missing.append(index)
    assert missing == []


def test_new_version_is_readable_right_after_put(
    served: httpx.Client, document: dict[str, Any]
) -> None:
    assert served.post("/api/v1/credentials", json=document).status_code == 201
    stale = []
    for index in range(PUTS):
        body = copy.deepcopy(document)
        body["title"] = f"Climate adaptation, edition {index}"
        put = served.put(f"/api/v1/credentials/{document['id']}", json=body)
        assert put.status_code == 200, put.text
        read = served.get(f"/api/v1/credentials/{document['id']}").json()
        if read["version"] != put.json()["version"]:
            stale.append(index)
    assert stale == []
