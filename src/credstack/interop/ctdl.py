"""CTDL export: a micro-credential as Credential Engine JSON-LD (ceterms:, ceasn:).

One record becomes one registry graph (``@graph``): the ``ceterms:MicroCredential``, its
issuing and partner organizations, a ``ceasn:CompetencyFramework`` holding the learning
outcomes as ``ceasn:Competency`` nodes, and a ``ceterms:TransferValueProfile`` for each
credit recognition that states credits. Every node has a CTID derived from the record's
id (``interop.ids``), so all versions and exports agree.

What the CIS says and CTDL has no term for is listed in ``NOT_EXPORTED`` with the reason;
``ctdl_import`` reads back everything else.
"""

from __future__ import annotations

from typing import Any

from credstack.domain.credential import (
    CreditRecognition,
    LearningOutcome,
    MicroCredential,
    Provider,
)
from credstack.domain.vocabulary import ProviderRole
from credstack.interop import ctdl_terms as terms
from credstack.interop.ctdl_sections import RECOGNITION_NAMES, credential_sections
from credstack.interop.ids import ctid, resource_uri

Node = dict[str, Any]

# CIS fields with no CTDL term, and why they stay behind (round-trip tests check this list).
NOT_EXPORTED: dict[str, str] = {
    "sample": "CTDL has no flag for illustrative figures",
    "delivery_dates": "dates belong to a CTDL ScheduledOffering, not to the credential",
    "learner_effort.peer_to_peer_mode": "a DurationProfile has no mode",
    "price.tax_included": "a CostProfile has no tax flag",
    "price.discounts": "a CostProfile has no discount list",
    "price.payment_methods": "a CostProfile has no payment methods",
    "assessment.summative": "CTDL does not distinguish summative assessment",
    "assessment.identity_verification": "CTDL has no identity verification term",
    "assessment.locations": "CTDL places assessments only through an AssessmentProfile",
    "certification": "the credential type (MicroCredential) is the certification in CTDL",
    "quality_assurance.regulator": "CTDL names regulators as organizations (regulatedBy)",
    "quality_assurance.provider_codes": "CTDL has no provider code list",
    "quality_assurance.academic_integrity": "CTDL has no academic integrity term",
    "expiry": "a CIS review date is not a CTDL expiration date",
    "industry_support": "CTDL recognition needs the endorser as a registered organization",
    "description.structure": "CTDL has one description",
    "provider.issuer.identifiers": "exported as IdentifierValue, but schemes are free text",
    "learning_outcomes[].alignments[].proficiency_level": "CTDL-ASN alignments carry no level",
    "learning_outcomes[].alignments[].status": "only accepted alignments are exported",
    "learning_outcomes[].alignments[].score": "review data stays in the registry",
    "learning_outcomes[].alignments[].reviewed_by": "review data stays in the registry",
    "learning_outcomes[].alignments[].reviewed_at": "review data stays in the registry",
    "industry_alignment[].proficiency_level": "a CredentialAlignmentObject carries no level",
    "industry_alignment[].status": "only accepted alignments are exported",
    "industry_alignment[].score": "review data stays in the registry",
    "industry_alignment[].reviewed_by": "review data stays in the registry",
    "industry_alignment[].reviewed_at": "review data stays in the registry",
    "stackability.combines_with": "CTDL states what a credential is part of, not its siblings",
    "stackability.stacks_into[].provider": "a target credential's owner is its own record",
    "stackability.stacks_into[].credential_id": "exported as a CTID (ceterms:isPartOf), "
    "which cannot be turned back into an id",
}

RECORD_ID_TYPE = "credstack record id"


def credential_ctid(credential_id: str) -> str:
    """The CTID of a micro-credential: the same for every version."""
    return ctid("credential", credential_id)


def organization_ctid(provider_id: str) -> str:
    """The CTID of a provider organization."""
    return ctid("organization", provider_id)


class _Writer:
    """Builds the graph of one record; ``lang`` keys every language map."""

    def __init__(self, record: MicroCredential, base_url: str) -> None:
        self.record = record
        self.base_url = base_url.rstrip("/")
        self.lang = record.language[0] if record.language else "en"
        self.uri = resource_uri(credential_ctid(record.id))
        self.page = f"{self.base_url}/credentials/{record.id}"

    def text(self, value: str) -> dict[str, str]:
        return {self.lang: value}

    def graph(self) -> list[Node]:
        record = self.record
        nodes = [self.credential(), self.organization(record.provider.issuer)]
        nodes += [self.organization(o.provider) for o in record.provider.others]
        if record.learning_outcomes:
            nodes += self.competencies(record.learning_outcomes)
        nodes += [
            self.transfer_value(index, item)
            for index, item in enumerate(record.credit_recognition or [])
            if item.credits is not None
        ]
        return nodes

    def organization(self, provider: Provider) -> Node:
        node: Node = {
            "@id": resource_uri(organization_ctid(provider.id)),
            "@type": "ceterms:CredentialOrganization",
            "ceterms:ctid": organization_ctid(provider.id),
            "ceterms:name": self.text(provider.name),
            "ceterms:description": self.text(
                f"{provider.name}, a provider in the credstack registry."
            ),
            "ceterms:subjectWebpage": provider.url or f"{self.base_url}/providers/{provider.id}",
            "ceterms:agentType": [
                terms.alignment(
                    terms.org_type_node(provider.type),
                    provider.type.value,
                    framework=f"{terms.TERMS}OrganizationType",
                    code=provider.type.value,
                )
            ],
            "ceterms:agentSectorType": [
                terms.alignment(
                    terms.sector_node(provider.type),
                    "Sector",
                    framework=f"{terms.TERMS}AgentSector",
                )
            ],
            "ceterms:address": [self.place(provider.country, provider.region)],
            "ceterms:identifier": [
                {
                    "@type": "ceterms:IdentifierValue",
                    "ceterms:identifierTypeName": RECORD_ID_TYPE,
                    "ceterms:identifierValue": provider.id,
                }
            ]
            + [
                {
                    "@type": "ceterms:IdentifierValue",
                    "ceterms:identifierTypeName": item.scheme,
                    "ceterms:identifierValue": item.value,
                }
                for item in provider.identifiers
            ],
        }
        return node

    @staticmethod
    def place(country: str, region: str | None, name: str | None = None) -> Node:
        place: Node = {"@type": "ceterms:Place", "ceterms:addressCountry": country}
        if region:
            place["ceterms:addressRegion"] = region
        if name:
            place["ceterms:name"] = name
        return place

    def credential(self) -> Node:
        record = self.record
        issuer = resource_uri(organization_ctid(record.provider.issuer.id))
        node: Node = {
            "@id": self.uri,
            "@type": "ceterms:MicroCredential",
            "ceterms:ctid": credential_ctid(record.id),
            "ceterms:name": self.text(record.title),
            "ceterms:description": self.text(record.description.summary),
            "ceterms:subjectWebpage": self.page,
            "ceterms:credentialStatusType": terms.alignment(
                "credentialStat:Active", "Active", framework=f"{terms.TERMS}CredentialStatus"
            ),
            "ceterms:identifier": [
                {
                    "@type": "ceterms:IdentifierValue",
                    "ceterms:identifierTypeName": RECORD_ID_TYPE,
                    "ceterms:identifierValue": record.id,
                }
            ],
            "ceterms:ownedBy": [issuer],
            "ceterms:offeredBy": [issuer, *self.others(endorsers=False)],
        }
        if endorsers := self.others(endorsers=True):
            node["ceterms:recognizedBy"] = endorsers
        if record.language:
            node["ceterms:inLanguage"] = list(record.language)
        if record.description.topics:
            node["ceterms:keyword"] = {self.lang: list(record.description.topics)}
        for key, value in self.sections():
            if value:
                node[key] = value
        return node

    def others(self, *, endorsers: bool) -> list[str]:
        return [
            resource_uri(organization_ctid(other.provider.id))
            for other in self.record.provider.others
            if (other.role is ProviderRole.ENDORSER) == endorsers
        ]

    def sections(self) -> list[tuple[str, Any]]:
        return credential_sections(self.record, self.text, self.page)

    def competencies(self, outcomes: list[LearningOutcome]) -> list[Node]:
        framework_ctid = ctid("framework", self.record.id)
        framework_uri = resource_uri(framework_ctid)
        members = [resource_uri(ctid("competency", f"{self.record.id}#{o.id}")) for o in outcomes]
        framework: Node = {
            "@id": framework_uri,
            "@type": "ceasn:CompetencyFramework",
            "ceterms:ctid": framework_ctid,
            "ceasn:name": self.text(f"Learning outcomes of {self.record.title}"),
            "ceasn:description": self.text(self.record.description.summary),
            "ceasn:inLanguage": [self.lang],
            "ceasn:hasTopChild": members,
            "ceasn:publisher": [resource_uri(organization_ctid(self.record.provider.issuer.id))],
        }
        nodes = [framework]
        for uri, outcome in zip(members, outcomes, strict=True):
            node: Node = {
                "@id": uri,
                "@type": "ceasn:Competency",
                "ceterms:ctid": uri.rsplit("/", 1)[-1],
                "ceasn:competencyText": self.text(outcome.statement),
                "ceasn:codedNotation": outcome.id,
                "ceasn:inLanguage": [self.lang],
                "ceasn:isPartOf": [framework_uri],
                "ceasn:isTopChildOf": framework_uri,
            }
            exported = [a for a in outcome.alignments if a.status.value != "rejected"]
            if exported:
                node["ceasn:exactAlignment"] = [a.uri for a in exported]
            nodes.append(node)
        return nodes

    def transfer_value(self, index: int, item: CreditRecognition) -> Node:
        value_ctid = ctid("transfer-value", f"{self.record.id}#{index}")
        return {
            "@id": resource_uri(value_ctid),
            "@type": "ceterms:TransferValueProfile",
            "ceterms:ctid": value_ctid,
            "ceterms:name": self.text(item.towards or RECOGNITION_NAMES[item.type]),
            "ceterms:description": self.text(item.description),
            "ceterms:transferValue": [
                {"@type": "ceterms:ValueProfile", "schema:value": item.credits}
            ],
            "ceterms:transferValueFrom": [self.uri],
            "ceterms:ownedBy": [resource_uri(organization_ctid(self.record.provider.issuer.id))],
            "ceterms:subjectWebpage": self.page,
            "ceterms:assessmentMethodDescription": self.text(
                self.record.assessment.description or "See the micro-credential's assessment."
                if self.record.assessment
                else "See the micro-credential's assessment."
            ),
            "ceterms:learningMethodDescription": self.text(
                "Completion of the micro-credential " + self.record.title
            ),
        }


def to_ctdl(record: MicroCredential, *, base_url: str) -> Node:
    """The record as a CTDL registry graph (``@context``, ``@id``, ``@graph``)."""
    writer = _Writer(record, base_url)
    return {
        "@context": terms.CONTEXT,
        "@id": writer.uri.replace("/resources/", "/graph/"),
        "@graph": writer.graph(),
    }
