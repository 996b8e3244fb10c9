"""The registry lifecycle: allowed transitions and when a record is due for review."""

from __future__ import annotations

from datetime import date

import pytest

from credstack.domain.lifecycle import can_transition, is_review_due
from credstack.domain.vocabulary import LifecycleStatus as S

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.PUBLISHED),
        (S.SUBMITTED, S.DRAFT),
        (S.PUBLISHED, S.RETIRED),
        (S.RETIRED, S.DRAFT),
    ],
)
def test_allows_transition(current: S, target: S) -> None:
    assert can_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.DRAFT, S.PUBLISHED),
        (S.DRAFT, S.DRAFT),
        (S.PUBLISHED, S.SUBMITTED),
        (S.PUBLISHED, S.PUBLISHED),
        (S.RETIRED, S.PUBLISHED),
        (S.RETIRED, S.SUBMITTED),
    ],
)
def test_forbids_transition(current: S, target: S) -> None:
    assert not can_transition(current, target)


def test_published_record_past_its_review_date_is_due() -> None:
    assert is_review_due(S.PUBLISHED, date(2026, 5, 31), TODAY)


def test_published_record_on_its_review_date_is_not_yet_due() -> None:
    assert not is_review_due(S.PUBLISHED, TODAY, TODAY)


def test_draft_record_past_its_review_date_is_not_due() -> None:
    assert not is_review_due(S.DRAFT, date(2020, 1, 1), TODAY)


def test_record_without_review_date_is_never_due() -> None:
    assert not is_review_due(S.PUBLISHED, None, TODAY)
