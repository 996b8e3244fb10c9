"""CTDL concept schemes and how credstack's controlled vocabularies map onto them.

Concept codes are the ones Credential Engine publishes (https://credreg.net/ctdl/terms):
``deliveryType:``, ``assessMethod:``, ``orgType:``, ``agentSector:``, ``creditUnit:``,
``credentialStat:``. Where CTDL is coarser than the CIS (19 assessment methods against
three), the credstack value travels in the alignment object's ``ceterms:codedNotation``
so an import gets back exactly what was exported.
"""

from __future__ import annotations

from credstack.domain.credits import CreditSystem
from credstack.domain.vocabulary import (
    AssessmentMethod,
    DeliveryMode,
    ProviderType,
)

CONTEXT = "https://credreg.net/ctdl/schema/context/json"
TERMS = "https://credreg.net/ctdl/terms/"
CAO = "ceterms:CredentialAlignmentObject"

DELIVERY = {
    DeliveryMode.ONLINE: ("deliveryType:OnlineOnly", "Online Only"),
    DeliveryMode.ONSITE: ("deliveryType:InPerson", "In Person Only"),
    DeliveryMode.BLENDED: ("deliveryType:BlendedDelivery", "Blended Delivery"),
}
DELIVERY_FROM_NODE = {node: mode for mode, (node, _) in DELIVERY.items()}

_PERFORMANCE = {
    AssessmentMethod.PERFORMANCE,
    AssessmentMethod.PRACTICAL_DEMONSTRATION,
    AssessmentMethod.WORKPLACE_OBSERVATION,
    AssessmentMethod.SIMULATION,
    AssessmentMethod.VIDEO_DEMONSTRATION,
    AssessmentMethod.PRESENTATION,
    AssessmentMethod.DIALOGUE,
    AssessmentMethod.ORAL_EXAMINATION,
}
_EXAM = {AssessmentMethod.EXAM, AssessmentMethod.QUIZ, AssessmentMethod.WRITTEN}


def assessment_node(method: AssessmentMethod) -> tuple[str, str]:
    """The CTDL assessment method concept (code, label) for a CIS method."""
    if method in _PERFORMANCE:
        return "assessMethod:Performance", "Performance"
    if method in _EXAM:
        return "assessMethod:Exam", "Exam"
    return "assessMethod:Artifact", "Artifact"


ASSESSMENT_FROM_NODE = {
    "assessMethod:Performance": AssessmentMethod.PERFORMANCE,
    "assessMethod:Exam": AssessmentMethod.EXAM,
    "assessMethod:Artifact": AssessmentMethod.PROJECT,
}

_ACADEMIC = {
    ProviderType.UNIVERSITY,
    ProviderType.COLLEGE,
    ProviderType.POLYTECHNIC,
    ProviderType.INSTITUTE_OF_TECHNOLOGY,
    ProviderType.TEACHING_UNIVERSITY,
}
ORG_TYPE = {
    ProviderType.PRIVATE_TRAINING: "orgType:TrainingProvider",
    ProviderType.INDUSTRY_BODY: "orgType:ProfessionalAssociation",
    ProviderType.EMPLOYER: "orgType:Business",
    ProviderType.VENDOR: "orgType:Vendor",
    ProviderType.GOVERNMENT: "orgType:Government",
    ProviderType.NON_PROFIT: "orgType:Collaborative",
    ProviderType.OTHER: "orgType:TrainingProvider",
}
ORG_TYPE_FROM_NODE = {
    "orgType:CollegeUniversity": ProviderType.UNIVERSITY,
    "orgType:TechnicalSchool": ProviderType.COLLEGE,
    "orgType:TrainingProvider": ProviderType.PRIVATE_TRAINING,
    "orgType:ProfessionalAssociation": ProviderType.INDUSTRY_BODY,
    "orgType:Business": ProviderType.EMPLOYER,
    "orgType:Vendor": ProviderType.VENDOR,
    "orgType:Government": ProviderType.GOVERNMENT,
}


def org_type_node(kind: ProviderType) -> str:
    """The CTDL organization type concept for a provider type."""
    return "orgType:CollegeUniversity" if kind in _ACADEMIC else ORG_TYPE[kind]


def sector_node(kind: ProviderType) -> str:
    """The CTDL agent sector concept for a provider type."""
    if kind in _ACADEMIC or kind is ProviderType.GOVERNMENT:
        return "agentSector:PublicNotForProfit"
    if kind in (ProviderType.EMPLOYER, ProviderType.VENDOR, ProviderType.PRIVATE_TRAINING):
        return "agentSector:PrivateForProfit"
    return "agentSector:PrivateNotForProfit"


CREDIT_UNIT = {
    CreditSystem.CEU: "creditUnit:ContinuingEducationUnit",
    CreditSystem.US_SEMESTER_CREDIT_HOUR: "creditUnit:SemesterHour",
}


def credit_unit_node(system: CreditSystem) -> str:
    """The CTDL credit unit concept for a credit system (degree credit when none is closer)."""
    return CREDIT_UNIT.get(system, "creditUnit:DegreeCredit")


CREDIT_FROM_NODE = {node: system for system, node in CREDIT_UNIT.items()}


def alignment(
    node: str | None,
    name: str,
    *,
    framework: str | None = None,
    framework_name: str | None = None,
    code: str | None = None,
) -> dict[str, object]:
    """A ``ceterms:CredentialAlignmentObject`` (only the members that have a value)."""
    found: dict[str, object] = {"@type": CAO, "ceterms:targetNodeName": name}
    if node:
        found["ceterms:targetNode"] = node
    if framework:
        found["ceterms:framework"] = framework
    if framework_name:
        found["ceterms:frameworkName"] = framework_name
    if code:
        found["ceterms:codedNotation"] = code
    return found
