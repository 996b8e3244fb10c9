"""The generated evaluator means exactly what the predicate closures mean."""

from __future__ import annotations

import copy
from functools import cache

import pytest

from credstack.domain.credential import MicroCredential
from credstack.quality.engine import CompiledRuleSet
from credstack.quality.loader import shipped, shipped_ids
from credstack.quality.model import Outcome, Severity
from credstack.registry.generate import generate_records
from quality.conftest import load_example
from quality.mutations import Mutator
from quality.reference_semantics import Compiled, compile_check

RECORDS = list(generate_records(300, seed=11))


@cache
def _closures(rule_set_id: str) -> list[Compiled]:
    return [compile_check(rule.check) for rule in shipped(rule_set_id).rules]


def _reference(rule_set_id: str, record: MicroCredential) -> tuple[Outcome, ...]:
    outcomes = []
    for rule, check in zip(shipped(rule_set_id).rules, _closures(rule_set_id), strict=True):
        met = check(record)
        failed = Outcome.FAIL if rule.severity is Severity.REQUIRED else Outcome.WARNING
        unmet = Outcome.NOT_APPLICABLE if met is None else failed
        outcomes.append(Outcome.PASS if met else unmet)
    return tuple(outcomes)


@pytest.mark.parametrize("rule_set_id", shipped_ids())
def test_generated_evaluator_agrees_with_reference_on_generated_registry(rule_set_id: str) -> None:
    engine = CompiledRuleSet(shipped(rule_set_id))
    for record in RECORDS:
        assert engine.evaluate(record) == _reference(rule_set_id, record), record.id


@pytest.mark.parametrize("rule_set_id", shipped_ids())
def test_generated_evaluator_agrees_with_reference_on_broken_records(
    rule_set_id: str, mutator: Mutator
) -> None:
    engine = CompiledRuleSet(shipped(rule_set_id))
    for rule in shipped(rule_set_id).rules:
        broken = load_example()
        mutator.violate(rule.check, broken)
        met = copy.deepcopy(broken)
        mutator.satisfy(rule.check, met)
        for record in (broken, met):
            assert engine.evaluate(record) == _reference(rule_set_id, record), rule.key


def test_required_failure_makes_record_non_compliant(record: MicroCredential) -> None:
    engine = CompiledRuleSet(shipped("eu-cmf"))
    report = engine.check(record)
    assert not report.compliant
    assert {result.rule_id for result in report.failures()} >= {"eu-cmf:total-study-time"}


def test_recommended_failure_is_a_warning_and_keeps_record_compliant(
    record: MicroCredential,
) -> None:
    record.depth_of_learning = None
    report = CompiledRuleSet(shipped("au-nmf")).check(record)
    (result,) = [r for r in report.results if r.rule_id == "au-nmf:depth-of-learning"]
    assert result.outcome is Outcome.WARNING
    assert report.compliant


def test_failed_result_shows_what_the_record_states(record: MicroCredential) -> None:
    report = CompiledRuleSet(shipped("eu-cmf")).check(record)
    (result,) = [r for r in report.results if r.rule_id == "eu-cmf:total-study-time"]
    assert result.observed == "learner_effort.total_hours = 28"
    assert "scan line 672" in result.citation


def test_generated_source_names_every_rule() -> None:
    engine = CompiledRuleSet(shipped("bc-assessment-standard"))
    for rule in engine.rule_set.rules:
        assert f"# {rule.key}" in engine.source
