"""Assessment storage on SQLite and PostgreSQL: rubrics, learners, records, decisions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from acting import OPERATOR
from credstack.assess import service
from credstack.assess.files import parse_assessment
from credstack.assess.learner import LearnerInput
from credstack.assess.rubric import Rubric
from credstack.errors import Conflict, InvalidInput, NotFound
from credstack.registry import service as registry
from credstack.registry.files import load_record
from credstack.store.unit_of_work import Database

Factory = Callable[..., dict[str, Any]]


@pytest.fixture
def prepared(database: Database, example_path: Path, rubric: Rubric) -> Database:
    """The example record, its rubric and learner ada, stored."""
    with database.unit_of_work() as session:
        registry.save(session, record=load_record(example_path), actor="test")
        service.save_rubric(session, rubric=rubric, actor=OPERATOR)
        service.add_learner(
            session, learner=LearnerInput(id="ada", display_name="Ada", email="ada@example.org"),
            actor=OPERATOR,
        )
    return database


def test_rubric_versions_only_when_changed(prepared: Database, rubric: Rubric) -> None:
    with prepared.unit_of_work() as session:
        same, changed = service.save_rubric(session, rubric=rubric, actor=OPERATOR)
        assert (same.version, changed) == (1, False)
        edited = rubric.model_copy(update={"title": "Renamed"})
        newer, changed = service.save_rubric(session, rubric=edited, actor=OPERATOR)
        assert (newer.version, changed) == (2, True)
    with prepared.read() as session:
        first = service.get_rubric(session, rubric_id=rubric.id, version=1, actor=OPERATOR)
        assert first.rubric.title == rubric.title
        latest = service.get_rubric(session, rubric_id=rubric.id, actor=OPERATOR)
        assert latest.rubric.title == "Renamed"


def test_rubric_for_unknown_micro_credential_names_the_field(
    database: Database, rubric: Rubric
) -> None:
    with database.unit_of_work() as session, pytest.raises(InvalidInput) as caught:
        service.save_rubric(session, rubric=rubric, actor=OPERATOR, source="r.yaml")
    assert str(caught.value.problems[0]).startswith("r.yaml: micro_credential:")


def test_rubric_that_does_not_fit_the_record_is_refused(
    prepared: Database, rubric: Rubric
) -> None:
    broken = rubric.model_copy(deep=True)
    broken.criteria[0].learning_outcomes = ["LO7"]
    with prepared.unit_of_work() as session, pytest.raises(InvalidInput) as caught:
        service.save_rubric(session, rubric=broken, actor=OPERATOR)
    assert caught.value.problems[0].location == "criteria[0].learning_outcomes[0]"


def test_learner_is_stored_without_plain_email(prepared: Database) -> None:
    with prepared.read() as session:
        learner = service.get_learner(session, learner_id="ada", actor=OPERATOR)
    assert learner.matches_email("ada@example.org")
    with prepared.engine.connect() as connection:
        dump = " ".join(
            str(row) for row in connection.exec_driver_sql("select * from assess_learners")
        )
    assert "example.org" not in dump


def test_adding_a_learner_twice_is_a_conflict(prepared: Database) -> None:
    with prepared.unit_of_work() as session, pytest.raises(Conflict):
        service.add_learner(session, learner=LearnerInput(id="ada"), actor=OPERATOR)


def test_records_competent_assessment_with_decision(
    prepared: Database, assessment_data: Factory
) -> None:
    record = parse_assessment(assessment_data(), source="a.yaml")
    with prepared.unit_of_work() as session:
        stored = service.record_assessment(session, record=record, actor=OPERATOR)
    with prepared.read() as session:
        again = service.get_assessment(session, assessment_id=stored.id, actor=OPERATOR)
    assert again.decision.competent
    assert again.decision.achieved_level == "proficient"
    assert again.credential_version == 1
    assert again.record.results[1].comment == "Thorough use of the provincial risk framework."
    assert again.to_dict()["decision"]["decision"] == "competent"


def test_unverified_identity_is_not_competent_when_cis_requires_it(
    prepared: Database, assessment_data: Factory
) -> None:
    # The example's CIS: supervised online with identity verification.
    record = parse_assessment(assessment_data(identity_verified=False), source="a.yaml")
    with prepared.unit_of_work() as session:
        stored = service.record_assessment(session, record=record, actor=OPERATOR)
    assert not stored.decision.competent
    assert "identity" in stored.decision.reasons[0]


def test_same_attempt_twice_is_a_conflict(prepared: Database, assessment_data: Factory) -> None:
    record = parse_assessment(assessment_data(), source="a.yaml")
    with prepared.unit_of_work() as session:
        service.record_assessment(session, record=record, actor=OPERATOR)
    with prepared.unit_of_work() as session, pytest.raises(Conflict, match="attempt 1"):
        service.record_assessment(session, record=record, actor=OPERATOR)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"learner": "nobody"}, "learner"),
        ({"micro_credential": "no-such-credential"}, "micro_credential"),
        ({"version": 9}, "version"),
        ({"rubric": "no-such-rubric"}, "rubric"),
    ],
)
def test_unknown_references_name_the_field(
    prepared: Database, assessment_data: Factory, change: dict[str, Any], field: str
) -> None:
    record = parse_assessment(assessment_data(**change), source="a.yaml")
    with prepared.unit_of_work() as session, pytest.raises(InvalidInput) as caught:
        service.record_assessment(session, record=record, actor=OPERATOR, source="a.yaml")
    assert caught.value.problems[0].location == field


def test_results_off_the_rubric_store_nothing(prepared: Database, assessment_data: Factory) -> None:
    data = assessment_data()
    data["results"][0]["level"] = "godlike"
    record = parse_assessment(data, source="a.yaml")
    with prepared.unit_of_work() as session, pytest.raises(InvalidInput):
        service.record_assessment(session, record=record, actor=OPERATOR)
    with prepared.read() as session:
        assert service.list_assessments(session, actor=OPERATOR) == []


def test_lists_assessments_by_learner_and_decision(
    prepared: Database, assessment_data: Factory
) -> None:
    failing = assessment_data(attempt=1)
    failing["results"][0]["level"] = "beginning"
    with prepared.unit_of_work() as session:
        service.record_assessment(
            session, record=parse_assessment(failing, source="a"), actor=OPERATOR
        )
        service.record_assessment(
            session, record=parse_assessment(assessment_data(attempt=2), source="a"), actor=OPERATOR
        )
    with prepared.read() as session:
        competent = service.list_assessments(
            session, actor=OPERATOR, learner_id="ada", competent=True
        )
        everything = service.list_assessments(session, actor=OPERATOR, learner_id="ada")
    assert [item["attempt"] for item in competent] == [2]
    assert len(everything) == 2


def test_unknown_assessment_is_not_found(database: Database) -> None:
    with database.read() as session, pytest.raises(NotFound):
        service.get_assessment(session, assessment_id="asm-none", actor=OPERATOR)
