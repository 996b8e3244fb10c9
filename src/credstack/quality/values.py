"""Values shared by the rule-set code generator: credit conversions and EQF crosswalks."""

from __future__ import annotations

from credstack.domain.credential import MicroCredential
from credstack.domain.credits import EQUIVALENCES, CreditSystem
from credstack.domain.levels import FRAMEWORKS

# Hours per credit (midpoint of the published range) for each credit system.
HOURS_PER_CREDIT = {system: eq.hours_per_credit.midpoint for system, eq in EQUIVALENCES.items()}
# (framework, level) -> EQF level, for every published crosswalk entry.
EQF_CROSSWALK = {
    (framework, level): eqf
    for framework, info in FRAMEWORKS.items()
    for level, eqf in info.eqf.items()
}


def credit_value(record: MicroCredential, system: CreditSystem, stated_only: bool) -> float | None:
    """The volume of ``record`` in ``system``: stated, or converted (see :class:`Credits`)."""
    credits = record.credits
    for credit in credits:
        if credit.system is system:
            return credit.value
    if stated_only:
        return None
    if credits:
        first = credits[0]
        return first.value * HOURS_PER_CREDIT[first.system] / HOURS_PER_CREDIT[system]
    effort = record.learner_effort
    return None if effort is None else effort.total_hours / HOURS_PER_CREDIT[system]
