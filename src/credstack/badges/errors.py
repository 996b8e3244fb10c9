"""Errors of the badges capability: each names what was wrong and what was expected."""

from __future__ import annotations

from credstack.errors import CredstackError


class BadgeError(CredstackError):
    """Base of every error the badges library raises on purpose."""


class ContextRefused(BadgeError):
    """A JSON-LD context (or other document) that is not bundled was asked for."""


class WorkLimitExceeded(BadgeError):
    """Input too large, too deep or too expensive to canonicalize (hostile input guard)."""


class InvalidJsonLd(BadgeError):
    """The document cannot be processed as JSON-LD (relative IRI, bad value, bad context)."""


class KeyFileError(BadgeError):
    """A key file cannot be written or read (exists, wrong passphrase, not Ed25519)."""


class DidError(BadgeError):
    """A DID or DID URL is malformed, unsupported, or cannot be resolved."""


class ProofError(BadgeError):
    """A proof is missing, malformed, or does not verify."""


class StatusError(BadgeError):
    """A status list entry or status list credential is malformed or unavailable."""


class CredentialInputError(BadgeError):
    """Inputs to a credential builder are inconsistent (e.g. validUntil before validFrom)."""
