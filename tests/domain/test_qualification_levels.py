"""Qualification frameworks: valid levels and the published crosswalks to the EQF."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from credstack.domain.credential import QualificationLevel
from credstack.domain.levels import FRAMEWORKS, QualificationFramework, is_valid_level, to_eqf


def test_irish_nfq_level_8_is_eqf_6() -> None:
    assert to_eqf(QualificationFramework.NFQ_IE, 8) == 6


def test_irish_nfq_level_7_is_eqf_6() -> None:
    assert to_eqf(QualificationFramework.NFQ_IE, 7) == 6


def test_aqf_level_without_a_published_crosswalk_has_no_eqf_level() -> None:
    assert to_eqf(QualificationFramework.AQF, 5) is None


def test_aqf_bachelor_level_7_is_eqf_6() -> None:
    assert to_eqf(QualificationFramework.AQF, 7) == 6


def test_wsq_has_no_crosswalk() -> None:
    assert all(to_eqf(QualificationFramework.WSQ, level) is None for level in range(1, 7))


@given(level=st.integers(min_value=1, max_value=8))
def test_eqf_maps_to_itself(level: int) -> None:
    assert to_eqf(QualificationFramework.EQF, level) == level


def test_every_crosswalk_lands_on_an_eqf_level_from_a_level_of_the_framework() -> None:
    for framework, info in FRAMEWORKS.items():
        for level, eqf in info.eqf.items():
            assert level in info.levels, (framework, level)
            assert 1 <= eqf <= 8, (framework, level)


def test_every_crosswalk_is_monotonic() -> None:
    for framework, info in FRAMEWORKS.items():
        pairs = sorted(info.eqf.items())
        assert [eqf for _, eqf in pairs] == sorted(eqf for _, eqf in pairs), framework


def test_level_outside_the_framework_is_invalid() -> None:
    assert not is_valid_level(QualificationFramework.EQF, 9)
    assert not is_valid_level(QualificationFramework.NFQ_IE, 0)


def test_qualification_level_gives_its_eqf_level() -> None:
    assert QualificationLevel(framework=QualificationFramework.NFQ_IE, level=8).eqf == 6


def test_rejects_eqf_level_9() -> None:
    with pytest.raises(ValidationError, match="not a level of eqf"):
        QualificationLevel.model_validate({"framework": "eqf", "level": 9})


def test_rejects_unknown_framework() -> None:
    with pytest.raises(ValidationError):
        QualificationLevel.model_validate({"framework": "narnia", "level": 3})
