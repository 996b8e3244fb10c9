"""Signed-in users for tests of the API and the portal: a bearer token per role.

``bearer(email, ...)`` stores a user with the given registry roles and memberships and
answers the ``Authorization`` header of a new API token of theirs; ``portal_sign_in``
answers a portal session's cookie and CSRF token instead. The organizations
are the README example's providers, stored first if the registry does not know them yet
(memberships refer to stored providers). Passwords hash with Argon2id's cheapest
parameters here: these tests are about who may act, not about hashing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, Type

from credstack.accounts import passwords, sessions, tokens
from credstack.accounts import service as accounts
from credstack.accounts.model import Actor, OrgRole, RegistryRole, Scope
from credstack.api.auth import SESSION_COOKIE
from credstack.registry.files import load_record
from credstack.registry.prepared import prepare
from credstack.registry.providers import upsert_providers
from credstack.store.unit_of_work import Database

OPERATOR = Actor.system("operator")
ORG = "royal-roads-university"  # the README example's provider
OTHER_ORG = "pics-climate"  # the partner it names
Bearer = Callable[..., dict[str, str]]


@dataclass(frozen=True)
class PortalSignIn:
    """A portal session: the cookie to send and the CSRF token its forms carry."""

    cookies: dict[str, str]
    csrf_token: str


@pytest.fixture
def new_user(database: Database, example_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """A factory: a stored user with the given registry roles and memberships; its id."""
    cheap = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "_HASHER", cheap)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", cheap.hash("no such account"))
    with database.unit_of_work() as session:
        upsert_providers(session, [prepare(load_record(example_path))], datetime.now(UTC))

    def make(email: str, *, registry_roles: Iterable[RegistryRole] = (),
             org_roles: Iterable[OrgRole] = (), organization: str = ORG) -> str:
        with database.unit_of_work() as session:
            user = accounts.add_user(session, email=email, display_name=None,
                                     password="correct horse battery staple",
                                     registry_roles=list(registry_roles), actor=OPERATOR)
            for role in org_roles:
                accounts.add_member(session, email=email, organization_id=organization,
                                    role=role, actor=OPERATOR)
        return user.id

    return make


@pytest.fixture
def bearer(database: Database, new_user: Callable[..., str]) -> Bearer:
    """A factory: the Authorization header of a new user with the given roles."""

    def make(email: str, *, scope: Scope = Scope.WRITE, **roles: Any) -> dict[str, str]:
        new_user(email, **roles)
        with database.unit_of_work() as session:
            secret = tokens.create(session, email=email, name="test", scope=scope,
                                   lifetime=None, actor=OPERATOR)[1]
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def portal_sign_in(database: Database, new_user: Callable[..., str]
                   ) -> Callable[..., PortalSignIn]:
    """A factory: a portal session of a new user with the given roles."""

    def make(email: str, **roles: Any) -> PortalSignIn:
        user_id = new_user(email, **roles)
        with database.unit_of_work() as session:
            started = sessions.start(session, user_id=user_id, address="testclient",
                                     now=datetime.now(UTC))
        return PortalSignIn({SESSION_COOKIE: started.secret}, started.csrf_token)

    return make
