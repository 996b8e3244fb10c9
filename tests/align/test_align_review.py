"""Review workflow on SQLite and PostgreSQL: decisions become versions of the record."""

from __future__ import annotations

from pathlib import Path

import pytest

from credstack.accounts.model import Actor
from credstack.align import service
from credstack.align.review import accepted_uris
from credstack.domain.vocabulary import AlignmentStatus
from credstack.errors import InvalidInput
from credstack.registry import service as registry
from credstack.registry.files import load_record
from credstack.store.unit_of_work import Database
from credstack.taxonomy.importers.custom import read_custom_yaml
from credstack.taxonomy.service import import_framework

OPERATOR = Actor.system("tester")

CLEAN = "https://acme.example/c/clean"


@pytest.fixture
def stored(database: Database, custom_yaml: Path, example_path: Path) -> str:
    """The example record and the ACME framework, stored."""
    record = load_record(example_path)
    with database.unit_of_work() as session:
        import_framework(session, framework=read_custom_yaml(custom_yaml), actor=OPERATOR)
        registry.save(session, record=record, actor="test")
    return record.id


def _review(database: Database, credential_id: str, status: AlignmentStatus, **extra: str) -> int:
    with database.unit_of_work() as session:
        saved = service.review(
            session,
            actor=OPERATOR,
            credential_id=credential_id,
            outcome_id=extra.get("outcome", "LO1"),
            framework_id="acme-data",
            uri=CLEAN,
            status=status,
            reviewer="ana",
            proficiency_level=extra.get("level"),
        )
    return saved.version


def test_accepting_saves_a_new_version_with_reviewer_and_level(
    database: Database, stored: str
) -> None:
    version = _review(database, stored, AlignmentStatus.ACCEPTED, level="capable")
    with database.read() as session:
        record = registry.get_record(session, credential_id=stored).record
    (alignment,) = [a for a in record.learning_outcomes[0].alignments if a.uri == CLEAN]
    assert version == 2
    assert (alignment.status, alignment.proficiency_level, alignment.reviewed_by) == (
        AlignmentStatus.ACCEPTED,
        "capable",
        "ana",
    )
    assert alignment.reviewed_at and alignment.label == "Clean data sets"
    assert CLEAN in accepted_uris(record)


def test_rejected_competency_is_not_suggested_again(database: Database, stored: str) -> None:
    _review(database, stored, AlignmentStatus.REJECTED)
    with database.read() as session:
        record = registry.get_record(session, credential_id=stored).record
        record.learning_outcomes[0].statement = "Clean data sets and correct inaccurate records"
        result = service.suggest_for_record(session, record=record, framework_id="acme-data", top=3)
    assert CLEAN not in [s.competency.uri for s in result.outcomes[0].suggestions]
    assert CLEAN not in accepted_uris(record)


def test_manual_alignment_goes_to_the_record_industry_alignment(
    database: Database, stored: str
) -> None:
    _review(database, stored, AlignmentStatus.MANUAL, outcome="record", level="3")
    with database.read() as session:
        record = registry.get_record(session, credential_id=stored).record
    assert [a.uri for a in record.industry_alignment or []][-1] == CLEAN


def test_accepting_without_level_is_refused_and_saves_nothing(
    database: Database, stored: str
) -> None:
    with pytest.raises(InvalidInput, match="proficiency level"):
        _review(database, stored, AlignmentStatus.ACCEPTED)
    with database.read() as session:
        assert registry.get_record(session, credential_id=stored).version == 1


def test_unknown_competency_is_refused(database: Database, stored: str) -> None:
    with pytest.raises(InvalidInput, match="not a competency"), database.unit_of_work() as session:
        service.review(
            session,
            actor=OPERATOR,
            credential_id=stored,
            outcome_id="LO1",
            framework_id="acme-data",
            uri="https://acme.example/c/none",
            status=AlignmentStatus.REJECTED,
            reviewer="ana",
        )
