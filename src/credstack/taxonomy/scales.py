"""The proficiency scales credstack ships.

The scan names two four-step scales (basic / intermediate / advanced / expert, and
foundational / capable / inspirational / transformational); SFIA 8 defines seven levels
of responsibility (1 Follow ... 7 Set strategy, inspire, mobilise).
"""

from __future__ import annotations

from credstack.taxonomy.model import ProficiencyLevel, ProficiencyScale

BASIC_TO_EXPERT = ProficiencyScale(
    id="basic-expert",
    name="Basic to expert",
    levels=(
        ProficiencyLevel(
            "basic", "Basic", "Applies the competency with guidance in routine tasks."
        ),
        ProficiencyLevel(
            "intermediate", "Intermediate", "Applies it independently in familiar situations."
        ),
        ProficiencyLevel(
            "advanced", "Advanced", "Applies it in complex, unfamiliar situations; guides others."
        ),
        ProficiencyLevel(
            "expert", "Expert", "Recognised authority; extends and teaches the field."
        ),
    ),
)

FOUNDATIONAL_TO_TRANSFORMATIONAL = ProficiencyScale(
    id="foundational-transformational",
    name="Foundational to transformational",
    levels=(
        ProficiencyLevel("foundational", "Foundational", "Understands the core concepts."),
        ProficiencyLevel("capable", "Capable", "Applies them reliably in practice."),
        ProficiencyLevel("inspirational", "Inspirational", "Leads and motivates others in it."),
        ProficiencyLevel(
            "transformational", "Transformational", "Changes how the organisation or field works."
        ),
    ),
)

SFIA = ProficiencyScale(
    id="sfia",
    name="SFIA levels of responsibility",
    levels=(
        ProficiencyLevel("1", "Follow", "Works under close direction."),
        ProficiencyLevel("2", "Assist", "Works under routine direction."),
        ProficiencyLevel("3", "Apply", "Works under general direction."),
        ProficiencyLevel("4", "Enable", "Works under general direction within a clear framework."),
        ProficiencyLevel("5", "Ensure, advise", "Works under broad direction; fully accountable."),
        ProficiencyLevel(
            "6", "Initiate, influence", "Has defined authority for a significant area."
        ),
        ProficiencyLevel("7", "Set strategy, inspire, mobilise", "Has authority for all aspects."),
    ),
)

BUILTIN_SCALES: tuple[ProficiencyScale, ...] = (
    BASIC_TO_EXPERT,
    FOUNDATIONAL_TO_TRANSFORMATIONAL,
    SFIA,
)


def builtin_scale(scale_id: str) -> ProficiencyScale | None:
    """The shipped scale with ``scale_id``, or None."""
    return next((scale for scale in BUILTIN_SCALES if scale.id == scale_id), None)


def find_level(
    level: str, scales: tuple[ProficiencyScale, ...] = BUILTIN_SCALES
) -> tuple[ProficiencyScale, ProficiencyLevel] | None:
    """The first scale (and its level) that has a level coded or labelled ``level``."""
    for scale in scales:
        found = scale.level(level)
        if found is not None:
            return scale, found
    return None
