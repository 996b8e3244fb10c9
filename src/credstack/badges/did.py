"""DIDs for issuers: did:key (offline) and did:web (built here, resolved via injection).

did:key (W3C CCG did-method-key): ``did:key:`` + Multikey ``z6Mk...``; its document is
computed, never fetched. did:web (W3C CCG did-method-web section 3.2): the host, with a
port's ``:`` percent-encoded as ``%3A``, then path segments separated by ``:``; the
document lives at ``https://host[:port]/path/did.json`` or ``/.well-known/did.json``.
Nothing here opens a network connection: a did:web document comes from the
``documents`` trust list or an injected ``fetch_json`` callable.

Key rotation: an issuer's did:web document lists every key it has used in
``verificationMethod`` and ``assertionMethod`` (newest first), so badges signed with an
older key keep verifying; a compromised key is removed from ``assertionMethod``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol
from urllib.parse import quote, unquote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from credstack.badges.errors import DidError
from credstack.badges.keys import SigningKey, public_key_from_raw, public_key_multibase
from credstack.badges.loader import DID_V1, MULTIKEY_V1
from credstack.badges.multibase import MultibaseError, decode_ed25519_multikey

# DID Core section 3.1: did = "did:" method-name ":" method-specific-id
_DID = re.compile(r"^did:[a-z0-9]+:(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*"
                  r"(?::(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*)*$")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")
_SEGMENT = re.compile(r"^(?:[A-Za-z0-9._~!$&'()*+,;=@-]|%[0-9A-Fa-f]{2})+$")

ASSERTION_METHOD = "assertionMethod"


def parse_did_url(did_url: str) -> tuple[str, str | None]:
    """Split a DID URL into the DID and the fragment; ``DidError`` if malformed."""
    if not isinstance(did_url, str) or len(did_url) > 2048:
        raise DidError("expected a DID URL string of at most 2048 characters")
    did, hash_sign, fragment = did_url.partition("#")
    if "?" in did or "/" in did:
        raise DidError(f"'{did_url}': DID URLs with a path or query are not supported")
    if not _DID.match(did):
        raise DidError(f"'{did}' is not a DID (expected did:<method>:<method-specific-id>)")
    return did, (fragment if hash_sign else None)


# --- did:key -----------------------------------------------------------------------------


def did_key(public_key: Ed25519PublicKey) -> str:
    """The did:key of an Ed25519 public key (``did:key:z6Mk...``)."""
    return f"did:key:{public_key_multibase(public_key)}"


def did_key_signing_key(private_key: Ed25519PrivateKey) -> SigningKey:
    """A signer whose verification method is the key's did:key URL (``did#z6Mk...``)."""
    multibase = public_key_multibase(private_key.public_key())
    return SigningKey(private_key, f"did:key:{multibase}#{multibase}")


def _verification_method(did: str, multibase: str) -> dict[str, Any]:
    return {
        "id": f"{did}#{multibase}",
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": multibase,
    }


@lru_cache(maxsize=1024)
def _did_key_document(did: str) -> tuple[tuple[str, Any], ...]:
    multibase = did.removeprefix("did:key:")
    try:
        decode_ed25519_multikey(multibase)
    except MultibaseError as error:
        raise DidError(f"'{did}': not an Ed25519 did:key ({error})") from error
    method = _verification_method(did, multibase)
    reference = method["id"]
    document = {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": [method],
        "authentication": [reference],
        ASSERTION_METHOD: [reference],
        "capabilityInvocation": [reference],
        "capabilityDelegation": [reference],
    }
    return tuple(document.items())


def resolve_did_key(did: str) -> dict[str, Any]:
    """The DID document of an Ed25519 did:key, computed offline."""
    parsed, _ = parse_did_url(did)
    if not parsed.startswith("did:key:"):
        raise DidError(f"'{did}' is not a did:key")
    return copy.deepcopy(dict(_did_key_document(parsed)))


# --- did:web -----------------------------------------------------------------------------


def did_web_from_url(url: str) -> str:
    """The did:web for an https origin and optional path, e.g. ``https://a.org:8443/x``.

    ``https://example.com:8443/issuers/rru`` -> ``did:web:example.com%3A8443:issuers:rru``.
    """
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise DidError(f"'{url}': did:web needs an https URL")
    host = parts.hostname or ""
    if not _HOST.match(host) or parts.username or parts.query or parts.fragment:
        raise DidError(f"'{url}': expected https://host[:port][/path] with a DNS host name")
    authority = host.lower() + (f"%3A{parts.port}" if parts.port else "")
    segments = [segment for segment in parts.path.split("/") if segment]
    if segments and segments[-1] == "did.json":
        segments.pop()
    if segments == [".well-known"]:
        segments = []
    for segment in segments:
        if not _SEGMENT.match(segment):
            raise DidError(f"'{url}': path segment '{segment}' is not allowed in a did:web")
    return ":".join(["did", "web", authority, *(quote(s, safe="") for s in segments)])


def did_web_document_url(did: str) -> str:
    """Where a did:web document is published (did-method-web section 3.2.2)."""
    parsed, _ = parse_did_url(did)
    if not parsed.startswith("did:web:"):
        raise DidError(f"'{did}' is not a did:web")
    authority, *segments = parsed.removeprefix("did:web:").split(":")
    host_port = unquote(authority)
    host, _colon, port = host_port.partition(":")
    if not _HOST.match(host) or (port and not port.isdigit()):
        raise DidError(f"'{did}': '{host_port}' is not a host[:port]")
    path = "/".join(unquote(segment) for segment in segments) if segments else ".well-known"
    return f"https://{host_port}/{path}/did.json"


def did_web_signing_key(did: str, private_key: Ed25519PrivateKey) -> SigningKey:
    """A signer for one of a did:web issuer's keys (fragment = the key's multibase)."""
    parse_did_url(did)
    return SigningKey(private_key, f"{did}#{public_key_multibase(private_key.public_key())}")


def build_did_web_document(
    did: str,
    public_keys: Sequence[Ed25519PublicKey],
    *,
    retired: Sequence[Ed25519PublicKey] = (),
) -> dict[str, Any]:
    """A did:web document listing ``public_keys`` (newest first) as assertion methods.

    Keys in ``retired`` stay listed as verification methods but are no longer assertion
    methods: badges they signed stop verifying (use it for a compromised key only;
    plain rotation keeps the old key in ``public_keys``).
    """
    parse_did_url(did)
    if not did.startswith("did:web:"):
        raise DidError(f"'{did}' is not a did:web")
    if not public_keys:
        raise DidError("a did:web document needs at least one public key")
    active = [public_key_multibase(key) for key in public_keys]
    old = [public_key_multibase(key) for key in retired if public_key_multibase(key) not in active]
    methods = [_verification_method(did, multibase) for multibase in [*active, *old]]
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "authentication": [f"{did}#{active[0]}"],
        ASSERTION_METHOD: [f"{did}#{multibase}" for multibase in active],
    }


# --- resolution --------------------------------------------------------------------------


class DidResolver(Protocol):
    """Anything that turns a DID into its DID document (or raises ``DidError``)."""

    def resolve(self, did: str) -> dict[str, Any]:
        """The DID document of ``did``."""
        ...


@dataclass(frozen=True)
class OfflineResolver:
    """did:key by computation; did:web from a trust list or an injected fetcher.

    ``documents`` maps a did:web to its document (the registry's or a configured trust
    list); ``fetch_json`` (optional) is called with the did:web document URL for others.
    With neither, an unknown did:web is refused: credstack never goes online by itself.
    """

    documents: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    fetch_json: Callable[[str], Any] | None = None

    def resolve(self, did: str) -> dict[str, Any]:
        """The DID document of ``did``."""
        parsed, _ = parse_did_url(did)
        if parsed.startswith("did:key:"):
            return resolve_did_key(parsed)
        if not parsed.startswith("did:web:"):
            method = parsed.split(":")[1]
            raise DidError(f"'{parsed}': DID method '{method}' is not supported (did:key, did:web)")
        if parsed in self.documents:
            document = dict(self.documents[parsed])
        elif self.fetch_json is not None:
            fetched = self.fetch_json(did_web_document_url(parsed))
            if not isinstance(fetched, dict):
                raise DidError(f"'{parsed}': the DID document is not a JSON object")
            document = fetched
        else:
            raise DidError(
                f"'{parsed}' is not in the trust list and no did:web resolver is configured"
            )
        if document.get("id") != parsed:
            raise DidError(f"'{parsed}': the DID document's id is '{document.get('id')}'")
        return document


@dataclass(frozen=True)
class VerificationKey:
    """A resolved verification method: its id, controller DID and public key."""

    id: str
    controller: str
    public_key: Ed25519PublicKey = field(repr=False)


def _absolute(reference: str, did: str) -> str:
    return did + reference if reference.startswith("#") else reference


def resolve_verification_method(
    did_url: str, resolver: DidResolver, *, purpose: str = ASSERTION_METHOD
) -> VerificationKey:
    """Resolve a verification method URL to a key the DID authorises for ``purpose``."""
    did, fragment = parse_did_url(did_url)
    if not fragment:
        raise DidError(f"'{did_url}': expected a DID URL with a #fragment naming a key")
    if did.startswith("did:key:") and purpose == ASSERTION_METHOD:
        # did:key resolution is pure computation: the same URL always gives the same key.
        return _did_key_verification_key(did_url)
    return _verification_key(did_url, did, resolver.resolve(did), purpose)


@lru_cache(maxsize=4096)
def _did_key_verification_key(did_url: str) -> VerificationKey:
    did = did_url.split("#", 1)[0]
    return _verification_key(did_url, did, resolve_did_key(did), ASSERTION_METHOD)


def _verification_key(
    did_url: str, did: str, document: dict[str, Any], purpose: str
) -> VerificationKey:
    methods = document.get("verificationMethod", [])
    if not isinstance(methods, list):
        raise DidError(f"'{did}': verificationMethod is not a list")
    by_id = {
        _absolute(str(method.get("id", "")), did): method
        for method in methods
        if isinstance(method, dict)
    }
    allowed = document.get(purpose, [])
    for entry in allowed if isinstance(allowed, list) else []:
        if isinstance(entry, dict):
            by_id.setdefault(_absolute(str(entry.get("id", "")), did), entry)
    references = {
        _absolute(entry if isinstance(entry, str) else str(entry.get("id", "")), did)
        for entry in (allowed if isinstance(allowed, list) else [])
    }
    if did_url not in by_id:
        raise DidError(f"'{did_url}' is not a verification method of '{did}'")
    if did_url not in references:
        raise DidError(f"'{did_url}' is not authorised for {purpose} by '{did}'")
    method = by_id[did_url]
    if method.get("controller") != did:
        raise DidError(f"'{did_url}': controller is '{method.get('controller')}', expected '{did}'")
    multibase = method.get("publicKeyMultibase")
    if not isinstance(multibase, str):
        raise DidError(f"'{did_url}': no publicKeyMultibase (expected a Multikey)")
    try:
        raw = decode_ed25519_multikey(multibase)
    except MultibaseError as error:
        raise DidError(f"'{did_url}': {error}") from error
    return VerificationKey(did_url, did, public_key_from_raw(raw))
