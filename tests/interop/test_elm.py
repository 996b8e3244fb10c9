"""Europass ELM 3: learning opportunities and learning achievements valid by the published
SHACL shapes, import into drafts, and what a record loses on the way (``ELM_NOT_EXPORTED``)."""

from __future__ import annotations

import copy
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from interop_support import BASE_URL, changed_paths

from acting import OPERATOR
from credstack.domain.credential import MicroCredential
from credstack.errors import InvalidInput
from credstack.interop import service
from credstack.interop.elm import ELM_NOT_EXPORTED, elm_achievement, elm_document
from credstack.interop.elm_import import read_elm
from credstack.interop.elm_shapes import shape_problems, unreadable_patterns
from credstack.registry import service as registry
from credstack.store.unit_of_work import Database


def _without_unread(document: dict[str, Any]) -> dict[str, Any]:
    # What the import cannot rebuild, and so does not export again (see ELM_NOT_EXPORTED).
    trimmed = copy.deepcopy(document)
    trimmed.pop("scheduleInformation", None)
    trimmed["learningAchievementSpecification"].pop("volumeOfLearning", None)
    return trimmed


def _import(document: dict[str, Any]) -> MicroCredential:
    [item] = read_elm([("elm.json", document)]).records
    assert item.problems == []
    assert item.record is not None
    return item.record


def test_every_demo_record_is_a_valid_learning_opportunity(demo_record: MicroCredential) -> None:
    assert shape_problems(elm_document(demo_record, base_url=BASE_URL)) == []


def test_shapes_reject_an_opportunity_without_a_title(example_record: MicroCredential) -> None:
    document = elm_document(example_record, base_url=BASE_URL)
    del document["title"]
    [problem] = shape_problems(document)
    assert "http://purl.org/dc/terms/title" in problem and "Less than 1 values" in problem


def test_shapes_reject_a_price_that_is_not_a_decimal(example_record: MicroCredential) -> None:
    document = elm_document(example_record, base_url=BASE_URL)
    document["priceDetail"][0]["amount"]["rdf:value"] = "695.00"
    [problem] = shape_problems(document)
    assert "xsd:decimal" in problem


def test_only_two_published_patterns_are_left_unchecked() -> None:
    # Both are URI patterns with XPath \\p{..} classes Python's re cannot read.
    assert len(unreadable_patterns("loq")) == 2
    assert all("\\p{L}" in pattern for pattern in unreadable_patterns("loq"))


def test_import_then_export_is_stable_for_what_is_read(demo_record: MicroCredential) -> None:
    exported = elm_document(demo_record, base_url=BASE_URL)
    again = elm_document(_import(exported), base_url=BASE_URL)
    assert again == _without_unread(exported)


def test_only_documented_fields_are_lost(demo_record: MicroCredential) -> None:
    back = _import(elm_document(demo_record, base_url=BASE_URL))
    lost = changed_paths(demo_record.to_document(), back.to_document())
    assert {
        path
        for path in lost
        if not any(
            path == key or path.startswith((f"{key}.", f"{key}[")) for key in ELM_NOT_EXPORTED
        )
    } == set()


def test_import_reports_members_it_does_not_read(example_record: MicroCredential) -> None:
    [item] = read_elm([("elm.json", elm_document(example_record, base_url=BASE_URL))]).records
    assert {d.location for d in item.dropped} == {
        "scheduleInformation",
        "learningAchievementSpecification.volumeOfLearning",
    }


def test_import_rejects_an_opportunity_without_a_provider(example_record: MicroCredential) -> None:
    document = elm_document(example_record, base_url=BASE_URL)
    del document["providedBy"]
    [item] = read_elm([("elm.json", document)]).records
    assert [p.location for p in item.problems] == ["providedBy"]


def test_import_lists_documents_that_are_not_opportunities() -> None:
    reading = read_elm([("x.json", {"type": "LearningAchievement"})])
    assert reading.records == []
    assert reading.not_imported[0]["type"] == "['LearningAchievement']"


def test_import_stores_a_draft(database: Database, example_record: MicroCredential) -> None:
    document = elm_document(example_record, base_url=BASE_URL)
    with database.unit_of_work() as session:
        outcome = service.import_elm(session, documents=[("elm.json", document)], actor=OPERATOR)
    assert outcome.created == [example_record.id]
    with database.read() as session:
        stored = registry.get_record(session, credential_id=example_record.id)
    assert [o.statement for o in stored.record.learning_outcomes] == [
        o.statement for o in example_record.learning_outcomes
    ]


def test_import_of_a_bad_opportunity_stores_nothing(database: Database) -> None:
    with pytest.raises(InvalidInput), database.unit_of_work() as session:
        service.import_elm(
            session, documents=[("x.json", {"type": "LearningOpportunity"})], actor=OPERATOR
        )
    with database.read() as session:
        assert registry.count_records(session) == 0


def test_badge_achievement_is_a_valid_learning_achievement(example_record: MicroCredential) -> None:
    document = elm_achievement(
        badge_id="badge-1",
        achievement_name=example_record.title,
        issued_at=datetime(2026, 3, 1, tzinfo=UTC),
        record=example_record,
    )
    assert shape_problems(document, "edc") == []
    assert document["awardedBy"]["awardingBody"][0]["legalName"] == {
        "en-CA": "Royal Roads University"
    }
    del document["awardedBy"]
    assert len(shape_problems(document, "edc")) == 1


def _badges_world(database: Database, key_dir: Path) -> Any:
    # The badges tests' own set-up: a record, a rubric, a competent learner, an issuer.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "badges"))
    try:
        from test_service_setup import make_world
    finally:
        sys.path.pop(0)
    return make_world(database, key_dir)


def test_issued_badge_exports_as_a_learning_achievement(database: Database, tmp_path: Path) -> None:
    from credstack.badges import service as badges

    world = _badges_world(database, tmp_path / "keys")
    with database.unit_of_work() as session:
        badge = badges.issue_badge(
            session, assessment_id=world.assessment_id, keys=world.keys, actor=OPERATOR
        )
    with database.read() as session:
        document = service.elm_achievement_document(session, badge_id=badge.id, actor=OPERATOR)
    assert document["id"] == f"urn:credstack:learningAchievement:{badge.id}"
    assert document["awardedBy"]["awardingDate"] == badge.issued_at.isoformat()
    assert shape_problems(document, "edc") == []
