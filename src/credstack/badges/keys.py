"""Ed25519 issuer keys: generation, key files (mode 0600, optional passphrase), Multikey.

Key files are PKCS#8 PEM (RFC 5958), encrypted with the best encryption ``cryptography``
offers when a passphrase is given. The private key never leaves this module except as
a signer; ``SigningKey.__repr__`` does not show it.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from credstack.badges.errors import KeyFileError
from credstack.badges.multibase import encode_ed25519_multikey

KEY_FILE_MODE = 0o600


def generate_private_key() -> Ed25519PrivateKey:
    """A new random Ed25519 private key."""
    return Ed25519PrivateKey.generate()


def raw_public_key(public_key: Ed25519PublicKey) -> bytes:
    """The 32 raw bytes of an Ed25519 public key."""
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """The Multikey ``publicKeyMultibase`` (``z6Mk...``) of a public key."""
    return encode_ed25519_multikey(raw_public_key(public_key))


def public_key_from_raw(data: bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from its 32 raw bytes."""
    return Ed25519PublicKey.from_public_bytes(data)


def verify_signature(public_key: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is a valid Ed25519 signature (RFC 8032) of ``message``."""
    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def save_private_key(
    key: Ed25519PrivateKey, path: Path, *, passphrase: str | None = None
) -> None:
    """Write ``key`` to a new file ``path`` with mode 0600; never overwrites a file.

    The file is written to a temporary file in the same folder (created 0600) and
    renamed into place, so a failure leaves nothing half-written.
    """
    if path.exists():
        raise KeyFileError(f"{path}: a file already exists; refusing to overwrite a key")
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
        if passphrase
        else serialization.NoEncryption()
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        os.fchmod(descriptor, KEY_FILE_MODE)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
        os.link(temporary, path)  # fails if ``path`` appeared meanwhile: no overwrite
    except FileExistsError as error:
        raise KeyFileError(f"{path}: a file already exists; refusing to overwrite") from error
    finally:
        os.unlink(temporary)


def load_private_key(path: Path, *, passphrase: str | None = None) -> Ed25519PrivateKey:
    """Read an Ed25519 private key written by ``save_private_key``."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise KeyFileError(f"{path}: cannot read the key file ({error.strerror})") from error
    password = passphrase.encode("utf-8") if passphrase else None
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except TypeError as error:
        expected = "no passphrase" if password else "a passphrase"
        raise KeyFileError(f"{path}: the key file needs {expected}") from error
    except ValueError as error:
        raise KeyFileError(
            f"{path}: wrong passphrase or not a PEM private key ({error})"
        ) from error
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: expected an Ed25519 private key, found {type(key).__name__}")
    return key


@dataclass(frozen=True)
class SigningKey:
    """A private key with the verification method (DID URL) that names its public key."""

    private_key: Ed25519PrivateKey = field(repr=False)
    verification_method: str

    @property
    def controller(self) -> str:
        """The DID that controls the key (the verification method without fragment)."""
        return self.verification_method.split("#", 1)[0]

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The public half of the key."""
        return self.private_key.public_key()

    @property
    def public_key_multibase(self) -> str:
        """The Multikey ``publicKeyMultibase`` of the public key."""
        return public_key_multibase(self.public_key)

    def sign(self, message: bytes) -> bytes:
        """An Ed25519 signature (64 bytes) of ``message``."""
        return self.private_key.sign(message)
