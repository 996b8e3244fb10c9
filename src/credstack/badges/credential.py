"""Builders of unsigned credentials: OpenBadgeCredential, EndorsementCredential, CLR 2.0.

Each returns plain JSON (a dict) that the proof module signs. Shapes follow OB 3.0
section B.1 (AchievementCredential, alias OpenBadgeCredential) and B.2
(EndorsementCredential), CLR 2.0 (ClrCredential / ClrSubject), on VC Data Model 2.0.
The recipient is identified by a salted SHA-256 hash (OB 3.0 IdentityObject), never by
a plain email.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from credstack.badges.achievement import Profile
from credstack.badges.errors import CredentialInputError
from credstack.badges.loader import CLR_V2P0, CREDSTACK_V1, OB_V3P0, VC_V2

OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
SCHEMA_VALIDATOR = "1EdTechJsonSchemaValidator2019"
RESULT_STATUSES = ("Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional",
                   "Withdrew")
ASSOCIATION_TYPES = ("exactMatchOf", "isChildOf", "isParentOf", "isPartOf", "isPeerOf",
                     "isRelatedTo", "precedes", "replacedBy")


def new_credential_id() -> str:
    """A fresh ``urn:uuid:`` credential id."""
    return f"urn:uuid:{uuid.uuid4()}"


def xsd_datetime(moment: datetime) -> str:
    """A UTC ``xsd:dateTime`` with ``Z`` (OB DateTimeZ), second precision."""
    if moment.tzinfo is None:
        raise CredentialInputError(f"{moment.isoformat()}: a date-time needs a time zone")
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def identity_hash(identifier: str, salt: str) -> str:
    """OB 3.0 IdentityObject ``identityHash``: ``sha256$`` + hex of identifier + salt."""
    return "sha256$" + hashlib.sha256((identifier + salt).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Recipient:
    """The learner: an identifier (e.g. email) that only ever leaves as a salted hash.

    ``subject_id`` (a DID of the learner's wallet) is added as ``credentialSubject.id``
    when known.
    """

    identifier: str = field(repr=False)
    identity_type: str = "emailAddress"
    salt: str = field(default_factory=lambda: secrets.token_hex(16))
    subject_id: str | None = None

    def identity_object(self) -> dict[str, Any]:
        """The OB 3.0 ``IdentityObject`` (hashed, salted)."""
        return {
            "type": "IdentityObject",
            "hashed": True,
            "identityHash": identity_hash(self.identifier.strip(), self.salt),
            "identityType": self.identity_type,
            "salt": self.salt,
        }


@dataclass(frozen=True)
class CriterionResult:
    """A learner's result on one rubric criterion (OB ``Result``)."""

    result_description: str
    achieved_level: str | None = None
    status: str | None = None
    value: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The Result as JSON-LD."""
        if self.status is not None and self.status not in RESULT_STATUSES:
            raise CredentialInputError(f"result status: expected one of {RESULT_STATUSES}")
        data: dict[str, Any] = {"type": ["Result"], "resultDescription": self.result_description}
        for key, name in (("achieved_level", "achievedLevel"), ("status", "status"),
                          ("value", "value")):
            if getattr(self, key) is not None:
                data[name] = getattr(self, key)
        return data


@dataclass(frozen=True)
class EvidenceItem:
    """Evidence of the achievement (OB ``Evidence``): a URL or a description of it."""

    id: str | None = None
    name: str | None = None
    description: str | None = None
    narrative: str | None = None
    genre: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The Evidence as JSON-LD."""
        data: dict[str, Any] = {"type": ["Evidence"]}
        for key in ("id", "name", "description", "narrative", "genre"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass(frozen=True)
class Award:
    """What is specific to one learner's badge: who, when, results, evidence, status."""

    recipient: Recipient
    valid_from: datetime
    valid_until: datetime | None = None
    awarded_date: datetime | None = None
    credential_id: str = field(default_factory=new_credential_id)
    results: Sequence[CriterionResult] = ()
    evidence: Sequence[EvidenceItem] = ()
    credential_status: dict[str, Any] | None = None
    narrative: str | None = None


def _validity(data: dict[str, Any], valid_from: datetime, valid_until: datetime | None) -> None:
    data["validFrom"] = xsd_datetime(valid_from)
    if valid_until is not None:
        if valid_until <= valid_from:
            raise CredentialInputError("validUntil: must be after validFrom")
        data["validUntil"] = xsd_datetime(valid_until)


def build_open_badge_credential(
    achievement: dict[str, Any], issuer: Profile, award: Award
) -> dict[str, Any]:
    """An unsigned OB 3.0 ``OpenBadgeCredential`` awarding ``achievement``."""
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [award.recipient.identity_object()],
        "achievement": achievement,
    }
    if award.recipient.subject_id:
        subject["id"] = award.recipient.subject_id
    if award.results:
        subject["result"] = [result.to_json() for result in award.results]
    if award.narrative:
        subject["narrative"] = award.narrative
    credential: dict[str, Any] = {
        "@context": [VC_V2, OB_V3P0, CREDSTACK_V1],
        "id": award.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer.to_json(),
        "name": str(achievement.get("name", "Open Badge")),
        "credentialSubject": subject,
    }
    _validity(credential, award.valid_from, award.valid_until)
    if award.awarded_date is not None:
        credential["awardedDate"] = xsd_datetime(award.awarded_date)
    if award.evidence:
        credential["evidence"] = [item.to_json() for item in award.evidence]
    if award.credential_status is not None:
        credential["credentialStatus"] = award.credential_status
    return credential


def build_endorsement_credential(
    *,
    endorser: Profile,
    endorsed_id: str,
    comment: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
    credential_id: str | None = None,
) -> dict[str, Any]:
    """An unsigned OB 3.0 ``EndorsementCredential``: ``endorser`` vouches for an
    Achievement (or Profile, or credential) identified by ``endorsed_id``."""
    if not comment.strip():
        raise CredentialInputError("endorsementComment: must not be empty")
    credential: dict[str, Any] = {
        "@context": [VC_V2, OB_V3P0],
        "id": credential_id or new_credential_id(),
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "issuer": endorser.to_json(),
        "name": f"Endorsement by {endorser.name}",
        "credentialSubject": {
            "id": endorsed_id,
            "type": ["EndorsementSubject"],
            "endorsementComment": comment,
        },
    }
    _validity(credential, valid_from, valid_until)
    return credential


@dataclass(frozen=True)
class Association:
    """A CLR 2.0 association between two achievements (e.g. ``isPartOf``)."""

    association_type: str
    source_id: str
    target_id: str

    def to_json(self) -> dict[str, Any]:
        """The Association as JSON-LD."""
        if self.association_type not in ASSOCIATION_TYPES:
            raise CredentialInputError(f"associationType: expected one of {ASSOCIATION_TYPES}")
        return {
            "type": "Association",
            "associationType": self.association_type,
            "sourceId": self.source_id,
            "targetId": self.target_id,
        }


def build_clr_credential(
    *,
    issuer: Profile,
    recipient: Recipient,
    credentials: Sequence[dict[str, Any]],
    valid_from: datetime,
    name: str,
    associations: Sequence[Association] = (),
    credential_id: str | None = None,
    partial: bool = False,
) -> dict[str, Any]:
    """An unsigned CLR 2.0 ``ClrCredential`` bundling signed OpenBadgeCredentials."""
    if not credentials:
        raise CredentialInputError("a ClrCredential needs at least one credential")
    for index, item in enumerate(credentials):
        if "proof" not in item:
            raise CredentialInputError(f"credentials[{index}]: embedded credentials must be signed")
    achievements = []
    for item in credentials:
        achievement = item.get("credentialSubject", {}).get("achievement")
        if isinstance(achievement, dict) and achievement not in achievements:
            achievements.append(achievement)
    subject: dict[str, Any] = {
        "type": ["ClrSubject"],
        "identifier": [recipient.identity_object()],
        "verifiableCredential": list(credentials),
        "achievement": achievements,
    }
    if recipient.subject_id:
        subject["id"] = recipient.subject_id
    if associations:
        subject["association"] = [association.to_json() for association in associations]
    credential: dict[str, Any] = {
        "@context": [VC_V2, CLR_V2P0, OB_V3P0, CREDSTACK_V1],
        "id": credential_id or new_credential_id(),
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": issuer.to_json(),
        "name": name,
        "credentialSubject": subject,
    }
    if partial:
        credential["partial"] = True
    _validity(credential, valid_from, None)
    return credential
