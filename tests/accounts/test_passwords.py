"""Passwords: Argon2id with the documented parameters, strength bounds, constant work."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type

from credstack.accounts import passwords
from credstack.errors import InvalidInput


def test_hash_is_argon2id_with_the_documented_parameters() -> None:
    stored = passwords.hash_password("correct horse battery")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_hash_verifies_its_password_only() -> None:
    stored = passwords.hash_password("correct horse battery")
    assert passwords.verify_password(stored, "correct horse battery")
    assert not passwords.verify_password(stored, "correct horse batterY")


def test_same_password_hashes_differently_each_time() -> None:
    assert passwords.hash_password("correct horse battery") != passwords.hash_password(
        "correct horse battery")


def test_rejects_a_password_shorter_than_twelve_characters() -> None:
    with pytest.raises(InvalidInput, match="at least 12 characters"):
        passwords.hash_password("short pass1")


def test_rejects_a_password_longer_than_the_bound() -> None:
    with pytest.raises(InvalidInput, match="at most 1024"):
        passwords.hash_password("x" * 1025)


def test_no_stored_hash_never_verifies() -> None:
    assert not passwords.verify_password(None, "no such account")


def test_a_hash_made_with_weaker_parameters_needs_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1, type=Type.ID)
    assert passwords.needs_rehash(weak.hash("correct horse battery"))
    assert not passwords.needs_rehash(passwords.hash_password("correct horse battery"))
