"""Portal sessions kept in the database.

A new random 256-bit id at every sign-in (never reused, so a fixed id cannot be planted);
only its SHA-256 is stored, with the session's CSRF token. A session ends at sign-out, at a
password change, when its user is disabled, 12 hours after sign-in, or after 2 hours
without a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from credstack.accounts.secret_values import digest, new_secret
from credstack.store.tables.accounts import SessionRow, UserRow

LIFETIME = timedelta(hours=12)
IDLE_TIMEOUT = timedelta(hours=2)
# A session's last-seen time is written at most this often (not once per request).
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class StartedSession:
    """What the client gets at sign-in: the session id (cookie) and its CSRF token."""

    secret: str
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class PortalSession:
    """A live session, as a request sees it."""

    user_id: str
    email: str
    csrf_token: str
    expires_at: datetime


def start(session: Session, *, user_id: str, address: str | None,
          now: datetime) -> StartedSession:
    """Open a new session for ``user_id``."""
    secret, csrf_token = new_secret(), new_secret()
    expires_at = now + LIFETIME
    session.add(SessionRow(
        id_hash=digest(secret), user_id=user_id, csrf_token=csrf_token, address=address,
        created_at=now, expires_at=expires_at, last_seen_at=now,
    ))
    return StartedSession(secret, csrf_token, expires_at)


def resolve(session: Session, *, secret: str, now: datetime) -> PortalSession | None:
    """The live session with id ``secret``, or None (unknown, ended, expired, idle, or its
    user disabled)."""
    found = session.execute(
        select(SessionRow, UserRow.disabled, UserRow.email)
        .join(UserRow, UserRow.id == SessionRow.user_id)
        .where(SessionRow.id_hash == digest(secret))
    ).one_or_none()
    if found is None:
        return None
    row, disabled, email = found
    if row.ended_at is not None or disabled:
        return None
    if now >= row.expires_at or now - row.last_seen_at >= IDLE_TIMEOUT:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
    return PortalSession(row.user_id, email, row.csrf_token, row.expires_at)


def end(session: Session, *, secret: str, reason: str, now: datetime) -> str | None:
    """End the session ``secret``; the id of its user, or None if it was not live."""
    row = session.get(SessionRow, digest(secret))
    if row is None or row.ended_at is not None:
        return None
    row.ended_at, row.end_reason = now, reason
    return row.user_id


def end_all(session: Session, *, user_id: str, reason: str, now: datetime) -> int:
    """End every live session of ``user_id``; how many were ended."""
    result = session.execute(
        update(SessionRow)
        .where(SessionRow.user_id == user_id, SessionRow.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason)
    )
    return int(getattr(result, "rowcount", 0) or 0)
