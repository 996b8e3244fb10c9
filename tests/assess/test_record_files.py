"""Assessment record files: evidence hashing, field-path errors, fit with the rubric."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from credstack.assess.files import load_assessment, parse_assessment
from credstack.assess.record import problems_against
from credstack.assess.rubric import Rubric
from credstack.errors import InvalidInput

Factory = Callable[..., dict[str, Any]]
Writer = Callable[[Path, Any], Path]


def test_evidence_file_digest_is_computed_next_to_the_record(
    tmp_path: Path, assessment_data: Factory, write_yaml: Writer
) -> None:
    (tmp_path / "plan.pdf").write_bytes(b"%PDF adaptation plan")
    data = assessment_data()
    del data["results"][1]["evidence"][0]["sha256"]
    digest = hashlib.sha256(b"%PDF adaptation plan").hexdigest()
    data["results"][2]["evidence"][0]["sha256"] = digest
    record = load_assessment(write_yaml(tmp_path / "a.yaml", data))
    evidence = record.results[1].evidence[0]
    assert evidence.sha256 == hashlib.sha256(b"%PDF adaptation plan").hexdigest()


def test_rejects_evidence_digest_that_does_not_match_the_file(
    tmp_path: Path, assessment_data: Factory, write_yaml: Writer
) -> None:
    (tmp_path / "plan.pdf").write_bytes(b"changed")
    path = write_yaml(tmp_path / "a.yaml", assessment_data())
    with pytest.raises(InvalidInput) as caught:
        load_assessment(path)
    locations = [p.location for p in caught.value.problems]
    assert locations == ["results[1].evidence[0].sha256", "results[2].evidence[0].sha256"]
    assert caught.value.problems[0].source == str(path)


def test_rejects_missing_evidence_file_without_digest(
    tmp_path: Path, assessment_data: Factory, write_yaml: Writer
) -> None:
    data = assessment_data()
    del data["results"][1]["evidence"][0]["sha256"]
    with pytest.raises(InvalidInput, match=r"results\[1\]\.evidence\[0\]\.file: no such file"):
        load_assessment(write_yaml(tmp_path / "a.yaml", data))


@pytest.mark.parametrize(
    "uri", ["evidence/plan.pdf", "javascript:alert(1)", "https://", "https://x.org/a b"]
)
def test_rejects_evidence_uri_that_is_not_absolute(uri: str, assessment_data: Factory) -> None:
    data = assessment_data()
    data["results"][0]["evidence"] = [{"uri": uri}]
    with pytest.raises(InvalidInput) as caught:
        parse_assessment(data, source="a.yaml")
    assert caught.value.problems[0].location == "results[0].evidence[0].uri"


def test_rejects_evidence_with_both_uri_and_file(assessment_data: Factory) -> None:
    data = assessment_data()
    data["results"][0]["evidence"] = [{"uri": "https://x.org/a", "file": "a", "sha256": "0" * 64}]
    with pytest.raises(InvalidInput, match="either uri or file"):
        parse_assessment(data, source="a.yaml")


def test_rejects_criterion_given_twice(assessment_data: Factory) -> None:
    data = assessment_data()
    data["results"].append({"criterion": "risk", "level": "beginning"})
    with pytest.raises(InvalidInput, match="criterion given more than once: risk"):
        parse_assessment(data, source="a.yaml")


def test_rejects_missing_assessor_naming_the_field(assessment_data: Factory) -> None:
    data = assessment_data()
    del data["assessor"]
    with pytest.raises(InvalidInput) as caught:
        parse_assessment(data, source="a.yaml")
    assert str(caught.value.problems[0]) == "a.yaml: assessor: required field is missing"


def test_result_for_unknown_criterion_or_level_is_a_problem(
    rubric: Rubric, assessment_data: Factory
) -> None:
    data = assessment_data()
    data["results"][0]["criterion"] = "charisma"
    data["results"][1]["level"] = "godlike"
    record = parse_assessment(data, source="a.yaml")
    assert [p.location for p in problems_against(record, rubric)] == [
        "results[0].criterion",
        "results[1].level",
    ]
