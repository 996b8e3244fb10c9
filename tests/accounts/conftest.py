"""Accounts fixtures: actors of every role, a registry with two organizations, users.

Argon2id with the production parameters takes about half a second per hash on a busy
test machine; outside ``test_passwords.py`` (which checks those parameters) the tests
hash with the cheapest Argon2id parameters, which change no behaviour but the cost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from accounts_support import OPERATOR, ORG_A, PASSWORD, AddUser
from argon2 import PasswordHasher, Type
from fastapi.testclient import TestClient

from credstack.accounts import passwords, service, tokens
from credstack.accounts.model import OrgRole, RegistryRole, Scope, User
from credstack.api.app import create_app
from credstack.registry import service as registry
from credstack.registry.files import load_record
from credstack.store.unit_of_work import Database


@pytest.fixture(autouse=True)
def cheap_password_hashing(request: pytest.FixtureRequest,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash with Argon2id's cheapest parameters, except where the parameters are tested."""
    if request.module.__name__.endswith("test_passwords"):
        return
    cheap = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "_HASHER", cheap)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", cheap.hash("no such account"))


@pytest.fixture
def registry_db(database: Database, example_path: Path) -> Database:
    """A database whose registry has the example record (organizations ORG_A and ORG_B)."""
    with database.unit_of_work() as session:
        registry.save(session, record=load_record(example_path), actor="test")
    return database


@pytest.fixture
def add_user(registry_db: Database) -> AddUser:
    """A factory: a stored user with PASSWORD, registry roles and memberships in ORG_A."""

    def add(email: str, *, registry_roles: tuple[RegistryRole, ...] = (),
            org_roles: tuple[OrgRole, ...] = (), organization: str = ORG_A) -> User:
        with registry_db.unit_of_work() as session:
            user = service.add_user(session, email=email, display_name=None, password=PASSWORD,
                                    registry_roles=registry_roles, actor=OPERATOR)
            for role in org_roles:
                user = service.add_member(session, email=email, organization_id=organization,
                                          role=role, actor=OPERATOR)
        return user

    return add


@pytest.fixture
def password_file(tmp_path: Path) -> Iterator[Path]:
    """A file whose first line is PASSWORD."""
    path = tmp_path / "password.txt"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    yield path


@pytest.fixture
def client(registry_db: Database) -> TestClient:
    """A client of the whole app (API and portal) over the registry database."""
    return TestClient(create_app(registry_db))


@pytest.fixture
def token_for(registry_db: Database) -> Callable[..., str]:
    """A factory: the secret of a new API token of a stored user."""

    def make(email: str, scope: Scope = Scope.READ) -> str:
        with registry_db.unit_of_work() as session:
            return tokens.create(session, email=email, name="test", scope=scope,
                                 lifetime=None, actor=OPERATOR)[1]

    return make
