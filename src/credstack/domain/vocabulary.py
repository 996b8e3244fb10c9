"""Controlled vocabularies used by the Critical Information Summary (CIS) record.

Values are snake_case strings so that YAML files stay readable and the JSON Schema
lists every allowed value.
"""

from __future__ import annotations

from enum import StrEnum


class AssessmentMethod(StrEnum):
    """Assessment methods; the scan's list (section 5.2) plus common additions."""

    PERFORMANCE = "performance"
    PROJECT = "project"
    PROBLEM = "problem"
    SCENARIO = "scenario"
    VIDEO_DEMONSTRATION = "video_demonstration"
    WRITTEN = "written"
    PORTFOLIO = "portfolio"
    WORKPLACE_OBSERVATION = "workplace_observation"
    DIALOGUE = "dialogue"
    EXAM = "exam"
    QUIZ = "quiz"
    PRACTICAL_DEMONSTRATION = "practical_demonstration"
    CASE_STUDY = "case_study"
    PRESENTATION = "presentation"
    SIMULATION = "simulation"
    REFLECTIVE_JOURNAL = "reflective_journal"
    PEER_ASSESSMENT = "peer_assessment"
    ORAL_EXAMINATION = "oral_examination"
    CAPSTONE = "capstone"


class AssessmentType(StrEnum):
    """CIS 'Assessment': competency-based (met / not yet met) or proficiency-graded."""

    COMPETENCY = "competency"
    PROFICIENCY = "proficiency"


class IdentityVerification(StrEnum):
    """EU 2022 Annex I optional element: supervision and identity verification."""

    UNSUPERVISED_NO_ID = "unsupervised_no_identity_verification"
    SUPERVISED_NO_ID = "supervised_no_identity_verification"
    SUPERVISED_ONLINE_WITH_ID = "supervised_online_with_identity_verification"
    SUPERVISED_ONSITE_WITH_ID = "supervised_onsite_with_identity_verification"


class DeliveryMode(StrEnum):
    """CIS 'Delivery mode' and EU 2022 'form of participation'."""

    ONLINE = "online"
    ONSITE = "onsite"
    BLENDED = "blended"


class Engagement(StrEnum):
    """Whether delivery requires synchronous engagement (CIS 'Delivery mode')."""

    SYNCHRONOUS = "synchronous"
    ASYNCHRONOUS = "asynchronous"
    MIXED = "mixed"


class ProviderRole(StrEnum):
    """Roles a provider can play besides issuing (CIS 'Provider')."""

    DEVELOPER = "developer"
    PARTNER = "partner"
    CO_BRAND = "co_brand"
    ENDORSER = "endorser"


class ProviderType(StrEnum):
    """Kinds of providers found in the scan's jurisdictions."""

    UNIVERSITY = "university"
    COLLEGE = "college"
    POLYTECHNIC = "polytechnic"
    INSTITUTE_OF_TECHNOLOGY = "institute_of_technology"
    TEACHING_UNIVERSITY = "teaching_university"
    PRIVATE_TRAINING = "private_training_establishment"
    INDUSTRY_BODY = "industry_body"
    EMPLOYER = "employer"
    VENDOR = "vendor"
    GOVERNMENT = "government"
    NON_PROFIT = "non_profit"
    OTHER = "other"


class QualityAssuranceType(StrEnum):
    """EU 2022 Annex I mandatory element 11: type of quality assurance."""

    INTERNAL = "internal"
    EXTERNAL = "external"
    ACCREDITED_PROGRAM = "accredited_program"
    REGULATED_PROVIDER = "regulated_provider"
    INDUSTRY_ENDORSED = "industry_endorsed"


class RecognitionType(StrEnum):
    """CIS 'Credit / other recognition'."""

    CREDIT_TOWARDS_AWARD = "credit_towards_award"
    INDUSTRY_CERTIFICATION = "industry_certification"
    PATHWAY = "pathway"
    ADVANCED_STANDING = "advanced_standing"
    PROFESSIONAL_DEVELOPMENT = "professional_development"
    OTHER = "other"


class CertificationType(StrEnum):
    """CIS 'Certification': the proof of learning issued on completion."""

    DIGITAL_BADGE = "digital_badge"
    CERTIFICATE_OF_COMPLETION = "certificate_of_completion"
    CERTIFICATE = "certificate"
    TRANSCRIPT = "transcript"
    LICENCE = "licence"


class StackingDirection(StrEnum):
    """Appendix 2 of the scan: horizontal (fundamentals) or vertical (deeper) stacking."""

    HORIZONTAL = "horizontal"
    VERTICAL = "vertical"
    STANDALONE = "standalone"


class DepthOfLearning(StrEnum):
    """CIS 'Depth of learning' on the scan's four-step mastery scale."""

    NOVICE = "novice"
    BASIC = "basic"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    EXPERT = "expert"


class AlignmentStatus(StrEnum):
    """Review state of an outcome-to-competency alignment."""

    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    MANUAL = "manual"


class LifecycleStatus(StrEnum):
    """Registry lifecycle of a micro-credential."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    RETIRED = "retired"
