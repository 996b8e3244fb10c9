"""Fixtures of the badges tests: keys, an issuer, a MicroCredential and a signed badge."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from badges_support import BASE, EXAMPLE, NOW, RUBRIC, make_award
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from test_service_setup import World, make_world

from credstack.api.app import create_app
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


@pytest.fixture
def client(world: World) -> TestClient:
    """The API and portal over ``world``'s database."""
    return TestClient(create_app(world.database))
