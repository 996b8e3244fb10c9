"""POST /api/v1/verify under attack: strict parsing, a bounded pool, a flood of slow documents."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_service_setup import World

from credstack.badges import verify_pool
from credstack.badges.verify_pool import SMALL_DOCUMENT_BYTES, LaneSize, PoolBusy, VerifyPool


@pytest.fixture
def small_pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[VerifyPool]:
    pool = VerifyPool(small=LaneSize(1, 2), large=LaneSize(1, 1), seconds_per_job=2.0)
    monkeypatch.setattr(verify_pool, "POOL", pool)
    yield pool


def _badge(client: TestClient, world: World) -> dict[str, Any]:
    response = client.post("/api/v1/badges", json={"assessment_id": world.assessment_id})
    assert response.status_code == 201, response.text
    credential: dict[str, Any] = response.json()["credential"]
    return credential


def _input_check(report: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = report["checks"][0]
    assert found["name"] == "input"
    return found


def test_a_repeated_key_in_the_body_fails_the_input_check(client: TestClient,
                                                          world: World) -> None:
    text = json.dumps(_badge(client, world)).replace("{", '{"name": "Doctorate of Evil", ', 1)
    response = client.post("/api/v1/verify", content=text.encode())
    assert response.status_code == 200
    assert response.json()["verified"] is False
    assert _input_check(response.json())["reason"].startswith("duplicate key 'name'")


def test_a_lone_surrogate_is_a_failed_report_not_a_server_error(client: TestClient,
                                                                world: World) -> None:
    credential = _badge(client, world)
    credential["name"] = "\ud800"
    response = client.post("/api/v1/verify", content=json.dumps(credential).encode())
    assert response.status_code == 200
    assert "lone UTF-16 surrogate" in json.dumps(response.json())


def test_a_full_lane_answers_503_with_retry_after(client: TestClient, world: World,
                                                  small_pool: VerifyPool) -> None:
    body = json.dumps(_badge(client, world)).encode()
    release = threading.Event()
    held = [small_pool.submit(release.wait, size=len(body)) for _ in range(3)]  # 1 + 2 queued
    try:
        response = client.post("/api/v1/verify", content=body)
    finally:
        release.set()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "6"
    assert _input_check(response.json())["reason"] == "verification is busy; retry after 6 s"
    assert all(future.result(timeout=10) for future in held)
    assert client.post("/api/v1/verify", content=body).json()["verified"] is True


def test_pool_refuses_beyond_workers_and_queue() -> None:
    pool = VerifyPool(small=LaneSize(1, 0), large=LaneSize(1, 0))
    release = threading.Event()
    pool.submit(release.wait, size=10)
    with pytest.raises(PoolBusy):
        pool.submit(release.wait, size=10)
    pool.submit(release.wait, size=SMALL_DOCUMENT_BYTES + 1)  # the large lane is free
    release.set()


def _slow_credential(badge: dict[str, Any]) -> bytes:
    # Large and costly: 60 arrays of 1,000 strings to expand, inside every limit of size.
    slow = copy.deepcopy(badge)
    for index in range(60):
        slow["credentialSubject"]["achievement"][f"notes{index}"] = [
            f"note {index}.{item}" for item in range(1_000)]
    return json.dumps(slow).encode()


def test_a_flood_of_slow_credentials_does_not_stop_a_normal_verify(
    client: TestClient, world: World, small_pool: VerifyPool
) -> None:
    badge = _badge(client, world)
    slow = _slow_credential(badge)
    assert len(slow) > SMALL_DOCUMENT_BYTES
    with ThreadPoolExecutor(8) as senders:
        flood = [senders.submit(client.post, "/api/v1/verify", content=slow) for _ in range(8)]
        # The first answer is a refusal: the large lane is full while the normal one is sent.
        done, _running = wait(flood, timeout=120, return_when=FIRST_COMPLETED)
        assert next(iter(done)).result().status_code == 503
        normal = client.post("/api/v1/verify", content=json.dumps(badge).encode())
        answers = [future.result(timeout=120) for future in flood]
    assert normal.status_code == 200 and normal.json()["verified"] is True
    assert {answer.status_code for answer in answers} == {200, 503}
    assert all(answer.headers["Retry-After"] for answer in answers if answer.status_code == 503)
    assert all(answer.json()["verified"] is False for answer in answers)
