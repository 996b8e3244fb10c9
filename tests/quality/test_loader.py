"""Malformed rule sets are rejected with the file, the rule id and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from credstack.quality.loader import RuleSetError, load_file, shipped, shipped_ids

HEADER = """\
id: {id}
name: Test set
jurisdiction: CA-BC
version: "1"
source: {{title: A test standard}}
"""


def write(tmp_path: Path, name: str, body: str, set_id: str | None = None) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(HEADER.format(id=set_id or name) + body, encoding="utf-8")
    return path


def rule(check: str, rule_id: str = "the-rule") -> str:
    return (f"rules:\n  - id: {rule_id}\n    severity: required\n    check: {check}\n"
            "    message: Do it.\n    citation: Somewhere\n")


def problems(path: Path) -> list[str]:
    with pytest.raises(RuleSetError) as caught:
        load_file(path)
    return [str(problem) for problem in caught.value.problems]


def test_every_shipped_rule_set_loads() -> None:
    assert len(shipped_ids()) == 11
    for rule_set_id in shipped_ids():
        assert shipped(rule_set_id).rules


def test_rejects_unknown_predicate(tmp_path: Path) -> None:
    path = write(tmp_path, "bad", rule("{longer_than: title}"))
    (message,) = problems(path)
    assert str(path) in message
    assert "rule 'the-rule'" in message
    assert "unknown predicate 'longer_than'" in message


def test_rejects_unknown_element(tmp_path: Path) -> None:
    (message,) = problems(write(tmp_path, "bad", rule("{present: learner_effort.total_minutes}")))
    assert "rule 'the-rule'" in message
    assert "unknown element" in message and "total_minutes" in message


def test_rejects_range_whose_minimum_exceeds_its_maximum(tmp_path: Path) -> None:
    check = "{number: {element: learner_effort.total_hours, min: 150, max: 100}}"
    (message,) = problems(write(tmp_path, "bad", rule(check)))
    assert "bad range" in message and "rule 'the-rule'" in message


def test_rejects_level_outside_the_framework(tmp_path: Path) -> None:
    (message,) = problems(write(tmp_path, "bad", rule("{level: {framework: eqf, min: 6, max: 9}}")))
    assert "bad range: 9 is not a level of eqf" in message


def test_rejects_value_outside_the_vocabulary(tmp_path: Path) -> None:
    check = "{one_of: {element: assessment.type, values: [graded]}}"
    (message,) = problems(write(tmp_path, "bad", rule(check)))
    assert "'graded'" in message and "competency" in message


def test_rejects_number_predicate_on_text(tmp_path: Path) -> None:
    (message,) = problems(write(tmp_path, "bad", rule("{number: {element: title, max: 3}}")))
    assert "'title' is not a single number" in message


def test_reports_every_problem_not_just_the_first(tmp_path: Path) -> None:
    body = rule("{nope: title}", "first") + rule("{present: nothing}", "second")[len("rules:\n"):]
    found = problems(write(tmp_path, "bad", body))
    assert len(found) == 2
    assert any("rule 'first'" in item for item in found)
    assert any("rule 'second'" in item for item in found)


def test_rejects_cycle_in_extends(tmp_path: Path) -> None:
    write(tmp_path, "alpha", "extends: [beta]\n")
    beta = write(tmp_path, "beta", "extends: [alpha]\n")
    (message,) = problems(beta)
    assert "cycle in extends: beta -> alpha -> beta" in message


def test_rejects_unknown_parent(tmp_path: Path) -> None:
    (message,) = problems(write(tmp_path, "child", "extends: [no-such-set]\n"))
    assert "unknown rule set 'no-such-set'" in message


def test_rejects_override_of_a_rule_not_inherited(tmp_path: Path) -> None:
    path = write(tmp_path, "child", "extends: [au-nmf]\noverrides: {au-nmf:nope: required}\n")
    (message,) = problems(path)
    assert "is not an inherited rule" in message


def test_user_set_extends_a_shipped_set_and_overrides_a_severity(tmp_path: Path) -> None:
    path = write(
        tmp_path, "ours",
        "extends: [eu-cmf]\noverrides: {industry-backer: required}\n"
        + rule("{present: industry_alignment}", "aligned"),
    )
    rule_set = load_file(path)
    keys = {item.key: item for item in rule_set.rules}
    assert keys["eu-cmf:industry-backer"].severity == "required"
    assert "ours:aligned" in keys
    assert len(rule_set.rules) == len(shipped("eu-cmf").rules) + 1


def test_rejects_duplicate_rule_ids(tmp_path: Path) -> None:
    body = rule("{present: title}", "same") + rule("{present: title}", "same")[len("rules:\n"):]
    (message,) = problems(write(tmp_path, "bad", body))
    assert "used twice" in message


def test_rejects_file_that_is_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    (message,) = problems(path)
    assert "malformed YAML" in message
