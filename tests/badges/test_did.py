"""did:key and did:web: building, offline resolution and key rotation."""

from __future__ import annotations

import pytest

from credstack.badges.did import (
    OfflineResolver,
    build_did_web_document,
    did_key,
    did_web_document_url,
    did_web_from_url,
    parse_did_url,
    resolve_did_key,
    resolve_verification_method,
)
from credstack.badges.errors import DidError
from credstack.badges.keys import generate_private_key, public_key_multibase, raw_public_key


def test_did_key_resolves_offline_to_its_multikey() -> None:
    public = generate_private_key().public_key()
    did = did_key(public)
    document = resolve_did_key(did)
    method = document["verificationMethod"][0]
    assert method["id"] == f"{did}#{public_key_multibase(public)}"
    assert method["type"] == "Multikey"
    assert document["assertionMethod"] == [method["id"]]


@pytest.mark.parametrize(
    ("url", "did"),
    [
        ("https://example.com", "did:web:example.com"),
        ("https://example.com/.well-known/did.json", "did:web:example.com"),
        ("https://example.com:8443/issuers/rru", "did:web:example.com%3A8443:issuers:rru"),
    ],
)
def test_did_web_from_url_follows_the_did_web_rules(url: str, did: str) -> None:
    assert did_web_from_url(url) == did


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:example.com", "https://example.com/.well-known/did.json"),
        ("did:web:example.com%3A8443:issuers:rru", "https://example.com:8443/issuers/rru/did.json"),
    ],
)
def test_did_web_document_url_follows_the_did_web_rules(did: str, url: str) -> None:
    assert did_web_document_url(did) == url


def test_did_web_needs_https() -> None:
    with pytest.raises(DidError, match="https"):
        did_web_from_url("http://example.com")


@pytest.mark.parametrize("bad", ["did:", "did:key", "DID:key:z6Mk", "did:key:z6Mk x", "not-a-did"])
def test_rejects_malformed_dids(bad: str) -> None:
    with pytest.raises(DidError):
        parse_did_url(bad)


def test_rejects_a_did_key_that_is_not_ed25519() -> None:
    with pytest.raises(DidError, match="Ed25519"):
        resolve_did_key("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme")


def test_unknown_did_web_is_refused_without_a_trust_list() -> None:
    with pytest.raises(DidError, match="trust list"):
        OfflineResolver().resolve("did:web:example.com")


def test_did_web_resolves_from_the_trust_list() -> None:
    public = generate_private_key().public_key()
    document = build_did_web_document("did:web:example.com", [public])
    resolver = OfflineResolver({"did:web:example.com": document})
    key = resolve_verification_method(
        f"did:web:example.com#{public_key_multibase(public)}", resolver
    )
    assert raw_public_key(key.public_key) == raw_public_key(public)


def test_did_web_fetcher_is_called_with_the_document_url() -> None:
    public = generate_private_key().public_key()
    document = build_did_web_document("did:web:example.com", [public])
    asked: list[str] = []

    def fetch(url: str) -> object:
        asked.append(url)
        return document

    OfflineResolver(fetch_json=fetch).resolve("did:web:example.com")
    assert asked == ["https://example.com/.well-known/did.json"]


def test_rotation_keeps_the_old_key_an_assertion_method() -> None:
    old, new = generate_private_key().public_key(), generate_private_key().public_key()
    document = build_did_web_document("did:web:example.com", [new, old])
    resolver = OfflineResolver({"did:web:example.com": document})
    for public in (old, new):
        resolve_verification_method(
            f"did:web:example.com#{public_key_multibase(public)}", resolver
        )


def test_retired_key_is_no_longer_an_assertion_method() -> None:
    old, new = generate_private_key().public_key(), generate_private_key().public_key()
    document = build_did_web_document("did:web:example.com", [new], retired=[old])
    resolver = OfflineResolver({"did:web:example.com": document})
    with pytest.raises(DidError, match="not authorised"):
        resolve_verification_method(
            f"did:web:example.com#{public_key_multibase(old)}", resolver
        )


def test_document_with_another_id_is_refused() -> None:
    public = generate_private_key().public_key()
    document = build_did_web_document("did:web:other.example", [public])
    with pytest.raises(DidError, match="id is"):
        OfflineResolver({"did:web:example.com": document}).resolve("did:web:example.com")
