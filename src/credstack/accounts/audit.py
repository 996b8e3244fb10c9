"""The audit log: an append-only record of every state change, and who may read it.

Each entry says who (the actor's label), when (UTC), from where (client address), what
(an action name such as ``token.create``, the resource type and id, its organization)
and the version ids before and after. No password, token, session id or key ever enters
an entry: ``append`` refuses details under a secret's name.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from credstack.accounts.model import Action, Actor, ActorKind, OrgRole, RegistryRole, Resource
from credstack.accounts.model import ResourceKind as Kind
from credstack.accounts.policy import require
from credstack.store.tables.accounts import AuditRow

SECRET_NAMES = frozenset({
    "password", "new_password", "current_password", "password_hash", "token", "secret",
    "session", "session_id", "csrf", "csrf_token", "private_key", "passphrase", "key",
})
CSV_COLUMNS = (
    "id", "at", "actor", "address", "action", "resource_type", "resource_id",
    "organization_id", "version_before", "version_after", "detail",
)


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the audit log."""

    id: int
    at: datetime
    actor: str
    address: str | None
    action: str
    resource_type: str
    resource_id: str | None
    organization_id: str | None
    version_before: str | None
    version_after: str | None
    detail: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The stable ``--json`` / API shape of an entry."""
        return {
            "id": self.id, "at": self.at.isoformat(), "actor": self.actor,
            "address": self.address, "action": self.action,
            "resource_type": self.resource_type, "resource_id": self.resource_id,
            "organization_id": self.organization_id, "version_before": self.version_before,
            "version_after": self.version_after, "detail": self.detail,
        }


def _check_no_secrets(detail: dict[str, Any], path: str = "detail") -> None:
    for name, value in detail.items():
        if name.lower() in SECRET_NAMES:
            raise ValueError(f"{path}.{name}: secrets never enter the audit log")
        if isinstance(value, dict):
            _check_no_secrets(value, f"{path}.{name}")


def append(
    session: Session,
    *,
    actor: Actor,
    action: str,
    resource_type: str,
    resource_id: str | None = None,
    organization_id: str | None = None,
    before: str | int | None = None,
    after: str | int | None = None,
    detail: dict[str, Any] | None = None,
    address: str | None = None,
    now: datetime | None = None,
) -> None:
    """Add one entry to the audit log, in the caller's transaction."""
    detail = detail or {}
    _check_no_secrets(detail)
    session.add(AuditRow(
        at=now or datetime.now(UTC),
        actor=actor.label,
        actor_user_id=actor.user_id,
        address=address,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        organization_id=organization_id,
        version_before=None if before is None else str(before),
        version_after=None if after is None else str(after),
        detail=detail,
    ))


def entries(
    session: Session,
    *,
    viewer: Actor,
    since: datetime | None = None,
    actor: str | None = None,
    action: str | None = None,
    organization_id: str | None = None,
) -> list[AuditEntry]:
    """The entries ``viewer`` may read, oldest first: registry admins (and the operator)
    read all, org admins their organizations' entries. ``actor`` matches a label
    (``user:EMAIL``) or a bare email or login name."""
    query = select(AuditRow).order_by(AuditRow.id)
    if organization_id is not None:
        require(viewer, Action.READ_AUDIT, Resource(Kind.ORGANIZATION, organization_id,
                                                    organization_id=organization_id))
        query = query.where(AuditRow.organization_id == organization_id)
    elif viewer.kind is not ActorKind.SYSTEM and RegistryRole.ADMIN not in viewer.registry_roles:
        mine = viewer.organizations(OrgRole.ORG_ADMIN)
        if not mine:
            require(viewer, Action.READ_AUDIT, Resource.registry())
        query = query.where(AuditRow.organization_id.in_(sorted(mine)))
    if since is not None:
        query = query.where(AuditRow.at >= since)
    if actor:
        query = query.where(or_(*(AuditRow.actor == label for label in (
            actor, f"user:{actor.strip().lower()}", f"system:{actor}"))))
    if action:
        query = query.where(AuditRow.action == action)
    return [_entry(row) for row in session.scalars(query)]


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        id=row.id, at=row.at, actor=row.actor, address=row.address, action=row.action,
        resource_type=row.resource_type, resource_id=row.resource_id,
        organization_id=row.organization_id, version_before=row.version_before,
        version_after=row.version_after, detail=dict(row.detail),
    )


def to_csv(items: list[AuditEntry]) -> str:
    """The entries as CSV (RFC 4180), one row each, ``detail`` as JSON; text that a
    spreadsheet would take for a formula starts with an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        data = item.to_dict()
        data["detail"] = json.dumps(item.detail, sort_keys=True, ensure_ascii=False)
        writer.writerow([_cell(data[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()


def _cell(value: object) -> object:
    # A text cell starting with = + - @ would run as a formula in a spreadsheet (OWASP
    # "CSV injection"): a leading apostrophe keeps it text.
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
