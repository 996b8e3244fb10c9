"""Lifecycle transitions of stored records, with the publishing gate and their history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from credstack.domain.credential import MicroCredential
from credstack.domain.lifecycle import can_transition
from credstack.domain.vocabulary import LifecycleStatus
from credstack.errors import Conflict, CredstackError
from credstack.registry.search_columns import bump_generation
from credstack.registry.stored import StoredCredential, get_record
from credstack.store.tables.registry import CredentialRow, CredentialSearchRow, StatusEventRow


class PublishBlocked(CredstackError):
    """The registry's quality standard has failing required rules for this record."""

    def __init__(self, credential_id: str, standard: str, failures: list[dict[str, str]]) -> None:
        self.credential_id = credential_id
        self.standard = standard
        self.failures = failures
        names = ", ".join(failure["rule"] for failure in failures)
        super().__init__(f"{credential_id} does not meet {standard}: failing {names}")


Gate = Callable[[MicroCredential], list[dict[str, str]]]


def transition(
    session: Session,
    *,
    credential_id: str,
    target: LifecycleStatus,
    actor: str,
    note: str | None = None,
    publish_gate: Gate | None = None,
    standard: str = "",
) -> StoredCredential:
    """Move a record to ``target``; publishing requires ``publish_gate`` to find no failure."""
    stored = get_record(session, credential_id=credential_id)
    if not can_transition(stored.status, target):
        raise Conflict(
            f"cannot move '{credential_id}' from {stored.status.value} to {target.value}"
        )
    if target is LifecycleStatus.PUBLISHED and publish_gate is not None:
        failures = publish_gate(stored.record)
        if failures:
            raise PublishBlocked(credential_id, standard, failures)
    now = datetime.now(UTC)
    session.execute(
        update(CredentialRow)
        .where(CredentialRow.id == credential_id)
        .values(status=target.value, updated_at=now)
    )
    doc_ids = session.execute(
        update(CredentialSearchRow)
        .where(CredentialSearchRow.credential_id == credential_id)
        .values(status=target.value, updated_at=now)
        .returning(CredentialSearchRow.doc_id)
    ).scalars()
    bump_generation(session, documents=list(doc_ids))
    session.execute(
        insert(StatusEventRow).values(
            credential_id=credential_id,
            from_status=stored.status.value,
            to_status=target.value,
            at=now,
            actor=actor,
            note=note,
        )
    )
    return get_record(session, credential_id=credential_id)


def status_history(session: Session, *, credential_id: str) -> list[dict[str, Any]]:
    """Every lifecycle transition of a record, oldest first."""
    rows = session.scalars(
        select(StatusEventRow)
        .where(StatusEventRow.credential_id == credential_id)
        .order_by(StatusEventRow.id)
    )
    return [
        {"from": r.from_status, "to": r.to_status, "at": r.at, "actor": r.actor, "note": r.note}
        for r in rows
    ]
