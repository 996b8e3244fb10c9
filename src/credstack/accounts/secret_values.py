"""Secrets handed to clients: API tokens, session ids, share links, CSRF tokens.

Each is 256 bits from ``secrets`` (RFC 4086 strength); only its SHA-256 is stored. A
salted slow hash is not needed for random 256-bit values: no dictionary can guess them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from credstack.errors import InvalidInput, Problem

TOKEN_PREFIX = "cst_"
SECRET_BYTES = 32  # 256 bits
DISPLAY_LENGTH = 8  # characters after the prefix shown in listings

_DURATION = re.compile(r"^\s*(\d{1,5})\s*([hdw])\s*$")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
MAX_LIFETIME = timedelta(days=3660)


def new_secret() -> str:
    """A URL-safe random secret of 256 bits."""
    return secrets.token_urlsafe(SECRET_BYTES)


def new_api_token() -> str:
    """A new API token: ``cst_`` and 256 random bits, URL-safe."""
    return TOKEN_PREFIX + new_secret()


def digest(secret: str) -> str:
    """The SHA-256 hex digest under which a secret is stored and looked up."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def display_prefix(token: str) -> str:
    """The part of a token shown in listings so a user can tell tokens apart."""
    return token[: len(TOKEN_PREFIX) + DISPLAY_LENGTH]


def parse_lifetime(text: str, *, location: str = "expires") -> timedelta:
    """``90d``, ``12h`` or ``2w`` as a duration; anything else is bad input."""
    match = _DURATION.match(text)
    if not match or int(match.group(1)) == 0:
        raise InvalidInput([Problem(
            location, f"expected a duration like 90d, 12h or 2w, got {text!r}"
        )])
    lifetime = int(match.group(1)) * _UNITS[match.group(2)]
    if lifetime > MAX_LIFETIME:
        raise InvalidInput([Problem(location, "must be at most 3660 days")])
    return lifetime


def matches(expected: str | None, submitted: str | None) -> bool:
    """Whether ``submitted`` equals ``expected``, compared in constant time."""
    if not expected or not submitted:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), submitted.encode("utf-8"))
