"""Every shipped rule is met by one record and broken by another differing in its element.

The pairs are derived from each rule's own check (``mutations.py``), starting from the
complete example record; the engine then judges both. Conditional rules are also shown
not to apply when their condition does not hold.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from credstack.domain.credential import MicroCredential
from credstack.quality.engine import CompiledRuleSet
from credstack.quality.loader import shipped, shipped_ids
from credstack.quality.model import Outcome, Rule, RuleSet, Severity
from credstack.quality.predicates import When
from credstack.quality.summary import element_group
from quality.conftest import load_example
from quality.mutations import DERIVED_SOURCE, Mutator


def _cases() -> list[Any]:
    cases = []
    seen: set[str] = set()
    for rule_set_id in shipped_ids():
        for rule in shipped(rule_set_id).rules:
            # Inherited rules are tested in the set that defines them, unless an override
            # changed their severity (then the composed set's outcome is tested too).
            key = f"{rule.key}@{rule.severity.value}"
            if key in seen:
                continue
            seen.add(key)
            cases.append(pytest.param(rule_set_id, rule.key, id=f"{rule_set_id}/{rule.key}"))
    return cases


CASES = _cases()


def _single_rule(rule_set_id: str, key: str) -> tuple[CompiledRuleSet, Rule]:
    rule_set = shipped(rule_set_id)
    (rule,) = [rule for rule in rule_set.rules if rule.key == key]
    alone = RuleSet(
        id=rule_set.id, name=rule_set.name, jurisdiction=rule_set.jurisdiction,
        version=rule_set.version, source=rule_set.source, description="", extends=(),
        rules=(rule,),
    )
    return CompiledRuleSet(alone), rule


def _outcome(rule_set: CompiledRuleSet, record: MicroCredential) -> Outcome:
    (outcome,) = rule_set.evaluate(record)
    return outcome


def _changed_fields(first: MicroCredential, second: MicroCredential) -> set[str]:
    return {
        name for name in MicroCredential.model_fields
        if getattr(first, name) != getattr(second, name)
    }


def _rule_fields(rule: Rule) -> set[str]:
    return {DERIVED_SOURCE.get(group, group) for group in map(element_group, rule.elements)}


def _pair(rule: Rule, mutator: Mutator) -> tuple[MicroCredential, MicroCredential]:
    meets = load_example()
    mutator.satisfy(rule.check, meets)
    breaks = copy.deepcopy(meets)
    mutator.violate(rule.check, breaks)
    return meets, breaks


def test_every_shipped_set_has_rules_under_test() -> None:
    tested = {case.values[0] for case in CASES}
    assert tested == set(shipped_ids())
    assert len(CASES) >= 90


@pytest.mark.parametrize(("rule_set_id", "key"), CASES)
def test_rule_passes_on_a_record_that_meets_it(
    rule_set_id: str, key: str, mutator: Mutator
) -> None:
    rule_set, rule = _single_rule(rule_set_id, key)
    meets, _ = _pair(rule, mutator)
    assert _outcome(rule_set, meets) is Outcome.PASS


@pytest.mark.parametrize(("rule_set_id", "key"), CASES)
def test_rule_fails_on_a_record_differing_only_in_its_element(
    rule_set_id: str, key: str, mutator: Mutator
) -> None:
    rule_set, rule = _single_rule(rule_set_id, key)
    meets, breaks = _pair(rule, mutator)
    expected = Outcome.FAIL if rule.severity is Severity.REQUIRED else Outcome.WARNING
    assert _outcome(rule_set, breaks) is expected
    changed = _changed_fields(meets, breaks)
    assert changed, "the failing record must differ from the passing one"
    assert changed <= _rule_fields(rule), f"changed {changed}, rule concerns {rule.elements}"


@pytest.mark.parametrize(
    ("rule_set_id", "key"),
    [case for case in CASES if isinstance(_single_rule(*case.values)[1].check, When)],
)
def test_conditional_rule_does_not_apply_when_its_condition_fails(
    rule_set_id: str, key: str, mutator: Mutator
) -> None:
    rule_set, rule = _single_rule(rule_set_id, key)
    assert isinstance(rule.check, When)
    record = load_example()
    mutator.satisfy(rule.check, record)
    mutator.make_inapplicable(rule.check, record)
    assert _outcome(rule_set, record) is Outcome.NOT_APPLICABLE
