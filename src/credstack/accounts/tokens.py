"""Personal access tokens for the API (``Authorization: Bearer cst_...``).

256 random bits, shown once at creation, stored only as their SHA-256 with a short
prefix for display; each has a scope (read, write, issue), an optional expiry and can be
revoked. A token of a disabled user is refused.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from credstack.accounts import audit
from credstack.accounts.errors import Unauthenticated
from credstack.accounts.model import Action, Actor, Resource, ResourceKind, Scope
from credstack.accounts.policy import require
from credstack.accounts.secret_values import digest, display_prefix, new_api_token
from credstack.accounts.service import actor_from_roles, get_user, get_user_by_id, roles_of
from credstack.errors import InvalidInput, NotFound, Problem
from credstack.store.tables.accounts import ApiTokenRow, UserRow

# last_used_at is written at most this often, so a busy token costs no write per request.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class ApiToken:
    """A token as listings show it: never the secret."""

    id: str
    user_email: str
    name: str
    prefix: str
    scope: Scope
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    def active(self, now: datetime) -> bool:
        """Neither revoked nor expired at ``now``."""
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    def to_dict(self) -> dict[str, Any]:
        """The stable ``--json`` / API shape of a token."""
        def stamp(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "id": self.id, "user": self.user_email, "name": self.name, "prefix": self.prefix,
            "scope": self.scope.value, "created_at": stamp(self.created_at),
            "expires_at": stamp(self.expires_at), "revoked_at": stamp(self.revoked_at),
            "last_used_at": stamp(self.last_used_at),
        }


def _token(row: ApiTokenRow, email: str) -> ApiToken:
    return ApiToken(
        id=row.id, user_email=email, name=row.name, prefix=row.prefix, scope=Scope(row.scope),
        created_at=row.created_at, expires_at=row.expires_at, revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


def _account(user_id: str) -> Resource:
    return Resource(ResourceKind.USER, user_id, owner_id=user_id)


def create(session: Session, *, email: str, name: str, scope: Scope,
           lifetime: timedelta | None, actor: Actor, address: str | None = None,
           now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for the user ``email``; returns it and its secret (shown once)."""
    user = get_user(session, email=email)
    require(actor, Action.MANAGE_OWN_ACCOUNT, _account(user.id))
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput([Problem("name", "must be 1 to 200 characters")])
    moment = now or datetime.now(UTC)
    secret = new_api_token()
    row = ApiTokenRow(
        id=uuid.uuid4().hex, user_id=user.id, token_hash=digest(secret),
        prefix=display_prefix(secret), name=name, scope=scope.value, created_at=moment,
        expires_at=moment + lifetime if lifetime else None,
    )
    session.add(row)
    audit.append(session, actor=actor, action="token.create", resource_type="api_token",
                 resource_id=row.id, address=address, now=moment,
                 detail={"user": user.email, "name": name, "scope": scope.value,
                         "prefix": row.prefix,
                         "expires_at": row.expires_at.isoformat() if row.expires_at else None})
    return _token(row, user.email), secret


def list_tokens(session: Session, *, email: str | None, actor: Actor) -> list[ApiToken]:
    """The tokens of one user (or, for the operator and registry admins, of everyone)."""
    query = select(ApiTokenRow, UserRow.email).join(UserRow, UserRow.id == ApiTokenRow.user_id)
    if email is None:
        require(actor, Action.MANAGE_USERS, Resource.registry())
    else:
        user = get_user(session, email=email)
        require(actor, Action.READ_OWN_ACCOUNT, _account(user.id))
        query = query.where(ApiTokenRow.user_id == user.id)
    query = query.order_by(UserRow.email, ApiTokenRow.created_at, ApiTokenRow.id)
    return [_token(row, user_email) for row, user_email in session.execute(query)]


def revoke(session: Session, *, token_id: str, actor: Actor, address: str | None = None,
           now: datetime | None = None) -> ApiToken:
    """Revoke a token (no change if it already was)."""
    row = session.get(ApiTokenRow, token_id)
    if row is None:
        raise NotFound(f"no API token with id '{token_id}'")
    require(actor, Action.MANAGE_OWN_ACCOUNT, _account(row.user_id))
    user = get_user_by_id(session, user_id=row.user_id)
    if row.revoked_at is None:
        row.revoked_at = now or datetime.now(UTC)
        audit.append(session, actor=actor, action="token.revoke", resource_type="api_token",
                     resource_id=row.id, address=address, now=row.revoked_at,
                     detail={"user": user.email, "prefix": row.prefix})
    return _token(row, user.email)


# One round trip per API request: the token, its user, and the user's roles (one row
# per role; a user without roles gives one row whose role is NULL). Prepared once.
_ROLES = roles_of(UserRow.id)
_BEARER = (
    select(ApiTokenRow.id, ApiTokenRow.scope, ApiTokenRow.expires_at, ApiTokenRow.revoked_at,
           ApiTokenRow.last_used_at, UserRow.id, UserRow.email, UserRow.disabled,
           _ROLES.c.role, _ROLES.c.organization_id)
    .join(UserRow, UserRow.id == ApiTokenRow.user_id)
    .outerjoin(_ROLES, _ROLES.c.user_id == UserRow.id)
    .where(ApiTokenRow.token_hash == bindparam("token_hash"))
)


def authenticate(session: Session, *, secret: str, now: datetime | None = None) -> Actor:
    """The actor of a bearer token; ``Unauthenticated`` if the token is unknown, revoked,
    expired or its user disabled. One query; a write at most once a minute."""
    moment = now or datetime.now(UTC)
    rows = session.execute(_BEARER, {"token_hash": digest(secret)}).all()
    if not rows:
        raise Unauthenticated("the API token is not valid")
    token_id, scope, expires_at, revoked_at, last_used_at, user_id, email, disabled = rows[0][:8]
    if disabled or revoked_at is not None or (expires_at is not None and moment >= expires_at):
        raise Unauthenticated("the API token is revoked, expired, or its user is disabled")
    actor = actor_from_roles(user_id, email, ((row[8], row[9]) for row in rows), Scope(scope))
    if last_used_at is None or moment - last_used_at >= TOUCH_EVERY:
        session.execute(
            update(ApiTokenRow).where(ApiTokenRow.id == token_id).values(last_used_at=moment))
    return actor
