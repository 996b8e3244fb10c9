"""The publishing gate: the failing required rules of the configured standard."""

from __future__ import annotations

from credstack.config import DEFAULT_PUBLISH_STANDARD
from credstack.domain.credential import MicroCredential
from credstack.quality.service import publish_blockers


def test_complete_record_has_no_blockers(record: MicroCredential) -> None:
    assert publish_blockers(record, DEFAULT_PUBLISH_STANDARD) == []


def test_proficiency_graded_record_is_blocked_by_the_bc_standard(record: MicroCredential) -> None:
    assert record.assessment is not None
    record.assessment.type = "proficiency"  # type: ignore[assignment]
    (blocker,) = publish_blockers(record, "bc-assessment-standard")
    assert blocker.rule_id == "bc-assessment-standard:competency-based-assessment"
    assert "competency" in blocker.message


def test_recommended_rules_never_block(record: MicroCredential) -> None:
    record.depth_of_learning = None
    record.expiry = None  # internal QA then fails au-nmf:unregulated-quality-statement
    keys = [result.rule_id for result in publish_blockers(record, "bc-assessment-standard")]
    assert keys == ["au-nmf:unregulated-quality-statement"]
