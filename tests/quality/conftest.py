"""Fixtures of the quality tests: the complete example record and a mutator."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from account_fixtures import Bearer, bearer, new_user
from credstack.api.app import create_app
from credstack.domain.credential import MicroCredential
from credstack.store.unit_of_work import Database
from quality.mutations import Mutator

__all__ = ["bearer", "new_user"]  # the fixtures, for this folder's tests

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "rru-climate-adaptation-foundations.yaml"


def load_example() -> MicroCredential:
    """The README's complete record (every CIS element filled)."""
    return MicroCredential.model_validate(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))


@pytest.fixture
def record() -> MicroCredential:
    """A fresh copy of the complete example record."""
    return load_example()


@pytest.fixture(scope="session")
def mutator() -> Mutator:
    """Makes records meet or break a check, with values from the example record."""
    return Mutator(load_example())


@pytest.fixture
def user_client(database: Database, bearer: Bearer) -> TestClient:
    """An API client signed in (bearer token) as a user without any role: a learner."""
    return TestClient(create_app(database), headers=bearer("learner@example.org"))
