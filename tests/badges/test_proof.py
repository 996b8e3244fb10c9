"""eddsa-rdfc-2022 Data Integrity proofs: the 1EdTech vector, round trips and attacks."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from badges_support import NOW
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from test_canonical import TEST_VECTOR

from credstack.badges.did import (
    OfflineResolver,
    build_did_web_document,
    did_key_signing_key,
    did_web_signing_key,
)
from credstack.badges.keys import SigningKey
from credstack.badges.multibase import encode_base58btc
from credstack.badges.proof import hash_data, sign_data_integrity, verify_data_integrity

VECTOR_PRIVATE = "6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4"
VECTOR_PROOF = {
    "type": "DataIntegrityProof",
    "created": "2010-01-01T19:23:24Z",
    "verificationMethod": "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
    "cryptosuite": "eddsa-rdfc-2022",
    "proofPurpose": "assertionMethod",
}
VECTOR_PROOF_VALUE = (
    "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr"
)


def test_reproduces_the_1edtech_ob_test_vector_proof_value() -> None:
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(VECTOR_PRIVATE))
    data = hash_data(TEST_VECTOR, VECTOR_PROOF)
    assert data.hex() == (
        "d34009cea0dbc1ca941e09dc01c8c9d3e3ce3c5b853f67ee44698dcea10f5d19"
        "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f52566bb7f9e0773"
    )
    assert encode_base58btc(key.sign(data)) == VECTOR_PROOF_VALUE


def test_signed_badge_verifies(signed_badge: dict[str, Any]) -> None:
    result = verify_data_integrity(signed_badge, OfflineResolver())
    assert result.verified, result.reason


def test_proof_has_the_ob_3_0_shape(signed_badge: dict[str, Any], signing_key: SigningKey) -> None:
    proof = signed_badge["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"] == signing_key.verification_method
    assert proof["proofValue"].startswith("z")


def test_rejects_badge_with_changed_byte(signed_badge: dict[str, Any]) -> None:
    signed_badge["credentialSubject"]["achievement"]["name"] += "!"
    result = verify_data_integrity(signed_badge, OfflineResolver())
    assert not result.verified
    assert "does not match" in result.reason


def test_rejects_badge_with_a_proof_swapped_from_another_badge(
    signed_badge: dict[str, Any], unsigned_badge: dict[str, Any], signing_key: SigningKey
) -> None:
    other = copy.deepcopy(unsigned_badge)
    other["id"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    signed_badge["proof"] = sign_data_integrity(other, signing_key, created=NOW)["proof"]
    assert not verify_data_integrity(signed_badge, OfflineResolver()).verified


def test_rejects_badge_signed_with_the_wrong_key(unsigned_badge: dict[str, Any],
                                                 signing_key: SigningKey) -> None:
    impostor = SigningKey(Ed25519PrivateKey.generate(), signing_key.verification_method)
    forged = sign_data_integrity(unsigned_badge, impostor, created=NOW)
    assert not verify_data_integrity(forged, OfflineResolver()).verified


def test_rejects_unsigned_badge(unsigned_badge: dict[str, Any]) -> None:
    result = verify_data_integrity(unsigned_badge, OfflineResolver())
    assert not result.verified
    assert "not signed" in result.reason


def test_rejects_proof_with_another_cryptosuite(signed_badge: dict[str, Any]) -> None:
    signed_badge["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
    result = verify_data_integrity(signed_badge, OfflineResolver())
    assert "cryptosuite" in result.reason


def test_rejects_proof_with_a_malformed_verification_method(signed_badge: dict[str, Any]) -> None:
    signed_badge["proof"]["verificationMethod"] = "did:key:not a key"
    result = verify_data_integrity(signed_badge, OfflineResolver())
    assert not result.verified
    assert "not a DID" in result.reason


def test_rejects_truncated_proof_value(signed_badge: dict[str, Any]) -> None:
    signed_badge["proof"]["proofValue"] = signed_badge["proof"]["proofValue"][:40]
    assert "64 bytes" in verify_data_integrity(signed_badge, OfflineResolver()).reason


def test_control_characters_in_strings_sign_and_verify(unsigned_badge: dict[str, Any],
                                                       signing_key: SigningKey) -> None:
    badge = copy.deepcopy(unsigned_badge)
    badge["credentialSubject"]["narrative"] = "tab\tbell\x07back\bform\fdel\x7f"
    signed = sign_data_integrity(badge, signing_key, created=NOW)
    assert verify_data_integrity(signed, OfflineResolver()).verified


def test_old_badges_verify_after_did_web_key_rotation(unsigned_badge: dict[str, Any]) -> None:
    did = "did:web:badges.example.org"
    old_private, new_private = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    old_key = did_web_signing_key(did, old_private)
    badge = copy.deepcopy(unsigned_badge)
    badge["issuer"]["id"] = did
    signed_with_old = sign_data_integrity(badge, old_key, created=NOW)
    rotated = build_did_web_document(did, [new_private.public_key(), old_private.public_key()])
    assert verify_data_integrity(signed_with_old, OfflineResolver({did: rotated})).verified


def test_did_key_signer_uses_its_own_did_as_controller() -> None:
    key = did_key_signing_key(Ed25519PrivateKey.generate())
    assert key.verification_method == f"{key.controller}#{key.public_key_multibase}"


def _second_signature(unsigned_badge: dict[str, Any], created: str = "2026-03-02T08:00:00Z",
                      ) -> dict[str, Any]:
    other_key = did_key_signing_key(Ed25519PrivateKey.generate())
    moment = datetime.fromisoformat(created.replace("Z", "+00:00"))
    proof: dict[str, Any] = sign_data_integrity(unsigned_badge, other_key, created=moment)["proof"]
    return proof


def test_proof_set_verifies_when_every_proof_verifies(
    signed_badge: dict[str, Any], unsigned_badge: dict[str, Any]
) -> None:
    signed_badge["proof"] = [signed_badge["proof"], _second_signature(unsigned_badge)]
    result = verify_data_integrity(signed_badge, OfflineResolver())
    assert result.verified, result.reason
    assert result.reason.startswith("eddsa-rdfc-2022 signatures verified with ")


def test_rejects_proof_set_where_one_proof_is_for_another_document(
    signed_badge: dict[str, Any], unsigned_badge: dict[str, Any]
) -> None:
    other = copy.deepcopy(unsigned_badge)
    other["name"] = "Doctorate of Evil"
    signed_badge["proof"] = [signed_badge["proof"], _second_signature(other)]
    result = verify_data_integrity(signed_badge, OfflineResolver())
    assert not result.verified
    assert result.reason.startswith("1 of 2 proofs fail: proof[1]: the signature does not match")


def test_names_each_failing_proof_of_a_set_by_index(signed_badge: dict[str, Any]) -> None:
    broken = {**signed_badge["proof"], "cryptosuite": "ecdsa-rdfc-2019"}
    signed_badge["proof"] = [broken, signed_badge["proof"], "not a proof"]
    reason = verify_data_integrity(signed_badge, OfflineResolver()).reason
    assert reason == (
        "2 of 3 proofs fail: proof[0].cryptosuite: expected 'eddsa-rdfc-2022', found "
        "'ecdsa-rdfc-2019'; proof[2]: expected a JSON object")


def test_rejects_an_empty_proof_set(signed_badge: dict[str, Any]) -> None:
    signed_badge["proof"] = []
    result = verify_data_integrity(signed_badge, OfflineResolver())
    assert not result.verified and "empty proof set" in result.reason
