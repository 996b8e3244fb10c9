"""A micro-credential's Critical Information Summary as display sections (pure).

Sections follow the Australian National Microcredentials Framework (2021) CIS, the
scan's Appendix 1: the 15 required elements in their order, then the 7 recommended
ones, then volume and level (EU 2022/C 243/02 Annex I elements 7 and 8). An element a
record does not state is shown as "Not stated": the CIS is about transparency, so a
gap must be visible rather than hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from credstack.domain.credential import Alignment, MicroCredential
from credstack.domain.credits import CreditSystem, credits_to_hours, ects_equivalent
from credstack.web import labels


@dataclass(frozen=True)
class Link:
    """A hyperlink shown in place of plain text."""

    text: str
    href: str


Item = str | Link


def safe_href(uri: str | None) -> str | None:
    """``uri`` if it is an absolute http(s) URL, else None (never a javascript: link)."""
    if not uri:
        return None
    parts = urlsplit(uri)
    return uri if parts.scheme in ("http", "https") and parts.netloc else None


def linked(text: str, uri: str | None) -> Item:
    """``text`` linked to ``uri`` when that is a safe web address."""
    href = safe_href(uri)
    return Link(text, href) if href else text


@dataclass(frozen=True)
class Row:
    """A labelled value of an element; no items means the record does not state it."""

    label: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Section:
    """One CIS element with its rows; ``key`` is the file-format key (and page anchor)."""

    key: str
    title: str
    rows: tuple[Row, ...]

    @property
    def stated(self) -> bool:
        """Whether any row has a value."""
        return any(row.items for row in self.rows)


def _row(label: str, *items: Item | None) -> Row:
    return Row(label, tuple(item for item in items if item))


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


@dataclass(frozen=True)
class AlignmentView:
    """An alignment to a framework competency as shown under an outcome."""

    label: Item
    framework: str
    code: str
    proficiency_level: str
    status: str


def alignment_view(alignment: Alignment) -> AlignmentView:
    """How one alignment reads."""
    return AlignmentView(
        label=linked(alignment.label, alignment.uri),
        framework=alignment.framework,
        code=alignment.code or "",
        proficiency_level=alignment.proficiency_level or "",
        status=labels.humanize(alignment.status.value),
    )


@dataclass(frozen=True)
class OutcomeView:
    """A learning outcome with its alignments."""

    id: str
    statement: str
    alignments: tuple[AlignmentView, ...]


@dataclass(frozen=True)
class EffortTable:
    """CIS 'Learner effort': the five hour components (i-v) and the total."""

    rows: tuple[tuple[str, str], ...]
    total: str
    peer_to_peer_mode: str


def effort_table(record: MicroCredential) -> EffortTable | None:
    """The learner-effort table, or None when the record does not state effort."""
    effort = record.learner_effort
    if effort is None:
        return None
    return EffortTable(
        rows=(
            ("Face-to-face", labels.hours(effort.face_to_face_hours)),
            ("Synchronous online", labels.hours(effort.synchronous_online_hours)),
            ("Peer-to-peer", labels.hours(effort.peer_to_peer_hours)),
            ("Asynchronous (self-paced)", labels.hours(effort.asynchronous_hours)),
            ("Assessment", labels.hours(effort.assessment_hours)),
        ),
        total=labels.hours(effort.total_hours),
        peer_to_peer_mode=effort.peer_to_peer_mode or "",
    )


def outcomes(record: MicroCredential) -> list[OutcomeView]:
    """The learning outcomes with their alignments."""
    return [
        OutcomeView(o.id, o.statement, tuple(alignment_view(a) for a in o.alignments))
        for o in record.learning_outcomes
    ]


def _provider(record: MicroCredential) -> Section:
    issuer = record.provider.issuer
    place = ", ".join(labels.jurisdiction(code) for code in (issuer.region, issuer.country) if code)
    rows = [
        _row("Issued by", linked(issuer.name, issuer.url)),
        _row("Type", labels.humanize(issuer.type.value)),
        _row("Located in", place),
    ]
    rows.extend(
        _row(labels.humanize(other.role.value), linked(other.provider.name, other.provider.url))
        for other in record.provider.others
    )
    rows.extend(_row(f"Identifier ({ident.scheme})", ident.value) for ident in issuer.identifiers)
    return Section("provider", "Provider", tuple(rows))


def _description(record: MicroCredential) -> Section:
    description = record.description
    return Section("description", "Content / description", (
        _row("Summary", description.summary),
        _row("Structure", description.structure),
        Row("Topics", tuple(description.topics)),
    ))


def _delivery(record: MicroCredential) -> list[Section]:
    mode = record.delivery_mode
    dates = record.delivery_dates
    delivery = Section("delivery_mode", "Delivery mode", (
        _row("Mode", labels.humanize(mode.mode.value) if mode else None),
        _row("Engagement", labels.humanize(mode.engagement.value) if mode else None),
        Row("Locations", tuple(mode.locations) if mode else ()),
    ))
    when = Section("delivery_dates", "Date of delivery", (
        _row("Self-paced", _yes_no(dates.self_paced) if dates else None),
        _row("Starts", dates.start.isoformat() if dates and dates.start else None),
        _row("Ends", dates.end.isoformat() if dates and dates.end else None),
        _row("Schedule", dates.schedule if dates else None),
    ))
    return [delivery, when]


def _price(record: MicroCredential) -> Section:
    price = record.price
    if price is None:
        return Section("price", "Price and financial assistance", (Row("Price", ()),))
    amount = "Free" if price.amount == 0 else labels.money(price.amount, price.currency)
    tax = "tax included" if price.tax_included else "plus tax"
    return Section("price", "Price and financial assistance", (
        _row("Price", f"{amount} ({tax})"),
        Row("Discounts", tuple(price.discounts)),
        Row("Financial assistance", tuple(
            f"{aid.name}: {aid.description}" if aid.description else aid.name
            for aid in price.financial_assistance
        )),
        Row("Payment methods", tuple(price.payment_methods)),
    ))


def _assessment(record: MicroCredential) -> Section:
    assessment = record.assessment
    if assessment is None:
        return Section("assessment", "Assessment", (Row("Methods", ()),))
    identity = assessment.identity_verification
    return Section("assessment", "Assessment", (
        Row("Methods", tuple(labels.humanize(m.value) for m in assessment.methods)),
        _row("Type", f"{labels.humanize(assessment.type.value)}-based"),
        _row("Summative", _yes_no(assessment.summative)),
        _row("Supervision and identity verification",
             labels.humanize(identity.value) if identity else None),
        _row("Description", assessment.description),
        Row("Locations", tuple(assessment.locations)),
    ))


def _certification(record: MicroCredential) -> Section:
    cert = record.certification
    if cert is None:
        return Section("certification", "Certification", (Row("Issued on completion", ()),))
    return Section("certification", "Certification", (
        _row("Issued on completion", labels.humanize(cert.type.value)),
        _row("Open Badges", _yes_no(cert.open_badges)),
        _row("Description", cert.description),
        Row("Transcript includes", tuple(cert.transcript_includes)),
    ))


def _recognition(record: MicroCredential) -> Section:
    items = []
    for recognition in record.credit_recognition or []:
        text = f"{labels.humanize(recognition.type.value)}: {recognition.description}"
        if recognition.towards:
            text += f" (towards {recognition.towards})"
        if recognition.credits is not None:
            text += f"; {labels.number(recognition.credits)} credits"
        items.append(text)
    return Section("credit_recognition", "Credit / other recognition",
                   (Row("Recognition", tuple(items)),))


def _quality(record: MicroCredential) -> Section:
    qa = record.quality_assurance
    if qa is None:
        return Section("quality_assurance", "Quality assurance", (Row("Statement", ()),))
    return Section("quality_assurance", "Quality assurance", (
        _row("Type", labels.humanize(qa.type.value)),
        _row("Statement", qa.statement),
        _row("Regulator", qa.regulator),
        Row("Provider codes", tuple(qa.provider_codes)),
        _row("Academic integrity", qa.academic_integrity),
    ))


def _prerequisites(record: MicroCredential) -> Section:
    pre = record.prerequisites
    if pre is None:
        return Section("prerequisites", "Pre-requisites", (Row("Required", ()),))
    if pre.none:
        return Section("prerequisites", "Pre-requisites", (_row("Required", "None"),))
    return Section("prerequisites", "Pre-requisites", (
        Row("Credentials", tuple(pre.credentials)),
        _row("Experience", pre.experience),
    ))


def required_sections(record: MicroCredential) -> list[Section]:
    """The CIS required elements other than title, outcomes and effort (shown apart)."""
    return [
        _provider(record),
        _description(record),
        Section("language", "Language", (
            Row("Taught and assessed in", tuple(labels.language(t) for t in record.language)),
        )),
        *_delivery(record),
        Section("inherent_requirements", "Inherent requirements",
                (Row("Requirements", tuple(record.inherent_requirements or ())),)),
        _price(record),
        _assessment(record),
        _certification(record),
        _recognition(record),
        _quality(record),
        _prerequisites(record),
    ]


def credential_link(credential_id: str, known: Mapping[str, str],
                    text: str | None = None) -> Item:
    """A link to another record of the registry, by its title, if the registry holds it."""
    if credential_id not in known:
        return text or credential_id
    return Link(text or known[credential_id], f"/credentials/{credential_id}")


def _stackability(record: MicroCredential, known: Mapping[str, str]) -> Section:
    stack = record.stackability
    if stack is None:
        return Section("stackability", "Stackability", (Row("Direction", ()),))
    into = []
    for target in stack.stacks_into:
        if target.credential_id:
            into.append(credential_link(target.credential_id, known, target.title))
        else:
            into.append(target.title)
    return Section("stackability", "Stackability", (
        _row("Direction", labels.humanize(stack.direction.value)),
        Row("Combines with", tuple(credential_link(c, known) for c in stack.combines_with)),
        Row("Stacks into", tuple(into)),
        _row("Description", stack.description),
    ))


def _occupation(record: MicroCredential) -> Section:
    element = record.industry_occupation
    if element is None:
        return Section("industry_occupation", "Industry / occupation", (Row("Industries", ()),))
    return Section("industry_occupation", "Industry / occupation", (
        Row("Industries", tuple(element.industries)),
        Row("Occupations", tuple(
            linked(f"{o.label} ({o.classification} {o.code})", o.uri) for o in element.occupations
        )),
    ))


def recommended_sections(record: MicroCredential, known: Mapping[str, str]) -> list[Section]:
    """The 7 recommended CIS elements (industry alignment is shown apart, as a list)."""
    expiry = record.expiry
    depth = record.depth_of_learning
    return [
        Section("expiry", "Expiration / review date", (
            _row("Review date", expiry.review_date.isoformat() if expiry else None),
            _row("Note", expiry.note if expiry else None),
        )),
        Section("depth_of_learning", "Depth of learning", (
            _row("Level", labels.humanize(depth.level.value) if depth else None),
            _row("Description", depth.description if depth else None),
        )),
        Section("jurisdiction", "Jurisdiction", (
            Row("Recognised in", tuple(labels.jurisdiction(j) for j in record.jurisdiction or ())),
        )),
        Section("industry_support", "Industry support", (Row("Support", tuple(
            f"{s.organisation}{f' ({s.year})' if s.year else ''}: {s.statement}"
            for s in record.industry_support or ()
        )),)),
        _stackability(record, known),
        _occupation(record),
    ]


def industry_alignment(record: MicroCredential) -> list[AlignmentView]:
    """CIS 'Industry alignment' as alignment views."""
    return [alignment_view(a) for a in record.industry_alignment or ()]


def credit_lines(record: MicroCredential) -> list[str]:
    """Each stated credit value with its hours and its ECTS equivalent (ECTS Users' Guide 3.2)."""
    lines = []
    for credit in record.credits:
        text = labels.credits(credit.system, credit.value)
        hours = credits_to_hours(credit.system, credit.value)
        span = (labels.number(hours.low) if hours.low == hours.high
                else f"{labels.number(hours.low)}–{labels.number(hours.high)}")
        text += f" = {span} notional hours"
        if credit.system is not CreditSystem.ECTS:
            ects = ects_equivalent(credit.system, credit.value)
            text += f", about {labels.credits(CreditSystem.ECTS, round(ects, 2))}"
        lines.append(text)
    return lines


def level_lines(record: MicroCredential) -> list[str]:
    """Each stated qualification level with its EQF level by published crosswalk."""
    lines = []
    for qualification in record.qualification_levels:
        text = labels.level(qualification.framework, qualification.level)
        if qualification.framework.value != "eqf":
            eqf = qualification.eqf
            text += f" (EQF level {eqf})" if eqf is not None else " (no published EQF crosswalk)"
        lines.append(text)
    return lines


def referenced_ids(record: MicroCredential) -> list[str]:
    """Ids of other records this one names (to find which the registry holds)."""
    stack = record.stackability
    if stack is None:
        return []
    ids = list(stack.combines_with)
    ids.extend(t.credential_id for t in stack.stacks_into if t.credential_id)
    return ids


@dataclass(frozen=True)
class CredentialView:
    """Everything the credential page shows of a record."""

    title: str
    required: tuple[Section, ...]
    outcomes: tuple[OutcomeView, ...]
    effort: EffortTable | None
    recommended: tuple[Section, ...]
    industry_alignment: tuple[AlignmentView, ...]
    credits: tuple[str, ...]
    levels: tuple[str, ...]
    ects: str
    eqf: str

    def _required_between(self, first: str, last: str) -> tuple[Section, ...]:
        keys = [section.key for section in self.required]
        return self.required[keys.index(first): keys.index(last) + 1]

    @property
    def required_before_outcomes(self) -> tuple[Section, ...]:
        """Provider and description: the CIS elements between title and learning outcomes."""
        return self._required_between("provider", "description")

    @property
    def required_before_effort(self) -> tuple[Section, ...]:
        """Language, delivery mode and dates: between outcomes and learner effort."""
        return self._required_between("language", "delivery_dates")

    @property
    def required_after_effort(self) -> tuple[Section, ...]:
        """Inherent requirements through pre-requisites."""
        return self._required_between("inherent_requirements", "prerequisites")


def credential_view(record: MicroCredential,
                    known: Mapping[str, str] | None = None) -> CredentialView:
    """The whole CIS of ``record``; ``known`` maps the registry ids it may link to to titles."""
    return CredentialView(
        title=record.title,
        required=tuple(required_sections(record)),
        outcomes=tuple(outcomes(record)),
        effort=effort_table(record),
        recommended=tuple(recommended_sections(record, known or {})),
        industry_alignment=tuple(industry_alignment(record)),
        credits=tuple(credit_lines(record)),
        levels=tuple(level_lines(record)),
        ects=labels.number(record.ects) if record.ects is not None else "",
        eqf=str(record.eqf_level) if record.eqf_level is not None else "",
    )

