"""The micro-credential record: every element of the Critical Information Summary.

Implements the Australian National Microcredentials Framework (2021) CIS, the scan's
Appendix 1: 15 required elements and 7 recommended ones, each typed data; plus the
mandatory elements of the EU Council Recommendation 2022/C 243/02, Annex I, that the
CIS lacks (issuer country/region, form of participation, type of quality assurance,
notional workload in ECTS, level). Field names are the file format's keys.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from credstack.domain.codes import (
    COUNTRIES,
    CURRENCIES,
    LANGUAGES_ALPHA2,
    LANGUAGES_ALPHA3,
    SUBDIVISIONS,
)
from credstack.domain.credits import CreditSystem, credits_to_hours, ects_equivalent
from credstack.domain.levels import QualificationFramework, is_valid_level, to_eqf
from credstack.domain.vocabulary import (
    AlignmentStatus,
    AssessmentMethod,
    AssessmentType,
    CertificationType,
    DeliveryMode,
    DepthOfLearning,
    Engagement,
    IdentityVerification,
    ProviderRole,
    ProviderType,
    QualityAssuranceType,
    RecognitionType,
    StackingDirection,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,127}$"
HOURS_TOLERANCE = 0.01

NonEmptyStr = Annotated[str, Field(min_length=1)]
Hours = Annotated[float, Field(ge=0, le=100_000)]

# BCP 47 (RFC 5646 section 2.1) language tag: language, script, region, variants,
# extensions and private use.
_BCP47 = re.compile(
    r"^(?P<lang>[a-zA-Z]{2,3})(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|[0-9]{3}))?"
    r"(-([a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*"
    r"(-[0-9a-wyzA-WYZ](-[a-zA-Z0-9]{2,8})+)*"
    r"(-[xX](-[a-zA-Z0-9]{1,8})+)?$"
)


class Record(BaseModel):
    """Base for every part of the record: unknown keys are errors, values are checked."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)


def check_language_tag(tag: str) -> str:
    """Validate a BCP 47 tag whose primary subtag is an ISO 639 language."""
    match = _BCP47.match(tag)
    if match is None:
        raise ValueError(f"'{tag}' is not a BCP 47 language tag (e.g. 'en', 'fr-CA', 'mi')")
    primary = match.group("lang").lower()
    if primary not in LANGUAGES_ALPHA2 and primary not in LANGUAGES_ALPHA3:
        raise ValueError(f"'{tag}': '{primary}' is not an ISO 639 language code")
    return tag


LanguageTag = Annotated[str, Field(min_length=2, max_length=64), AfterValidator(check_language_tag)]


class Identifier(Record):
    """An identifier of a provider in some scheme (CRICOS, ROR, BC PTIB, NZQA MoE number)."""

    scheme: NonEmptyStr
    value: NonEmptyStr


class Provider(Record):
    """A provider: any company or institution that provides a micro-credential."""

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    name: NonEmptyStr
    country: Annotated[str, Field(min_length=2, max_length=2)]
    region: str | None = None
    type: ProviderType = ProviderType.OTHER
    url: str | None = None
    identifiers: list[Identifier] = Field(default_factory=list)

    @model_validator(mode="after")
    def _region_in_country(self) -> Self:
        if self.region and not self.region.startswith(f"{self.country}-"):
            raise ValueError(f"region: '{self.region}' is not a subdivision of {self.country}")
        return self

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        if value.upper() not in COUNTRIES:
            raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. 'CA')")
        return value.upper()

    @field_validator("region")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        if value is not None and value.upper() not in SUBDIVISIONS:
            raise ValueError(f"'{value}' is not an ISO 3166-2 subdivision code (e.g. 'CA-BC')")
        return value.upper() if value else value


class ProviderParticipation(Record):
    """A further provider and its role: developer, partner, co-brand or endorser."""

    role: ProviderRole
    provider: Provider


class ProviderElement(Record):
    """CIS 'Provider': the issuing institution and any others involved."""

    issuer: Provider
    others: list[ProviderParticipation] = Field(default_factory=list)


class Description(Record):
    """CIS 'Content / description': structure and a summary of what is taught."""

    summary: NonEmptyStr
    structure: str | None = None
    topics: list[NonEmptyStr] = Field(default_factory=list)


class Alignment(Record):
    """A link from an outcome or record to a competency in a framework."""

    framework: NonEmptyStr
    uri: NonEmptyStr
    label: NonEmptyStr
    code: str | None = None
    proficiency_level: str | None = None
    status: AlignmentStatus = AlignmentStatus.ACCEPTED
    score: float | None = None
    reviewed_by: str | None = None
    reviewed_at: str | None = None


class LearningOutcome(Record):
    """CIS 'Learning outcomes': one knowledge, skill or competency statement."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    statement: NonEmptyStr
    alignments: list[Alignment] = Field(default_factory=list)


class DeliveryModeElement(Record):
    """CIS 'Delivery mode' (also EU 2022 'form of participation')."""

    mode: DeliveryMode
    engagement: Engagement
    locations: list[NonEmptyStr] = Field(default_factory=list)

    @model_validator(mode="after")
    def _locations_when_onsite(self) -> Self:
        if self.mode in (DeliveryMode.ONSITE, DeliveryMode.BLENDED) and not self.locations:
            raise ValueError("locations: must name at least one location when delivery is onsite")
        return self


class DeliveryDates(Record):
    """CIS 'Date of delivery': fixed dates with a schedule, or self-paced."""

    self_paced: bool = False
    start: date | None = None
    end: date | None = None
    schedule: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if not self.self_paced and self.start is None:
            raise ValueError("start: required unless self_paced is true")
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end: {self.end} is before start {self.start}")
        return self


class LearnerEffort(Record):
    """CIS 'Learner effort': the five hour components i-v and their total."""

    face_to_face_hours: Hours = 0
    synchronous_online_hours: Hours = 0
    peer_to_peer_hours: Hours = 0
    peer_to_peer_mode: str | None = None
    asynchronous_hours: Hours = 0
    assessment_hours: Hours = 0
    total_hours: Annotated[float, Field(gt=0, le=100_000)]

    @property
    def components_sum(self) -> float:
        """The sum of the five CIS hour components."""
        return (
            self.face_to_face_hours
            + self.synchronous_online_hours
            + self.peer_to_peer_hours
            + self.asynchronous_hours
            + self.assessment_hours
        )

    @model_validator(mode="after")
    def _total_agrees(self) -> Self:
        if abs(self.components_sum - self.total_hours) > HOURS_TOLERANCE:
            raise ValueError(
                f"total_hours: {self.total_hours:g} does not equal the sum of the five "
                f"components ({self.components_sum:g})"
            )
        return self


class FinancialAssistance(Record):
    """A named program that can pay for the micro-credential."""

    name: NonEmptyStr
    description: str | None = None


class Price(Record):
    """CIS 'Price and financial assistance'."""

    amount: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
    currency: Annotated[str, Field(min_length=3, max_length=3)]
    tax_included: bool
    discounts: list[NonEmptyStr] = Field(default_factory=list)
    financial_assistance: list[FinancialAssistance] = Field(default_factory=list)
    payment_methods: list[NonEmptyStr] = Field(default_factory=list)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if value.upper() not in CURRENCIES:
            raise ValueError(f"'{value}' is not an ISO 4217 currency code (e.g. 'CAD')")
        return value.upper()


class AssessmentElement(Record):
    """CIS 'Assessment': method(s), type, and where it happens; EU supervision element."""

    methods: Annotated[list[AssessmentMethod], Field(min_length=1)]
    type: AssessmentType
    summative: bool = True
    identity_verification: IdentityVerification | None = None
    description: str | None = None
    locations: list[NonEmptyStr] = Field(default_factory=list)


class CertificationElement(Record):
    """CIS 'Certification': the proof of learning issued on completion."""

    type: CertificationType
    description: str | None = None
    open_badges: bool = False
    transcript_includes: list[NonEmptyStr] = Field(default_factory=list)


class CreditRecognition(Record):
    """CIS 'Credit / other recognition': one kind of recognition given on completion."""

    type: RecognitionType
    description: NonEmptyStr
    towards: str | None = None
    credits: float | None = Field(default=None, ge=0)


class QualityAssuranceElement(Record):
    """CIS 'Quality assurance' and EU 2022 'type of quality assurance'."""

    type: QualityAssuranceType
    statement: NonEmptyStr
    regulator: str | None = None
    provider_codes: list[NonEmptyStr] = Field(default_factory=list)
    academic_integrity: str | None = None


class Prerequisites(Record):
    """CIS 'Pre-requisites': required credentials or experience; ``none`` says so."""

    none: bool = False
    credentials: list[NonEmptyStr] = Field(default_factory=list)
    experience: str | None = None

    @model_validator(mode="after")
    def _stated(self) -> Self:
        if not self.none and not self.credentials and not self.experience:
            raise ValueError("state credentials or experience, or set none: true")
        return self


class Expiry(Record):
    """CIS 'Expiration of the micro-credential': when it is due for review."""

    review_date: date
    note: str | None = None


class DepthOfLearningElement(Record):
    """CIS 'Depth of learning': the mastery level reached on completion."""

    level: DepthOfLearning
    description: str | None = None


class IndustrySupport(Record):
    """CIS 'Industry support': a statement of support from an industry body or employer."""

    organisation: NonEmptyStr
    statement: NonEmptyStr
    year: int | None = Field(default=None, ge=1900, le=2100)


class StackTarget(Record):
    """A larger credential or further course this micro-credential stacks into."""

    title: NonEmptyStr
    credential_id: str | None = None
    provider: str | None = None


class Stackability(Record):
    """CIS 'Stackability': what it combines with and what that leads to."""

    direction: StackingDirection
    combines_with: list[NonEmptyStr] = Field(default_factory=list)
    stacks_into: list[StackTarget] = Field(default_factory=list)
    description: str | None = None


class Occupation(Record):
    """An occupation in a classification (NOC 2021, ESCO, ANZSCO, O*NET)."""

    classification: NonEmptyStr
    code: NonEmptyStr
    label: NonEmptyStr
    uri: str | None = None


class IndustryOccupation(Record):
    """CIS 'Industry / occupation': industries and the occupations it may lead to."""

    industries: list[NonEmptyStr] = Field(default_factory=list)
    occupations: list[Occupation] = Field(default_factory=list)


class CreditValue(Record):
    """A volume of learning stated in a credit system."""

    system: CreditSystem
    value: Annotated[float, Field(gt=0, le=1000)]


class QualificationLevel(Record):
    """A level in a qualification framework (EU 2022 Annex I element 8)."""

    framework: QualificationFramework
    level: int

    @model_validator(mode="after")
    def _level_exists(self) -> Self:
        if not is_valid_level(self.framework, self.level):
            raise ValueError(f"level: {self.level} is not a level of {self.framework.value}")
        return self

    @property
    def eqf(self) -> int | None:
        """The EQF level by published crosswalk, where there is one."""
        return to_eqf(self.framework, self.level)


class MicroCredential(Record):
    """A micro-credential as described by its Critical Information Summary."""

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    sample: bool = False

    # The 15 required CIS elements (Appendix 1).
    title: NonEmptyStr
    provider: ProviderElement
    description: Description
    learning_outcomes: list[LearningOutcome] = Field(default_factory=list)
    language: list[LanguageTag] = Field(default_factory=list)
    delivery_mode: DeliveryModeElement | None = None
    delivery_dates: DeliveryDates | None = None
    learner_effort: LearnerEffort | None = None
    inherent_requirements: list[NonEmptyStr] | None = None
    price: Price | None = None
    assessment: AssessmentElement | None = None
    certification: CertificationElement | None = None
    credit_recognition: list[CreditRecognition] | None = None
    quality_assurance: QualityAssuranceElement | None = None
    prerequisites: Prerequisites | None = None

    # The 7 recommended CIS elements.
    expiry: Expiry | None = None
    depth_of_learning: DepthOfLearningElement | None = None
    jurisdiction: list[NonEmptyStr] | None = None
    industry_support: list[IndustrySupport] | None = None
    stackability: Stackability | None = None
    industry_occupation: IndustryOccupation | None = None
    industry_alignment: list[Alignment] | None = None

    # Volume and level (EU 2022 Annex I elements 7 and 8).
    credits: list[CreditValue] = Field(default_factory=list)
    qualification_levels: list[QualificationLevel] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_outcome_ids(self) -> Self:
        seen: set[str] = set()
        for index, outcome in enumerate(self.learning_outcomes):
            if outcome.id in seen:
                raise ValueError(f"learning_outcomes[{index}].id: '{outcome.id}' is used twice")
            seen.add(outcome.id)
        return self

    @property
    def total_hours(self) -> float | None:
        """The stated volume of learning in hours, if any."""
        return self.learner_effort.total_hours if self.learner_effort else None

    @property
    def ects(self) -> float | None:
        """Notional workload in ECTS: stated, or derived from another credit system."""
        for credit in self.credits:
            if credit.system is CreditSystem.ECTS:
                return credit.value
        for credit in self.credits:
            return round(ects_equivalent(credit.system, credit.value), 2)
        return None

    @property
    def eqf_level(self) -> int | None:
        """The EQF level, stated or by published crosswalk."""
        for level in self.qualification_levels:
            if level.eqf is not None:
                return level.eqf
        return None

    def credit_hours_agree(self, credit: CreditValue) -> bool:
        """Whether a stated credit value matches the stated hours (documented range)."""
        if self.learner_effort is None:
            return True
        return credits_to_hours(credit.system, credit.value).contains(
            self.learner_effort.total_hours, tolerance=self.learner_effort.total_hours * 0.2
        )

    def to_document(self) -> dict[str, Any]:
        """The record as the plain data of the file format (no defaults left out)."""
        return self.model_dump(mode="json", exclude_none=True)
