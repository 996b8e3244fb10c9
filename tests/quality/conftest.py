"""Fixtures of the quality tests: the complete example record and a mutator."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from credstack.domain.credential import MicroCredential
from quality.mutations import Mutator

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
