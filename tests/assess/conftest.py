"""Fixtures shared by the assessment tests: the example rubric and record files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from acting import hash_cheaply
from credstack.assess.files import load_rubric
from credstack.assess.rubric import Rubric
from credstack.domain.credential import MicroCredential
from credstack.registry.files import load_record

RUBRIC = (
    Path(__file__).resolve().parents[2]
    / "src" / "credstack" / "assess" / "examples" / "rru-caf-foundations-rubric.yaml"
)


@pytest.fixture
def rubric_path() -> Path:
    """The bundled example rubric for the README's example record."""
    return RUBRIC


@pytest.fixture
def rubric() -> Rubric:
    """The example rubric, loaded."""
    return load_rubric(RUBRIC)


@pytest.fixture
def record(example_path: Path) -> MicroCredential:
    """The README's example micro-credential."""
    return load_record(example_path)


AssessmentFactory = Callable[..., dict[str, Any]]


@pytest.fixture
def assessment_data() -> AssessmentFactory:
    """A factory: a competent assessment of learner ada, with keyword changes."""
    return _assessment_data


def _assessment_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "learner": "ada",
        "micro_credential": "rru-caf-foundations-climate-adaptation",
        "assessor": "Dr. Grace Hopper",
        "date": "2026-02-20",
        "attempt": 1,
        "identity_verified": True,
        "results": [
            {"criterion": "impacts", "level": "proficient",
             "evidence": [{"uri": "https://lms.example.org/notes/ada-dialogue"}]},
            {"criterion": "risk", "level": "exemplary",
             "evidence": [{"file": "plan.pdf", "sha256": "a" * 64}],
             "comment": "Thorough use of the provincial risk framework."},
            {"criterion": "plan", "level": "proficient",
             "evidence": [{"file": "plan.pdf", "sha256": "a" * 64}]},
            {"criterion": "communication", "level": "developing"},
        ],
    }
    data.update(changes)
    return data


@pytest.fixture
def write_yaml() -> Callable[[Path, Any], Path]:
    """A helper writing data as YAML to a path (returned)."""

    def write(path: Path, data: Any) -> Path:
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Users in these tests hash passwords with Argon2id's cheapest parameters."""
    hash_cheaply(monkeypatch)
