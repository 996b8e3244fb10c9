"""Side-by-side comparison of micro-credentials, one row per CIS element (pure).

The "compare short courses" feature of Australia's MicroCred Seeker, which the scan
cites: the same CIS elements read across up to four records.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from credstack.domain.credential import MicroCredential
from credstack.web import labels
from credstack.web.credential_view import credit_lines, level_lines

MAX_COMPARED = 4

Cell = tuple[str, ...]
Extractor = Callable[[MicroCredential], Cell]


def _one(value: str | None) -> Cell:
    return (value,) if value else ()


def _provider(record: MicroCredential) -> Cell:
    others = [f"{o.provider.name} ({labels.humanize(o.role.value).lower()})"
              for o in record.provider.others]
    return (record.provider.issuer.name, *others)


def _delivery(record: MicroCredential) -> Cell:
    mode = record.delivery_mode
    if mode is None:
        return ()
    text = f"{labels.humanize(mode.mode.value)}, {mode.engagement.value}"
    return (text, *mode.locations)


def _dates(record: MicroCredential) -> Cell:
    dates = record.delivery_dates
    if dates is None:
        return ()
    if dates.self_paced and dates.start is None:
        return ("Self-paced",)
    span = dates.start.isoformat() if dates.start else ""
    if dates.end:
        span += f" to {dates.end.isoformat()}"
    return (span, *(("Self-paced",) if dates.self_paced else ()))


def _effort_breakdown(record: MicroCredential) -> Cell:
    effort = record.learner_effort
    if effort is None:
        return ()
    parts = (
        ("face-to-face", effort.face_to_face_hours),
        ("synchronous online", effort.synchronous_online_hours),
        ("peer-to-peer", effort.peer_to_peer_hours),
        ("asynchronous", effort.asynchronous_hours),
        ("assessment", effort.assessment_hours),
    )
    return tuple(f"{labels.hours(value)} {name}" for name, value in parts if value)


def _price(record: MicroCredential) -> Cell:
    price = record.price
    if price is None:
        return ()
    amount = "Free" if price.amount == 0 else labels.money(price.amount, price.currency)
    return (f"{amount} ({'tax included' if price.tax_included else 'plus tax'})",)


def _assessment(record: MicroCredential) -> Cell:
    assessment = record.assessment
    if assessment is None:
        return ()
    methods = ", ".join(labels.humanize(m.value).lower() for m in assessment.methods)
    kind = f"{labels.humanize(assessment.type.value)}-based"
    return (kind, methods[:1].upper() + methods[1:],
            "Summative" if assessment.summative else "Not summative")


def _identity(record: MicroCredential) -> Cell:
    assessment = record.assessment
    if assessment is None or assessment.identity_verification is None:
        return ()
    return (labels.humanize(assessment.identity_verification.value),)


def _certification(record: MicroCredential) -> Cell:
    cert = record.certification
    if cert is None:
        return ()
    return (labels.humanize(cert.type.value), *(("Open Badges",) if cert.open_badges else ()))


def _recognition(record: MicroCredential) -> Cell:
    return tuple(
        f"{labels.humanize(r.type.value)}: {r.towards or r.description}"
        for r in record.credit_recognition or ()
    )


def _quality(record: MicroCredential) -> Cell:
    qa = record.quality_assurance
    if qa is None:
        return ()
    return (labels.humanize(qa.type.value), *((qa.regulator,) if qa.regulator else ()))


def _prerequisites(record: MicroCredential) -> Cell:
    pre = record.prerequisites
    if pre is None:
        return ()
    if pre.none:
        return ("None",)
    return (*pre.credentials, *((pre.experience,) if pre.experience else ()))


def _stackability(record: MicroCredential) -> Cell:
    stack = record.stackability
    if stack is None:
        return ()
    return (labels.humanize(stack.direction.value), *(t.title for t in stack.stacks_into))


def _occupations(record: MicroCredential) -> Cell:
    element = record.industry_occupation
    if element is None:
        return ()
    return tuple(o.label for o in element.occupations) or tuple(element.industries)


# (CIS element key, row label, how to read it), in the order of the CIS (scan, Appendix 1).
ELEMENTS: tuple[tuple[str, str, Extractor], ...] = (
    ("provider", "Provider", _provider),
    ("description", "Description", lambda r: (r.description.summary,)),
    ("learning_outcomes", "Learning outcomes",
     lambda r: tuple(o.statement for o in r.learning_outcomes)),
    ("language", "Language", lambda r: tuple(labels.language(t) for t in r.language)),
    ("delivery_mode", "Delivery mode", _delivery),
    ("delivery_dates", "Date of delivery", _dates),
    ("learner_effort", "Learner effort (total)", lambda r: _one(labels.hours(r.total_hours))),
    ("learner_effort_components", "Learner effort (components)", _effort_breakdown),
    ("inherent_requirements", "Inherent requirements",
     lambda r: tuple(r.inherent_requirements or ())),
    ("price", "Price", _price),
    ("financial_assistance", "Financial assistance",
     lambda r: tuple(a.name for a in r.price.financial_assistance) if r.price else ()),
    ("assessment", "Assessment", _assessment),
    ("identity_verification", "Identity verification", _identity),
    ("certification", "Certification", _certification),
    ("credit_recognition", "Credit / other recognition", _recognition),
    ("quality_assurance", "Quality assurance", _quality),
    ("prerequisites", "Pre-requisites", _prerequisites),
    ("expiry", "Review date",
     lambda r: _one(r.expiry.review_date.isoformat() if r.expiry else None)),
    ("depth_of_learning", "Depth of learning",
     lambda r: _one(labels.humanize(r.depth_of_learning.level.value)
                    if r.depth_of_learning else None)),
    ("jurisdiction", "Jurisdiction",
     lambda r: tuple(labels.jurisdiction(j) for j in r.jurisdiction or ())),
    ("industry_support", "Industry support",
     lambda r: tuple(s.organisation for s in r.industry_support or ())),
    ("stackability", "Stackability", _stackability),
    ("industry_occupation", "Industry / occupation", _occupations),
    ("industry_alignment", "Industry alignment",
     lambda r: tuple(a.label for a in r.industry_alignment or ())),
    ("credits", "Credits", lambda r: tuple(credit_lines(r))),
    ("qualification_levels", "Level", lambda r: tuple(level_lines(r))),
)


@dataclass(frozen=True)
class CompareRow:
    """One CIS element across the compared records; ``differs`` when they do not agree."""

    key: str
    label: str
    cells: tuple[Cell, ...]
    differs: bool


def compare_rows(records: Sequence[MicroCredential]) -> list[CompareRow]:
    """One row per CIS element, one cell per record (an empty cell: not stated)."""
    rows = []
    for key, label, extract in ELEMENTS:
        cells = tuple(extract(record) for record in records)
        rows.append(CompareRow(key, label, cells, differs=len(set(cells)) > 1))
    return rows


@dataclass(frozen=True)
class CompareSelection:
    """The distinct ids asked for; more than four are refused, none is dropped unseen."""

    ids: tuple[str, ...]

    @property
    def too_many(self) -> bool:
        """Whether more records were chosen than can be compared at once."""
        return len(self.ids) > MAX_COMPARED


def select_ids(requested: Sequence[str]) -> CompareSelection:
    """The distinct, non-empty ids, in the order given."""
    distinct: list[str] = []
    for raw in requested:
        value = raw.strip()
        if value and value not in distinct:
            distinct.append(value)
    return CompareSelection(tuple(distinct))
