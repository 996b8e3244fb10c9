"""Secrets and lifetimes: 256-bit tokens, stored digests, ``90d``-style durations."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credstack.accounts import secret_values
from credstack.accounts.throttle import FREE_FAILURES, LONGEST_WAIT, wait_after
from credstack.errors import InvalidInput


def test_api_token_carries_256_random_bits() -> None:
    token = secret_values.new_api_token()
    assert token.startswith("cst_")
    raw = base64.urlsafe_b64decode(token[4:] + "=" * (-len(token[4:]) % 4))
    assert len(raw) == 32


def test_tokens_are_never_repeated() -> None:
    assert len({secret_values.new_api_token() for _ in range(1000)}) == 1000


def test_digest_is_sha256_hex_and_differs_from_the_secret() -> None:
    token = secret_values.new_api_token()
    stored = secret_values.digest(token)
    assert len(stored) == 64 and token not in stored


@given(st.integers(min_value=1, max_value=3660), st.sampled_from(["h", "d", "w"]))
def test_lifetime_parses_count_and_unit(count: int, unit: str) -> None:
    expected = {"h": timedelta(hours=count), "d": timedelta(days=count),
                "w": timedelta(weeks=count)}[unit]
    if expected > secret_values.MAX_LIFETIME:
        with pytest.raises(InvalidInput):
            secret_values.parse_lifetime(f"{count}{unit}")
    else:
        assert secret_values.parse_lifetime(f"{count}{unit}") == expected


@pytest.mark.parametrize("text", ["", "90", "d", "0d", "90 days", "-1d", "1.5d", "9x"])
def test_lifetime_rejects_what_is_not_a_count_and_unit(text: str) -> None:
    with pytest.raises(InvalidInput, match="expected a duration like 90d"):
        secret_values.parse_lifetime(text)


def test_matches_compares_whole_values() -> None:
    assert secret_values.matches("abc", "abc")
    assert not secret_values.matches("abc", "ab")
    assert not secret_values.matches(None, None)
    assert not secret_values.matches("", "")


def test_no_wait_before_the_tenth_failure() -> None:
    assert wait_after(FREE_FAILURES - 1) == timedelta(0)


def test_the_wait_doubles_with_each_further_failure_up_to_an_hour() -> None:
    waits = [wait_after(FREE_FAILURES + extra) for extra in range(8)]
    assert waits[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert waits[-1] == LONGEST_WAIT
    assert waits == sorted(waits)
