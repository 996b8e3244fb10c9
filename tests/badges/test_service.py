"""The badge service on SQLite and PostgreSQL: issue, verify, revoke, wallet, CLR."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from test_service_setup import (
    CREDENTIAL,
    ENDORSER,
    HOST,
    PROVIDER,
    World,
    add_competent_learner,
    assessment_data,
    make_world,
)

from acting import OPERATOR
from credstack.assess import service as assess
from credstack.assess.errors import NotCompetent
from credstack.assess.files import parse_assessment
from credstack.badges import endorsement_store, issuer_store, service
from credstack.badges.verify import verify_credential
from credstack.badges.verify_service import verify
from credstack.errors import Conflict, NotFound
from credstack.store.unit_of_work import Database


def _checks(report: object) -> dict[str, bool]:
    return {check.name: check.passed for check in report.checks}  # type: ignore[attr-defined]


def test_issued_badge_verifies_against_the_registry(world: World) -> None:
    with world.database.unit_of_work() as session:
        badge = service.issue_badge(
            session, assessment_id=world.assessment_id, keys=world.keys, actor=OPERATOR
        )
    with world.database.read() as session:
        report = verify(session, credential=badge.document)
    assert report.verified, report.to_json()
    assert _checks(report)["trusted_issuer"]
    assert badge.document["issuer"]["id"] == f"did:web:{HOST}"


def test_badge_carries_the_cis_rubric_results_and_hashed_recipient(world: World) -> None:
    with world.database.unit_of_work() as session:
        badge = service.issue_badge(
            session, assessment_id=world.assessment_id, keys=world.keys, actor=OPERATOR
        )
        learner = assess.get_learner(session, learner_id="ada", actor=OPERATOR)
    subject = badge.document["credentialSubject"]
    achievement = subject["achievement"]
    assert achievement["name"] == "Foundations of Climate Adaptation"
    assert achievement["id"] == f"https://{HOST}/achievements/{CREDENTIAL}/1"
    assert len(achievement["resultDescription"]) == 4
    risk = next(r for r in subject["result"] if r["resultDescription"].endswith("criterion-risk"))
    assert risk["achievedLevel"].endswith("criterion-risk-exemplary")
    assert subject["identifier"][0]["identityHash"] == learner.identity_hash
    assert "ada@example.org" not in str(badge.document)
    descriptions = [item.get("description", "") for item in badge.document["evidence"]]
    assert any("SHA-256 " + "ab" * 32 in text for text in descriptions)


def test_jwt_badge_verifies(world: World) -> None:
    with world.database.unit_of_work() as session:
        badge = service.issue_badge(
            session, assessment_id=world.assessment_id, keys=world.keys, fmt="jwt", actor=OPERATOR
        )
    assert isinstance(badge.credential, str)
    with world.database.read() as session:
        report = verify(session, credential=badge.credential)
    assert report.verified, report.to_json()
    assert report.proof_format == "jwt"


def test_not_competent_assessment_gets_no_badge(world: World) -> None:
    data = assessment_data(attempt=2)
    data["results"][0]["level"] = "beginning"
    with world.database.unit_of_work() as session:
        failing = assess.record_assessment(
            session, record=parse_assessment(data, source="t"), actor=OPERATOR
        )
    with world.database.unit_of_work() as session, pytest.raises(NotCompetent):
        service.issue_badge(session, assessment_id=failing.id, keys=world.keys, actor=OPERATOR)


def test_second_badge_for_one_assessment_is_a_conflict(world: World) -> None:
    with world.database.unit_of_work() as session:
        service.issue_badge(
            session, assessment_id=world.assessment_id, keys=world.keys, actor=OPERATOR
        )
    with world.database.unit_of_work() as session, pytest.raises(Conflict):
        service.issue_badge(
            session, assessment_id=world.assessment_id, keys=world.keys, actor=OPERATOR
        )


def test_revoked_badge_fails_verification_with_the_recorded_reason(world: World) -> None:
    with world.database.unit_of_work() as session:
        badge = service.issue_badge(
            session, assessment_id=world.assessment_id, keys=world.keys, actor=OPERATOR
        )
    with world.database.unit_of_work() as session:
        revoked = service.change_state(
            session, badge_id=badge.id, keys=world.keys, reason="academic misconduct",
            actor=OPERATOR,
        )
    assert revoked.state == "revoked"
    with world.database.read() as session:
        report = verify(session, credential=badge.document)
    assert not report.verified
    status = report.check("status")
    assert status is not None and status.passed is False
    assert status.reason == (
        "revoked (status purpose: revocation; the issuer's reason: academic misconduct)")


def test_revocation_touches_only_that_badge(world: World) -> None:
    other = add_competent_learner(world, "grace")
    with world.database.unit_of_work() as session:
        first, second = service.issue_badges(
            session, assessment_ids=[world.assessment_id, other], keys=world.keys, actor=OPERATOR
        )
        service.change_state(session, badge_id=first.id, keys=world.keys, actor=OPERATOR)
    with world.database.read() as session:
        assert verify(session, credential=second.document).verified


def test_suspendable_badge_is_suspended_and_reinstated(world: World) -> None:
    with world.database.unit_of_work() as session:
        badge = service.issue_badge(
            session, assessment_id=world.assessment_id, keys=world.keys,
            status_purpose="suspension", actor=OPERATOR,
        )
        service.change_state(
            session, badge_id=badge.id, keys=world.keys, suspend=True, actor=OPERATOR
        )
    with world.database.read() as session:
        status = verify(session, credential=badge.document).check("status")
    assert status is not None and status.reason.startswith("suspended")
    with world.database.unit_of_work() as session:
        service.change_state(
            session, badge_id=badge.id, keys=world.keys, reinstate=True, actor=OPERATOR
        )
    with world.database.read() as session:
        assert verify(session, credential=badge.document).verified


def test_badge_with_revocation_entry_cannot_be_suspended(world: World) -> None:
    with world.database.unit_of_work() as session:
        badge = service.issue_badge(
            session, assessment_id=world.assessment_id, keys=world.keys, actor=OPERATOR
        )
    with world.database.unit_of_work() as session, pytest.raises(Conflict, match="revoked, not"):
        service.change_state(
            session, badge_id=badge.id, keys=world.keys, suspend=True, actor=OPERATOR
        )


def test_rotation_keeps_old_badges_verifiable(world: World) -> None:
    with world.database.unit_of_work() as session:
        old = service.issue_badge(
            session, assessment_id=world.assessment_id, keys=world.keys, actor=OPERATOR
        )
        issuer_store.rotate_key(
            session, provider_id=PROVIDER, key_dir=world.key_dir, actor=OPERATOR
        )
    other = add_competent_learner(world, "grace")
    with world.database.unit_of_work() as session:
        new = service.issue_badge(
            session, assessment_id=other, keys=issuer_store.KeyRing(), actor=OPERATOR
        )
    methods = {badge.document["proof"]["verificationMethod"] for badge in (old, new)}
    assert len(methods) == 2
    with world.database.read() as session:
        assert verify(session, credential=old.document).verified
        assert verify(session, credential=new.document).verified


def test_retiring_a_compromised_key_stops_its_badges(world: World) -> None:
    with world.database.unit_of_work() as session:
        old = service.issue_badge(
            session, assessment_id=world.assessment_id, keys=world.keys, actor=OPERATOR
        )
        issuer_store.rotate_key(
            session, provider_id=PROVIDER, key_dir=world.key_dir, retire_previous=True,
            actor=OPERATOR,
        )
    with world.database.read() as session:
        report = verify(session, credential=old.document)
    proof = report.check("proof")
    assert proof is not None and not proof.passed


def test_did_key_issuer_verifies_offline_and_after_rotation(
    database: Database, tmp_path: Path
) -> None:
    world = make_world(database, tmp_path / "keys", did_web=False)
    with world.database.unit_of_work() as session:
        badge = service.issue_badge(
            session, assessment_id=world.assessment_id, keys=world.keys, actor=OPERATOR
        )
        issuer_store.rotate_key(
            session, provider_id=PROVIDER, key_dir=world.key_dir, actor=OPERATOR
        )
    assert badge.document["issuer"]["id"].startswith("did:key:z6Mk")
    with world.database.read() as session:
        assert verify(session, credential=badge.document).verified


def test_key_file_is_private_and_not_in_the_database(world: World) -> None:
    with world.database.read() as session:
        issuer = issuer_store.get_issuer(session, provider_id=PROVIDER)
    path = Path(issuer.active_key.key_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    pem = path.read_text()
    with world.database.engine.connect() as connection:
        dump = " ".join(
            str(row) for row in connection.exec_driver_sql("select * from badges_issuer_keys")
        )
    assert "PRIVATE KEY" in pem and "PRIVATE" not in dump


def test_encrypted_key_needs_its_passphrase(database: Database, tmp_path: Path) -> None:
    world = make_world(database, tmp_path / "keys")
    with world.database.unit_of_work() as session:
        issuer_store.rotate_key(
            session, provider_id=PROVIDER, key_dir=world.key_dir, passphrase="s3cret",
            actor=OPERATOR,
        )
    with world.database.unit_of_work() as session, pytest.raises(Exception, match="passphrase"):
        service.issue_badge(
            session, assessment_id=world.assessment_id, keys=issuer_store.KeyRing(), actor=OPERATOR
        )
    with world.database.unit_of_work() as session:
        badge = service.issue_badge(
            session, assessment_id=world.assessment_id, keys=issuer_store.KeyRing("s3cret"),
            actor=OPERATOR
        )
    assert "proof" in badge.document


def test_cohort_issues_once_per_learner(world: World) -> None:
    for learner in ("grace", "alan"):
        add_competent_learner(world, learner)
    seen: list[tuple[int, int]] = []
    with world.database.unit_of_work() as session:
        ids = service.cohort_assessments(session, credential_id=CREDENTIAL, actor=OPERATOR)
        badges = service.issue_badges(
            session, assessment_ids=ids, keys=world.keys,
            on_progress=lambda done, total: seen.append((done, total)), actor=OPERATOR,
        )
    assert sorted(b.learner_id for b in badges) == ["ada", "alan", "grace"]
    assert seen[-1] == (3, 3)
    assert len({(b.status_list_id, b.status_index) for b in badges}) == 3
    with world.database.read() as session:
        assert service.cohort_assessments(session, credential_id=CREDENTIAL, actor=OPERATOR) == []


def test_wallet_lists_a_learners_badges_with_state(world: World) -> None:
    with world.database.unit_of_work() as session:
        badge = service.issue_badge(
            session, assessment_id=world.assessment_id, keys=world.keys, actor=OPERATOR
        )
        service.change_state(session, badge_id=badge.id, keys=world.keys, actor=OPERATOR)
    with world.database.read() as session:
        (item,) = service.wallet(session, learner_id="ada", actor=OPERATOR)
    assert item.summary()["state"] == "revoked"
    assert item.summary()["name"] == "Foundations of Climate Adaptation"


def test_wallet_of_unknown_learner_is_not_found(world: World) -> None:
    with world.database.read() as session, pytest.raises(NotFound):
        service.wallet(session, learner_id="nobody", actor=OPERATOR)


def test_clr_bundles_the_learners_badges_and_verifies(world: World) -> None:
    with world.database.unit_of_work() as session:
        badge = service.issue_badge(
            session, assessment_id=world.assessment_id, keys=world.keys, actor=OPERATOR
        )
        clr = service.build_clr(session, learner_id="ada", keys=world.keys, actor=OPERATOR)
    embedded = clr["credentialSubject"]["verifiableCredential"]
    assert [item["id"] for item in embedded] == [badge.id]
    with world.database.read() as session:
        report = verify(session, credential=clr)
    assert report.verified, report.to_json()


def test_endorsement_by_an_industry_body_verifies(world: World) -> None:
    with world.database.unit_of_work() as session:
        issuer_store.init_issuer(
            session, provider_id=ENDORSER, key_dir=world.key_dir, actor=OPERATOR
        )
        endorsement = endorsement_store.endorse(
            session, credential_id=CREDENTIAL, endorser_id=ENDORSER,
            comment="Meets municipal adaptation practice needs.", keys=world.keys, actor=OPERATOR,
        )
    with world.database.read() as session:
        assert endorsement_store.endorsements_of(session, credential_id=CREDENTIAL) == [endorsement]
        report = verify(session, credential=endorsement)
    assert report.verified, report.to_json()
    subject = endorsement["credentialSubject"]
    assert subject["id"] == f"https://{HOST}/achievements/{CREDENTIAL}/1"


def test_badge_from_unregistered_issuer_is_not_trusted(world: World, tmp_path: Path) -> None:
    with world.database.unit_of_work() as session:
        badge = service.issue_badge(
            session, assessment_id=world.assessment_id, keys=world.keys, actor=OPERATOR
        )
    # The same badge checked without the registry: did:web cannot be resolved offline.
    report = verify_credential(badge.document)
    issuer = report.check("issuer")
    assert issuer is not None and not issuer.passed


def test_changed_byte_is_rejected(world: World) -> None:
    with world.database.unit_of_work() as session:
        badge = service.issue_badge(
            session, assessment_id=world.assessment_id, keys=world.keys, actor=OPERATOR
        )
    tampered = dict(badge.document, name=badge.document["name"] + "!")
    with world.database.read() as session:
        proof = verify(session, credential=tampered).check("proof")
    assert proof is not None and not proof.passed
