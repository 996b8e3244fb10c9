"""Registry use cases: store records as versions, read them, move them through the lifecycle.

Functions take the session as a keyword and never commit: the caller's unit of work does.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from credstack.domain.credential import MicroCredential, Provider
from credstack.domain.lifecycle import can_transition, is_review_due
from credstack.domain.vocabulary import LifecycleStatus
from credstack.errors import Conflict, CredstackError, NotFound
from credstack.registry.facets import facet_values, search_text
from credstack.store.tables.registry import (
    CredentialFacetRow,
    CredentialRow,
    CredentialSearchRow,
    CredentialTextRow,
    CredentialVersionRow,
    ProviderRow,
    RegistryStateRow,
    StatusEventRow,
)


class PublishBlocked(CredstackError):
    """The registry's quality standard has failing required rules for this record."""

    def __init__(self, credential_id: str, standard: str, failures: list[dict[str, str]]) -> None:
        self.credential_id = credential_id
        self.standard = standard
        self.failures = failures
        names = ", ".join(failure["rule"] for failure in failures)
        super().__init__(f"{credential_id} does not meet {standard}: failing {names}")


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


def content_hash(record: MicroCredential) -> str:
    """SHA-256 of the record's JSON: equal records hash alike.

    The model fixes the order of every field, so its own serializer's output is
    canonical for records, and much cheaper than re-encoding a sorted dict.
    """
    return hashlib.sha256(record.model_dump_json(exclude_none=True).encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _provider_values(provider: Provider, now: datetime) -> dict[str, Any]:
    return {
        "id": provider.id,
        "name": provider.name,
        "country": provider.country,
        "region": provider.region,
        "type": provider.type.value,
        "document": provider.model_dump(mode="json", exclude_none=True),
        "updated_at": now,
    }


def _summary_values(record: MicroCredential) -> dict[str, Any]:
    return {
        "provider_id": record.provider.issuer.id,
        "title": record.title,
        "total_hours": record.total_hours,
        "ects": record.ects,
        "eqf_level": record.eqf_level,
        "price_amount": float(record.price.amount) if record.price else None,
        "currency": record.price.currency if record.price else None,
        "delivery_mode": record.delivery_mode.mode.value if record.delivery_mode else None,
        "review_date": record.expiry.review_date if record.expiry else None,
        "sample": record.sample,
    }


def _upsert_providers(session: Session, records: Sequence[MicroCredential], now: datetime) -> None:
    providers: dict[str, Provider] = {}
    for record in records:
        providers[record.provider.issuer.id] = record.provider.issuer
        for other in record.provider.others:
            providers.setdefault(other.provider.id, other.provider)
    stored: dict[str, Any] = {
        key: document
        for key, document in session.execute(
            select(ProviderRow.id, ProviderRow.document).where(ProviderRow.id.in_(list(providers)))
        )
    }
    connection = session.connection()
    new = [_provider_values(p, now) for key, p in providers.items() if key not in stored]
    if new:
        connection.execute(insert(ProviderRow), new)
    for key, document in stored.items():
        # The latest record naming a provider is the latest word on its details.
        values = _provider_values(providers[key], now)
        if values["document"] != document:
            connection.execute(update(ProviderRow).where(ProviderRow.id == key).values(**values))


def save_many(
    session: Session, *, records: Sequence[MicroCredential], actor: str
) -> list[tuple[str, int, bool]]:
    """Store ``records``: new ids start at version 1 (draft); changed ones get a new version.

    Returns (id, version, changed) for each record; unchanged documents add no version.
    """
    ids = [record.id for record in records]
    if len(set(ids)) != len(ids):
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        raise Conflict(f"duplicate id(s) in one import: {', '.join(duplicated)}")
    now = _now()
    _upsert_providers(session, records, now)
    current = {
        row.id: row
        for row in session.scalars(select(CredentialRow).where(CredentialRow.id.in_(ids)))
    }
    hashes = _current_hashes(session, current)
    outcome: list[tuple[str, int, bool]] = []
    new_rows: list[dict[str, Any]] = []
    versions: list[dict[str, Any]] = []
    changed: list[MicroCredential] = []
    for record in records:
        digest = content_hash(record)
        row = current.get(record.id)
        if row is not None and hashes.get(record.id) == digest:
            outcome.append((record.id, row.current_version, False))
            continue
        version = 1 if row is None else row.current_version + 1
        values = _summary_values(record)
        if row is None:
            new_rows.append(
                {
                    "id": record.id,
                    "status": LifecycleStatus.DRAFT.value,
                    "current_version": 1,
                    "created_at": now,
                    "updated_at": now,
                    **values,
                }
            )
        else:
            session.execute(
                update(CredentialRow)
                .where(CredentialRow.id == record.id)
                .values(current_version=version, updated_at=now, **values)
            )
        versions.append(
            {
                "credential_id": record.id,
                "version": version,
                "document": record.to_document(),
                "content_hash": digest,
                "created_at": now,
                "created_by": actor,
            }
        )
        changed.append(record)
        outcome.append((record.id, version, True))
    if changed:
        _bump_generation(session)
    # Core executemany: the ORM's bulk path costs more than the database does here.
    connection = session.connection()
    if new_rows:
        connection.execute(insert(CredentialRow), new_rows)
    if versions:
        connection.execute(insert(CredentialVersionRow), versions)
    statuses = {key: row.status for key, row in current.items()}
    _reindex(session, changed, statuses=statuses, now=now)
    return outcome


def _bump_generation(session: Session) -> None:
    # Caches of search data (facet counts) compare this counter to know they are stale.
    session.execute(
        update(RegistryStateRow)
        .where(RegistryStateRow.id == 1)
        .values(generation=RegistryStateRow.generation + 1)
    )


def _current_hashes(session: Session, rows: dict[str, CredentialRow]) -> dict[str, str]:
    if not rows:
        return {}
    pairs = [(row.id, row.current_version) for row in rows.values()]
    result: dict[str, str] = {}
    for credential_id, version in pairs:
        digest = session.scalar(
            select(CredentialVersionRow.content_hash).where(
                CredentialVersionRow.credential_id == credential_id,
                CredentialVersionRow.version == version,
            )
        )
        if digest is not None:
            result[credential_id] = digest
    return result


def _reindex(
    session: Session,
    records: Sequence[MicroCredential],
    *,
    statuses: dict[str, str],
    now: datetime,
) -> None:
    """Replace the facet and search rows of ``records`` (new ones start as drafts)."""
    replace = [record.id for record in records if record.id in statuses]
    if replace:
        session.execute(
            delete(CredentialFacetRow).where(CredentialFacetRow.credential_id.in_(replace))
        )
        replaced_docs = select(CredentialSearchRow.doc_id).where(
            CredentialSearchRow.credential_id.in_(replace)
        )
        # Text first: its delete trigger keeps SQLite's full-text index in step.
        session.execute(
            delete(CredentialTextRow).where(CredentialTextRow.doc_id.in_(replaced_docs))
        )
        session.execute(
            delete(CredentialSearchRow).where(CredentialSearchRow.credential_id.in_(replace))
        )
    facets = [
        (record.id, facet, value[:512])
        for record in records
        for facet, value in facet_values(record)
    ]
    connection = session.connection()
    if facets:
        # A dozen rows per record: the driver's executemany, without per-row compilation.
        marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        connection.exec_driver_sql(
            "INSERT INTO credential_facets (credential_id, facet, value) "
            f"VALUES ({marker}, {marker}, {marker})",
            facets,
        )
    if not records:
        return
    search_rows = [
        {
            "credential_id": record.id,
            "status": statuses.get(record.id, LifecycleStatus.DRAFT.value),
            "sort_title": record.title.casefold()[:512],
            "total_hours": record.total_hours,
            "price_amount": float(record.price.amount) if record.price else None,
            "ects": record.ects,
            "updated_at": now,
        }
        for record in records
    ]
    doc_ids = (
        connection.execute(
            insert(CredentialSearchRow).returning(
                CredentialSearchRow.doc_id, sort_by_parameter_order=True
            ),
            search_rows,
        )
        .scalars()
        .all()
    )
    texts = []
    for doc_id, record in zip(doc_ids, records, strict=True):
        text = search_text(record)
        texts.append(
            {"doc_id": doc_id, "title": text.title, "body": text.body, "provider": text.provider}
        )
    connection.execute(insert(CredentialTextRow), texts)


def save(session: Session, *, record: MicroCredential, actor: str) -> StoredCredential:
    """Store one record (new, or a new version of an existing id) and return it."""
    save_many(session, records=[record], actor=actor)
    return get_record(session, credential_id=record.id)


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
    now = _now()
    session.execute(
        update(CredentialRow)
        .where(CredentialRow.id == credential_id)
        .values(status=target.value, updated_at=now)
    )
    session.execute(
        update(CredentialSearchRow)
        .where(CredentialSearchRow.credential_id == credential_id)
        .values(status=target.value, updated_at=now)
    )
    _bump_generation(session)
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


def list_providers(session: Session) -> list[dict[str, Any]]:
    """Every provider with the number of records it issues."""
    counts: dict[str, int] = {
        provider_id: int(count)
        for provider_id, count in session.execute(
            select(CredentialRow.provider_id, func.count()).group_by(CredentialRow.provider_id)
        )
    }
    rows = session.scalars(select(ProviderRow).order_by(ProviderRow.name))
    return [{**row.document, "credentials": int(counts.get(row.id, 0))} for row in rows]


def get_provider(session: Session, *, provider_id: str) -> dict[str, Any]:
    """One provider's details."""
    row = session.get(ProviderRow, provider_id)
    if row is None:
        raise NotFound(f"no provider with id '{provider_id}'")
    return dict(row.document)


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
