"""Building OB 3.0 OpenBadgeCredential, EndorsementCredential and CLR 2.0 credentials."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from badges_support import BASE, NOW, make_award

from credstack.badges.achievement import Profile
from credstack.badges.canonical import canonicalize
from credstack.badges.credential import (
    Association,
    Recipient,
    build_clr_credential,
    build_endorsement_credential,
    build_open_badge_credential,
)
from credstack.badges.did import OfflineResolver
from credstack.badges.errors import CredentialInputError
from credstack.badges.keys import SigningKey
from credstack.badges.proof import sign_data_integrity
from credstack.badges.schema import ob_schema_problems, structure_problems
from credstack.badges.verify import verify_credential
from credstack.domain.credential import MicroCredential


def test_badge_is_valid_against_the_1edtech_ob_schema(signed_badge: dict[str, Any]) -> None:
    assert ob_schema_problems(signed_badge) == []


def test_badge_uses_vc_2_0_and_ob_3_0_3_contexts_in_order(unsigned_badge: dict[str, Any]) -> None:
    assert unsigned_badge["@context"][:2] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]


def test_every_term_of_the_badge_is_defined_by_a_bundled_context(
    unsigned_badge: dict[str, Any],
) -> None:
    assert canonicalize(unsigned_badge)  # raises InvalidJsonLd on an undefined term


def test_recipient_is_a_salted_hash_never_the_plain_email(unsigned_badge: dict[str, Any]) -> None:
    identity = unsigned_badge["credentialSubject"]["identifier"][0]
    expected = hashlib.sha256(b"learner@example.orga1b2c3").hexdigest()
    assert identity == {"type": "IdentityObject", "hashed": True, "identityType": "emailAddress",
                        "identityHash": f"sha256${expected}", "salt": "a1b2c3"}
    assert "learner@example.org" not in json.dumps(unsigned_badge)


def test_achievement_carries_the_cis(achievement: dict[str, Any], record: MicroCredential) -> None:
    assert achievement["achievementType"] == "MicroCredential"
    assert achievement["name"] == record.title
    assert achievement["creditsAvailable"] == 1
    assert achievement["inLanguage"] == "en-CA"
    assert "LO3" in achievement["criteria"]["narrative"]
    assert achievement["formOfParticipation"] == "blended"
    assert achievement["volumeOfLearningHours"] == 28
    assert achievement["eqfLevel"] == 6


def test_achievement_aligns_to_the_accepted_industry_alignment(achievement: dict[str, Any]) -> None:
    assert achievement["alignment"] == [{
        "type": ["Alignment"], "targetName": "Assess climate risk and vulnerability",
        "targetUrl": "https://www.royalroads.ca/cacf#risk-assessment",
        "targetFramework": "Climate Adaptation Competency Framework",
        "targetType": "ceasn:Competency",
    }]


def test_result_descriptions_come_from_the_rubric_levels(achievement: dict[str, Any]) -> None:
    (description,) = achievement["resultDescription"]
    assert description["resultType"] == "RubricCriterionLevel"
    assert description["allowedValue"] == ["Developing", "Competent"]
    assert description["requiredLevel"] == f"{BASE}/rubrics/caf/risk/competent"


def test_subject_carries_result_and_evidence(unsigned_badge: dict[str, Any]) -> None:
    assert unsigned_badge["credentialSubject"]["result"][0]["achievedLevel"].endswith("/competent")
    assert unsigned_badge["evidence"][0]["name"] == "Adaptation plan"


def test_rejects_valid_until_before_valid_from(
    achievement: dict[str, Any], issuer: Profile
) -> None:
    award = make_award(valid_until=datetime(2020, 1, 1, tzinfo=UTC))
    with pytest.raises(CredentialInputError, match="validUntil"):
        build_open_badge_credential(achievement, issuer, award)


def test_rejects_a_naive_date_time(achievement: dict[str, Any], issuer: Profile) -> None:
    with pytest.raises(CredentialInputError, match="time zone"):
        award = make_award(valid_from=datetime(2026, 1, 1))  # no time zone
        build_open_badge_credential(achievement, issuer, award)


def test_endorsement_of_an_achievement_signs_and_verifies(
    achievement: dict[str, Any], signing_key: SigningKey
) -> None:
    endorser = Profile(signing_key.controller, "BC Climate Practitioners Association")
    endorsement = build_endorsement_credential(
        endorser=endorser, endorsed_id=achievement["id"],
        comment="Meets the association's practice standard.", valid_from=NOW)
    report = verify_credential(sign_data_integrity(endorsement, signing_key), now=NOW)
    assert report.verified, report.to_json()


def test_clr_bundles_signed_badges_and_verifies(
    signed_badge: dict[str, Any], issuer: Profile, signing_key: SigningKey
) -> None:
    achievement_id = signed_badge["credentialSubject"]["achievement"]["id"]
    clr = build_clr_credential(
        issuer=issuer, recipient=Recipient("learner@example.org"), credentials=[signed_badge],
        valid_from=NOW, name="Learner record",
        associations=[Association("isPartOf", achievement_id, f"{BASE}/achievements/caf-program")],
    )
    assert structure_problems(clr) == []
    report = verify_credential(sign_data_integrity(clr, signing_key), now=NOW + timedelta(days=1))
    assert report.verified, report.to_json()


def test_clr_refuses_unsigned_credentials(unsigned_badge: dict[str, Any], issuer: Profile) -> None:
    with pytest.raises(CredentialInputError, match="must be signed"):
        build_clr_credential(issuer=issuer, recipient=Recipient("a@b.c"),
                             credentials=[unsigned_badge], valid_from=NOW, name="x")


def test_signed_badge_verifies_with_an_offline_resolver(signed_badge: dict[str, Any]) -> None:
    assert verify_credential(signed_badge, resolver=OfflineResolver(), now=NOW).verified
