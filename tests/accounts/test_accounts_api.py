"""The accounts API: who am I, tokens, the audit log; 401 without valid credentials,
403 without the role; the bearer scheme in the OpenAPI document; security headers."""

from __future__ import annotations

from collections.abc import Callable

from accounts_support import ORG_A, AddUser
from fastapi.testclient import TestClient

from credstack.accounts.model import OrgRole, RegistryRole, Scope

TokenFor = Callable[..., str]


def auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_me_without_credentials_is_401_asking_for_a_bearer_token(client: TestClient) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_me_with_a_token_names_the_user_roles_and_scope(
    client: TestClient, add_user: AddUser, token_for: TokenFor
) -> None:
    add_user("ed@example.org", org_roles=(OrgRole.EDITOR,))
    response = client.get("/api/v1/me", headers=auth(token_for("ed@example.org")))
    assert response.status_code == 200
    body = response.json()
    assert (body["email"], body["scope"]) == ("ed@example.org", "read")
    assert body["memberships"] == [{"organization": ORG_A, "role": "editor"}]


def test_an_unknown_token_is_401(client: TestClient) -> None:
    assert client.get("/api/v1/me", headers=auth("cst_not-a-token")).status_code == 401


def test_another_authorization_scheme_is_401(client: TestClient) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": "Basic ZWQ6cHc="})
    assert response.status_code == 401


def test_a_token_created_through_the_api_works_until_revoked(
    client: TestClient, add_user: AddUser, token_for: TokenFor
) -> None:
    add_user("ed@example.org")
    writer = auth(token_for("ed@example.org", Scope.WRITE))
    created = client.post("/api/v1/me/tokens", headers=writer,
                          json={"name": "ci", "scope": "read", "expires": "30d"})
    assert created.status_code == 201
    secret, token_id = created.json()["token"], created.json()["id"]
    assert client.get("/api/v1/me", headers=auth(secret)).status_code == 200
    listed = client.get("/api/v1/me/tokens", headers=writer).json()
    assert secret not in str(listed) and token_id in {item["id"] for item in listed}
    assert client.delete(f"/api/v1/me/tokens/{token_id}", headers=writer).status_code == 200
    assert client.get("/api/v1/me", headers=auth(secret)).status_code == 401


def test_a_read_token_may_not_create_tokens(
    client: TestClient, add_user: AddUser, token_for: TokenFor
) -> None:
    add_user("ed@example.org")
    response = client.post("/api/v1/me/tokens", headers=auth(token_for("ed@example.org")),
                           json={"name": "ci", "scope": "write"})
    assert response.status_code == 403
    assert "scope read" in response.json()["detail"]


def test_a_bad_expiry_is_422_naming_the_field(
    client: TestClient, add_user: AddUser, token_for: TokenFor
) -> None:
    add_user("ed@example.org")
    response = client.post("/api/v1/me/tokens",
                           headers=auth(token_for("ed@example.org", Scope.WRITE)),
                           json={"name": "ci", "scope": "read", "expires": "soon"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "expires"]


def test_audit_is_403_for_an_editor_and_200_for_a_registry_admin(
    client: TestClient, add_user: AddUser, token_for: TokenFor
) -> None:
    add_user("ed@example.org", org_roles=(OrgRole.EDITOR,))
    add_user("root@example.org", registry_roles=(RegistryRole.ADMIN,))
    assert client.get("/api/v1/audit", headers=auth(token_for("ed@example.org"))
                      ).status_code == 403
    response = client.get("/api/v1/audit", headers=auth(token_for("root@example.org")))
    assert response.status_code == 200
    assert {"user.add", "member.add", "token.create"} <= {e["action"] for e in response.json()}


def test_org_admin_reads_their_organizations_audit_as_csv(
    client: TestClient, add_user: AddUser, token_for: TokenFor
) -> None:
    add_user("boss@example.org", org_roles=(OrgRole.ORG_ADMIN,))
    response = client.get("/api/v1/audit.csv", headers=auth(token_for("boss@example.org")))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.strip().splitlines()
    assert lines[0].startswith("id,at,actor") and len(lines) == 2 and ORG_A in lines[1]


def test_openapi_declares_the_bearer_scheme_and_the_operations_needing_it(
    client: TestClient,
) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "cst_ token",
        "description": document["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    for path in ("/api/v1/me", "/api/v1/me/tokens", "/api/v1/audit"):
        assert document["paths"][path]["get"]["security"] == [{"bearerAuth": []}]


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/", "/login", "/api/v1/openapi.json", "/no-such-page"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
