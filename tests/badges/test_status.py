"""W3C Bitstring Status List v1.0 encoding and entries."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credstack.badges.errors import StatusError
from credstack.badges.multibase import decode_base64url, encode_base64url
from credstack.badges.status import MINIMUM_LENGTH, StatusList, read_entry, status_entry


def test_new_list_has_the_minimum_length_and_no_bits_set() -> None:
    status_list = StatusList()
    assert status_list.length == MINIMUM_LENGTH == 131_072
    assert not any(status_list.get(index) for index in (0, 7, 8, MINIMUM_LENGTH - 1))


def test_bit_zero_is_the_most_significant_bit_of_byte_zero() -> None:
    status_list = StatusList()
    status_list.set(0)
    raw = gzip.decompress(decode_base64url(status_list.encode()))
    assert raw[0] == 0b1000_0000


def test_encoded_list_is_multibase_base64url_of_gzip() -> None:
    encoded = StatusList().encode()
    assert encoded.startswith("u")
    assert len(gzip.decompress(decode_base64url(encoded))) == MINIMUM_LENGTH // 8


@given(st.sets(st.integers(min_value=0, max_value=MINIMUM_LENGTH - 1), max_size=30))
def test_set_bits_survive_encoding(indexes: set[int]) -> None:
    status_list = StatusList()
    for index in indexes:
        status_list.set(index)
    decoded = StatusList.decode(status_list.encode())
    assert {i for i in indexes if decoded.get(i)} == indexes
    assert all(not decoded.get(i) for i in range(0, 200) if i not in indexes)


def test_clearing_a_bit_reinstates() -> None:
    status_list = StatusList()
    status_list.set(42)
    status_list.set(42, False)
    assert not status_list.get(42)


def test_rejects_a_list_shorter_than_the_minimum() -> None:
    with pytest.raises(StatusError, match="at least 131072"):
        StatusList(1024)


def test_rejects_an_index_outside_the_list() -> None:
    with pytest.raises(StatusError, match="outside"):
        StatusList().get(MINIMUM_LENGTH)


def test_rejects_a_gzip_bomb_as_encoded_list() -> None:
    bomb = encode_base64url(gzip.compress(bytes(64 * 1024 * 1024)))
    with pytest.raises(StatusError, match="supported size"):
        StatusList.decode(bomb)


def test_rejects_an_encoded_list_that_is_not_gzip() -> None:
    with pytest.raises(StatusError, match="GZIP"):
        StatusList.decode(encode_base64url(b"plain bytes"))


def test_entry_round_trips_through_read_entry() -> None:
    entry = status_entry("https://x.example/status/revocation", 7, "revocation")
    assert entry["statusListIndex"] == "7"
    assert read_entry(entry) == ("https://x.example/status/revocation", 7, "revocation")


def test_rejects_an_unknown_status_purpose() -> None:
    with pytest.raises(StatusError, match="statusPurpose"):
        status_entry("https://x.example/s", 1, "expiry")
