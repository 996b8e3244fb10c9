"""Compliance as the portal shows it: a record's panel and the registry's QA dashboard (pure).

Built on the quality capability's reports (``credstack.quality``): a rule set's outcome
per rule for one record, and tallies per provider, CIS element and rule over many.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from credstack.quality.engine import ComplianceReport
from credstack.quality.model import Outcome, RuleSet
from credstack.quality.summary import FrameworkSummary, Tally
from credstack.web import labels

OUTCOME_LABELS = {
    Outcome.FAIL: "Fails",
    Outcome.WARNING: "Warning",
    Outcome.PASS: "Passes",
    Outcome.NOT_APPLICABLE: "Not applicable",
}


@dataclass(frozen=True)
class RuleRow:
    """One rule's outcome for a record, with what to do about it and where it is written."""

    key: str
    severity: str
    outcome: str
    outcome_label: str
    message: str
    citation: str
    observed: str
    elements: str


@dataclass(frozen=True)
class FrameworkChoice:
    """A rule set a visitor can pick."""

    id: str
    name: str


@dataclass(frozen=True)
class CompliancePanel:
    """A record checked against one rule set: failing and warning rules first."""

    framework: FrameworkChoice
    compliant: bool
    counts: dict[str, int]
    attention: tuple[RuleRow, ...]
    passed: tuple[RuleRow, ...]
    not_applicable: tuple[RuleRow, ...]
    choices: tuple[FrameworkChoice, ...]


def choices(rule_sets: Sequence[RuleSet]) -> tuple[FrameworkChoice, ...]:
    """The rule sets offered in a framework selector."""
    return tuple(FrameworkChoice(rule_set.id, rule_set.name) for rule_set in rule_sets)


def compliance_panel(report: ComplianceReport, rule_sets: Sequence[RuleSet]) -> CompliancePanel:
    """The compliance panel of one record against one rule set."""
    rows = [
        RuleRow(
            key=result.rule_id,
            severity=result.severity.value,
            outcome=result.outcome.value,
            outcome_label=OUTCOME_LABELS[result.outcome],
            message=result.message,
            citation=result.citation,
            observed=result.observed or "",
            elements=", ".join(result.rule.elements),
        )
        for result in report.results
    ]
    # Failures before warnings: what blocks publication is read first.
    attention = sorted((r for r in rows if r.outcome in ("fail", "warning")),
                       key=lambda r: (r.outcome != "fail", r.key))
    return CompliancePanel(
        framework=FrameworkChoice(report.rule_set.id, report.rule_set.name),
        compliant=report.compliant,
        counts=report.counts(),
        attention=tuple(attention),
        passed=tuple(r for r in rows if r.outcome == "pass"),
        not_applicable=tuple(r for r in rows if r.outcome == "not_applicable"),
        choices=choices(rule_sets),
    )


@dataclass(frozen=True)
class RateRow:
    """Checked, passed and the share passed, for a provider, an element or the registry."""

    key: str
    label: str
    checked: int
    passed: int
    percent: int


def rate_row(key: str, label: str, tally: Tally) -> RateRow:
    """A tally as a display row (percent rounded down, so 99.6% never reads 100%)."""
    percent = (100 * tally.passed) // tally.checked if tally.checked else 100
    return RateRow(key, label, tally.checked, tally.passed, percent)


@dataclass(frozen=True)
class RuleCount:
    """How many records a rule failed or warned on, and its message."""

    key: str
    count: int
    message: str
    severity: str


@dataclass(frozen=True)
class Dashboard:
    """The registry against one rule set."""

    framework: FrameworkChoice
    records: RateRow
    by_provider: tuple[RateRow, ...]
    by_element: tuple[RateRow, ...]
    failing_rules: tuple[RuleCount, ...]
    warning_rules: tuple[RuleCount, ...]


def dashboard(summary: FrameworkSummary) -> Dashboard:
    """The QA dashboard of one rule set; weakest providers and elements first."""
    rules = {rule.key: rule for rule in summary.rule_set.rules}

    def counts(counter: dict[str, int]) -> tuple[RuleCount, ...]:
        return tuple(
            RuleCount(key, count, rules[key].message, rules[key].severity.value)
            for key, count in sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        )

    providers = sorted(
        (rate_row(key, summary.provider_names.get(key, key), tally)
         for key, tally in summary.by_provider.items()),
        key=lambda row: (row.percent, row.label),
    )
    elements = sorted(
        (rate_row(key, labels.humanize(key), tally) for key, tally in summary.by_element.items()),
        key=lambda row: (row.percent, row.label),
    )
    return Dashboard(
        framework=FrameworkChoice(summary.rule_set.id, summary.rule_set.name),
        records=rate_row("records", "Records", summary.records),
        by_provider=tuple(providers),
        by_element=tuple(elements),
        failing_rules=counts(dict(summary.failures)),
        warning_rules=counts(dict(summary.warnings)),
    )
