"""The competency decision: non-compensatory, evidence-backed, proficiency kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from credstack.assess.decision import decide
from credstack.assess.record import AssessmentRecord
from credstack.assess.rubric import Criterion, ProficiencyScale, Rubric, ScaleLevel
from credstack.domain.vocabulary import AssessmentMethod

Factory = Callable[..., dict[str, Any]]
LEVELS = ["l0", "l1", "l2", "l3", "l4"]


def _record(data: dict[str, Any]) -> AssessmentRecord:
    return AssessmentRecord.model_validate(data)


def test_competent_when_every_required_criterion_reaches_threshold(
    rubric: Rubric, assessment_data: Factory
) -> None:
    decision = decide(rubric, _record(assessment_data()))
    assert decision.competent
    assert decision.reasons == ()


def test_high_level_elsewhere_does_not_compensate(
    rubric: Rubric, assessment_data: Factory
) -> None:
    data = assessment_data()
    data["results"][0]["level"] = "developing"  # impacts: threshold proficient
    for result in data["results"][1:3]:
        result["level"] = "exemplary"
    decision = decide(rubric, _record(data))
    assert not decision.competent
    assert decision.reasons == ("impacts: reached 'developing', threshold is 'proficient'",)


def test_optional_criterion_below_threshold_does_not_block(
    rubric: Rubric, assessment_data: Factory
) -> None:
    data = assessment_data()
    data["results"][3]["level"] = "beginning"
    assert decide(rubric, _record(data)).competent


def test_missing_required_result_is_not_competent(
    rubric: Rubric, assessment_data: Factory
) -> None:
    data = assessment_data()
    del data["results"][2]
    decision = decide(rubric, _record(data))
    assert not decision.competent
    assert "plan: no result recorded" in decision.reasons
    assert decision.achieved_level is None


def test_required_evidence_missing_is_not_competent(
    rubric: Rubric, assessment_data: Factory
) -> None:
    data = assessment_data()
    data["results"][1]["evidence"] = []
    decision = decide(rubric, _record(data))
    assert decision.reasons == ("risk: the required evidence is missing",)


def test_unverified_identity_blocks_when_the_cis_requires_it(
    rubric: Rubric, assessment_data: Factory
) -> None:
    record = _record(assessment_data(identity_verified=False))
    assert decide(rubric, record).competent
    assert not decide(rubric, record, identity_verification_required=True).competent


def test_achieved_level_is_the_lowest_required_level(
    rubric: Rubric, assessment_data: Factory
) -> None:
    decision = decide(rubric, _record(assessment_data()))
    assert decision.achieved_level == "proficient"
    assert {o.criterion: o.level for o in decision.outcomes}["risk"] == "exemplary"


# --- properties over generated rubrics and results ----------------------------------------


@st.composite
def rubric_and_levels(draw: st.DrawFn) -> tuple[Rubric, dict[str, int]]:
    """A rubric of 1-8 criteria on a 5-level scale, and a level rank for each criterion."""
    count = draw(st.integers(min_value=1, max_value=8))
    thresholds = draw(st.lists(st.integers(0, 4), min_size=count, max_size=count))
    required = draw(st.lists(st.booleans(), min_size=count, max_size=count))
    required[draw(st.integers(0, count - 1))] = True
    criteria = [
        Criterion(
            id=f"c{i}", name=f"criterion {i}", learning_outcomes=["LO1"],
            method=AssessmentMethod.PROJECT, threshold=LEVELS[thresholds[i]],
            required=required[i],
        )
        for i in range(count)
    ]
    scale = ProficiencyScale(
        name="five", levels=[ScaleLevel(id=level, name=level, descriptor=level) for level in LEVELS]
    )
    rubric = Rubric(id="r1", micro_credential="mc1", title="t", scale=scale, criteria=criteria)
    levels = draw(st.lists(st.integers(0, 4), min_size=count, max_size=count))
    return rubric, {f"c{i}": levels[i] for i in range(count)}


def _assess(rubric: Rubric, levels: dict[str, int]) -> AssessmentRecord:
    return AssessmentRecord(
        learner="ada", micro_credential="mc1", assessor="a", date="2026-01-01",  # type: ignore[arg-type]
        results=[{"criterion": c, "level": LEVELS[rank]} for c, rank in levels.items()],  # type: ignore[misc]
    )


@given(rubric_and_levels())
def test_competent_iff_every_required_criterion_reaches_threshold(
    case: tuple[Rubric, dict[str, int]],
) -> None:
    rubric, levels = case
    expected = all(
        levels[c.id] >= rubric.scale.rank(c.threshold) for c in rubric.criteria if c.required
    )
    assert decide(rubric, _assess(rubric, levels)).competent == expected


@given(rubric_and_levels(), st.data())
def test_raising_a_level_never_loses_competence(
    case: tuple[Rubric, dict[str, int]], data: st.DataObject
) -> None:
    rubric, levels = case
    before = decide(rubric, _assess(rubric, levels)).competent
    criterion = data.draw(st.sampled_from(sorted(levels)))
    raised = {**levels, criterion: data.draw(st.integers(levels[criterion], 4))}
    after = decide(rubric, _assess(rubric, raised)).competent
    assert after or not before


@given(rubric_and_levels(), st.data())
def test_one_required_criterion_below_threshold_fails_whatever_the_rest(
    case: tuple[Rubric, dict[str, int]], data: st.DataObject
) -> None:
    rubric, _ = case
    failing = data.draw(
        st.sampled_from(
            [c for c in rubric.criteria if c.required and c.threshold != "l0"] or [None]
        )
    )
    # When every required threshold is the lowest level, nothing can fall below it.
    assume(failing is not None)
    assert failing is not None
    levels = {c.id: 4 for c in rubric.criteria}
    levels[failing.id] = rubric.scale.rank(failing.threshold) - 1
    assert not decide(rubric, _assess(rubric, levels)).competent


@given(rubric_and_levels(), st.data())
def test_optional_criteria_never_change_the_decision(
    case: tuple[Rubric, dict[str, int]], data: st.DataObject
) -> None:
    rubric, levels = case
    changed = dict(levels)
    for criterion in rubric.criteria:
        if not criterion.required:
            changed[criterion.id] = data.draw(st.integers(0, 4))
    first = decide(rubric, _assess(rubric, levels)).competent
    assert decide(rubric, _assess(rubric, changed)).competent == first


@given(rubric_and_levels())
def test_achieved_level_is_at_most_every_required_level(
    case: tuple[Rubric, dict[str, int]],
) -> None:
    rubric, levels = case
    achieved = decide(rubric, _assess(rubric, levels)).achieved_level
    assert achieved is not None
    required = [levels[c.id] for c in rubric.criteria if c.required]
    assert rubric.scale.rank(achieved) == min(required)
