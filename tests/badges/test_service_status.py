"""The stored status bits agree with the Bitstring Status List encoding the verifier reads."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from credstack.badges.status import MINIMUM_LENGTH, StatusList
from credstack.badges.status_store import bit, with_bit

indexes = st.lists(st.integers(0, MINIMUM_LENGTH - 1), max_size=20)


@given(indexes, indexes)
def test_stored_bits_decode_to_the_same_statuses(set_first: list[int], cleared: list[int]) -> None:
    bits = bytes(MINIMUM_LENGTH // 8)
    for index in set_first:
        bits = with_bit(bits, index, True)
    for index in cleared:
        bits = with_bit(bits, index, False)
    decoded = StatusList.decode(StatusList(MINIMUM_LENGTH, bits).encode())
    expected = set(set_first) - set(cleared)
    for index in set(set_first) | set(cleared):
        assert decoded.get(index) == (index in expected) == bit(bits, index)


def test_bit_zero_is_the_most_significant_bit_of_byte_zero() -> None:
    assert with_bit(bytes(2), 0, True) == b"\x80\x00"
    assert with_bit(bytes(2), 15, True) == b"\x00\x01"
