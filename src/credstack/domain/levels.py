"""Qualification frameworks, their levels, and the published crosswalks to the EQF.

Only crosswalks that a referencing or comparison report publishes are included; a
level without one returns ``None`` from :func:`to_eqf` rather than a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class QualificationFramework(StrEnum):
    """Qualification frameworks named in the scan's jurisdictions."""

    EQF = "eqf"
    AQF = "aqf"
    NFQ_IE = "nfq_ie"
    NZQF = "nzqf"
    RQF_UK = "rqf_uk"
    SCQF = "scqf"
    WSQ = "wsq"
    SGQF = "sgqf"
    CA_BC = "ca_bc_credential_framework"
    CA_ON = "ca_on_qualifications_framework"


@dataclass(frozen=True)
class FrameworkInfo:
    """The levels a framework defines and its published EQF crosswalk."""

    levels: tuple[int, ...]
    eqf: dict[int, int]
    crosswalk_source: str


FRAMEWORKS: dict[QualificationFramework, FrameworkInfo] = {
    QualificationFramework.EQF: FrameworkInfo(
        tuple(range(1, 9)), {n: n for n in range(1, 9)}, "identity"
    ),
    # Irish NFQ referencing to the EQF (NQAI, 2009), confirmed by QQI in 2021.
    QualificationFramework.NFQ_IE: FrameworkInfo(
        tuple(range(1, 11)),
        {1: 1, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5, 7: 6, 8: 6, 9: 7, 10: 8},
        "Referencing of the Irish NFQ to the EQF (NQAI 2009; QQI update 2021)",
    ),
    # UK RQF referencing (Ofqual/CCEA, 2019); RQF Entry 3 is not a numbered level here.
    QualificationFramework.RQF_UK: FrameworkInfo(
        tuple(range(1, 9)),
        {1: 2, 2: 3, 3: 4, 4: 5, 5: 5, 6: 6, 7: 7, 8: 8},
        "Referencing the RQF to the EQF (Ofqual, CCEA, QAA, 2019)",
    ),
    # SCQF referencing (SCQF Partnership, 2009, updated 2019).
    QualificationFramework.SCQF: FrameworkInfo(
        tuple(range(1, 13)),
        {1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 4, 7: 4, 8: 5, 9: 6, 10: 6, 11: 7, 12: 8},
        "Referencing the SCQF to the EQF (SCQF Partnership, 2019)",
    ),
    # Australia-EU comparison (2016) published for degree levels only.
    QualificationFramework.AQF: FrameworkInfo(
        tuple(range(1, 11)),
        {7: 6, 9: 7, 10: 8},
        "Joint technical report comparing the AQF and the EQF (2016); degree levels only",
    ),
    # New Zealand-EU comparison (2016) published for degree levels only.
    QualificationFramework.NZQF: FrameworkInfo(
        tuple(range(1, 11)),
        {7: 6, 9: 7, 10: 8},
        "Report on the comparison of the EQF and the NZQF (2016); degree levels only",
    ),
    QualificationFramework.WSQ: FrameworkInfo(tuple(range(1, 7)), {}, "no published crosswalk"),
    QualificationFramework.SGQF: FrameworkInfo(tuple(range(1, 7)), {}, "no published crosswalk"),
    QualificationFramework.CA_BC: FrameworkInfo(tuple(range(1, 11)), {}, "no published crosswalk"),
    QualificationFramework.CA_ON: FrameworkInfo(tuple(range(1, 14)), {}, "no published crosswalk"),
}


def is_valid_level(framework: QualificationFramework, level: int) -> bool:
    """Whether ``level`` exists in ``framework``."""
    return level in FRAMEWORKS[framework].levels


def to_eqf(framework: QualificationFramework, level: int) -> int | None:
    """The EQF level a published crosswalk gives for ``level``, or None where none does."""
    return FRAMEWORKS[framework].eqf.get(level)
