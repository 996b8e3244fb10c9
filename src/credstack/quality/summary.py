"""Compliance across many records: totals per framework, provider, CIS element and rule."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from credstack.domain.credential import MicroCredential
from credstack.quality.model import Outcome, RuleSet


def element_group(path: str) -> str:
    """The CIS element of a field path: its first segment (``assessment.type``: ``assessment``)."""
    return path.split(".", 1)[0]


@dataclass
class Tally:
    """How many were checked and how many met the standard."""

    checked: int = 0
    passed: int = 0

    @property
    def rate(self) -> float:
        """The share that passed, 0.0-1.0 (1.0 when nothing was checked)."""
        return self.passed / self.checked if self.checked else 1.0

    def to_dict(self) -> dict[str, Any]:
        """Checked, passed and rate as plain data."""
        return {"checked": self.checked, "passed": self.passed, "rate": round(self.rate, 4)}


@dataclass
class FrameworkSummary:
    """One rule set's results over many records."""

    rule_set: RuleSet
    records: Tally = field(default_factory=Tally)
    by_provider: dict[str, Tally] = field(default_factory=dict)
    by_element: dict[str, Tally] = field(default_factory=dict)
    failures: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)
    provider_names: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Which CIS element groups each rule concerns, worked out once.
        self._groups = [
            tuple(dict.fromkeys(element_group(path) for path in rule.elements))
            for rule in self.rule_set.rules
        ]
        self._keys = [rule.key for rule in self.rule_set.rules]

    def add(self, record: MicroCredential, outcomes: tuple[Outcome, ...]) -> bool:
        """Count one record's outcomes; returns whether it is compliant."""
        compliant = Outcome.FAIL not in outcomes
        issuer = record.provider.issuer
        self.provider_names.setdefault(issuer.id, issuer.name)
        for tally in (self.records, self.by_provider.setdefault(issuer.id, Tally())):
            tally.checked += 1
            tally.passed += compliant
        for index, outcome in enumerate(outcomes):
            if outcome is Outcome.NOT_APPLICABLE:
                continue
            met = outcome is Outcome.PASS
            if outcome is Outcome.FAIL:
                self.failures[self._keys[index]] += 1
            elif outcome is Outcome.WARNING:
                self.warnings[self._keys[index]] += 1
            for group in self._groups[index]:
                tally = self.by_element.setdefault(group, Tally())
                tally.checked += 1
                tally.passed += met
        return compliant

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape of ``check --all --json``, one framework."""
        return {
            "framework": self.rule_set.id,
            "name": self.rule_set.name,
            "records": self.records.to_dict(),
            "by_provider": {
                provider: {"name": self.provider_names[provider], **tally.to_dict()}
                for provider, tally in sorted(self.by_provider.items())
            },
            "by_element": {
                element: tally.to_dict() for element, tally in sorted(self.by_element.items())
            },
            # Lists, most frequent first (JSON objects would lose the order).
            "failing_rules": [
                {"rule": key, "records": count} for key, count in self.failures.most_common()
            ],
            "warning_rules": [
                {"rule": key, "records": count} for key, count in self.warnings.most_common()
            ],
        }


@dataclass
class RegistrySummary:
    """Results of a registry-wide check against one or more rule sets."""

    frameworks: list[FrameworkSummary]
    records: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape of ``check --all --json``."""
        return {
            "records": self.records,
            "frameworks": [summary.to_dict() for summary in self.frameworks],
        }
