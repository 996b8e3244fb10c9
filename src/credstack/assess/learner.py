"""Learners with minimal personal data, and the salted identity hash badges carry.

A learner is an id and an optional display name. The email address is used once, when
the learner is added, to compute the OB 3.0 IdentityObject (section B.1.14):
``identityHash`` = ``sha256$`` + hex(SHA-256(email + salt)) with a random salt per
learner. Only the salt and the hash are kept; the plain address is never stored, yet
anyone who knows it can check a badge's recipient (OB 3.0 verification, step 5).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, field_validator

from credstack.domain.credential import ID_PATTERN, Record

SALT_BYTES = 16
HASH_PREFIX = "sha256$"
# RFC 5322 addr-spec, simplified: local part, '@', a dotted domain; no spaces or controls.
_EMAIL = re.compile(
    r"^[^@\s\x00-\x1f\x7f]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})\.[A-Za-z]{2,63}$"
)


def normalize_email(email: str) -> str:
    """The form that is hashed: surrounding space removed, lower case.

    Lower-casing the whole address (not only the domain) follows common practice of
    badge issuers, so a recipient who types their address differently still matches.
    """
    return email.strip().lower()


def check_email(email: str) -> str:
    """``email`` normalized; ``ValueError`` unless it looks like an email address."""
    normalized = normalize_email(email)
    if not _EMAIL.match(normalized):
        raise ValueError(f"'{email}' is not an email address (expected name@example.org)")
    return normalized


def new_salt() -> str:
    """A random salt (32 hex characters) for one learner."""
    return secrets.token_hex(SALT_BYTES)


def identity_hash(identifier: str, salt: str) -> str:
    """OB 3.0 ``identityHash``: ``sha256$`` + hex(SHA-256(identifier + salt))."""
    digest = hashlib.sha256((identifier + salt).encode("utf-8")).hexdigest()
    return HASH_PREFIX + digest


class LearnerInput(Record):
    """What is asked of a new learner: an id, optionally a display name, an email and the
    user account it belongs to."""

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    display_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    email: Annotated[str, Field(max_length=320)] | None = None
    # The email of the user account whose wallet receives the learner's badges.
    account: Annotated[str, Field(max_length=320)] | None = None

    @field_validator("email", "account")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return check_email(value) if value is not None else None


@dataclass(frozen=True)
class Learner:
    """A learner as kept: no plain email, only the salted hash and its salt."""

    id: str
    display_name: str | None
    salt: str
    identity_hash: str | None

    @classmethod
    def create(cls, given: LearnerInput, *, salt: str | None = None) -> Learner:
        """A learner from ``given``; the email is hashed with a fresh (or given) salt."""
        salt = salt or new_salt()
        hashed = identity_hash(given.email, salt) if given.email else None
        return cls(id=given.id, display_name=given.display_name, salt=salt, identity_hash=hashed)

    def matches_email(self, email: str) -> bool:
        """Whether ``email`` is this learner's address (constant-time comparison)."""
        if self.identity_hash is None:
            return False
        candidate = identity_hash(normalize_email(email), self.salt)
        return hmac.compare_digest(candidate, self.identity_hash)

    def identity_object(self) -> dict[str, Any]:
        """The OB 3.0 IdentityObject that names this learner in a badge.

        With an email: ``identityType`` emailAddress. Without one, the learner's id is
        hashed the same way and typed ``identifier`` (IdentifierTypeEnum), so a badge
        never carries a plain identifier either.
        """
        if self.identity_hash is not None:
            hashed, kind = self.identity_hash, "emailAddress"
        else:
            hashed, kind = identity_hash(self.id, self.salt), "identifier"
        return {
            "type": "IdentityObject",
            "hashed": True,
            "identityHash": hashed,
            "identityType": kind,
            "salt": self.salt,
        }

    def summary(self) -> dict[str, Any]:
        """The public form: id, display name, whether an email hash is on file."""
        return {
            "id": self.id,
            "display_name": self.display_name,
            "has_email": self.identity_hash is not None,
        }
