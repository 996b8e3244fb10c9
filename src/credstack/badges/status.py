"""W3C Bitstring Status List v1.0: revocation and suspension of issued credentials.

Each credential carries a ``BitstringStatusListEntry`` (section 2.1) pointing at a bit
of a status list credential; a set bit means revoked / suspended (section 2.2). The list
is a GZIP-compressed bitstring, multibase base64url (``u``, no padding), at least
131,072 bits long for herd privacy (section 2.1); bit 0 is the most significant bit of
byte 0 (section 3.2). One list per ``statusPurpose``: a revocation list and a separate
suspension list.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from credstack.badges.errors import StatusError
from credstack.badges.loader import VC_V2
from credstack.badges.multibase import MultibaseError, decode_base64url, encode_base64url

MINIMUM_LENGTH = 131_072
MAXIMUM_LENGTH = 16 * 1024 * 1024 * 8  # 16 MiB of bits: a bound on hostile lists
PURPOSES = ("revocation", "suspension")
ENTRY_TYPE = "BitstringStatusListEntry"
LIST_TYPE = "BitstringStatusList"
LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential"

StatusListFetcher = Callable[[str], dict[str, Any]]
"""Fetches a status list credential by URL (injected: the store, a cache or HTTP)."""


class StatusList:
    """A mutable bitstring of credential statuses."""

    def __init__(self, length: int = MINIMUM_LENGTH, data: bytes | None = None) -> None:
        if length < MINIMUM_LENGTH or length % 8:
            raise StatusError(
                f"a status list has at least {MINIMUM_LENGTH} bits, a multiple of 8; "
                f"not {length}"
            )
        if length > MAXIMUM_LENGTH:
            raise StatusError(f"a status list of {length} bits is larger than supported")
        self.length = length
        self._bits = bytearray(data) if data is not None else bytearray(length // 8)
        if len(self._bits) * 8 != length:
            raise StatusError("status list data does not match its length")

    def _locate(self, index: int) -> tuple[int, int]:
        if not 0 <= index < self.length:
            raise StatusError(f"status list index {index} is outside 0..{self.length - 1}")
        return index // 8, 7 - index % 8

    def get(self, index: int) -> bool:
        """Whether bit ``index`` is set."""
        byte, bit = self._locate(index)
        return bool(self._bits[byte] >> bit & 1)

    def set(self, index: int, value: bool = True) -> None:
        """Set (or clear) bit ``index``."""
        byte, bit = self._locate(index)
        if value:
            self._bits[byte] |= 1 << bit
        else:
            self._bits[byte] &= ~(1 << bit) & 0xFF

    def encode(self) -> str:
        """The ``encodedList`` value: multibase base64url of the GZIP-compressed bits."""
        return encode_base64url(gzip.compress(bytes(self._bits), mtime=0))

    @classmethod
    def decode(cls, encoded: str) -> StatusList:
        """A status list from an ``encodedList`` value (bounded decompression)."""
        try:
            compressed = decode_base64url(encoded)
        except MultibaseError as error:
            raise StatusError(f"encodedList: {error}") from error
        decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            data = decompressor.decompress(compressed, MAXIMUM_LENGTH // 8 + 1)
        except zlib.error as error:
            raise StatusError(f"encodedList: not GZIP data ({error})") from error
        if len(data) > MAXIMUM_LENGTH // 8 or decompressor.unconsumed_tail:
            raise StatusError("encodedList: decompresses to more than the supported size")
        return cls(len(data) * 8, data)


def status_entry(list_credential: str, index: int, purpose: str) -> dict[str, Any]:
    """A ``BitstringStatusListEntry`` for a credential's ``credentialStatus``."""
    if purpose not in PURPOSES:
        raise StatusError(f"statusPurpose: expected one of {PURPOSES}, not {purpose!r}")
    if index < 0:
        raise StatusError("statusListIndex: expected a non-negative integer")
    return {
        "id": f"{list_credential}#{index}",
        "type": ENTRY_TYPE,
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_credential,
    }


def status_list_credential(
    *,
    list_id: str,
    issuer: str,
    purpose: str,
    status_list: StatusList,
    valid_from: datetime,
) -> dict[str, Any]:
    """The unsigned status list credential (section 2.2); sign it like any credential."""
    if purpose not in PURPOSES:
        raise StatusError(f"statusPurpose: expected one of {PURPOSES}, not {purpose!r}")
    from credstack.badges.credential import xsd_datetime

    return {
        "@context": [VC_V2],
        "id": list_id,
        "type": ["VerifiableCredential", LIST_CREDENTIAL_TYPE],
        "issuer": issuer,
        "validFrom": xsd_datetime(valid_from),
        "credentialSubject": {
            "id": f"{list_id}#list",
            "type": LIST_TYPE,
            "statusPurpose": purpose,
            "encodedList": status_list.encode(),
        },
    }


@dataclass(frozen=True)
class StatusCheck:
    """The state of one status entry: purpose, whether its bit is set, or an error."""

    purpose: str
    set: bool
    reason: str


def read_entry(entry: Any) -> tuple[str, int, str]:
    """(list credential URL, index, purpose) of a status entry; ``StatusError`` if bad."""
    if not isinstance(entry, dict) or entry.get("type") != ENTRY_TYPE:
        raise StatusError(f"credentialStatus: expected type '{ENTRY_TYPE}'")
    purpose = entry.get("statusPurpose")
    if purpose not in PURPOSES:
        raise StatusError(f"credentialStatus.statusPurpose: unsupported {purpose!r}")
    index_text = entry.get("statusListIndex")
    if not isinstance(index_text, str) or not index_text.isdigit() or len(index_text) > 12:
        raise StatusError("credentialStatus.statusListIndex: expected an integer as a string")
    url = entry.get("statusListCredential")
    if not isinstance(url, str) or not url:
        raise StatusError("credentialStatus.statusListCredential: expected a URL")
    return url, int(index_text), str(purpose)


def bit_from_list_credential(
    list_credential: dict[str, Any], *, index: int, purpose: str, issuer: str
) -> bool:
    """Read bit ``index`` of a (verified) status list credential, checking it fits."""
    types = list_credential.get("type", [])
    if LIST_CREDENTIAL_TYPE not in (types if isinstance(types, list) else [types]):
        raise StatusError(f"status list credential: type must include {LIST_CREDENTIAL_TYPE}")
    list_issuer = list_credential.get("issuer")
    list_issuer = list_issuer.get("id") if isinstance(list_issuer, dict) else list_issuer
    if list_issuer != issuer:
        raise StatusError(
            f"status list issued by '{list_issuer}', not by the credential's issuer '{issuer}'"
        )
    subject = list_credential.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("statusPurpose") != purpose:
        raise StatusError(f"status list credential: statusPurpose is not '{purpose}'")
    encoded = subject.get("encodedList")
    if not isinstance(encoded, str):
        raise StatusError("status list credential: encodedList missing")
    return StatusList.decode(encoded).get(index)
