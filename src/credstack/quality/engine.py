"""The engine: a rule set compiled once, then applied to any number of records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel

from credstack.domain.credential import MicroCredential
from credstack.quality.codegen import build
from credstack.quality.elements import UnknownElement, many_getter
from credstack.quality.model import Outcome, Rule, RuleResult, RuleSet

_OBSERVED_LIMIT = 160


def _show(value: Any) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, BaseModel):
        fields = value.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        return ", ".join(f"{key}={fields[key]}" for key in list(fields)[:3]) or "{}"
    return str(value)


def observe(rule: Rule, record: MicroCredential) -> str:
    """What the record states for the rule's elements, e.g. 'weeks = 14.3'."""
    parts = []
    for path in rule.elements:
        try:
            values = many_getter(path)(record)
        except UnknownElement:
            continue
        if not values:
            parts.append(f"{path}: not stated")
            continue
        shown = "; ".join(_show(value) for value in values[:3])
        more = f" (+{len(values) - 3} more)" if len(values) > 3 else ""
        parts.append(f"{path} = {shown}{more}")
    text = "; ".join(parts)
    return text if len(text) <= _OBSERVED_LIMIT else text[: _OBSERVED_LIMIT - 1] + "…"


@dataclass(frozen=True)
class ComplianceReport:
    """One record checked against one rule set: an outcome per rule."""

    record: MicroCredential
    rule_set: RuleSet
    outcomes: tuple[Outcome, ...]

    @property
    def compliant(self) -> bool:
        """True unless a required rule failed."""
        return Outcome.FAIL not in self.outcomes

    @property
    def results(self) -> list[RuleResult]:
        """Every rule's result; what the record states is shown where a rule is not met."""
        return [
            RuleResult(
                rule,
                outcome,
                observe(rule, self.record) if outcome in (Outcome.FAIL, Outcome.WARNING) else None,
            )
            for rule, outcome in zip(self.rule_set.rules, self.outcomes, strict=True)
        ]

    def failures(self) -> list[RuleResult]:
        """The failing required rules (what blocks publication)."""
        return [result for result in self.results if result.outcome is Outcome.FAIL]

    def counts(self) -> dict[str, int]:
        """How many rules had each outcome."""
        counts = {outcome.value: 0 for outcome in Outcome}
        for outcome in self.outcomes:
            counts[outcome.value] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape of a compliance report."""
        return {
            "record": self.record.id,
            "framework": self.rule_set.id,
            "framework_name": self.rule_set.name,
            "compliant": self.compliant,
            "counts": self.counts(),
            "results": [result.to_dict() for result in self.results],
        }


class CompiledRuleSet:
    """A rule set compiled once into one generated function: ``evaluate`` is the hot path."""

    def __init__(self, rule_set: RuleSet) -> None:
        self.rule_set = rule_set
        evaluate, self.source = build(rule_set.rules)
        self.evaluate: Callable[[MicroCredential], tuple[Outcome, ...]] = evaluate

    @property
    def id(self) -> str:
        """The rule set's id."""
        return self.rule_set.id

    def compliant(self, record: MicroCredential) -> bool:
        """Whether no required rule fails on ``record`` (fast: no report is built)."""
        return Outcome.FAIL not in self.evaluate(record)

    def check(self, record: MicroCredential) -> ComplianceReport:
        """The full report of ``record`` against this rule set."""
        return ComplianceReport(record, self.rule_set, self.evaluate(record))
