"""Constants and helpers shared by the badges tests (imported by conftest and tests)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from credstack.badges.achievement import RubricCriterion, RubricLevel
from credstack.badges.credential import Award, CriterionResult, EvidenceItem, Recipient

EXAMPLE = Path(__file__).parents[2] / "examples" / "rru-climate-adaptation-foundations.yaml"
BASE = "https://credstack.example"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
VECTORS = Path(__file__).parent / "vectors"


RUBRIC = (
    RubricCriterion(
        f"{BASE}/rubrics/caf/risk",
        "Assess climate risk",
        (
            RubricLevel(f"{BASE}/rubrics/caf/risk/developing", "Developing", "Partly"),
            RubricLevel(f"{BASE}/rubrics/caf/risk/competent", "Competent", "Fully", points="3"),
        ),
        required_level=f"{BASE}/rubrics/caf/risk/competent",
        outcome_ids=("LO2",),
    ),
)


def make_award(**changes: Any) -> Award:
    values: dict[str, Any] = {
        "recipient": Recipient("learner@example.org", salt="a1b2c3"),
        "valid_from": datetime(2026, 2, 20, tzinfo=UTC),
        "results": [
            CriterionResult(f"{BASE}/rubrics/caf/risk", f"{BASE}/rubrics/caf/risk/competent",
                            "Completed")
        ],
        "evidence": [EvidenceItem(id=f"{BASE}/evidence/plan-17", name="Adaptation plan")],
    }
    values.update(changes)
    return Award(**values)


