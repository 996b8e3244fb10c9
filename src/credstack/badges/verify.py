"""Verify a credential and report every check separately (OB 3.0 verification.md).

Checks, in order: ``input`` (parseable, within size and depth bounds), ``structure``
(OB 3.0 JSON Schema, or the CLR / endorsement shape), ``proof`` (eddsa-rdfc-2022 or
VC-JWT), ``issuer`` (the issuer's DID resolves and controls the signing key),
``validity`` (validFrom / validUntil against now), ``status`` (Bitstring Status List
revocation / suspension) and ``trusted_issuer`` (an injected list). A failing check
never stops the others unless they depend on it; nothing here raises for bad input.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from credstack.badges.canonical import DEFAULT_LIMITS, Limits, check_shape
from credstack.badges.did import DidResolver, OfflineResolver, parse_did_url
from credstack.badges.errors import BadgeError, StatusError, WorkLimitExceeded
from credstack.badges.jwt import verify_jwt
from credstack.badges.proof import verify_data_integrity
from credstack.badges.schema import structure_problems
from credstack.badges.status import StatusListFetcher, bit_from_list_credential, read_entry

INPUT, STRUCTURE, PROOF, ISSUER, VALIDITY, STATUS, TRUSTED = (
    "input", "structure", "proof", "issuer", "validity", "status", "trusted_issuer",
)


@dataclass(frozen=True)
class Check:
    """One verification check: its name, whether it passed, and why."""

    name: str
    passed: bool
    reason: str

    def to_json(self) -> dict[str, Any]:
        """The check as plain data."""
        return {"name": self.name, "passed": self.passed, "reason": self.reason}


@dataclass
class VerificationReport:
    """All checks of one credential; ``verified`` only when every check passed."""

    checks: list[Check] = field(default_factory=list)
    credential: dict[str, Any] | None = None
    proof_format: str | None = None

    @property
    def verified(self) -> bool:
        """True when there is at least one check and none failed."""
        return bool(self.checks) and all(check.passed for check in self.checks)

    def check(self, name: str) -> Check | None:
        """The check called ``name``, if it ran."""
        return next((item for item in self.checks if item.name == name), None)

    def add(self, name: str, passed: bool, reason: str) -> None:
        """Record a check."""
        self.checks.append(Check(name, passed, reason))

    def to_json(self) -> dict[str, Any]:
        """The report as plain data (the shape of ``credstack verify --json``)."""
        return {
            "verified": self.verified,
            "format": self.proof_format,
            "checks": [item.to_json() for item in self.checks],
        }


def _depth_ok(text: str, limit: int) -> bool:
    # Python's json module recurses per nesting level; count brackets outside strings
    # first so a hostile body cannot exhaust the stack.
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return False
        elif char in "]}":
            depth -= 1
    return True


def parse_credential_text(
    text: str | bytes, limits: Limits = DEFAULT_LIMITS
) -> dict[str, Any] | str:
    """A credential from text: a JSON object, or a compact JWT string; bounded."""
    if len(text) > limits.max_json_bytes:
        raise WorkLimitExceeded(f"input is larger than {limits.max_json_bytes} bytes")
    decoded = text.decode("utf-8") if isinstance(text, bytes) else text
    stripped = decoded.strip()
    if stripped.startswith("ey") and stripped.count(".") == 2 and " " not in stripped:
        return stripped
    if not _depth_ok(stripped, limits.max_depth):
        raise WorkLimitExceeded(f"JSON nesting deeper than {limits.max_depth} levels")
    try:
        value = json.loads(stripped)
    except ValueError as error:
        raise BadgeError(f"not JSON and not a compact JWT: {error}") from error
    if not isinstance(value, dict):
        raise BadgeError("expected a JSON object (a credential) or a compact JWT")
    return value


def _issuer_id(credential: dict[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) else None


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _check_validity(report: VerificationReport, credential: dict[str, Any], now: datetime) -> None:
    valid_from = _parse_time(credential.get("validFrom"))
    if valid_from is None:
        report.add(VALIDITY, False, "validFrom: missing or not a date-time with time zone")
        return
    if now < valid_from:
        report.add(VALIDITY, False, f"not yet valid: validFrom is {credential['validFrom']}")
        return
    if "validUntil" in credential:
        valid_until = _parse_time(credential.get("validUntil"))
        if valid_until is None:
            report.add(VALIDITY, False, "validUntil: not a date-time with time zone")
            return
        if now >= valid_until:
            report.add(VALIDITY, False, f"expired: validUntil was {credential['validUntil']}")
            return
    report.add(VALIDITY, True, "within validFrom / validUntil")


def _check_issuer(report: VerificationReport, credential: dict[str, Any], controller: str | None,
                  resolver: DidResolver) -> None:
    issuer = _issuer_id(credential)
    if issuer is None:
        report.add(ISSUER, False, "issuer: missing id")
        return
    try:
        parse_did_url(issuer)
        resolver.resolve(issuer)
    except BadgeError as error:
        report.add(ISSUER, False, f"issuer DID: {error}")
        return
    if controller is not None and controller != issuer:
        report.add(ISSUER, False, f"signed by '{controller}', but the issuer is '{issuer}'")
        return
    report.add(ISSUER, True, f"issuer '{issuer}' resolved and controls the signing key")


def _status_of_entry(entry: Any, issuer: str, fetch: StatusListFetcher,
                     resolver: DidResolver, limits: Limits) -> str | None:
    """None when the bit is clear; the purpose ("revoked" / "suspended") when set."""
    url, index, purpose = read_entry(entry)
    try:
        list_credential = fetch(url)
    except BadgeError:
        raise
    except Exception as error:  # the fetcher is injected: any failure is "unavailable"
        raise StatusError(f"status list '{url}' unavailable: {error}") from error
    if not isinstance(list_credential, dict):
        raise StatusError(f"status list '{url}': expected a credential object")
    proof = verify_data_integrity(list_credential, resolver, limits=limits)
    if not proof.verified:
        raise StatusError(f"status list '{url}': proof does not verify ({proof.reason})")
    if bit_from_list_credential(list_credential, index=index, purpose=purpose, issuer=issuer):
        return "revoked" if purpose == "revocation" else "suspended"
    return None


def _check_status(report: VerificationReport, credential: dict[str, Any],
                  fetch: StatusListFetcher | None, resolver: DidResolver, limits: Limits) -> None:
    status = credential.get("credentialStatus")
    if status is None:
        report.add(STATUS, True, "no credentialStatus: the credential cannot be revoked")
        return
    if fetch is None:
        report.add(STATUS, False, "credentialStatus present but no status list source configured")
        return
    entries = status if isinstance(status, list) else [status]
    states = []
    for entry in entries:
        try:
            state = _status_of_entry(entry, _issuer_id(credential) or "", fetch, resolver, limits)
        except BadgeError as error:
            report.add(STATUS, False, str(error))
            return
        if state:
            states.append(state)
    if states:
        report.add(STATUS, False, " and ".join(states))
    else:
        report.add(STATUS, True, "not revoked, not suspended")


def verify_credential(
    credential: dict[str, Any] | str | bytes,
    *,
    resolver: DidResolver | None = None,
    status_fetcher: StatusListFetcher | None = None,
    trusted_issuers: Collection[str] | Callable[[str], bool] | None = None,
    now: datetime | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> VerificationReport:
    """Verify a credential (JSON object, JSON text or compact VC-JWT); never raises.

    ``resolver`` resolves issuer DIDs (default: did:key only, offline);
    ``status_fetcher`` returns status list credentials by URL; ``trusted_issuers`` is
    a set of issuer ids (or a predicate); when None the trusted-issuer check is skipped.
    """
    report = VerificationReport()
    resolver = resolver or OfflineResolver()
    moment = now or datetime.now(UTC)
    try:
        parsed = (
            parse_credential_text(credential, limits)
            if isinstance(credential, str | bytes)
            else credential
        )
        if isinstance(parsed, dict):
            check_shape(parsed, limits)
    except BadgeError as error:
        report.add(INPUT, False, str(error))
        return report
    report.add(INPUT, True, "parsed")
    controller: str | None = None
    if isinstance(parsed, str):
        report.proof_format = "jwt"
        try:
            result = verify_jwt(parsed, resolver)
        except BadgeError as error:
            report.add(PROOF, False, str(error))
            return report
        document = result.credential
        controller = result.controller
        proof_check: tuple[bool, str] = (
            True, f"VC-JWT signature verified with '{result.verification_method}'"
        )
    else:
        document = parsed
        report.proof_format = "data-integrity"
        proof_check = (False, "")
    report.credential = document
    problems = structure_problems(document)
    report.add(STRUCTURE, not problems, "; ".join(problems[:10]) or "valid")
    if report.proof_format == "data-integrity":
        try:
            outcome = verify_data_integrity(document, resolver, limits=limits)
        except BadgeError as error:  # canonicalization refused the document
            outcome_ok, reason = False, str(error)
        else:
            outcome_ok, reason = outcome.verified, outcome.reason
            controller = outcome.controller
        proof_check = (outcome_ok, reason)
    report.add(PROOF, *proof_check)
    _check_issuer(report, document, controller, resolver)
    _check_validity(report, document, moment)
    _check_status(report, document, status_fetcher, resolver, limits)
    if trusted_issuers is not None:
        issuer = _issuer_id(document) or ""
        trusted = (
            trusted_issuers(issuer) if callable(trusted_issuers) else issuer in trusted_issuers
        )
        report.add(TRUSTED, trusted, "issuer is on the trusted list" if trusted
                   else f"issuer '{issuer}' is not on the trusted list")
    return report
