"""The figures the scan gives, at their boundaries (readable specifications)."""

from __future__ import annotations

from datetime import date

import pytest

from credstack.domain.credential import CreditValue, MicroCredential, QualificationLevel
from credstack.domain.credits import CreditSystem
from credstack.domain.levels import QualificationFramework
from credstack.quality.engine import CompiledRuleSet
from credstack.quality.loader import shipped
from credstack.quality.model import Outcome


def outcome(rule_set_id: str, key: str, record: MicroCredential) -> Outcome:
    report = CompiledRuleSet(shipped(rule_set_id)).check(record)
    (result,) = [r for r in report.results if r.rule_id == key]
    return result.outcome


def hours(record: MicroCredential, total: float) -> MicroCredential:
    assert record.learner_effort is not None
    record.learner_effort.total_hours = total
    return record


@pytest.mark.parametrize(("total", "expected"), [(99, "fail"), (100, "pass"), (150, "pass"),
                                                 (150.5, "fail")])
def test_eu_cmf_study_time_is_100_to_150_hours(
    record: MicroCredential, total: float, expected: str
) -> None:
    assert outcome("eu-cmf", "eu-cmf:total-study-time", hours(record, total)) == expected


@pytest.mark.parametrize(("total", "expected"), [(0.5, "fail"), (1, "pass"), (599, "pass"),
                                                 (600, "fail")])
def test_au_nmf_volume_is_at_least_one_hour_and_below_an_aqf_award(
    record: MicroCredential, total: float, expected: str
) -> None:
    assert outcome("au-nmf", "au-nmf:volume-of-learning", hours(record, total)) == expected


@pytest.mark.parametrize(("ects", "expected"), [(0.5, "fail"), (1, "pass"), (30, "pass"),
                                                (31, "fail")])
def test_ie_microcreds_accepts_1_to_30_ects(
    record: MicroCredential, ects: float, expected: str
) -> None:
    record.credits = [CreditValue(system=CreditSystem.ECTS, value=ects)]
    assert outcome("ie-microcreds", "ie-microcreds:ects-1-to-30", record) == expected


@pytest.mark.parametrize(("level", "expected"), [(5, "fail"), (6, "pass"), (9, "pass"),
                                                 (10, "fail")])
def test_ie_microcreds_accepts_nfq_levels_6_to_9(
    record: MicroCredential, level: int, expected: str
) -> None:
    record.qualification_levels = [QualificationLevel(framework=QualificationFramework.NFQ_IE,
                                                      level=level)]
    assert outcome("ie-microcreds", "ie-microcreds:nfq-6-to-9", record) == expected


def test_nz_rejects_micro_credential_over_40_credits(record: MicroCredential) -> None:
    record.credits = [CreditValue(system=CreditSystem.NZ_CREDIT, value=45)]
    assert outcome("nz-nzqa", "nz-nzqa:up-to-40-credits", record) == "fail"


def test_nz_converts_hours_when_no_credits_are_stated(record: MicroCredential) -> None:
    record.credits = []
    assert outcome("nz-nzqa", "nz-nzqa:up-to-40-credits", hours(record, 410)) == "fail"
    assert outcome("nz-nzqa", "nz-nzqa:up-to-40-credits", hours(record, 390)) == "pass"


def test_eu_cmf_accepts_eqf_5_only_with_ects(record: MicroCredential) -> None:
    record.qualification_levels = [QualificationLevel(framework=QualificationFramework.EQF,
                                                      level=5)]
    assert outcome("eu-cmf", "eu-cmf:eqf-level", record) == "pass"
    record.credits = [CreditValue(system=CreditSystem.NZ_CREDIT, value=10)]
    assert outcome("eu-cmf", "eu-cmf:eqf-level", record) == "fail"


def test_eu_cmf_accepts_national_level_through_published_crosswalk(
    record: MicroCredential,
) -> None:
    record.qualification_levels = [QualificationLevel(framework=QualificationFramework.NFQ_IE,
                                                      level=8)]  # EQF 6
    assert outcome("eu-cmf", "eu-cmf:eqf-level", record) == "pass"


@pytest.mark.parametrize(("end", "expected"), [(date(2026, 3, 28), "pass"),
                                               (date(2026, 3, 29), "warning")])
def test_ontario_expects_under_12_weeks(record: MicroCredential, end: date, expected: str) -> None:
    assert record.delivery_dates is not None
    record.delivery_dates.start = date(2026, 1, 5)
    record.delivery_dates.end = end  # Mon 5 Jan - Sat 28 Mar: 11.9 weeks; to Sun 29 Mar: 12
    assert outcome("on-ecampus", "on-ecampus:under-12-weeks", record) == expected


def test_ontario_week_rule_does_not_apply_to_self_paced(record: MicroCredential) -> None:
    assert record.delivery_dates is not None
    record.delivery_dates.self_paced = True
    assert outcome("on-ecampus", "on-ecampus:under-12-weeks", record) == "not_applicable"


def test_bc_standard_requires_competency_based_assessment(record: MicroCredential) -> None:
    assert record.assessment is not None
    record.assessment.type = "proficiency"  # type: ignore[assignment]
    key = "bc-assessment-standard:competency-based-assessment"
    assert outcome("bc-assessment-standard", key, record) == "fail"


def test_bc_standard_raises_industry_support_to_required() -> None:
    rules = {rule.key: rule for rule in shipped("bc-assessment-standard").rules}
    assert rules["au-nmf:industry-support"].severity == "required"
    assert {rule.key for rule in shipped("au-nmf").rules} <= set(rules)
    assert {rule.key for rule in shipped("bc").rules} <= set(rules)


def test_au_nmf_has_all_15_required_and_7_recommended_cis_elements() -> None:
    cis = [r for r in shipped("au-nmf").rules if "Appendix 1, line" in r.citation
           or r.id in {"learning-outcomes", "assessment", "depth-of-learning"}]
    assert sum(r.severity == "required" for r in cis) == 15
    assert sum(r.severity == "recommended" for r in cis) == 7
