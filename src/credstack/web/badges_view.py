"""Badges as the portal shows them: verification checks, credential facts, wallet, endorsements.

Pure functions. Credentials come from strangers (pasted, uploaded), so only plain
strings are read out of them, and every value is escaped by the templates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from credstack.badges.verify import VerificationReport

# The checks of `credstack verify`, in words (OB 3.0 section 9 verification steps).
CHECK_LABELS = {
    "input": "Readable credential",
    "structure": "Structure (1EdTech OB 3.0 JSON Schema)",
    "proof": "Proof (signature)",
    "issuer": "Issuer DID resolution",
    "validity": "Validity window",
    "status": "Status (revoked or suspended)",
    "trusted_issuer": "Issuer on the registry's trusted list",
}
PROOF_FORMATS = {
    "data-integrity": "Data Integrity (eddsa-rdfc-2022)",
    "di": "Data Integrity (eddsa-rdfc-2022)",
    "jwt": "VC-JWT (EdDSA)",
}
MAX_TEXT = 300


def text(value: Any) -> str:
    """A short display string from an untrusted JSON value ('' unless a string or number)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    shown = str(value)
    return shown if len(shown) <= MAX_TEXT else shown[: MAX_TEXT - 1] + "…"


def _get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


@dataclass(frozen=True)
class CheckRow:
    """One verification check as shown."""

    name: str
    label: str
    passed: bool | None  # None: the check did not run
    reason: str


def check_rows(report: VerificationReport) -> list[CheckRow]:
    """Every check in the order they run, including those that did not run (and why)."""
    return [
        CheckRow(check.name, CHECK_LABELS.get(check.name, check.name), check.passed,
                 text(check.reason))
        for check in report.checks
    ]


def issuer_name(issuer: Any) -> tuple[str, str]:
    """(name, id) of a credential's issuer, which is a URL string or a Profile object."""
    if isinstance(issuer, str):
        return "", text(issuer)
    return text(_get(issuer, "name")), text(_get(issuer, "id"))


def credential_facts(credential: Mapping[str, Any] | None,
                     proof_format: str | None) -> list[tuple[str, str]]:
    """What the credential says about itself (unverified claims unless every check passed)."""
    if not isinstance(credential, Mapping):
        return []
    name, issuer_id = issuer_name(credential.get("issuer"))
    types = credential.get("type")
    facts = [
        ("Achievement", text(_get(credential, "credentialSubject", "achievement", "name"))),
        ("Credential", text(credential.get("name"))),
        ("Type", ", ".join(text(t) for t in types) if isinstance(types, list) else text(types)),
        ("Issuer", name),
        ("Issuer id", issuer_id),
        ("Valid from", text(credential.get("validFrom"))),
        ("Valid until", text(credential.get("validUntil"))),
        ("Credential id", text(credential.get("id"))),
        ("Proof format", PROOF_FORMATS.get(proof_format or "", text(proof_format))),
    ]
    return [(label, value) for label, value in facts if value]


@dataclass(frozen=True)
class EndorsementView:
    """An industry endorsement of a micro-credential, and whether it verifies."""

    endorser: str
    endorser_id: str
    comment: str
    valid_from: str
    verified: bool
    problems: tuple[str, ...]


def endorsement_view(document: Mapping[str, Any], report: VerificationReport) -> EndorsementView:
    """How one signed EndorsementCredential reads, with its verification outcome."""
    name, endorser_id = issuer_name(document.get("issuer"))
    return EndorsementView(
        endorser=name or endorser_id,
        endorser_id=endorser_id,
        comment=text(_get(document, "credentialSubject", "endorsementComment")),
        valid_from=text(document.get("validFrom"))[:10],
        verified=report.verified,
        problems=tuple(f"{CHECK_LABELS.get(c.name, c.name)}: {text(c.reason)}"
                       for c in report.checks if not c.passed),
    )


LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


def linkedin_url(*, name: str, organization: str, issued_on: str, cert_url: str | None,
                 cert_id: str, expires_on: str | None = None) -> str:
    """LinkedIn's "Add to profile" link for a certification (its add-to-profile
    parameters: startTask, name, organizationName, issueYear, issueMonth, expirationYear,
    expirationMonth, certUrl, certId), every value URL-encoded. ``issued_on`` and
    ``expires_on`` are ISO dates; ``cert_url`` is a page anyone can open."""
    params = [("startTask", "CERTIFICATION_NAME"), ("name", name),
              ("organizationName", organization)]
    for prefix, day in (("issue", issued_on), ("expiration", expires_on)):
        if day and len(day) >= 7 and day[:4].isdigit() and day[5:7].isdigit():
            params += [(f"{prefix}Year", day[:4]), (f"{prefix}Month", str(int(day[5:7])))]
    if cert_url:
        params.append(("certUrl", cert_url))
    params.append(("certId", cert_id))
    return f"{LINKEDIN_ADD}?{urlencode(params, quote_via=quote)}"


@dataclass(frozen=True)
class WalletCard:
    """A badge in a learner's wallet or behind a share link."""

    id: str
    name: str
    credential_id: str
    version: int
    issuer: str
    issuer_name: str
    state: str
    reason: str
    issued_at: str
    format: str
    download_href: str
    verify_href: str
    linkedin_href: str


def wallet_card(summary: Mapping[str, Any], document: Mapping[str, Any], *,
                download_href: str, cert_url: str | None) -> WalletCard:
    """A wallet card from a badge's summary (``IssuedBadge.summary()``) and its credential
    document; ``cert_url`` is the public page LinkedIn links to (None: none yet)."""
    badge_id = str(summary["id"])
    name = text(summary.get("name")) or str(summary["micro_credential"])
    issuer_label, _ = issuer_name(document.get("issuer"))
    issued = str(summary["issued_at"])[:10]
    return WalletCard(
        id=badge_id,
        name=name,
        credential_id=str(summary["micro_credential"]),
        version=int(summary["version"]),
        issuer=text(summary.get("issuer")),
        issuer_name=issuer_label,
        state=str(summary["state"]),
        reason=text(summary.get("reason")),
        issued_at=issued,
        format="VC-JWT" if summary.get("format") == "jwt" else "Data Integrity",
        download_href=download_href,
        verify_href=f"/verify?{urlencode({'badge': badge_id})}",
        linkedin_href=linkedin_url(
            name=name, organization=issuer_label or text(summary.get("provider")),
            issued_on=issued, cert_url=cert_url, cert_id=badge_id,
            expires_on=text(document.get("validUntil"))[:10] or None,
        ),
    )


def badge_href(badge_id: str) -> str:
    """The signed-in download of a badge (for its learner, issuer and admins)."""
    return f"/badges/{quote(badge_id, safe=':')}"
