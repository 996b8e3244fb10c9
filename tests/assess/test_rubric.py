"""Rubrics: structure, file errors naming file and field, fit with the micro-credential."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from credstack.assess.files import load_rubric, parse_rubric
from credstack.assess.rubric import Rubric, criterion_alignments, problems_against
from credstack.domain.credential import Alignment, MicroCredential
from credstack.errors import InvalidInput

Writer = Callable[[Path, Any], Path]


def _data(rubric_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(rubric_path.read_text(encoding="utf-8"))
    return data


def test_example_rubric_fits_its_micro_credential(rubric: Rubric, record: MicroCredential) -> None:
    assert problems_against(rubric, record) == []


def test_scale_ranks_levels_from_lowest(rubric: Rubric) -> None:
    assert [rubric.scale.rank(level) for level in rubric.level_ids] == [0, 1, 2, 3]


def test_rejects_threshold_off_the_scale_naming_file_and_field(
    rubric_path: Path, tmp_path: Path, write_yaml: Writer
) -> None:
    data = _data(rubric_path)
    data["criteria"][1]["threshold"] = "expert"
    path = write_yaml(tmp_path / "rubric.yaml", data)
    with pytest.raises(InvalidInput) as caught:
        load_rubric(path)
    (problem,) = caught.value.problems
    assert problem.source == str(path)
    assert problem.location == "criteria[1].threshold"
    assert "'expert' is not a level of the scale" in problem.message


def test_rejects_unknown_method_naming_the_field(rubric_path: Path) -> None:
    data = _data(rubric_path)
    data["criteria"][0]["method"] = "telepathy"
    with pytest.raises(InvalidInput) as caught:
        parse_rubric(data, source="r.yaml")
    assert caught.value.problems[0].location == "criteria[0].method"


def test_rejects_unknown_key(rubric_path: Path) -> None:
    data = _data(rubric_path)
    data["criteria"][0]["treshold"] = "proficient"
    with pytest.raises(InvalidInput) as caught:
        parse_rubric(data, source="r.yaml")
    assert str(caught.value.problems[0]) == "r.yaml: criteria[0].treshold: unknown key 'treshold'"


def test_rejects_duplicate_criterion_ids(rubric_path: Path) -> None:
    data = _data(rubric_path)
    data["criteria"][1]["id"] = "impacts"
    with pytest.raises(InvalidInput) as caught:
        parse_rubric(data, source="r.yaml")
    assert caught.value.problems[0].location == "criteria[1].id"


def test_rejects_rubric_without_required_criterion(rubric_path: Path) -> None:
    data = _data(rubric_path)
    for criterion in data["criteria"]:
        criterion["required"] = False
    with pytest.raises(InvalidInput, match="at least one criterion must be required"):
        parse_rubric(data, source="r.yaml")


def test_rejects_descriptor_for_level_off_the_scale(rubric_path: Path) -> None:
    data = _data(rubric_path)
    data["criteria"][0]["level_descriptors"] = {"mastery": "x"}
    with pytest.raises(InvalidInput) as caught:
        parse_rubric(data, source="r.yaml")
    assert caught.value.problems[0].location == "criteria[0].level_descriptors.mastery"


def test_rejects_duplicate_level_ids(rubric_path: Path) -> None:
    data = _data(rubric_path)
    data["scale"]["levels"][1]["id"] = "beginning"
    with pytest.raises(InvalidInput, match="duplicate level id"):
        parse_rubric(data, source="r.yaml")


def test_rejects_malformed_yaml_with_line(tmp_path: Path) -> None:
    path = tmp_path / "rubric.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_rubric(path)
    assert caught.value.problems[0].location.startswith("line ")


def test_outcome_not_in_micro_credential_is_a_problem(
    rubric: Rubric, record: MicroCredential
) -> None:
    changed = rubric.model_copy(deep=True)
    changed.criteria[0].learning_outcomes = ["LO9"]
    problems = problems_against(changed, record)
    assert any(
        p.location == "criteria[0].learning_outcomes[0]" and "'LO9'" in p.message
        for p in problems
    )


def test_method_not_declared_by_the_cis_is_a_problem(
    rubric_path: Path, record: MicroCredential
) -> None:
    data = _data(rubric_path)
    data["criteria"][0]["method"] = "exam"
    problems = problems_against(parse_rubric(data, source="r.yaml"), record)
    assert [p.location for p in problems] == ["criteria[0].method"]


def test_learning_outcome_without_required_criterion_is_a_problem(
    rubric_path: Path, record: MicroCredential
) -> None:
    data = _data(rubric_path)
    data["criteria"][0]["required"] = False  # the only criterion assessing LO1
    problems = problems_against(parse_rubric(data, source="r.yaml"), record)
    assert [p.message for p in problems] == [
        "learning outcome LO1 is not assessed by a required criterion"
    ]


def test_criterion_alignments_include_its_own_then_its_outcomes(
    rubric: Rubric, record: MicroCredential
) -> None:
    record = record.model_copy(deep=True)
    record.learning_outcomes[1].alignments = [
        Alignment(framework="ESCO", uri="https://example.org/c/risk", label="assess risk"),
        Alignment(framework="ESCO", uri="https://example.org/c/no", label="x", status="rejected"),
    ]
    uris = [a.uri for a in criterion_alignments(rubric.criterion("risk"), record)]
    assert uris == ["https://www.royalroads.ca/cacf#risk-assessment", "https://example.org/c/risk"]


def test_descriptor_falls_back_to_the_scale(rubric: Rubric) -> None:
    impacts = rubric.criterion("impacts")
    assert rubric.descriptor(impacts, "proficient").startswith("Explains how projected")
    assert rubric.descriptor(impacts, "beginning") == rubric.scale.level("beginning").descriptor
