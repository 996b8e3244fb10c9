"""Password hashing with Argon2id (RFC 9106), through argon2-cffi.

Parameters (argon2-cffi's defaults, RFC 9106's second recommended option, "low memory"):
Argon2id, time cost 3 passes, memory 64 MiB (65,536 KiB), parallelism 4 lanes, a 16-byte
random salt and a 32-byte hash, stored in the PHC string format (``$argon2id$v=19$m=...``)
so that a later change of parameters still verifies old hashes and ``needs_rehash`` tells
when to upgrade one at the next sign-in. Hashing is deliberately slow (tens of
milliseconds) and happens only at sign-in and when a password is set.
"""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from credstack.errors import InvalidInput, Problem

TIME_COST = 3
MEMORY_COST_KIB = 65_536
PARALLELISM = 4
HASH_LENGTH = 32
SALT_LENGTH = 16
MIN_LENGTH = 12
MAX_LENGTH = 1024  # a bound on the work one sign-in attempt can ask for
# The demo accounts' password, published in the README: refused for every other account.
DEMO_PASSWORD = "credstack-demo"

_HASHER = PasswordHasher(
    time_cost=TIME_COST,
    memory_cost=MEMORY_COST_KIB,
    parallelism=PARALLELISM,
    hash_len=HASH_LENGTH,
    salt_len=SALT_LENGTH,
    type=Type.ID,
)
# Verified against when the email is unknown, so both answers take the same time.
_DUMMY_HASH = _HASHER.hash("credstack: no such account")


def check_strength(password: str, *, location: str = "password") -> None:
    """Reject a password shorter than 12 or longer than 1,024 characters, or the public
    demo password (only ``serve --demo`` gives it, to its demo accounts)."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput([Problem(location, f"must be at least {MIN_LENGTH} characters")])
    if len(password) > MAX_LENGTH:
        raise InvalidInput([Problem(location, f"must be at most {MAX_LENGTH} characters")])
    if password == DEMO_PASSWORD:
        raise InvalidInput([Problem(location, "is the published demo password; choose another")])


def hash_password(password: str) -> str:
    """The Argon2id PHC string of ``password`` (checked for strength first)."""
    check_strength(password)
    return _HASHER.hash(password)


def hash_demo_password() -> str:
    """The Argon2id PHC string of the demo password, for the demo accounts only."""
    return _HASHER.hash(DEMO_PASSWORD)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; with no hash, spend the same time."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether ``stored_hash`` was made with other parameters than today's."""
    return _HASHER.check_needs_rehash(stored_hash)
