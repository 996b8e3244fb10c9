"""Benchmark: the quality engine against a hand-written implementation of two rule sets.

Generates a registry (``credstack.registry.generate``), checks every record against every
shipped rule set, and checks it again with plain-Python functions written by hand for
``eu-cmf`` and ``ie-microcreds`` (the same rules, the same outcomes: the run verifies
that both agree on every record). Prints one JSON line:

    records, rule_sets, checks_per_s            engine, every shipped set
    engine_two_sets_checks_per_s                engine, eu-cmf + ie-microcreds only
    baseline_checks_per_s                       hand-written, eu-cmf + ie-microcreds
    engine_vs_baseline                          baseline time / engine time (>= 0.5 is the target)
    seconds_all_sets, projected_seconds_100k    wall time here, and scaled to 100,000 records

A check is one record evaluated against one rule set.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence

from credstack.domain.credential import MicroCredential
from credstack.domain.credits import EQUIVALENCES, CreditSystem
from credstack.domain.levels import FRAMEWORKS, QualificationFramework
from credstack.domain.vocabulary import (
    AssessmentType,
    IdentityVerification,
    QualityAssuranceType,
    RecognitionType,
)
from credstack.quality.engine import CompiledRuleSet
from credstack.quality.loader import shipped, shipped_ids
from credstack.quality.model import Outcome
from credstack.registry.generate import generate_records

P, F, W, N = Outcome.PASS, Outcome.FAIL, Outcome.WARNING, Outcome.NOT_APPLICABLE
ECTS = CreditSystem.ECTS
EQF = QualificationFramework.EQF
NFQ = QualificationFramework.NFQ_IE
_EQF_OF = {(fw, lvl): eqf for fw, info in FRAMEWORKS.items() for lvl, eqf in info.eqf.items()}
_HOURS = {system: eq.hours_per_credit.midpoint for system, eq in EQUIVALENCES.items()}
_ID_CHECKED = {
    IdentityVerification.SUPERVISED_ONLINE_WITH_ID,
    IdentityVerification.SUPERVISED_ONSITE_WITH_ID,
}
_ACADEMIC_CREDIT = {RecognitionType.CREDIT_TOWARDS_AWARD, RecognitionType.ADVANCED_STANDING}
_TRANSCRIPT = (
    {"content", "course content", "topics", "description"},
    {"learning outcomes", "outcomes"},
    {"hours", "total hours", "total study hours", "study hours", "learner effort"},
    {"eqf level", "level", "qualification level"},
    {"ects", "credits", "credit points", "ects credits"},
)
_ACCREDITED = {
    QualityAssuranceType.INTERNAL,
    QualityAssuranceType.EXTERNAL,
    QualityAssuranceType.ACCREDITED_PROGRAM,
    QualityAssuranceType.REGULATED_PROVIDER,
}
del AssessmentType  # imported to document that assessment type is not part of these sets


def _stated_ects(record: MicroCredential) -> float | None:
    for credit in record.credits:
        if credit.system is ECTS:
            return credit.value
    return None


def _eqf_levels(record: MicroCredential) -> list[int]:
    found = [_EQF_OF.get((level.framework, level.level)) for level in record.qualification_levels]
    return [level for level in found if level is not None]


def hand_eu_cmf(record: MicroCredential) -> tuple[Outcome, ...]:
    """eu-cmf written by hand: the baseline."""
    effort = record.learner_effort
    hours = effort.total_hours if effort else None
    ects = _stated_ects(record)
    eqf = _eqf_levels(record)
    assessment = record.assessment
    recognition = record.credit_recognition or []
    certification = record.certification
    transcript = (
        {item.casefold() for item in certification.transcript_includes} if certification else set()
    )
    return (
        P if hours is not None and 100 <= hours <= 150 else F,
        P if ects is not None and 4 <= ects <= 6 else F,
        P if effort is not None and effort.assessment_hours > 0 else F,
        P if any(6 <= level <= 8 for level in eqf)
        or (any(4 <= level <= 5 for level in eqf) and ects is not None and ects > 0) else F,
        P if assessment is not None and assessment.summative is True else F,
        P if any(item.type in _ACADEMIC_CREDIT for item in recognition) else F,
        P if assessment is not None and assessment.identity_verification in _ID_CHECKED else F,
        P if all(transcript & wanted for wanted in _TRANSCRIPT) else F,
        P if record.industry_support else W,
    )


def hand_ie_microcreds(record: MicroCredential) -> tuple[Outcome, ...]:
    """ie-microcreds written by hand: the baseline."""
    ects = _stated_ects(record)
    if ects is None and record.credits:
        first = record.credits[0]
        ects = first.value * _HOURS[first.system] / _HOURS[ECTS]
    if ects is None and record.learner_effort is not None:
        ects = record.learner_effort.total_hours / _HOURS[ECTS]
    nfq = any(
        level.framework is NFQ and 6 <= level.level <= 9 for level in record.qualification_levels
    )
    qa = record.quality_assurance
    return (
        P if ects is not None and 1 <= ects <= 30 else F,
        P if nfq or any(5 <= level <= 7 for level in _eqf_levels(record)) else F,
        P if record.learning_outcomes else F,
        P if record.assessment is not None else F,
        P if qa is not None and qa.type in _ACCREDITED else F,
        P if record.industry_support else W,
    )


def _time(records: Sequence[MicroCredential], checks: Sequence[Callable[..., object]]) -> float:
    start = time.perf_counter()
    for record in records:
        for check in checks:
            check(record)
    return time.perf_counter() - start


def main() -> None:
    """Run the benchmark and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many timings")
    arguments = parser.parse_args()

    start = time.perf_counter()
    records = list(generate_records(arguments.records, arguments.seed))
    generate_seconds = time.perf_counter() - start

    compiled = [CompiledRuleSet(shipped(rule_set_id)) for rule_set_id in shipped_ids()]
    engine_two = [CompiledRuleSet(shipped("eu-cmf")), CompiledRuleSet(shipped("ie-microcreds"))]
    hand_two = [hand_eu_cmf, hand_ie_microcreds]

    # The baseline must mean the same rules: compare every outcome before timing.
    disagreements = sum(
        engine.evaluate(record) != hand(record)
        for record in records
        for engine, hand in zip(engine_two, hand_two, strict=True)
    )

    repeat = max(1, arguments.repeat)
    all_sets = min(_time(records, [rs.evaluate for rs in compiled]) for _ in range(repeat))
    engine_pair = min(_time(records, [rs.evaluate for rs in engine_two]) for _ in range(repeat))
    baseline_pair = min(_time(records, hand_two) for _ in range(repeat))
    count = len(records)
    compliant = {
        rs.id: sum(Outcome.FAIL not in rs.evaluate(record) for record in records) for rs in compiled
    }
    print(json.dumps({
        "benchmark": "quality",
        "records": count,
        "rule_sets": len(compiled),
        "rules": sum(len(rs.rule_set.rules) for rs in compiled),
        "checks_per_s": round(count * len(compiled) / all_sets),
        "engine_two_sets_checks_per_s": round(count * 2 / engine_pair),
        "baseline_checks_per_s": round(count * 2 / baseline_pair),
        "engine_vs_baseline": round(baseline_pair / engine_pair, 3),
        "baseline_sets": ["eu-cmf", "ie-microcreds"],
        "baseline_disagreements": disagreements,
        "seconds_all_sets": round(all_sets, 3),
        "projected_seconds_100k": round(all_sets * 100_000 / count, 2),
        "generate_seconds": round(generate_seconds, 2),
        "compliant_share": {key: round(value / count, 4) for key, value in compliant.items()},
    }))


if __name__ == "__main__":
    main()
