"""Badges under the policy through the API: who may issue, revoke, read, endorse and share;
what an anonymous visitor sees of a share link or a public profile; the audit log."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from test_service_setup import CREDENTIAL, ENDORSER, World, publish

from acting import OPERATOR, PARTNER, add_user, bearer
from credstack.accounts import audit
from credstack.accounts.model import OrgRole, Scope
from credstack.badges import issuer_store

People = dict[str, dict[str, str]]


def _issue(client: TestClient, world: World) -> dict[str, Any]:
    response = client.post("/api/v1/badges", json={"assessment_id": world.assessment_id})
    assert response.status_code == 201, response.text
    badge: dict[str, Any] = response.json()["badge"]
    return badge


def _anonymous(client: TestClient) -> TestClient:
    return TestClient(client.app)


def test_anonymous_issue_is_401(client: TestClient, world: World) -> None:
    response = _anonymous(client).post(
        "/api/v1/badges", json={"assessment_id": world.assessment_id})
    assert response.status_code == 401


def test_issuer_of_another_organization_is_403_and_signs_nothing(
    client: TestClient, world: World
) -> None:
    add_user(world.database, "other@example.org", OrgRole.ISSUER, organization=PARTNER)
    response = client.post("/api/v1/badges", json={"assessment_id": world.assessment_id},
                           headers=bearer(world.database, "other@example.org", Scope.ISSUE))
    assert response.status_code == 403
    assert _issue(client, world)["state"] == "active"  # nothing was stored by the refusal


def test_issuer_token_without_the_issue_scope_is_403(client: TestClient, world: World) -> None:
    response = client.post("/api/v1/badges", json={"assessment_id": world.assessment_id},
                           headers=bearer(world.database, "issuer@example.org", Scope.WRITE))
    assert response.status_code == 403


def test_badge_is_404_to_other_users_and_open_to_its_learner(
    client: TestClient, world: World, people: People
) -> None:
    badge = _issue(client, world)
    add_user(world.database, "eve@example.org")
    eve = bearer(world.database, "eve@example.org")
    assert client.get(f"/api/v1/badges/{badge['id']}", headers=eve).status_code == 404
    assert _anonymous(client).get(f"/api/v1/badges/{badge['id']}").status_code == 404
    mine = client.get(f"/api/v1/badges/{badge['id']}", headers=people["learner"])
    assert mine.status_code == 200


def test_learner_may_not_revoke_their_badge(
    client: TestClient, world: World, people: People
) -> None:
    badge = _issue(client, world)
    response = client.post(f"/api/v1/badges/{badge['id']}/status", json={},
                           headers=people["learner"])
    assert response.status_code == 403


def test_wallet_and_clr_are_404_to_the_issuer(client: TestClient, world: World) -> None:
    _issue(client, world)
    assert client.get("/api/v1/learners/ada/badges").status_code == 404
    assert client.get("/api/v1/learners/ada/clr").status_code == 404


def test_own_wallet_lists_the_learners_badges(
    client: TestClient, world: World, people: People
) -> None:
    badge = _issue(client, world)
    wallet = client.get("/api/v1/wallet", headers=people["learner"]).json()
    assert [item["id"] for item in wallet] == [badge["id"]]
    assert _anonymous(client).get("/api/v1/wallet").status_code == 401


def test_share_link_shows_the_shared_badge_until_revoked(
    client: TestClient, world: World, people: People
) -> None:
    badge = _issue(client, world)
    created = client.post("/api/v1/wallet/share-links", json={"badge_ids": [badge["id"]],
                          "expires": "30d"}, headers=people["learner"])
    assert created.status_code == 201, created.text
    link = created.json()
    assert len(link["secret"]) >= 43  # 256 random bits, URL-safe
    shared = _anonymous(client).get(f"/api/v1/shared/{link['secret']}").json()
    assert [item["badge"]["id"] for item in shared["badges"]] == [badge["id"]]
    assert shared["badges"][0]["badge"]["learner"] is None
    listed = client.get("/api/v1/wallet/share-links", headers=people["learner"]).json()
    assert "secret" not in listed[0] and listed[0]["id"] == link["id"]
    revoked = client.post(f"/api/v1/wallet/share-links/{link['id']}/revoke",
                          headers=people["learner"])
    assert revoked.json()["revoked_at"] is not None
    assert _anonymous(client).get(f"/api/v1/shared/{link['secret']}").status_code == 404


def test_another_users_share_link_cannot_be_revoked(
    client: TestClient, world: World, people: People
) -> None:
    badge = _issue(client, world)
    link = client.post("/api/v1/wallet/share-links", json={"badge_ids": [badge["id"]]},
                       headers=people["learner"]).json()
    add_user(world.database, "eve@example.org")
    with world.database.unit_of_work() as session:
        from credstack.assess import service as assess
        from credstack.assess.learner import LearnerInput

        assess.add_learner(session, learner=LearnerInput(id="eve", account="eve@example.org"),
                           actor=OPERATOR)
    response = client.post(f"/api/v1/wallet/share-links/{link['id']}/revoke",
                           headers=bearer(world.database, "eve@example.org"))
    assert response.status_code == 404


def test_sharing_another_learners_badge_is_422(
    client: TestClient, world: World, people: People
) -> None:
    response = client.post("/api/v1/wallet/share-links", json={"badge_ids": ["urn:uuid:x"]},
                           headers=people["learner"])
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "badge_ids", 0]


def test_public_profile_shows_active_badges_while_switched_on(
    client: TestClient, world: World, people: People
) -> None:
    badge = _issue(client, world)
    switched = client.put("/api/v1/wallet/profile", json={"enabled": True},
                          headers=people["learner"]).json()
    profile = _anonymous(client).get(f"/api/v1{switched['path']}").json()
    assert [item["badge"]["id"] for item in profile["badges"]] == [badge["id"]]
    client.put("/api/v1/wallet/profile", json={"enabled": False}, headers=people["learner"])
    assert _anonymous(client).get(f"/api/v1{switched['path']}").status_code == 404


def test_endorser_endorses_a_published_record_as_their_organization(
    client: TestClient, world: World, people: People
) -> None:
    with world.database.unit_of_work() as session:
        issuer_store.init_issuer(session, provider_id=ENDORSER, key_dir=world.key_dir,
                                 actor=OPERATOR)
    body = {"credential_id": CREDENTIAL, "comment": "We hire graduates of this."}
    hidden = client.post("/api/v1/endorsements", json=body, headers=people["endorser"])
    assert hidden.status_code == 404  # a draft of another organization does not exist to them
    publish(world)
    assert client.post("/api/v1/endorsements", json=body).status_code == 403  # the issuer
    response = client.post("/api/v1/endorsements", json=body, headers=people["endorser"])
    assert response.status_code == 201, response.text
    with world.database.read() as session:
        (entry,) = audit.entries(session, viewer=OPERATOR, action="endorsement.create")
    assert (entry.actor, entry.organization_id) == ("user:endorser@example.org", ENDORSER)


def test_issue_and_revoke_are_audited(client: TestClient, world: World) -> None:
    badge = _issue(client, world)
    client.post(f"/api/v1/badges/{badge['id']}/status", json={"reason": "error"})
    with world.database.read() as session:
        entries = audit.entries(session, viewer=OPERATOR)
    trail = [(e.action, e.actor, e.version_before, e.version_after)
             for e in entries if e.resource_id == badge["id"]]
    assert trail == [("badge.issue", "user:issuer@example.org", None, "active"),
                     ("badge.revoke", "user:issuer@example.org", "active", "revoked")]
