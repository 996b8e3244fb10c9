"""Fixtures of the badges tests: keys, an issuer, a MicroCredential and a signed badge."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from badges_support import BASE, EXAMPLE, NOW, RUBRIC, make_award
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from test_service_setup import ENDORSER, World, make_world

from acting import OPERATOR, add_user, bearer, hash_cheaply
from credstack.accounts.model import OrgRole, Scope
from credstack.api.app import create_app
from credstack.assess import service as assess
from credstack.badges.achievement import Profile, build_achievement
from credstack.badges.credential import build_open_badge_credential
from credstack.badges.did import did_key_signing_key
from credstack.badges.keys import SigningKey
from credstack.badges.proof import sign_data_integrity
from credstack.domain.credential import MicroCredential
from credstack.registry.files import load_record
from credstack.store.unit_of_work import Database


@pytest.fixture(scope="session")
def record() -> MicroCredential:
    return load_record(EXAMPLE)


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return did_key_signing_key(Ed25519PrivateKey.generate())


@pytest.fixture(scope="session")
def issuer(signing_key: SigningKey) -> Profile:
    return Profile(signing_key.controller, "Royal Roads University", url="https://www.royalroads.ca")


@pytest.fixture(scope="session")
def achievement(record: MicroCredential, issuer: Profile) -> dict[str, Any]:
    return build_achievement(
        record, achievement_id=f"{BASE}/achievements/rru-caf/1", creator=issuer, rubric=RUBRIC
    )


@pytest.fixture(scope="session")
def unsigned_badge(achievement: dict[str, Any], issuer: Profile) -> dict[str, Any]:
    return build_open_badge_credential(achievement, issuer, make_award())


@pytest.fixture(scope="session")
def _signed(unsigned_badge: dict[str, Any], signing_key: SigningKey) -> dict[str, Any]:
    return sign_data_integrity(unsigned_badge, signing_key, created=NOW)


@pytest.fixture
def signed_badge(_signed: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy per test, so a test may tamper with it."""
    return copy.deepcopy(_signed)


@pytest.fixture
def world(database: Database, tmp_path: Path) -> World:
    """A registry with the example record, a competent assessment and an issuer."""
    return make_world(database, tmp_path / "keys")


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Users in these tests hash passwords with Argon2id's cheapest parameters."""
    hash_cheaply(monkeypatch)


LEARNER, ISSUER, ENDORSING = "ada@example.org", "issuer@example.org", "endorser@example.org"


@pytest.fixture
def people(world: World) -> dict[str, dict[str, str]]:
    """Authorization headers of: ``issuer`` (of the record's organization, scope issue),
    ``learner`` (ada's account, linked to learner ada) and ``endorser`` (of the partner
    PICS, scope write)."""
    add_user(world.database, ISSUER, OrgRole.ISSUER)
    add_user(world.database, LEARNER)
    add_user(world.database, ENDORSING, OrgRole.ENDORSER, organization=ENDORSER)
    with world.database.unit_of_work() as session:
        assess.link_account(session, learner_id="ada", email=LEARNER, actor=OPERATOR)
    return {
        "issuer": bearer(world.database, ISSUER, Scope.ISSUE),
        "learner": bearer(world.database, LEARNER, Scope.WRITE),
        "endorser": bearer(world.database, ENDORSING, Scope.WRITE),
    }


@pytest.fixture
def client(world: World, people: dict[str, dict[str, str]]) -> TestClient:
    """The API and portal over ``world``'s database, acting as the issuer."""
    return TestClient(create_app(world.database), headers=people["issuer"])
