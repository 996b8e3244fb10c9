"""Reading stored records: a version, many current versions, listings and counts."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from credstack.domain.credential import MicroCredential
from credstack.domain.lifecycle import is_review_due
from credstack.domain.vocabulary import LifecycleStatus
from credstack.errors import NotFound
from credstack.store.tables.registry import CredentialRow, CredentialVersionRow


@dataclass(frozen=True)
class StoredCredential:
    """A record as stored: its document at one version, and the credential's status."""

    record: MicroCredential
    version: int
    current_version: int
    status: LifecycleStatus
    created_at: datetime
    updated_at: datetime
    version_created_by: str

    @property
    def review_due(self) -> bool:
        """Published and past its CIS review date."""
        review = self.record.expiry.review_date if self.record.expiry else None
        return is_review_due(self.status, review, datetime.now(UTC).date())

    def summary(self) -> dict[str, Any]:
        """The short form used in search results and listings."""
        record = self.record
        return {
            "id": record.id,
            "title": record.title,
            "provider": {"id": record.provider.issuer.id, "name": record.provider.issuer.name},
            "status": self.status.value,
            "review_due": self.review_due,
            "version": self.current_version,
            "total_hours": record.total_hours,
            "ects": record.ects,
            "eqf_level": record.eqf_level,
            "delivery_mode": record.delivery_mode.mode.value if record.delivery_mode else None,
            "language": record.language,
            "price": (
                {"amount": float(record.price.amount), "currency": record.price.currency}
                if record.price
                else None
            ),
            "sample": record.sample,
        }


@dataclass(frozen=True)
class VersionInfo:
    """One version of a record: number, author, time and content hash."""

    version: int
    created_at: datetime
    created_by: str
    content_hash: str


def get_record(
    session: Session, *, credential_id: str, version: int | None = None
) -> StoredCredential:
    """A stored record at ``version`` (default: current); NotFound if either is unknown."""
    row = session.get(CredentialRow, credential_id)
    if row is None:
        raise NotFound(f"no micro-credential with id '{credential_id}'")
    wanted = version if version is not None else row.current_version
    version_row = session.get(CredentialVersionRow, (credential_id, wanted))
    if version_row is None:
        raise NotFound(
            f"micro-credential '{credential_id}' has no version {wanted} "
            f"(versions 1 to {row.current_version})"
        )
    return _stored(row, version_row)


class _VersionCache:
    """Validated records of listed versions, by content address (versions never change).

    Used for listings and search pages, whose records are only read; ``get_record``
    always validates afresh so a caller may change what it gets.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, int, str], MicroCredential] = OrderedDict()
        self._lock = threading.Lock()

    def record(self, row: CredentialVersionRow) -> MicroCredential:
        key = (row.credential_id, row.version, row.content_hash)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        record = MicroCredential.model_validate(row.document)
        with self._lock:
            self._items[key] = record
            if len(self._items) > self._size:
                self._items.popitem(last=False)
        return record


_listed = _VersionCache(size=4096)


def _stored(
    row: CredentialRow, version_row: CredentialVersionRow, *, cached: bool = False
) -> StoredCredential:
    record = (
        _listed.record(version_row)
        if cached
        else MicroCredential.model_validate(version_row.document)
    )
    return StoredCredential(
        record=record,
        version=version_row.version,
        current_version=row.current_version,
        status=LifecycleStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        version_created_by=version_row.created_by,
    )


def get_many(session: Session, *, credential_ids: Sequence[str]) -> list[StoredCredential]:
    """Current versions of ``credential_ids`` in the order given (unknown ids skipped)."""
    if not credential_ids:
        return []
    rows = session.execute(
        select(CredentialRow, CredentialVersionRow)
        .join(
            CredentialVersionRow,
            (CredentialVersionRow.credential_id == CredentialRow.id)
            & (CredentialVersionRow.version == CredentialRow.current_version),
        )
        .where(CredentialRow.id.in_(list(credential_ids)))
    ).all()
    by_id = {row.id: _stored(row, version, cached=True) for row, version in rows}
    return [by_id[i] for i in credential_ids if i in by_id]


def iter_records(
    session: Session, *, status: LifecycleStatus | None = None, batch_size: int = 500
) -> Iterator[StoredCredential]:
    """Every record's current version, in id order, fetched in batches."""
    last = ""
    while True:
        query = select(CredentialRow.id).where(CredentialRow.id > last)
        if status is not None:
            query = query.where(CredentialRow.status == status.value)
        batch = list(session.scalars(query.order_by(CredentialRow.id).limit(batch_size)))
        if not batch:
            return
        yield from get_many(session, credential_ids=batch)
        last = batch[-1]


def count_records(session: Session, *, status: LifecycleStatus | None = None) -> int:
    """How many records the registry holds (of ``status``, if given)."""
    query = select(func.count()).select_from(CredentialRow)
    if status is not None:
        query = query.where(CredentialRow.status == status.value)
    return int(session.scalar(query) or 0)


def list_versions(session: Session, *, credential_id: str) -> list[VersionInfo]:
    """Every version of a record, oldest first."""
    if session.get(CredentialRow, credential_id) is None:
        raise NotFound(f"no micro-credential with id '{credential_id}'")
    rows = session.scalars(
        select(CredentialVersionRow)
        .where(CredentialVersionRow.credential_id == credential_id)
        .order_by(CredentialVersionRow.version)
    )
    return [VersionInfo(r.version, r.created_at, r.created_by, r.content_hash) for r in rows]


def review_due_ids(session: Session, *, today: date) -> list[str]:
    """Published records whose CIS review date has passed."""
    return list(
        session.scalars(
            select(CredentialRow.id)
            .where(CredentialRow.status == LifecycleStatus.PUBLISHED.value)
            .where(CredentialRow.review_date < today)
            .order_by(CredentialRow.id)
        )
    )


def ids_in(session: Session, *, ids: Iterable[str]) -> set[str]:
    """The subset of ``ids`` the registry holds."""
    wanted = list(ids)
    if not wanted:
        return set()
    return set(session.scalars(select(CredentialRow.id).where(CredentialRow.id.in_(wanted))))
