"""VC-JWT (OB 3.0 section 8.2) with EdDSA."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credstack.badges.did import OfflineResolver
from credstack.badges.errors import ProofError
from credstack.badges.jwt import read_jwt, sign_jwt, verify_jwt
from credstack.badges.keys import SigningKey


def test_jwt_round_trips_the_credential(unsigned_badge: dict[str, Any],
                                        signing_key: SigningKey) -> None:
    result = verify_jwt(sign_jwt(unsigned_badge, signing_key), OfflineResolver())
    assert result.credential == unsigned_badge


def test_jwt_header_and_claims_follow_ob_3_0(unsigned_badge: dict[str, Any],
                                             signing_key: SigningKey) -> None:
    header, claims = read_jwt(sign_jwt(unsigned_badge, signing_key))
    assert header == {"alg": "EdDSA", "kid": signing_key.verification_method, "typ": "JWT"}
    assert claims["iss"] == signing_key.controller
    assert claims["jti"] == unsigned_badge["id"]
    assert isinstance(claims["nbf"], int)


def test_rejects_jwt_with_changed_payload(unsigned_badge: dict[str, Any],
                                          signing_key: SigningKey) -> None:
    token = sign_jwt(unsigned_badge, signing_key)
    other = sign_jwt({**unsigned_badge, "name": "Forged"}, signing_key)
    forged = ".".join([token.split(".")[0], other.split(".")[1], token.split(".")[2]])
    with pytest.raises(ProofError, match="does not verify"):
        verify_jwt(forged, OfflineResolver())


def test_rejects_jwt_signed_by_another_key(unsigned_badge: dict[str, Any],
                                           signing_key: SigningKey) -> None:
    impostor = SigningKey(Ed25519PrivateKey.generate(), signing_key.verification_method)
    with pytest.raises(ProofError):
        verify_jwt(sign_jwt(unsigned_badge, impostor), OfflineResolver())


def test_rejects_jwt_whose_issuer_is_not_the_signer(unsigned_badge: dict[str, Any]) -> None:
    from credstack.badges.did import did_key_signing_key

    other = did_key_signing_key(Ed25519PrivateKey.generate())
    with pytest.raises(ProofError, match="issuer"):
        verify_jwt(sign_jwt(unsigned_badge, other), OfflineResolver())


def test_rejects_jwt_with_alg_none(unsigned_badge: dict[str, Any], signing_key: SigningKey) -> None:
    token = sign_jwt(unsigned_badge, signing_key)
    none_header = "eyJhbGciOiJub25lIn0"  # {"alg":"none"}
    with pytest.raises(ProofError, match="alg"):
        verify_jwt(".".join([none_header, token.split(".")[1], ""]), OfflineResolver())


@pytest.mark.parametrize("bad", ["", "a.b", "!!.@@.##", "x" * 3_000_000])
def test_rejects_malformed_tokens(bad: str) -> None:
    with pytest.raises(ProofError):
        verify_jwt(bad, OfflineResolver())
