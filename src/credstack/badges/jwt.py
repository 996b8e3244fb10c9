"""VC-JWT proofs (OB 3.0 section 8.2 "JSON Web Token Proof Format"), EdDSA over Ed25519.

The JOSE header has ``alg`` ``EdDSA``, ``kid`` (a DID URL of the issuer's key) and
``typ`` ``JWT``. The payload is the credential itself plus the registered claims
``iss`` = issuer id, ``jti`` = credential id, ``nbf`` = validFrom, ``sub`` =
credentialSubject.id (when the subject has one) and ``exp`` = validUntil. Verifiers also
accept the VC 1.1 style where the credential sits in a ``vc`` claim.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cachetools import LRUCache
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey
from joserfc.jws import JWSRegistry

from credstack import jsonparse
from credstack.badges.did import DidResolver, resolve_verification_method
from credstack.badges.errors import BadgeError, ProofError
from credstack.badges.keys import SigningKey, raw_public_key
from credstack.jsonparse import JsonSyntaxError

ALGORITHM = "EdDSA"
REGISTERED_CLAIMS = ("iss", "jti", "nbf", "sub", "exp", "iat", "aud")
MAX_TOKEN_BYTES = 2_000_000


class _Registry(JWSRegistry):
    """Only EdDSA, larger payloads (a CLR), and no deprecation warning per token.

    RFC 9864 deprecates the polymorphic ``EdDSA`` name in favour of ``Ed25519``, but OB
    3.0 and the VC-JWT ecosystem still use ``EdDSA``; the warning would fire on every
    verification, so it is dropped here for this registry only.
    """

    max_payload_length = MAX_TOKEN_BYTES

    def get_alg(self, name: str) -> Any:
        if name != ALGORITHM:
            raise ProofError(f"JWT header alg: expected '{ALGORITHM}', found {name!r}")
        return self.algorithms[name]


_REGISTRY = _Registry(algorithms=[ALGORITHM])
_PUBLIC_KEYS: LRUCache[tuple[str, bytes], OKPKey] = LRUCache(maxsize=1024)


def _epoch(value: Any, field: str) -> int:
    if not isinstance(value, str):
        raise ProofError(f"{field}: expected a dateTime string")
    try:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
    except ValueError as error:
        raise ProofError(f"{field}: '{value}' is not a dateTime") from error


def _issuer_id(credential: dict[str, Any]) -> Any:
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def jwt_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """The JWT claims set for ``credential`` (OB 3.0 section 8.2.4.1)."""
    claims = dict(credential)
    claims["iss"] = _issuer_id(credential)
    claims["jti"] = credential.get("id")
    claims["nbf"] = _epoch(credential.get("validFrom"), "validFrom")
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and "id" in subject:
        claims["sub"] = subject["id"]
    if "validUntil" in credential:
        claims["exp"] = _epoch(credential["validUntil"], "validUntil")
    return claims


def sign_jwt(credential: dict[str, Any], key: SigningKey) -> str:
    """A compact JWS (VC-JWT) of ``credential`` signed with ``key``."""
    if "proof" in credential:
        raise ProofError("a VC-JWT secures the unsecured credential; remove 'proof' first")
    header = {"alg": ALGORITHM, "kid": key.verification_method, "typ": "JWT"}
    payload = json.dumps(jwt_claims(credential), ensure_ascii=False, separators=(",", ":"))
    private = OKPKey.import_key(key.private_key)
    token: str = jws.serialize_compact(header, payload.encode("utf-8"), private, registry=_REGISTRY)
    return token


def _b64json(segment: str, what: str) -> Any:
    try:
        data = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        return jsonparse.loads(data)
    except JsonSyntaxError as error:
        raise ProofError(f"JWT {what}: {error}") from error
    except (binascii.Error, ValueError) as error:
        raise ProofError(f"JWT {what}: not base64url JSON") from error


def read_jwt(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and claims of a compact JWT, NOT verified (for display and routing)."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_BYTES:
        raise ProofError(f"expected a compact JWT of at most {MAX_TOKEN_BYTES} bytes")
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise ProofError("a compact JWT has three base64url parts separated by '.'")
    header, claims = _b64json(parts[0], "header"), _b64json(parts[1], "payload")
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise ProofError("JWT header and payload must be JSON objects")
    return header, claims


def credential_from_claims(claims: dict[str, Any]) -> dict[str, Any]:
    """The credential carried by JWT claims (OB 3.0 form, or a VC 1.1 ``vc`` claim)."""
    if isinstance(claims.get("vc"), dict):
        return dict(claims["vc"])
    return {key: value for key, value in claims.items() if key not in REGISTERED_CLAIMS}


def _check_claims(claims: dict[str, Any], credential: dict[str, Any]) -> None:
    if "vc" in claims:
        return
    expected = {"iss": _issuer_id(credential), "jti": credential.get("id")}
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and "id" in subject:
        expected["sub"] = subject["id"]
    for name, value in expected.items():
        if claims.get(name) != value:
            raise ProofError(f"JWT claim {name}: {claims.get(name)!r} does not match {value!r}")
    if claims.get("nbf") != _epoch(credential.get("validFrom"), "validFrom"):
        raise ProofError("JWT claim nbf does not match validFrom")
    if "validUntil" in credential and claims.get("exp") != _epoch(
        credential["validUntil"], "validUntil"
    ):
        raise ProofError("JWT claim exp does not match validUntil")


@dataclass(frozen=True)
class JwtResult:
    """A verified VC-JWT: the credential it carries and the key that signed it."""

    credential: dict[str, Any]
    verification_method: str
    controller: str


def verify_jwt(token: str, resolver: DidResolver) -> JwtResult:
    """Verify a VC-JWT and return its credential; ``ProofError`` naming what failed."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_BYTES:
        raise ProofError(f"expected a compact JWT of at most {MAX_TOKEN_BYTES} bytes")
    token = token.strip()
    parts = token.split(".")
    if len(parts) != 3:
        raise ProofError("a compact JWT has three base64url parts separated by '.'")
    header = _b64json(parts[0], "header")
    if not isinstance(header, dict):
        raise ProofError("JWT header must be a JSON object")
    if header.get("alg") != ALGORITHM:
        raise ProofError(f"JWT header alg: expected '{ALGORITHM}', found {header.get('alg')!r}")
    kid = header.get("kid")
    if not isinstance(kid, str):
        raise ProofError("JWT header kid: expected the DID URL of the issuer's key")
    try:
        key = resolve_verification_method(kid, resolver)
    except BadgeError as error:
        raise ProofError(f"JWT header kid: {error}") from error
    cache_key = (key.id, raw_public_key(key.public_key))
    public = _PUBLIC_KEYS.get(cache_key)
    if public is None:
        public = OKPKey.import_key(key.public_key)
        _PUBLIC_KEYS[cache_key] = public
    try:
        verified = jws.deserialize_compact(token, public, registry=_REGISTRY)
        claims = jsonparse.loads(verified.payload)
    except JoseError as error:
        raise ProofError(f"JWT signature does not verify with '{key.id}' ({error})") from error
    except JsonSyntaxError as error:
        raise ProofError(f"JWT payload: {error}") from error
    except ValueError as error:
        raise ProofError("JWT payload: not JSON") from error
    if not isinstance(claims, dict):
        raise ProofError("JWT payload must be a JSON object")
    credential = credential_from_claims(claims)
    _check_claims(claims, credential)
    if _issuer_id(credential) != key.controller:
        raise ProofError(
            f"JWT signed by '{key.controller}' but the credential's issuer is "
            f"'{_issuer_id(credential)}'"
        )
    return JwtResult(credential, key.id, key.controller)
