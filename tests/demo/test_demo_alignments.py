"""The demo records' ESCO alignments (issue 4, Done when: reviewed alignments, rule recorded).

Every alignment in the demo set was accepted under the recorded review rule
(``src/credstack/demo/ALIGNMENT_REVIEW.md``), names a concept of the ESCO snapshot that
credstack ships, and carries the proficiency level the record's depth of learning maps to.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from credstack.demo import CREDENTIALS_DIR, demo_files
from credstack.domain.credential import Alignment, MicroCredential
from credstack.domain.vocabulary import AlignmentStatus
from credstack.taxonomy.snapshot import load_bundled_esco

REVIEWER = "credstack-demo-review-rule-v1"
REVIEW_NOTE = CREDENTIALS_DIR.parent / "ALIGNMENT_REVIEW.md"
LEVEL_FOR_DEPTH = {
    "novice": "basic",
    "basic": "basic",
    "intermediate": "intermediate",
    "advanced": "advanced",
    "expert": "expert",
}


def _record(path: Path) -> MicroCredential:
    return MicroCredential.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def _alignments() -> list[tuple[str, MicroCredential, Alignment]]:
    found = []
    for path in demo_files():
        record = _record(path)
        for outcome in record.learning_outcomes:
            found += [(f"{path.name} {outcome.id}", record, a) for a in outcome.alignments]
    return found


ALIGNMENTS = _alignments()
IDS = [where for where, _, _ in ALIGNMENTS]


def test_the_demo_set_carries_reviewed_alignments() -> None:
    assert len(ALIGNMENTS) >= 10


def test_the_review_rule_is_recorded_next_to_the_demo_set() -> None:
    assert REVIEWER in REVIEW_NOTE.read_text(encoding="utf-8")


@pytest.mark.parametrize(("where", "record", "alignment"), ALIGNMENTS, ids=IDS)
def test_alignment_names_a_concept_of_the_shipped_esco_snapshot(
    where: str, record: MicroCredential, alignment: Alignment
) -> None:
    concepts = {c.uri: c for c in load_bundled_esco().competencies if not c.is_group}
    assert alignment.framework == "esco"
    assert alignment.uri in concepts, where
    assert alignment.label == concepts[alignment.uri].preferred_label


@pytest.mark.parametrize(("where", "record", "alignment"), ALIGNMENTS, ids=IDS)
def test_alignment_was_accepted_under_the_recorded_rule(
    where: str, record: MicroCredential, alignment: Alignment
) -> None:
    assert alignment.status == AlignmentStatus.ACCEPTED
    assert alignment.reviewed_by == REVIEWER
    assert alignment.reviewed_at


@pytest.mark.parametrize(("where", "record", "alignment"), ALIGNMENTS, ids=IDS)
def test_alignment_level_is_the_records_depth_of_learning(
    where: str, record: MicroCredential, alignment: Alignment
) -> None:
    assert record.depth_of_learning is not None, where
    assert alignment.proficiency_level == LEVEL_FOR_DEPTH[record.depth_of_learning.level.value]
