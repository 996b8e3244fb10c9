"""Errors of the accounts capability.

``Unauthenticated`` (HTTP 401) means no valid credentials; ``Forbidden`` (HTTP 403) means
valid credentials without the role. A resource the actor may not see raises the shared
``NotFound`` instead, so its existence does not leak.
"""

from __future__ import annotations

from credstack.errors import Conflict, CredstackError


class AccountsError(CredstackError):
    """Base of the errors the accounts capability raises on purpose."""


class Unauthenticated(AccountsError):
    """No valid credentials: a missing, unknown, expired or revoked token or session."""


class Forbidden(AccountsError):
    """The actor is known but its roles (or its token's scope) do not allow the action."""


class LoginFailed(AccountsError):
    """Sign-in refused. One message for a wrong email, a wrong password or a disabled account."""

    MESSAGE = "Wrong email or password."

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


class Throttled(AccountsError):
    """Too many failed sign-ins for this account or address: wait before trying again."""

    def __init__(self, wait_seconds: int) -> None:
        self.wait_seconds = wait_seconds
        minutes = max(1, -(-wait_seconds // 60))
        super().__init__(
            f"Too many failed sign-in attempts. Try again in {minutes} minute"
            f"{'s' if minutes != 1 else ''}."
        )


class DuplicateAccount(AccountsError, Conflict):
    """A user with this email (compared case-insensitively) already exists."""
