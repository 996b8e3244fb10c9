"""What the CLI, the API and the registry call: check records against rule sets.

Rule sets are named by shipped id (``eu-cmf``) or by a YAML file path; shipped sets are
read and compiled once per process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache

from sqlalchemy.orm import Session

from credstack.accounts.model import Action, Actor, Resource
from credstack.accounts.policy import require
from credstack.domain.credential import MicroCredential
from credstack.errors import InvalidInput, Problem
from credstack.quality.engine import CompiledRuleSet, ComplianceReport
from credstack.quality.loader import get_rule_set, looks_like_path, shipped, shipped_ids
from credstack.quality.model import RuleResult, RuleSet
from credstack.quality.summary import FrameworkSummary, RegistrySummary

ResultHook = Callable[[MicroCredential, CompiledRuleSet, ComplianceReport | None, bool], None]


def frameworks() -> list[RuleSet]:
    """Every shipped rule set, resolved, by id."""
    return [shipped(rule_set_id) for rule_set_id in shipped_ids()]


@cache
def _compiled_shipped(rule_set_id: str) -> CompiledRuleSet:
    return CompiledRuleSet(shipped(rule_set_id))


def compile_rule_set(reference: str) -> CompiledRuleSet:
    """The compiled rule set named by a shipped id or a YAML path (RuleSetError, NotFound)."""
    if looks_like_path(reference):
        return CompiledRuleSet(get_rule_set(reference))
    return _compiled_shipped(reference)


def parse_references(value: str | Sequence[str]) -> list[str]:
    """Framework references from ``"a,b"`` or a list of such strings, without repeats."""
    items = [value] if isinstance(value, str) else list(value)
    references = [part.strip() for item in items for part in item.split(",") if part.strip()]
    if not references:
        raise InvalidInput([Problem("framework", "name at least one framework (e.g. au-nmf)")])
    return list(dict.fromkeys(references))


def compile_all(references: Iterable[str]) -> list[CompiledRuleSet]:
    """Compiled rule sets for every reference, in order."""
    return [compile_rule_set(reference) for reference in references]


def check_record(record: MicroCredential, references: Sequence[str]) -> list[ComplianceReport]:
    """``record`` checked against each named rule set."""
    return [rule_set.check(record) for rule_set in compile_all(references)]


def check_upload(
    record: MicroCredential, references: Sequence[str], *, actor: Actor
) -> list[ComplianceReport]:
    """An uploaded (unstored) record checked for a signed-in user (issue 9: anonymous
    visitors only read published records)."""
    require(actor, Action.CHECK_COMPLIANCE, Resource.registry())
    return check_record(record, references)


def publish_blockers(record: MicroCredential, standard: str) -> list[RuleResult]:
    """The required rules of ``standard`` that ``record`` fails: empty means it may publish."""
    return compile_rule_set(standard).check(record).failures()


def check_stored(
    session: Session,
    *,
    actor: Actor,
    credential_id: str,
    references: Sequence[str],
    version: int | None = None,
) -> list[ComplianceReport]:
    """A stored record (current version unless ``version``) checked against rule sets.

    Anyone may check a published record; an unpublished one only its organization's
    staff and the registry's reviewers (for others it is "not found")."""
    from credstack.registry import records  # the registry's policy-checked operations
    from credstack.registry.service import get_record

    current = get_record(session, credential_id=credential_id)
    require(actor, Action.READ_COMPLIANCE, records.resource_of(current))
    stored = current if version is None else get_record(
        session, credential_id=credential_id, version=version)
    return check_record(stored.record, references)


def summarise(
    records: Iterable[MicroCredential],
    rule_sets: Sequence[CompiledRuleSet],
    *,
    on_record: Callable[[MicroCredential], None] | None = None,
    on_result: ResultHook | None = None,
) -> RegistrySummary:
    """Check many records against rule sets, tallying by provider, element and rule.

    ``on_result(record, rule_set, report, compliant)`` sees each evaluation (``report``
    is built only when the hook is given); ``on_record`` is called once per record
    (progress bars).
    """
    summaries = [FrameworkSummary(rule_set.rule_set) for rule_set in rule_sets]
    pairs = list(zip(rule_sets, summaries, strict=True))
    count = 0
    for record in records:
        count += 1
        for rule_set, summary in pairs:
            outcomes = rule_set.evaluate(record)
            compliant = summary.add(record, outcomes)
            if on_result is not None:
                report = ComplianceReport(record, rule_set.rule_set, outcomes)
                on_result(record, rule_set, report, compliant)
        if on_record is not None:
            on_record(record)
    return RegistrySummary(summaries, count)


def stored_records(session: Session) -> Iterable[MicroCredential]:
    """Every record in the registry (current versions)."""
    from credstack.registry.service import iter_records

    for stored in iter_records(session):
        yield stored.record
