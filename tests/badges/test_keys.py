"""Ed25519 key files and Multikey encodings."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credstack.badges.errors import KeyFileError
from credstack.badges.keys import (
    generate_private_key,
    load_private_key,
    public_key_multibase,
    raw_public_key,
    save_private_key,
)
from credstack.badges.multibase import (
    MultibaseError,
    decode_base58btc,
    decode_base64url,
    decode_ed25519_multikey,
    encode_base58btc,
    encode_base64url,
    encode_ed25519_multikey,
)


def test_key_file_is_created_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "issuer.pem"
    save_private_key(generate_private_key(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_key_file_round_trips_without_passphrase(tmp_path: Path) -> None:
    key = generate_private_key()
    save_private_key(key, tmp_path / "k.pem")
    loaded = load_private_key(tmp_path / "k.pem")
    assert raw_public_key(loaded.public_key()) == raw_public_key(key.public_key())


def test_key_file_with_passphrase_needs_the_passphrase(tmp_path: Path) -> None:
    key = generate_private_key()
    save_private_key(key, tmp_path / "k.pem", passphrase="correct horse")
    assert b"ENCRYPTED" in (tmp_path / "k.pem").read_bytes()
    with pytest.raises(KeyFileError, match="needs a passphrase"):
        load_private_key(tmp_path / "k.pem")
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        load_private_key(tmp_path / "k.pem", passphrase="battery staple")
    loaded = load_private_key(tmp_path / "k.pem", passphrase="correct horse")
    assert raw_public_key(loaded.public_key()) == raw_public_key(key.public_key())


def test_refuses_to_overwrite_an_existing_key_file(tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    path.write_text("precious")
    with pytest.raises(KeyFileError, match="already exists"):
        save_private_key(generate_private_key(), path)
    assert path.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["k.pem"]


def test_missing_key_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match=r"nope\.pem"):
        load_private_key(tmp_path / "nope.pem")


def test_public_key_multibase_is_a_z6mk_multikey() -> None:
    assert public_key_multibase(generate_private_key().public_key()).startswith("z6Mk")


@given(st.binary(max_size=80))
def test_base58btc_round_trips(data: bytes) -> None:
    assert decode_base58btc(encode_base58btc(data)) == data


@given(st.binary(max_size=80))
def test_base64url_round_trips_without_padding(data: bytes) -> None:
    encoded = encode_base64url(data)
    assert "=" not in encoded
    assert decode_base64url(encoded) == data


@given(st.binary(min_size=32, max_size=32))
def test_ed25519_multikey_round_trips(key: bytes) -> None:
    encoded = encode_ed25519_multikey(key)
    assert encoded.startswith("z6Mk")
    assert decode_ed25519_multikey(encoded) == key


def test_rejects_a_multikey_of_another_codec() -> None:
    with pytest.raises(MultibaseError, match=r"0xed01"):
        decode_ed25519_multikey(encode_base58btc(b"\x12\x00" + bytes(32)))


def test_rejects_multibase_with_the_wrong_prefix() -> None:
    with pytest.raises(MultibaseError, match="prefix 'z'"):
        decode_base58btc("m" + "abc")
