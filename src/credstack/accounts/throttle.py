"""Sign-in throttling: the rule (pure) and the failure records it counts.

Per account (the normalised email, whether or not it exists, so the answer leaks
nothing) and per client address: up to 10 failures within 15 minutes are free; from the
10th on, each further attempt waits 1 minute after the latest failure, doubling with every
further failure up to 1 hour. A successful sign-in clears the account's failures.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from credstack.store.tables.accounts import LoginFailureRow

WINDOW = timedelta(minutes=15)
FREE_FAILURES = 10
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)
ACCOUNT, ADDRESS = "account", "address"


def wait_after(failures: int) -> timedelta:
    """How long to wait after the latest of ``failures`` recent failures."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    doubled: timedelta = FIRST_WAIT * 2 ** min(failures - FREE_FAILURES, 16)
    return min(doubled, LONGEST_WAIT)


def remaining_wait(failures: int, latest: datetime | None, now: datetime) -> timedelta:
    """The wait still to run at ``now``, given the recent failures and the latest one."""
    if latest is None:
        return timedelta(0)
    return max(latest + wait_after(failures) - now, timedelta(0))


def keys(email: str, address: str | None) -> list[tuple[str, str]]:
    """The throttle keys of one attempt: its account and, when known, its address."""
    found = [(ACCOUNT, email)]
    if address:
        found.append((ADDRESS, address))
    return found


def current_wait(session: Session, *, email: str, address: str | None,
                 now: datetime) -> timedelta:
    """The longest wait any key of this attempt still has to serve."""
    longest = timedelta(0)
    for kind, key in keys(email, address):
        count, latest = session.execute(
            select(func.count(), func.max(LoginFailureRow.failed_at)).where(
                LoginFailureRow.kind == kind, LoginFailureRow.key == key,
                LoginFailureRow.failed_at > now - WINDOW,
            )
        ).one()
        longest = max(longest, remaining_wait(int(count), latest, now))
    return longest


def record_failure(session: Session, *, email: str, address: str | None,
                   now: datetime) -> None:
    """Count one failed attempt against its account and its address."""
    session.add_all(
        LoginFailureRow(kind=kind, key=key, failed_at=now) for kind, key in keys(email, address)
    )
    # Old failures count for nothing; dropping them keeps the table small.
    session.execute(delete(LoginFailureRow).where(LoginFailureRow.failed_at <= now - WINDOW))


def clear_account(session: Session, *, email: str) -> None:
    """Forget an account's failures after it signed in."""
    session.execute(delete(LoginFailureRow).where(
        LoginFailureRow.kind == ACCOUNT, LoginFailureRow.key == email))

