"""Accounts service: users, registry roles, memberships, sign-in, and the actor of a user.

Plain functions taking the caller's ``Session`` (the caller owns the transaction) and
the acting ``Actor``; each state change is checked by the policy and written to the
audit log in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import String, Subquery, bindparam, delete, literal, select, union_all
from sqlalchemy.orm import Session

from credstack.accounts import audit, sessions, throttle
from credstack.accounts.errors import AccountsError, DuplicateAccount, LoginFailed, Throttled
from credstack.accounts.model import (
    Action,
    Actor,
    ActorKind,
    OrgRole,
    RegistryRole,
    Resource,
    ResourceKind,
    Scope,
    User,
)
from credstack.accounts.passwords import hash_password, needs_rehash, verify_password
from credstack.accounts.policy import require
from credstack.assess.learner import check_email, normalize_email
from credstack.errors import InvalidInput, NotFound, Problem
from credstack.registry.providers import get_provider
from credstack.store.tables.accounts import MembershipRow, RegistryRoleRow, UserRow


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def valid_email(email: str, *, location: str = "email") -> str:
    """``email`` normalised (trimmed, lower case), or bad input naming ``location``."""
    try:
        return check_email(email)
    except ValueError as error:
        raise InvalidInput([Problem(location, str(error))]) from None


def _row(session: Session, email: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.email == normalize_email(email)))
    if row is None:
        raise NotFound(f"no user with email '{normalize_email(email)}'")
    return row


def with_roles(session: Session, rows: Iterable[UserRow]) -> list[User]:
    """The users of loaded rows, with their registry roles and memberships."""
    rows = list(rows)
    ids = [row.id for row in rows]
    roles: dict[str, set[RegistryRole]] = {}
    for user_id, role in session.execute(
        select(RegistryRoleRow.user_id, RegistryRoleRow.role)
        .where(RegistryRoleRow.user_id.in_(ids))
    ):
        roles.setdefault(user_id, set()).add(RegistryRole(role))
    members: dict[str, list[tuple[str, OrgRole]]] = {}
    for user_id, organization, role in session.execute(
        select(MembershipRow.user_id, MembershipRow.organization_id, MembershipRow.role)
        .where(MembershipRow.user_id.in_(ids))
        .order_by(MembershipRow.organization_id, MembershipRow.role)
    ):
        members.setdefault(user_id, []).append((organization, OrgRole(role)))
    return [
        User(
            id=row.id, email=row.email, display_name=row.display_name, disabled=row.disabled,
            created_at=row.created_at, last_login_at=row.last_login_at,
            registry_roles=frozenset(roles.get(row.id, ())),
            memberships=tuple(members.get(row.id, ())),
        )
        for row in rows
    ]


def get_user(session: Session, *, email: str) -> User:
    """The user with ``email`` (compared case-insensitively)."""
    return with_roles(session, [_row(session, email)])[0]


def get_user_by_id(session: Session, *, user_id: str) -> User:
    """The user with id ``user_id``."""
    row = session.get(UserRow, user_id)
    if row is None:
        raise NotFound(f"no user with id '{user_id}'")
    return with_roles(session, [row])[0]


def list_users(session: Session, *, actor: Actor) -> list[User]:
    """Every user, by email."""
    require(actor, Action.MANAGE_USERS, Resource.registry())
    return with_roles(session, session.scalars(select(UserRow).order_by(UserRow.email)))


def add_user(
    session: Session,
    *,
    email: str,
    display_name: str | None,
    password: str,
    registry_roles: Iterable[RegistryRole] = (),
    actor: Actor,
    address: str | None = None,
    now: datetime | None = None,
) -> User:
    """Create a user with an Argon2id-hashed password and the given registry roles."""
    require(actor, Action.MANAGE_USERS, Resource.registry())
    normalised = valid_email(email)
    name = (display_name or "").strip() or normalised.split("@")[0]
    if len(name) > 200:
        raise InvalidInput([Problem("display_name", "must be at most 200 characters")])
    if session.scalar(select(UserRow.id).where(UserRow.email == normalised)) is not None:
        raise DuplicateAccount(f"a user with email '{normalised}' already exists")
    moment = _now(now)
    row = UserRow(
        id=uuid.uuid4().hex, email=normalised, display_name=name,
        password_hash=hash_password(password), disabled=False, created_at=moment,
        last_login_at=None, password_changed_at=moment,
    )
    session.add(row)
    session.flush()  # the user row before the rows that refer to it (no ORM relationships)
    roles = sorted(set(registry_roles), key=lambda role: role.value)
    session.add_all(
        RegistryRoleRow(user_id=row.id, role=role.value, granted_at=moment) for role in roles
    )
    audit.append(
        session, actor=actor, action="user.add", resource_type="user", resource_id=normalised,
        address=address, now=moment,
        detail={"registry_roles": [role.value for role in roles]},
    )
    return get_user_by_id(session, user_id=row.id)


def disable_user(session: Session, *, email: str, actor: Actor, address: str | None = None,
                 now: datetime | None = None) -> User:
    """Disable a user: sign-in refused, sessions ended, tokens no longer accepted."""
    require(actor, Action.MANAGE_USERS, Resource.registry())
    row = _row(session, email)
    moment = _now(now)
    row.disabled = True
    ended = sessions.end_all(session, user_id=row.id, reason="disabled", now=moment)
    audit.append(session, actor=actor, action="user.disable", resource_type="user",
                 resource_id=row.email, address=address, now=moment,
                 detail={"sessions_ended": ended})
    return get_user_by_id(session, user_id=row.id)


def set_password(session: Session, *, email: str, password: str, actor: Actor,
                 address: str | None = None, now: datetime | None = None) -> None:
    """Set a user's password (an administrator's act); ends the user's sessions."""
    require(actor, Action.MANAGE_USERS, Resource.registry())
    _replace_password(session, _row(session, email), password, actor, address, _now(now))


def change_own_password(session: Session, *, actor: Actor, current_password: str,
                        new_password: str, address: str | None = None,
                        now: datetime | None = None) -> None:
    """A user changes their own password, proving the current one; ends their sessions
    (the portal then opens a new one)."""
    row = session.get(UserRow, actor.user_id) if actor.user_id else None
    require(actor, Action.MANAGE_OWN_ACCOUNT,
            Resource(ResourceKind.USER, owner_id=row.id if row else None))
    assert row is not None  # require() let only the account's owner through
    if not verify_password(row.password_hash, current_password):
        raise InvalidInput([Problem("current_password", "is not the current password")])
    _replace_password(session, row, new_password, actor, address, _now(now))


def _replace_password(session: Session, row: UserRow, password: str, actor: Actor,
                      address: str | None, now: datetime) -> None:
    row.password_hash = hash_password(password)
    row.password_changed_at = now
    ended = sessions.end_all(session, user_id=row.id, reason="password changed", now=now)
    audit.append(session, actor=actor, action="user.set_password", resource_type="user",
                 resource_id=row.email, address=address, now=now,
                 detail={"sessions_ended": ended})


def grant_registry_role(session: Session, *, email: str, role: RegistryRole, actor: Actor,
                        address: str | None = None, now: datetime | None = None) -> User:
    """Give a user a registry-wide role (no change if they hold it)."""
    require(actor, Action.MANAGE_USERS, Resource.registry())
    row = _row(session, email)
    if session.get(RegistryRoleRow, (row.id, role.value)) is None:
        moment = _now(now)
        session.add(RegistryRoleRow(user_id=row.id, role=role.value, granted_at=moment))
        audit.append(session, actor=actor, action="user.grant_role", resource_type="user",
                     resource_id=row.email, address=address, now=moment,
                     detail={"role": role.value})
    return get_user_by_id(session, user_id=row.id)


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt. Failures are returned, not raised: their records
    (throttle, audit) must be committed with the caller's transaction."""

    user: User | None
    error: AccountsError | None


def authenticate(session: Session, *, email: str, password: str, address: str | None,
                 now: datetime | None = None) -> SignIn:
    """Check an email and password, throttled per account and per address (see
    ``throttle``). Every failure gives the same ``LoginFailed`` message."""
    moment = _now(now)
    normalised = normalize_email(email)[:320]
    wait = throttle.current_wait(session, email=normalised, address=address, now=moment)
    if wait.total_seconds() > 0:
        audit.append(session, actor=Actor.anonymous(), action="login.throttled",
                     resource_type="user", resource_id=normalised, address=address, now=moment)
        return SignIn(None, Throttled(int(wait.total_seconds())))
    row = session.scalar(select(UserRow).where(UserRow.email == normalised))
    matches = verify_password(row.password_hash if row else None, password)
    if row is None or not matches or row.disabled:
        throttle.record_failure(session, email=normalised, address=address, now=moment)
        audit.append(session, actor=Actor.anonymous(), action="login.failed",
                     resource_type="user", resource_id=normalised, address=address, now=moment)
        return SignIn(None, LoginFailed())
    throttle.clear_account(session, email=normalised)
    if needs_rehash(row.password_hash):
        row.password_hash = hash_password(password)
    row.last_login_at = moment
    user = get_user_by_id(session, user_id=row.id)
    audit.append(session, actor=actor_of(user), action="login", resource_type="user",
                 resource_id=normalised, address=address, now=moment)
    return SignIn(user, None)


def actor_of(user: User, *, scope: Scope | None = None) -> Actor:
    """The actor a signed-in user is (``scope``: that of the API token it came with)."""
    return actor_from_roles(user.id, user.email, (
        *((role.value, None) for role in user.registry_roles),
        *((role.value, organization) for organization, role in user.memberships),
    ), scope)


def roles_of(user_id: Any) -> Subquery:
    """Rows (user_id, role, organization_id) of users' registry roles (organization NULL)
    and memberships, for ``user_id`` (a column to join on, or a bound parameter)."""
    return union_all(
        select(RegistryRoleRow.user_id, RegistryRoleRow.role,
               literal(None, String(128)).label("organization_id"))
        .where(RegistryRoleRow.user_id == user_id),
        select(MembershipRow.user_id, MembershipRow.role, MembershipRow.organization_id)
        .where(MembershipRow.user_id == user_id),
    ).subquery()


# Prepared once: resolving the actor of a portal request costs one small query.
_ROLES = roles_of(bindparam("user_id"))
_ROLES_QUERY = select(_ROLES.c.role, _ROLES.c.organization_id)


def actor_by_id(session: Session, *, user_id: str, email: str,
                scope: Scope | None = None) -> Actor:
    """The actor of the user ``user_id`` (whose email is ``email``), roles loaded."""
    rows = session.execute(_ROLES_QUERY, {"user_id": user_id}).tuples()
    return actor_from_roles(user_id, email, rows, scope)


def actor_from_roles(user_id: str, email: str, roles: Iterable[tuple[str | None, str | None]],
                     scope: Scope | None) -> Actor:
    """A user's actor from (role, organization) pairs; a pair without a role is skipped."""
    registry_roles: set[RegistryRole] = set()
    org_roles: dict[str, set[OrgRole]] = {}
    for role, organization in roles:
        if role is None:
            continue
        if organization is None:
            registry_roles.add(RegistryRole(role))
        else:
            org_roles.setdefault(organization, set()).add(OrgRole(role))
    return Actor(
        ActorKind.USER, name=email, user_id=user_id, registry_roles=frozenset(registry_roles),
        org_roles=MappingProxyType({org: frozenset(held) for org, held in org_roles.items()}),
        scope=scope,
    )


def _organization(organization_id: str) -> Resource:
    return Resource(ResourceKind.ORGANIZATION, organization_id, organization_id=organization_id)


def add_member(session: Session, *, email: str, organization_id: str, role: OrgRole,
               actor: Actor, address: str | None = None, now: datetime | None = None) -> User:
    """Give a user a role in an organization (a registry provider)."""
    require(actor, Action.MANAGE_MEMBERS, _organization(organization_id))
    get_provider(session, provider_id=organization_id)
    row = _row(session, email)
    if session.get(MembershipRow, (row.id, organization_id, role.value)) is None:
        moment = _now(now)
        session.add(MembershipRow(user_id=row.id, organization_id=organization_id,
                                  role=role.value, granted_at=moment))
        audit.append(session, actor=actor, action="member.add", resource_type="membership",
                     resource_id=f"{row.email} {role.value}", organization_id=organization_id,
                     address=address, now=moment, detail={"role": role.value})
    return get_user_by_id(session, user_id=row.id)


def remove_member(session: Session, *, email: str, organization_id: str,
                  role: OrgRole | None, actor: Actor, address: str | None = None,
                  now: datetime | None = None) -> int:
    """Take a role (or, with ``role`` None, every role) in an organization from a user;
    how many roles were removed."""
    require(actor, Action.MANAGE_MEMBERS, _organization(organization_id))
    row = _row(session, email)
    query = delete(MembershipRow).where(
        MembershipRow.user_id == row.id, MembershipRow.organization_id == organization_id)
    if role is not None:
        query = query.where(MembershipRow.role == role.value)
    removed = int(getattr(session.execute(query), "rowcount", 0) or 0)
    if removed:
        audit.append(session, actor=actor, action="member.remove", resource_type="membership",
                     resource_id=f"{row.email} {role.value if role else '*'}",
                     organization_id=organization_id, address=address, now=_now(now),
                     detail={"roles_removed": removed})
    return removed


def list_members(session: Session, *, organization_id: str | None,
                 actor: Actor) -> list[dict[str, str]]:
    """Memberships of one organization (or all), as ``{email, organization, role}``."""
    if organization_id is None:
        require(actor, Action.MANAGE_USERS, Resource.registry())
    else:
        require(actor, Action.MANAGE_MEMBERS, _organization(organization_id))
    query = (
        select(UserRow.email, MembershipRow.organization_id, MembershipRow.role)
        .join(UserRow, UserRow.id == MembershipRow.user_id)
        .order_by(MembershipRow.organization_id, UserRow.email, MembershipRow.role)
    )
    if organization_id is not None:
        query = query.where(MembershipRow.organization_id == organization_id)
    return [
        {"email": email, "organization": organization, "role": role}
        for email, organization, role in session.execute(query)
    ]
