"""Badge endpoints and the public site: issue, status, wallet, CLR, endorsements, and a
verify endpoint that answers hostile input with a report, never a crash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_service_setup import (
    CREDENTIAL,
    ENDORSER,
    HOST,
    PROVIDER,
    World,
    make_world,
    publish,
)

from acting import OPERATOR
from credstack.api.app import create_app
from credstack.api.badges import MAX_VERIFY_BYTES
from credstack.badges import issuer_store
from credstack.store.unit_of_work import Database


def _issue(client: TestClient, world: World, **extra: Any) -> dict[str, Any]:
    response = client.post("/api/v1/badges", json={"assessment_id": world.assessment_id, **extra})
    assert response.status_code == 201, response.text
    issued: dict[str, Any] = response.json()
    return issued


def _check(report: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in report["checks"] if c["name"] == name)
    return found


def test_jwt_badge_verifies_when_posted_as_text(client: TestClient, world: World) -> None:
    token = _issue(client, world, format="jwt")["credential"]
    report = client.post("/api/v1/verify", content=token, headers={"content-type": "text/plain"})
    assert report.json()["verified"] is True
    quoted = client.post("/api/v1/verify", json=token)
    assert quoted.json()["format"] == "jwt"


def test_second_issue_is_409(client: TestClient, world: World) -> None:
    _issue(client, world)
    response = client.post("/api/v1/badges", json={"assessment_id": world.assessment_id})
    assert response.status_code == 409


def test_unknown_assessment_is_404(client: TestClient) -> None:
    assert client.post("/api/v1/badges", json={"assessment_id": "asm-x"}).status_code == 404


def test_changed_byte_is_reported_by_the_proof_check(client: TestClient, world: World) -> None:
    credential = _issue(client, world)["credential"]
    credential["credentialSubject"]["achievement"]["name"] = "Foundations of Climate Adaptatiom"
    report = client.post("/api/v1/verify", json=credential).json()
    assert report["verified"] is False
    assert _check(report, "proof")["passed"] is False


@pytest.mark.parametrize(
    "body",
    [
        b"not json at all",
        b"[]",
        b'{"@context": ["https://evil.example/context.json"], "type": "VerifiableCredential"}',
        b"[" * 100_000 + b"]" * 100_000,
        b'"eyJhbGciOiJub25lIn0.eyJ9.x"',
        json.dumps({"id": "relative/iri", "name": "a\u0000b\u0008c"}).encode(),
    ],
    ids=["text", "array", "unknown-context", "deep", "bad-jwt", "controls"],
)
def test_hostile_input_gets_a_failed_report(client: TestClient, body: bytes) -> None:
    response = client.post("/api/v1/verify", content=body)
    assert response.status_code == 200
    report = response.json()
    assert report["verified"] is False
    assert all({"name", "passed", "reason"} <= set(check) for check in report["checks"])


def test_oversized_body_is_413_with_a_report(client: TestClient) -> None:
    response = client.post("/api/v1/verify", content=b" " * (MAX_VERIFY_BYTES + 1))
    assert response.status_code == 413
    assert response.json()["verified"] is False


def test_suspension_through_the_api(client: TestClient, world: World) -> None:
    issued = _issue(client, world, suspendable=True)
    badge_id = issued["badge"]["id"]
    suspended = client.post(f"/api/v1/badges/{badge_id}/status", json={"suspend": True})
    assert suspended.json()["state"] == "suspended"
    report = client.post("/api/v1/verify", json=issued["credential"]).json()
    assert _check(report, "status")["reason"].startswith("suspended (status purpose: suspension")
    revoking = client.post(f"/api/v1/badges/{badge_id}/status", json={})
    assert revoking.status_code == 409


def test_clr_of_the_wallet_verifies(
    client: TestClient, world: World, people: dict[str, dict[str, str]]
) -> None:
    _issue(client, world)
    clr = client.get("/api/v1/learners/ada/clr", headers=people["learner"]).json()
    assert "ClrCredential" in clr["type"]
    assert client.post("/api/v1/verify", json=clr).json()["verified"] is True


def test_endorsement_is_shown_with_the_achievement(
    client: TestClient, world: World, people: dict[str, dict[str, str]]
) -> None:
    with world.database.unit_of_work() as session:
        issuer_store.init_issuer(
            session, provider_id=ENDORSER, key_dir=world.key_dir, actor=OPERATOR
        )
    publish(world)
    body = {"credential_id": CREDENTIAL, "endorser": ENDORSER, "comment": "Fit for practice."}
    response = client.post("/api/v1/endorsements", json=body, headers=people["endorser"])
    assert response.status_code == 201, response.text
    endorsement = response.json()
    achievement = client.get(f"/achievements/{CREDENTIAL}/1").json()
    assert achievement["id"] == f"https://{HOST}/achievements/{CREDENTIAL}/1"
    assert [item["id"] for item in achievement["endorsement"]] == [endorsement["id"]]
    assert client.post("/api/v1/verify", json=endorsement).json()["verified"] is True


def test_no_response_carries_private_key_material(
    client: TestClient, world: World, people: dict[str, dict[str, str]]
) -> None:
    issued = _issue(client, world)
    with world.database.read() as session:
        pem = Path(issuer_store.get_issuer(session, provider_id=PROVIDER).active_key.key_path)
    secret_body = pem.read_text().splitlines()[1]
    responses = [
        json.dumps(issued),
        client.get(f"/issuers/{PROVIDER}").text,
        client.get("/.well-known/did.json").text,
        client.get(f"/badges/{issued['badge']['id']}").text,
        client.get("/api/v1/learners/ada/clr", headers=people["learner"]).text,
    ]
    assert not any(secret_body in text or "PRIVATE" in text for text in responses)


def test_path_did_web_document_is_served(database: Database, tmp_path: Path) -> None:
    world = make_world(database, tmp_path / "keys", did_web=False)
    with world.database.unit_of_work() as session:
        issuer_store.init_issuer(
            session, provider_id=ENDORSER, key_dir=world.key_dir, did_web=f"{HOST}/issuers/pics",
            actor=OPERATOR,
        )
    client = TestClient(create_app(world.database))
    document = client.get("/issuers/pics/did.json").json()
    assert document["id"] == f"did:web:{HOST}:issuers:pics"
    assert client.get("/.well-known/did.json").status_code == 404


def test_unknown_status_list_is_404(client: TestClient) -> None:
    assert client.get("/status/nope").status_code == 404
