"""The verification report: every check separate, every attack its own reason."""

from __future__ import annotations

import copy
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from badges_support import NOW, make_award

from credstack.badges.achievement import Profile
from credstack.badges.credential import build_open_badge_credential
from credstack.badges.jwt import sign_jwt
from credstack.badges.keys import SigningKey
from credstack.badges.proof import sign_data_integrity
from credstack.badges.status import StatusList, status_entry, status_list_credential
from credstack.badges.verify import VerificationReport, verify_credential

LIST_URL = "https://credstack.example/status/revocation"
SUSPENSION_URL = "https://credstack.example/status/suspension"


def failed(report: VerificationReport) -> dict[str, str]:
    return {check.name: check.reason for check in report.checks if check.passed is False}


def test_valid_badge_passes_every_check_that_applies(signed_badge: dict[str, Any]) -> None:
    report = verify_credential(signed_badge, now=NOW)
    assert report.verified
    assert [(check.name, check.result) for check in report.checks] == [
        ("input", "passed"), ("structure", "passed"), ("proof", "passed"), ("issuer", "passed"),
        ("validity", "passed"), ("status", "not run"), ("trusted_issuer", "not run")]


def test_report_as_json_lists_each_check(signed_badge: dict[str, Any]) -> None:
    data = verify_credential(json.dumps(signed_badge), now=NOW).to_json()
    assert data["verified"] is True
    assert data["format"] == "data-integrity"
    assert all(set(check) == {"name", "passed", "result", "reason"} for check in data["checks"])


def test_changed_byte_fails_the_proof_check_only(signed_badge: dict[str, Any]) -> None:
    signed_badge["name"] = signed_badge["name"].replace("F", "G", 1)
    assert set(failed(verify_credential(signed_badge, now=NOW))) == {"proof"}


def test_expired_badge_fails_validity(achievement: dict[str, Any], issuer: Profile,
                                      signing_key: SigningKey) -> None:
    award = make_award(valid_until=datetime(2026, 2, 25, tzinfo=UTC))
    unsigned = build_open_badge_credential(achievement, issuer, award)
    badge = sign_data_integrity(unsigned, signing_key)
    assert "expired" in failed(verify_credential(badge, now=NOW))["validity"]


def test_badge_not_yet_valid_fails_validity(signed_badge: dict[str, Any]) -> None:
    reasons = failed(verify_credential(signed_badge, now=NOW - timedelta(days=30)))
    assert "not yet valid" in reasons["validity"]


def test_untrusted_issuer_fails_trusted_issuer(signed_badge: dict[str, Any]) -> None:
    report = verify_credential(signed_badge, now=NOW, trusted_issuers={"did:web:other.example"})
    assert "not on the trusted list" in failed(report)["trusted_issuer"]


def test_trusted_issuer_passes(signed_badge: dict[str, Any], signing_key: SigningKey) -> None:
    report = verify_credential(signed_badge, now=NOW, trusted_issuers={signing_key.controller})
    assert report.verified


def _badge_with_status(achievement: dict[str, Any], issuer: Profile, key: SigningKey,
                       url: str, purpose: str, index: int) -> dict[str, Any]:
    award = make_award(credential_status=status_entry(url, index, purpose))
    return sign_data_integrity(build_open_badge_credential(achievement, issuer, award), key)


def _list(key: SigningKey, url: str, purpose: str, set_bits: list[int]) -> dict[str, Any]:
    status_list = StatusList()
    for index in set_bits:
        status_list.set(index)
    unsigned = status_list_credential(list_id=url, issuer=key.controller, purpose=purpose,
                                      status_list=status_list, valid_from=NOW)
    return sign_data_integrity(unsigned, key)


def test_revoked_badge_fails_status_with_revoked(achievement: dict[str, Any], issuer: Profile,
                                                 signing_key: SigningKey) -> None:
    badge = _badge_with_status(achievement, issuer, signing_key, LIST_URL, "revocation", 7)
    lists = {LIST_URL: _list(signing_key, LIST_URL, "revocation", [7])}
    report = verify_credential(badge, now=NOW, status_fetcher=lists.__getitem__)
    assert failed(report) == {
        "status": "revoked (status purpose: revocation; the issuer recorded no reason)"}


def test_badge_with_clear_bit_passes_status(achievement: dict[str, Any], issuer: Profile,
                                            signing_key: SigningKey) -> None:
    badge = _badge_with_status(achievement, issuer, signing_key, LIST_URL, "revocation", 7)
    lists = {LIST_URL: _list(signing_key, LIST_URL, "revocation", [6, 8])}
    assert verify_credential(badge, now=NOW, status_fetcher=lists.__getitem__).verified


def test_suspended_badge_fails_status_with_suspended(achievement: dict[str, Any],
                                                     issuer: Profile,
                                                     signing_key: SigningKey) -> None:
    badge = _badge_with_status(achievement, issuer, signing_key, SUSPENSION_URL, "suspension", 3)
    lists = {SUSPENSION_URL: _list(signing_key, SUSPENSION_URL, "suspension", [3])}
    report = verify_credential(badge, now=NOW, status_fetcher=lists.__getitem__)
    assert failed(report) == {
        "status": "suspended (status purpose: suspension; the issuer recorded no reason)"}


def test_status_list_from_another_issuer_is_not_trusted(achievement: dict[str, Any],
                                                        issuer: Profile,
                                                        signing_key: SigningKey) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from credstack.badges.did import did_key_signing_key

    badge = _badge_with_status(achievement, issuer, signing_key, LIST_URL, "revocation", 7)
    other = did_key_signing_key(Ed25519PrivateKey.generate())
    lists = {LIST_URL: _list(other, LIST_URL, "revocation", [])}
    reason = failed(verify_credential(badge, now=NOW, status_fetcher=lists.__getitem__))["status"]
    assert "not by the credential's issuer" in reason


def test_unavailable_status_list_fails_status(achievement: dict[str, Any], issuer: Profile,
                                              signing_key: SigningKey) -> None:
    badge = _badge_with_status(achievement, issuer, signing_key, LIST_URL, "revocation", 7)
    lists: dict[str, Any] = {}
    reason = failed(verify_credential(badge, now=NOW, status_fetcher=lists.__getitem__))["status"]
    assert "unavailable" in reason


def test_jwt_badge_passes_every_check(unsigned_badge: dict[str, Any],
                                      signing_key: SigningKey) -> None:
    report = verify_credential(sign_jwt(unsigned_badge, signing_key), now=NOW)
    assert report.verified, report.to_json()
    assert report.proof_format == "jwt"


def test_unknown_context_fails_the_proof_check(signed_badge: dict[str, Any]) -> None:
    signed_badge["@context"].append("https://evil.example/ctx.json")
    assert "not bundled" in failed(verify_credential(signed_badge, now=NOW))["proof"]


def test_relative_iri_fails_the_proof_check(signed_badge: dict[str, Any]) -> None:
    signed_badge["credentialSubject"]["achievement"]["id"] = "achievement-1"
    assert "relative IRI" in failed(verify_credential(signed_badge, now=NOW))["proof"]


def test_malformed_issuer_did_fails_the_issuer_check(signed_badge: dict[str, Any]) -> None:
    signed_badge["issuer"]["id"] = "did:key:not a did"
    assert "not a DID" in failed(verify_credential(signed_badge, now=NOW))["issuer"]


def test_huge_body_is_rejected_at_input(signed_badge: dict[str, Any]) -> None:
    text = json.dumps(signed_badge | {"description": "x" * 3_000_000})
    assert "larger than" in failed(verify_credential(text, now=NOW))["input"]


def test_deeply_nested_body_is_rejected_at_input_without_recursion_error() -> None:
    text = "[" * 100_000 + "]" * 100_000
    assert "deeper than" in failed(verify_credential(text, now=NOW))["input"]


def test_garbage_is_rejected_at_input() -> None:
    assert "not JSON" in failed(verify_credential("{not json", now=NOW))["input"]


def test_canonicalization_bomb_is_rejected_within_bounded_time(
    signed_badge: dict[str, Any],
) -> None:
    # A clique of indistinguishable blank nodes: the RDFC-1.0 "poison graph".
    nodes: list[dict[str, Any]] = [{"id": f"_:n{i}"} for i in range(12)]
    for node in nodes:
        node["link"] = [other["id"] for other in nodes if other is not node]
    bomb = copy.deepcopy(signed_badge)
    bomb["@context"].append({"link": {"@id": "https://x.example/link", "@type": "@id"}})
    bomb["evidence"] = nodes
    started = time.monotonic()
    reason = failed(verify_credential(bomb, now=NOW))["input"]
    assert reason.startswith("too costly to verify: ")
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("value", [None, 42, "text", [], {"@context": 5}])
def test_never_raises_for_arbitrary_json(value: Any) -> None:
    report = verify_credential(json.dumps(value), now=NOW)
    assert not report.verified


def test_a_json_object_that_is_no_credential_runs_no_credential_checks() -> None:
    report = verify_credential('{"hello": "world"}', now=NOW)
    assert not report.verified
    assert report.proof_format is None
    assert [(check.name, check.result) for check in report.checks] == [
        ("input", "passed"), ("structure", "failed"), ("proof", "failed"),
        ("issuer", "not run"), ("validity", "not run"), ("status", "not run"),
        ("trusted_issuer", "not run")]
    assert report.check("status").reason == (  # type: ignore[union-attr]
        "not a verifiable credential (its type lacks VerifiableCredential)")


def test_unreadable_input_runs_no_other_check() -> None:
    report = verify_credential("{not json", now=NOW)
    assert [check.result for check in report.checks] == ["failed"] + ["not run"] * 6
    assert report.checks[1].reason == "the input could not be read"


def test_a_badge_without_credential_status_says_status_did_not_run(
    signed_badge: dict[str, Any],
) -> None:
    status = verify_credential(signed_badge, now=NOW).check("status")
    assert status is not None and status.passed is None
    assert status.reason == "no credentialStatus: the issuer cannot revoke or suspend it"


def test_not_run_checks_are_null_in_the_json_report(signed_badge: dict[str, Any]) -> None:
    checks = verify_credential(signed_badge, now=NOW).to_json()["checks"]
    trusted = next(check for check in checks if check["name"] == "trusted_issuer")
    assert trusted == {"name": "trusted_issuer", "passed": None, "result": "not run",
                       "reason": "no trusted-issuer list was given"}


def test_revoked_badge_shows_the_reason_the_issuer_recorded(
    achievement: dict[str, Any], issuer: Profile, signing_key: SigningKey
) -> None:
    badge = _badge_with_status(achievement, issuer, signing_key, LIST_URL, "revocation", 7)
    lists = {LIST_URL: _list(signing_key, LIST_URL, "revocation", [7])}
    reasons = {badge["id"]: "assessment found to be plagiarised"}
    report = verify_credential(badge, now=NOW, status_fetcher=lists.__getitem__,
                               status_reasons=reasons.get)
    assert failed(report)["status"] == (
        "revoked (status purpose: revocation; the issuer's reason: assessment found to be "
        "plagiarised)")
