"""Structure checks: the 1EdTech OB 3.0 JSON Schema, and CLR / endorsement shapes.

OB 3.0 verification.md step 1 validates an AchievementCredential against
``ob_v3p0_achievementcredential_schema.json`` (bundled, draft 2019-09).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft201909Validator

OB_TYPES = ("OpenBadgeCredential", "AchievementCredential")


@cache
def _ob_validator() -> Draft201909Validator:
    text = resources.files("credstack.badges.schemas").joinpath(
        "ob_v3p0_achievementcredential_schema.json"
    ).read_text("utf-8")
    return Draft201909Validator(json.loads(text))


def _path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"


def ob_schema_problems(credential: Any) -> list[str]:
    """Where ``credential`` breaks the OB 3.0 AchievementCredential schema (sorted)."""
    if isinstance(credential, dict) and isinstance(credential.get("proof"), dict):
        # The bundled schema (the published JSON-LD form, $id .../schema/json-ld/...)
        # types ``proof`` as an array; VC DM 2.0 section 4.12 and the 1EdTech test vector
        # use a single object, which is the same graph: validate it as a one-item list.
        credential = {**credential, "proof": [credential["proof"]]}
    errors = _ob_validator().iter_errors(credential)
    return sorted(f"{_path(error.absolute_path)}: {error.message[:200]}" for error in errors)


def _types(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def credential_kind(credential: Any) -> str:
    """``openbadge``, ``endorsement``, ``clr`` or ``other`` from the credential's type."""
    types = _types(credential.get("type")) if isinstance(credential, dict) else []
    if any(name in types for name in OB_TYPES):
        return "openbadge"
    if "EndorsementCredential" in types:
        return "endorsement"
    if "ClrCredential" in types:
        return "clr"
    return "other"


def _vc_problems(credential: dict[str, Any]) -> list[str]:
    problems = []
    contexts = credential.get("@context")
    if not isinstance(contexts, list) or not contexts or contexts[0] != (
        "https://www.w3.org/ns/credentials/v2"
    ):
        problems.append("@context: the first context must be https://www.w3.org/ns/credentials/v2")
    if "VerifiableCredential" not in _types(credential.get("type")):
        problems.append("type: must include VerifiableCredential")
    issuer = credential.get("issuer")
    if not (isinstance(issuer, str) or (isinstance(issuer, dict) and "id" in issuer)):
        problems.append("issuer: expected a URL or an object with an id")
    if not isinstance(credential.get("credentialSubject"), dict | list):
        problems.append("credentialSubject: required")
    return problems


def structure_problems(credential: Any) -> list[str]:
    """Every structural problem of a credential of a kind credstack understands."""
    if not isinstance(credential, dict):
        return ["(document): expected a JSON object"]
    kind = credential_kind(credential)
    if kind == "openbadge":
        return ob_schema_problems(credential)
    problems = _vc_problems(credential)
    subject = credential.get("credentialSubject")
    if kind == "endorsement":
        if not isinstance(subject, dict) or "EndorsementSubject" not in _types(subject.get("type")):
            problems.append("credentialSubject.type: must include EndorsementSubject")
        elif "id" not in subject:
            problems.append("credentialSubject.id: the endorsed thing's id is required")
    elif kind == "clr":
        if not isinstance(subject, dict) or "ClrSubject" not in _types(subject.get("type")):
            problems.append("credentialSubject.type: must include ClrSubject")
        else:
            embedded = subject.get("verifiableCredential")
            if not isinstance(embedded, list) or not embedded:
                problems.append("credentialSubject.verifiableCredential: at least one credential")
            else:
                for index, item in enumerate(embedded):
                    problems += [
                        f"credentialSubject.verifiableCredential[{index}].{problem}"
                        for problem in ob_schema_problems(item)
                    ]
    else:
        problems.append(
            "type: expected OpenBadgeCredential, AchievementCredential, EndorsementCredential "
            "or ClrCredential"
        )
    return problems
