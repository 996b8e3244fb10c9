"""Shared setup of the badge service, CLI and API tests (no tests here).

A registry with the README's example record, its bundled rubric, learner ada with a
competent assessment, and Royal Roads University set up as a did:web issuer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from acting import OPERATOR
from credstack.assess import service as assess
from credstack.assess.files import load_rubric, parse_assessment
from credstack.assess.learner import LearnerInput
from credstack.badges.issuer_store import KeyRing, init_issuer
from credstack.domain.vocabulary import LifecycleStatus
from credstack.registry import service as registry
from credstack.registry.files import load_record
from credstack.store.unit_of_work import Database

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "rru-climate-adaptation-foundations.yaml"
RUBRIC = REPO / "src" / "credstack" / "assess" / "examples" / "rru-caf-foundations-rubric.yaml"
CREDENTIAL = "rru-caf-foundations-climate-adaptation"
PROVIDER = "royal-roads-university"
ENDORSER = "pics-climate"
HOST = "badges.example.org"


def assessment_data(learner: str = "ada", **changes: Any) -> dict[str, Any]:
    """A competent assessment of ``learner`` on the example rubric, with ``changes``."""
    data: dict[str, Any] = {
        "learner": learner,
        "micro_credential": CREDENTIAL,
        "assessor": "Dr. Grace Hopper",
        "date": "2026-02-20",
        "identity_verified": True,
        "results": [
            {"criterion": "impacts", "level": "proficient",
             "evidence": [{"uri": "https://lms.example.org/notes/dialogue-1"}]},
            {"criterion": "risk", "level": "exemplary",
             "evidence": [{"file": "plan.pdf", "sha256": "ab" * 32}]},
            {"criterion": "plan", "level": "proficient",
             "evidence": [{"file": "plan.pdf", "sha256": "ab" * 32}]},
        ],
    }
    data.update(changes)
    return data


@dataclass
class World:
    """What a test needs: the database, the key ring, and ada's competent assessment."""

    database: Database
    keys: KeyRing
    key_dir: Path
    assessment_id: str


def make_world(database: Database, key_dir: Path, *, did_web: bool = True) -> World:
    """Store the example record, rubric, learner ada, a competent assessment, an issuer."""
    with database.unit_of_work() as session:
        registry.save(session, record=load_record(EXAMPLE), actor="test")
        assess.save_rubric(session, rubric=load_rubric(RUBRIC), actor=OPERATOR)
        assess.add_learner(
            session, learner=LearnerInput(id="ada", display_name="Ada", email="ada@example.org"),
            actor=OPERATOR
        )
        stored = assess.record_assessment(
            session, record=parse_assessment(assessment_data(), source="t"), actor=OPERATOR
        )
        init_issuer(
            session, provider_id=PROVIDER, key_dir=key_dir, did_web=HOST if did_web else None,
            actor=OPERATOR,
        )
    return World(database, KeyRing(), key_dir, stored.id)


def add_competent_learner(world: World, learner: str) -> str:
    """Add ``learner`` with a competent assessment; returns the assessment id."""
    with world.database.unit_of_work() as session:
        assess.add_learner(session, learner=LearnerInput(id=learner), actor=OPERATOR)
        stored = assess.record_assessment(
            session, record=parse_assessment(assessment_data(learner), source="t"), actor=OPERATOR
        )
    return stored.id


def publish(world: World) -> None:
    """Publish the example record (as the reviewer would), so outsiders may see it."""
    with world.database.unit_of_work() as session:
        for target in (LifecycleStatus.SUBMITTED, LifecycleStatus.PUBLISHED):
            registry.transition(session, credential_id=CREDENTIAL, target=target, actor="test")
