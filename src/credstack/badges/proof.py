"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C vc-di-eddsa).

Section 3.3 of vc-di-eddsa: the proof configuration (the proof without ``proofValue``,
with the document's ``@context``) and the document (without ``proof``) are each
canonicalized with RDFC-1.0 and hashed with SHA-256; the Ed25519 signature covers
``SHA-256(canonical proof config) || SHA-256(canonical document)``; ``proofValue`` is
multibase base58btc (``z``) of the 64-byte signature. OB 3.0 (``integrity.md``) requires
``proofPurpose`` ``assertionMethod`` and a Multikey verification method.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cachetools import LRUCache

from credstack.badges.canonical import (
    DEFAULT_LIMITS,
    Limits,
    canonical_hash,
    canonical_json_key,
)
from credstack.badges.did import DidResolver, VerificationKey, resolve_verification_method
from credstack.badges.errors import BadgeError, ProofError, WorkLimitExceeded
from credstack.badges.keys import SigningKey, verify_signature
from credstack.badges.multibase import MultibaseError, decode_base58btc, encode_base58btc

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
)

# Proof configurations repeat (same key, same second); their hash is safe to cache
# because it is a pure function of the JSON value, which is the key.
_PROOF_HASHES: LRUCache[str, bytes] = LRUCache(maxsize=4096)


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _proof_config_hash(config: dict[str, Any], limits: Limits, label: str) -> bytes:
    key = canonical_json_key(config)
    cached = _PROOF_HASHES.get(key)
    if cached is None:
        cached = canonical_hash(config, limits, label=label)
        _PROOF_HASHES[key] = cached
    return cached


def hash_data(
    document: dict[str, Any],
    proof_config: dict[str, Any],
    limits: Limits = DEFAULT_LIMITS,
    *,
    proof_label: str = "proof",
    document_hash: bytes | None = None,
) -> bytes:
    """vc-di-eddsa section 3.3.4: proof config hash followed by document hash (64 bytes).

    ``proof_label`` names the proof in errors (``proof[1]`` in a proof set);
    ``document_hash`` is ``unsecured_hash(document)`` when the caller has it already.
    """
    config = {key: value for key, value in proof_config.items() if key != "proofValue"}
    config["@context"] = document.get("@context")
    if document_hash is None:
        document_hash = unsecured_hash(document, limits)
    return _proof_config_hash(config, limits, proof_label) + document_hash


def unsecured_hash(document: dict[str, Any], limits: Limits = DEFAULT_LIMITS) -> bytes:
    """SHA-256 of the canonical form of ``document`` without its ``proof``."""
    return canonical_hash({key: value for key, value in document.items() if key != "proof"},
                          limits)


def sign_data_integrity(
    credential: dict[str, Any],
    key: SigningKey,
    *,
    created: datetime | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> dict[str, Any]:
    """A copy of ``credential`` with an ``eddsa-rdfc-2022`` DataIntegrityProof added."""
    if "proof" in credential:
        raise ProofError("the credential already has a proof; sign the unsecured document")
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": _timestamp(created or datetime.now(UTC)),
        "verificationMethod": key.verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    signature = key.sign(hash_data(credential, proof, limits))
    secured = copy.deepcopy(credential)
    secured["proof"] = {**proof, "proofValue": encode_base58btc(signature)}
    return secured


@dataclass(frozen=True)
class ProofResult:
    """Outcome of checking one proof: the key that verified it, or why it did not."""

    verified: bool
    reason: str
    verification_method: str | None = None
    controller: str | None = None
    over_limits: bool = False  # the document was too costly to canonicalize


def _check_proof_shape(proof: Any, label: str) -> dict[str, Any]:
    if not isinstance(proof, dict):
        raise ProofError(f"{label}: expected a JSON object")
    expected = {"type": PROOF_TYPE, "cryptosuite": CRYPTOSUITE, "proofPurpose": PROOF_PURPOSE}
    for name, value in expected.items():
        if proof.get(name) != value:
            raise ProofError(f"{label}.{name}: expected '{value}', found {proof.get(name)!r}")
    for name in ("verificationMethod", "proofValue"):
        if not isinstance(proof.get(name), str):
            raise ProofError(f"{label}.{name}: expected a string")
    created = proof.get("created")
    if created is not None and not (isinstance(created, str) and _DATETIME.match(created)):
        raise ProofError(f"{label}.created: expected an XML Schema dateTime with time zone")
    if "@context" in proof:
        raise ProofError(f"{label}.@context: an embedded proof must not carry its own context")
    return proof


def verify_proof(
    credential: dict[str, Any],
    proof: Any,
    resolver: DidResolver,
    *,
    limits: Limits = DEFAULT_LIMITS,
    label: str = "proof",
    document_hash: bytes | None = None,
) -> VerificationKey:
    """Verify one ``eddsa-rdfc-2022`` proof of ``credential``; ``ProofError`` if it fails.

    ``label`` names the proof in messages (``proof[1]`` in a proof set).
    """
    checked = _check_proof_shape(proof, label)
    try:
        signature = decode_base58btc(checked["proofValue"])
    except MultibaseError as error:
        raise ProofError(f"{label}.proofValue: {error}") from error
    if len(signature) != 64:
        raise ProofError(
            f"{label}.proofValue: an Ed25519 signature has 64 bytes, not {len(signature)}"
        )
    key = resolve_verification_method(checked["verificationMethod"], resolver)
    digest = hash_data(credential, checked, limits, proof_label=label,
                       document_hash=document_hash)
    if not verify_signature(key.public_key, signature, digest):
        raise ProofError(
            f"{label}: the signature does not match the document and key '{key.id}' "
            "(changed content, a swapped proof, or the wrong key)"
        )
    return key


def verify_data_integrity(
    credential: dict[str, Any],
    resolver: DidResolver,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> ProofResult:
    """Check the credential's ``eddsa-rdfc-2022`` proof or proof set: every proof must verify.

    A proof set (VC Data Integrity section 2.1.1) is a set of proofs over the same
    document, each added independently; accepting the set when only one verifies would
    let anyone append a proof that means something else. Never raises for a bad
    credential: every failure is a ``ProofResult`` naming each failing proof by index.
    """
    proofs = credential.get("proof")
    if proofs is None:
        return ProofResult(False, "no proof: the credential is not signed")
    is_set = isinstance(proofs, list)
    items = proofs if is_set else [proofs]
    if not items:
        return ProofResult(False, "proof: an empty proof set; the credential is not signed")
    try:
        # Every member the signatures would not cover fails all proofs at once.
        document_hash = unsecured_hash(credential, limits)
    except WorkLimitExceeded as error:
        return ProofResult(False, str(error), over_limits=True)
    except BadgeError as error:
        return ProofResult(False, str(error))
    keys: list[VerificationKey] = []
    reasons = []
    for index, proof in enumerate(items):
        label = f"proof[{index}]" if is_set else "proof"
        try:
            keys.append(verify_proof(credential, proof, resolver, limits=limits, label=label,
                                     document_hash=document_hash))
        except BadgeError as error:
            message = str(error)
            reasons.append(message if message.startswith(label) else f"{label}: {message}")
    if reasons:
        failed = f"{len(reasons)} of {len(items)} proofs fail: " if is_set else ""
        return ProofResult(False, failed + "; ".join(reasons))
    methods = ", ".join(f"'{key.id}'" for key in keys)
    return ProofResult(
        True,
        f"eddsa-rdfc-2022 signature{'s' if len(keys) > 1 else ''} verified with {methods}",
        keys[0].id,
        keys[0].controller,
    )
