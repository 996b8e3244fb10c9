"""Acting as someone in the assessment, badge and wallet tests: users with roles, API
tokens, a signed-in portal client, and cheap password hashing (no tests here).

Argon2id with production parameters costs about half a second per hash; these tests
hash with the cheapest parameters, which change no behaviour but the cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher, Type
from fastapi.testclient import TestClient

from credstack.accounts import passwords, service, tokens
from credstack.accounts.model import Actor, OrgRole, RegistryRole, Scope, User
from credstack.store.unit_of_work import Database

OPERATOR = Actor.system("test")
PASSWORD = "correct horse battery staple"
ORG = "royal-roads-university"  # the example record's provider
PARTNER = "pics-climate"  # a partner the example record names


def hash_cheaply(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash passwords with Argon2id's cheapest parameters."""
    cheap = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "_HASHER", cheap)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", cheap.hash("no such account"))


def add_user(
    database: Database,
    email: str,
    *roles: OrgRole,
    organization: str = ORG,
    registry_roles: tuple[RegistryRole, ...] = (),
) -> User:
    """A stored user with PASSWORD, ``roles`` in ``organization`` and registry roles."""
    with database.unit_of_work() as session:
        user = service.add_user(session, email=email, display_name=None, password=PASSWORD,
                                registry_roles=registry_roles, actor=OPERATOR)
        for role in roles:
            user = service.add_member(session, email=email, organization_id=organization,
                                      role=role, actor=OPERATOR)
    return user


def bearer(database: Database, email: str, scope: Scope = Scope.WRITE) -> dict[str, str]:
    """The Authorization header of a new API token of the user ``email``."""
    with database.unit_of_work() as session:
        secret = tokens.create(session, email=email, name="test", scope=scope, lifetime=None,
                               actor=OPERATOR)[1]
    return {"Authorization": f"Bearer {secret}"}


@dataclass
class Portal:
    """A browser-like client signed in to the portal, with its CSRF token."""

    client: TestClient
    csrf_token: str

    def post(self, path: str, data: dict[str, str | list[str]] | None = None) -> object:
        """A form post carrying the session's CSRF token."""
        return self.client.post(path, data={**(data or {}), "csrf_token": self.csrf_token},
                                follow_redirects=False)


def sign_in(client: TestClient, email: str) -> str:
    """Sign ``client`` in as ``email`` through the login form; returns the CSRF token of
    its session (read from the account page)."""
    page = client.get("/login").text
    token = _hidden_csrf(page)
    response = client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return _hidden_csrf(client.get("/account").text)


def _hidden_csrf(page: str) -> str:
    marker = 'name="csrf_token" value="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]
