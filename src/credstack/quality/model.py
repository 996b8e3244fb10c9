"""Rule sets, rules and results: the plain data the quality engine works on."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from credstack.quality.predicates import Check, describe


class Severity(StrEnum):
    """How much a rule matters: a failing ``required`` rule makes a record non-compliant."""

    REQUIRED = "required"
    RECOMMENDED = "recommended"
    INFO = "info"


class Outcome(StrEnum):
    """The result of one rule on one record."""

    PASS = "pass"
    FAIL = "fail"  # a required rule not met
    WARNING = "warning"  # a recommended or info rule not met
    NOT_APPLICABLE = "not_applicable"  # the rule's condition does not hold


@dataclass(frozen=True)
class Source:
    """Where a rule set comes from: the framework document and the scan's passage."""

    title: str
    url: str | None = None
    scan: str | None = None


@dataclass(frozen=True)
class Rule:
    """One rule: what it checks, how much it matters, what to do, and where it is written."""

    id: str
    origin: str  # id of the rule set that defines it
    elements: tuple[str, ...]
    severity: Severity
    check: Check
    message: str
    citation: str

    @property
    def key(self) -> str:
        """The rule's id qualified by its rule set, unique across composed sets."""
        return f"{self.origin}:{self.id}"

    def to_dict(self) -> dict[str, Any]:
        """The rule as plain data (``rules show --json``, ``GET /frameworks``)."""
        return {
            "key": self.key,
            "id": self.id,
            "origin": self.origin,
            "elements": list(self.elements),
            "severity": self.severity.value,
            "check": describe(self.check),
            "message": self.message,
            "citation": self.citation,
        }


@dataclass(frozen=True)
class RuleSet:
    """A resolved rule set: its own rules plus those of the sets it extends."""

    id: str
    name: str
    jurisdiction: str
    version: str
    source: Source
    description: str
    extends: tuple[str, ...]
    rules: tuple[Rule, ...]
    path: Path | None = None
    overrides: dict[str, Severity] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """Metadata and rule counts (``rules list``, ``GET /frameworks``)."""
        counts = {severity.value: 0 for severity in Severity}
        for rule in self.rules:
            counts[rule.severity.value] += 1
        return {
            "id": self.id,
            "name": self.name,
            "jurisdiction": self.jurisdiction,
            "version": self.version,
            "source": {
                "title": self.source.title,
                "url": self.source.url,
                "scan": self.source.scan,
            },
            "description": self.description,
            "extends": list(self.extends),
            "rules": len(self.rules),
            "severities": counts,
        }

    def to_dict(self) -> dict[str, Any]:
        """Metadata and every rule (``rules show --json``)."""
        return {**self.summary(), "rules": [rule.to_dict() for rule in self.rules]}


@dataclass(frozen=True)
class RuleResult:
    """The outcome of one rule on one record, with what to do about it."""

    rule: Rule
    outcome: Outcome
    observed: str | None = None

    @property
    def rule_id(self) -> str:
        """The rule's qualified id (``au-nmf:learner-effort``)."""
        return self.rule.key

    @property
    def message(self) -> str:
        """What a program designer should do to meet the rule."""
        return self.rule.message

    @property
    def citation(self) -> str:
        """Where the rule is written."""
        return self.rule.citation

    @property
    def severity(self) -> Severity:
        """How much the rule matters."""
        return self.rule.severity

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data, in the documented ``--json`` / API shape."""
        return {
            "rule": self.rule.key,
            "id": self.rule.id,
            "origin": self.rule.origin,
            "severity": self.rule.severity.value,
            "outcome": self.outcome.value,
            "elements": list(self.rule.elements),
            "message": self.rule.message,
            "citation": self.rule.citation,
            "observed": self.observed,
        }
