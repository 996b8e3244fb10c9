"""Verify a credential and report every check separately (OB 3.0 verification.md).

Checks, in order: ``input`` (parseable, within size and depth bounds), ``structure``
(OB 3.0 JSON Schema, or the CLR / endorsement shape), ``proof`` (eddsa-rdfc-2022 or
VC-JWT), ``issuer`` (the issuer's DID resolves and controls the signing key),
``validity`` (validFrom / validUntil against now), ``status`` (Bitstring Status List
revocation / suspension, with the reason the issuer recorded) and ``trusted_issuer``
(an injected list). A failing check never stops the others unless they depend on it;
a check that did not run is reported as not run, with why (nothing unreadable is
"passed"). All JSON-LD work of one verification shares one deadline
(``Limits.max_seconds``). Nothing here raises for bad input.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from credstack import jsonparse
from credstack.badges.did import DidResolver, OfflineResolver, parse_did_url
from credstack.badges.errors import BadgeError, StatusError, WorkLimitExceeded
from credstack.badges.jwt import verify_jwt
from credstack.badges.limits import DEFAULT_LIMITS, Limits, check_shape, deadline
from credstack.badges.proof import verify_data_integrity
from credstack.badges.schema import structure_problems
from credstack.badges.status import StatusListFetcher, bit_from_list_credential, read_entry

INPUT, STRUCTURE, PROOF, ISSUER, VALIDITY, STATUS, TRUSTED = (
    "input", "structure", "proof", "issuer", "validity", "status", "trusted_issuer",
)
CHECKS = (INPUT, STRUCTURE, PROOF, ISSUER, VALIDITY, STATUS, TRUSTED)
PASSED, FAILED, NOT_RUN = "passed", "failed", "not run"
# (credential id) -> the reason the issuer recorded when it revoked or suspended it.
StatusReasons = Callable[[str], str | None]


@dataclass(frozen=True)
class Check:
    """One verification check: its name, whether it passed (None: it did not run), and why."""

    name: str
    passed: bool | None
    reason: str

    @property
    def result(self) -> str:
        """``passed``, ``failed`` or ``not run``."""
        return NOT_RUN if self.passed is None else PASSED if self.passed else FAILED

    def to_json(self) -> dict[str, Any]:
        """The check as plain data."""
        return {"name": self.name, "passed": self.passed, "result": self.result,
                "reason": self.reason}


@dataclass
class VerificationReport:
    """All checks of one credential; ``verified`` only when none failed and the proof passed."""

    checks: list[Check] = field(default_factory=list)
    credential: dict[str, Any] | None = None
    proof_format: str | None = None

    @property
    def verified(self) -> bool:
        """True when the proof check passed and no check failed."""
        proof = self.check(PROOF)
        return (proof is not None and proof.passed is True
                and all(check.passed is not False for check in self.checks))

    def check(self, name: str) -> Check | None:
        """The check called ``name``, if it was recorded."""
        return next((item for item in self.checks if item.name == name), None)

    def add(self, name: str, passed: bool, reason: str) -> None:
        """Record a check that ran."""
        self.checks.append(Check(name, passed, reason))

    def add_not_run(self, name: str, reason: str) -> None:
        """Record a check that did not run, and why."""
        self.checks.append(Check(name, None, reason))

    def not_run(self, reason: str) -> None:
        """Record every check not recorded yet as not run, because of ``reason``."""
        done = {item.name for item in self.checks}
        self.checks.extend(Check(name, None, reason) for name in CHECKS if name not in done)

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
        value = jsonparse.loads(stripped)
    except jsonparse.JsonSyntaxError as error:
        message = str(error)
        if message.startswith("not valid JSON"):
            message = f"not JSON and not a compact JWT: {message.removeprefix('not valid JSON: ')}"
        raise BadgeError(message) from None
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
    """None when the bit is clear; the purpose ("revocation" / "suspension") when set."""
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
        return purpose
    return None


def _status_words(purposes: list[str], credential: dict[str, Any],
                  reasons: StatusReasons | None) -> str:
    states = " and ".join("revoked" if purpose == "revocation" else "suspended"
                          for purpose in purposes)
    recorded = None
    credential_id = credential.get("id")
    if reasons is not None and isinstance(credential_id, str):
        recorded = reasons(credential_id)
    because = (f"the issuer's reason: {recorded}" if recorded
               else "the issuer recorded no reason")
    return f"{states} (status purpose: {', '.join(purposes)}; {because})"


def _check_status(report: VerificationReport, credential: dict[str, Any],
                  fetch: StatusListFetcher | None, resolver: DidResolver, limits: Limits,
                  reasons: StatusReasons | None) -> None:
    status = credential.get("credentialStatus")
    if status is None:
        report.add_not_run(STATUS, "no credentialStatus: the issuer cannot revoke or suspend it")
        return
    if fetch is None:
        report.add(STATUS, False, "credentialStatus present but no status list source configured")
        return
    entries = status if isinstance(status, list) else [status]
    purposes = []
    for entry in entries:
        try:
            purpose = _status_of_entry(entry, _issuer_id(credential) or "", fetch, resolver,
                                       limits)
        except BadgeError as error:
            report.add(STATUS, False, str(error))
            return
        if purpose:
            purposes.append(purpose)
    if purposes:
        report.add(STATUS, False, _status_words(purposes, credential, reasons))
    else:
        report.add(STATUS, True, "not revoked, not suspended")


def _is_credential(document: dict[str, Any]) -> bool:
    types = document.get("type")
    return "VerifiableCredential" in (types if isinstance(types, list) else [types])


def _read_input(credential: dict[str, Any] | str | bytes,
                limits: Limits) -> dict[str, Any] | str:
    parsed = (
        parse_credential_text(credential, limits)
        if isinstance(credential, str | bytes)
        else credential
    )
    if isinstance(parsed, dict):
        check_shape(parsed, limits)
    return parsed


def _check_proof(report: VerificationReport, parsed: dict[str, Any] | str,
                 resolver: DidResolver, limits: Limits) -> tuple[dict[str, Any] | None, str | None]:
    """Run the proof check; (the credential, the signing key's controller)."""
    if isinstance(parsed, str):
        report.proof_format = "jwt"
        try:
            result = verify_jwt(parsed, resolver)
        except BadgeError as error:
            report.add(PROOF, False, str(error))
            return None, None
        report.add(PROOF, True, f"VC-JWT signature verified with '{result.verification_method}'")
        return result.credential, result.controller
    if "proof" in parsed:
        report.proof_format = "data-integrity"
    outcome = verify_data_integrity(parsed, resolver, limits=limits)
    if outcome.over_limits:
        raise WorkLimitExceeded(outcome.reason)
    report.add(PROOF, outcome.verified, outcome.reason)
    return parsed, outcome.controller


def verify_credential(
    credential: dict[str, Any] | str | bytes,
    *,
    resolver: DidResolver | None = None,
    status_fetcher: StatusListFetcher | None = None,
    status_reasons: StatusReasons | None = None,
    trusted_issuers: Collection[str] | Callable[[str], bool] | None = None,
    now: datetime | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> VerificationReport:
    """Verify a credential (JSON object, JSON text or compact VC-JWT); never raises.

    ``resolver`` resolves issuer DIDs (default: did:key only, offline);
    ``status_fetcher`` returns status list credentials by URL; ``status_reasons`` the
    reason recorded for a revoked or suspended credential id; ``trusted_issuers`` is a
    set of issuer ids (or a predicate); when None the trusted-issuer check does not run.
    """
    report = VerificationReport()
    with deadline(limits):
        _run_checks(report, credential, resolver or OfflineResolver(), status_fetcher,
                    status_reasons, trusted_issuers, now or datetime.now(UTC), limits)
    report.checks.sort(key=lambda check: CHECKS.index(check.name))
    return report


def _run_checks(report: VerificationReport, credential: dict[str, Any] | str | bytes,
                resolver: DidResolver, status_fetcher: StatusListFetcher | None,
                status_reasons: StatusReasons | None,
                trusted_issuers: Collection[str] | Callable[[str], bool] | None,
                moment: datetime, limits: Limits) -> None:
    try:
        parsed = _read_input(credential, limits)
    except BadgeError as error:
        report.add(INPUT, False, str(error))
        report.not_run("the input could not be read")
        return
    report.add(INPUT, True, "strict JSON (no repeated keys) within the size limits"
               if isinstance(parsed, dict) else "a compact JWT within the size limits")
    if isinstance(parsed, dict):
        problems = structure_problems(parsed)
        report.add(STRUCTURE, not problems, "; ".join(problems[:10]) or "valid")
    try:
        document, controller = _check_proof(report, parsed, resolver, limits)
    except WorkLimitExceeded as error:
        report.checks = [check for check in report.checks if check.name != INPUT]
        report.add(INPUT, False, f"too costly to verify: {error}")
        report.not_run("the input is beyond the verification limits")
        return
    if document is None:
        report.not_run("the VC-JWT could not be read")
        return
    report.credential = document
    if report.check(STRUCTURE) is None:
        problems = structure_problems(document)
        report.add(STRUCTURE, not problems, "; ".join(problems[:10]) or "valid")
    if not _is_credential(document):
        report.not_run("not a verifiable credential (its type lacks VerifiableCredential)")
        return
    _check_issuer(report, document, controller, resolver)
    _check_validity(report, document, moment)
    _check_status(report, document, status_fetcher, resolver, limits, status_reasons)
    if trusted_issuers is None:
        report.add_not_run(TRUSTED, "no trusted-issuer list was given")
        return
    issuer = _issuer_id(document) or ""
    trusted = trusted_issuers(issuer) if callable(trusted_issuers) else issuer in trusted_issuers
    report.add(TRUSTED, trusted, "issuer is on the trusted list" if trusted
               else f"issuer '{issuer}' is not on the trusted list")
