"""Multibase and multicodec encodings used by Multikey, did:key and status lists.

Multibase (draft-multiformats-multibase): a one-character prefix names the base;
``z`` = base58btc (Bitcoin alphabet), ``u`` = base64url without padding.
Multicodec: Ed25519 public key = varint 0xed (bytes ``ed 01``).
"""

from __future__ import annotations

import base64
import binascii

import base58

from credstack.badges.errors import BadgeError

ED25519_PUB_PREFIX = b"\xed\x01"
ED25519_PUBLIC_KEY_LENGTH = 32


class MultibaseError(BadgeError):
    """A multibase or multikey string is malformed."""


def encode_base58btc(data: bytes) -> str:
    """Multibase base58btc: ``z`` + base58 (Bitcoin alphabet) of ``data``."""
    return "z" + base58.b58encode(data).decode("ascii")


def decode_base58btc(text: str) -> bytes:
    """Bytes of a multibase base58btc string (must start with ``z``)."""
    if not text.startswith("z"):
        raise MultibaseError(f"'{text[:16]}': expected multibase base58btc (prefix 'z')")
    try:
        return bytes(base58.b58decode(text[1:].encode("ascii")))
    except (ValueError, UnicodeEncodeError) as error:
        raise MultibaseError(f"'{text[:16]}...': not base58btc ({error})") from error


def encode_base64url(data: bytes) -> str:
    """Multibase base64url without padding: ``u`` + base64url of ``data``."""
    return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_base64url(text: str) -> bytes:
    """Bytes of a multibase base64url string (must start with ``u``; no padding)."""
    if not text.startswith("u"):
        raise MultibaseError(f"'{text[:16]}': expected multibase base64url (prefix 'u')")
    body = text[1:]
    if "=" in body:
        raise MultibaseError("multibase base64url must not be padded")
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as error:
        raise MultibaseError(f"not base64url: {error}") from error


def encode_ed25519_multikey(public_key: bytes) -> str:
    """Multikey ``publicKeyMultibase`` of a raw Ed25519 public key (``z6Mk...``)."""
    if len(public_key) != ED25519_PUBLIC_KEY_LENGTH:
        raise MultibaseError(f"an Ed25519 public key has 32 bytes, not {len(public_key)}")
    return encode_base58btc(ED25519_PUB_PREFIX + public_key)


def decode_ed25519_multikey(text: str) -> bytes:
    """The raw 32-byte Ed25519 public key in a ``z6Mk...`` Multikey string."""
    data = decode_base58btc(text)
    if not data.startswith(ED25519_PUB_PREFIX):
        raise MultibaseError(
            f"'{text[:16]}...': not an Ed25519 multikey (expected multicodec 0xed01)"
        )
    key = data[len(ED25519_PUB_PREFIX):]
    if len(key) != ED25519_PUBLIC_KEY_LENGTH:
        raise MultibaseError(f"'{text[:16]}...': Ed25519 key of {len(key)} bytes, expected 32")
    return key
