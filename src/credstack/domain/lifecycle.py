"""Registry lifecycle: draft -> submitted -> published -> retired, and 'review due'."""

from __future__ import annotations

from datetime import date

from credstack.domain.vocabulary import LifecycleStatus as S

ALLOWED: dict[S, frozenset[S]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.RETIRED}),
    S.SUBMITTED: frozenset({S.DRAFT, S.PUBLISHED, S.RETIRED}),
    S.PUBLISHED: frozenset({S.RETIRED, S.DRAFT}),
    S.RETIRED: frozenset({S.DRAFT}),
}


def can_transition(current: S, target: S) -> bool:
    """Whether a record may move from ``current`` to ``target``."""
    return target in ALLOWED[current]


def is_review_due(status: S, review_date: date | None, today: date) -> bool:
    """A published record is due for review once its CIS review date has passed."""
    return status is S.PUBLISHED and review_date is not None and review_date < today
