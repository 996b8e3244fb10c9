"""Registry use cases: store records as versions, read them, move them through the lifecycle.

Functions take the session as a keyword and never commit: the caller's unit of work does.
Writing lives here; reading, lifecycle and providers in their own modules, re-exported
so callers have one place to import from.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus
from credstack.errors import Conflict, NotFound, VersionConflict
from credstack.registry import postings
from credstack.registry.lifecycle import Gate, PublishBlocked, status_history, transition
from credstack.registry.prepared import PreparedRecord, canonical_json, prepare
from credstack.registry.providers import get_provider, list_providers, upsert_providers
from credstack.registry.search_columns import bump_generation, current_generation
from credstack.registry.stored import (
    StoredCredential,
    VersionInfo,
    count_records,
    get_many,
    get_record,
    ids_in,
    iter_records,
    list_versions,
    review_due_ids,
)
from credstack.store.json_text import EncodedJSON
from credstack.store.tables.registry import (
    CredentialFacetRow,
    CredentialRow,
    CredentialSearchRow,
    CredentialTextRow,
    CredentialVersionRow,
    RegistryStateRow,
)

__all__ = [
    "Gate",
    "PublishBlocked",
    "StoredCredential",
    "VersionInfo",
    "content_hash",
    "count_records",
    "create_record",
    "generation",
    "get_many",
    "get_provider",
    "get_record",
    "ids_in",
    "iter_records",
    "list_providers",
    "list_versions",
    "review_due_ids",
    "save",
    "save_many",
    "status_history",
    "transition",
    "update_record",
]


def content_hash(record: MicroCredential) -> str:
    """SHA-256 of the record's canonical JSON: equal records hash alike."""
    return canonical_json(record)[1]


def generation(session: Session) -> int:
    """The registry's change counter: every stored version and status change moves it on."""
    return current_generation(session.connection())


def _now() -> datetime:
    return datetime.now(UTC)


def save_many(
    session: Session, *, records: Sequence[MicroCredential], actor: str
) -> list[tuple[str, int, bool]]:
    """Store ``records``: new ids start at version 1 (draft); changed ones get a new version.

    Returns (id, version, changed) for each record; unchanged documents add no version.
    """
    return save_prepared(session, prepared=[prepare(record) for record in records], actor=actor)


def save_prepared(
    session: Session, *, prepared: Sequence[PreparedRecord], actor: str
) -> list[tuple[str, int, bool]]:
    """Store records already prepared (see ``registry.prepared``), as ``save_many`` does."""
    ids = [item.id for item in prepared]
    if len(set(ids)) != len(ids):
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        raise Conflict(f"duplicate id(s) in one import: {', '.join(duplicated)}")
    lock_for_writing(session)
    now = _now()
    upsert_providers(session, prepared, now)
    # populate_existing: a row this session read before the lock may be out of date.
    current = {
        row.id: row
        for row in session.scalars(
            select(CredentialRow)
            .where(CredentialRow.id.in_(ids))
            .execution_options(populate_existing=True)
        )
    }
    hashes = _current_hashes(session, current)
    outcome: list[tuple[str, int, bool]] = []
    new_rows: list[dict[str, Any]] = []
    versions: list[dict[str, Any]] = []
    changed: list[PreparedRecord] = []
    for item in prepared:
        row = current.get(item.id)
        if row is not None and hashes.get(item.id) == item.digest:
            outcome.append((item.id, row.current_version, False))
            continue
        version = 1 if row is None else row.current_version + 1
        if row is None:
            new_rows.append(
                {
                    "id": item.id,
                    "status": LifecycleStatus.DRAFT.value,
                    "current_version": 1,
                    "created_at": now,
                    "updated_at": now,
                    **item.summary,
                }
            )
        else:
            session.execute(
                update(CredentialRow)
                .where(CredentialRow.id == item.id)
                .values(current_version=version, updated_at=now, **item.summary)
            )
        versions.append(
            {
                "credential_id": item.id,
                "version": version,
                # Stored as it is: the same text the hash was taken of.
                "document": EncodedJSON(item.document),
                "content_hash": item.digest,
                "created_at": now,
                "created_by": actor,
            }
        )
        changed.append(item)
        outcome.append((item.id, version, True))
    # Core executemany: the ORM's bulk path costs more than the database does here.
    connection = session.connection()
    if new_rows:
        connection.execute(insert(CredentialRow), new_rows)
    if versions:
        connection.execute(insert(CredentialVersionRow), versions)
    statuses = {key: row.status for key, row in current.items()}
    touched = _reindex(session, changed, statuses=statuses, now=now)
    if changed:
        bump_generation(session, documents=touched)
    return outcome


def lock_for_writing(session: Session) -> None:
    """Take the registry's write lock for the rest of the caller's transaction.

    Writers of records queue here before they read current versions: two that store the
    same record get a version each, never the same number. It is the row that
    ``bump_generation`` and ``_new_doc_ids`` update later anyway; on SQLite the write
    starts the transaction, so what is read next is what the last writer committed.
    """
    session.execute(
        update(RegistryStateRow)
        .where(RegistryStateRow.id == 1)
        .values(last_doc_id=RegistryStateRow.last_doc_id)
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


def _new_doc_ids(session: Session, count: int) -> list[int]:
    """``count`` document numbers never given before (taken before any row is deleted)."""
    if not count:
        return []
    last = session.execute(
        update(RegistryStateRow)
        .where(RegistryStateRow.id == 1)
        .values(last_doc_id=RegistryStateRow.last_doc_id + count)
        .returning(RegistryStateRow.last_doc_id)
    ).scalar_one()
    return list(range(last - count + 1, last + 1))


def _reindex(
    session: Session,
    records: Sequence[PreparedRecord],
    *,
    statuses: dict[str, str],
    now: datetime,
) -> list[int]:
    """Replace the facet and search rows of ``records`` (new ones start as drafts).

    Returns the document numbers removed and added.
    """
    doc_ids = _new_doc_ids(session, len(records))
    replace = [record.id for record in records if record.id in statuses]
    replaced_docs: list[int] = []
    if replace:
        session.execute(
            delete(CredentialFacetRow).where(CredentialFacetRow.credential_id.in_(replace))
        )
        replaced_docs = list(
            session.execute(
                select(CredentialSearchRow.doc_id).where(
                    CredentialSearchRow.credential_id.in_(replace)
                )
            ).scalars()
        )
        # Text first: its delete trigger keeps SQLite's full-text index in step.
        session.execute(
            delete(CredentialTextRow).where(CredentialTextRow.doc_id.in_(replaced_docs))
        )
        session.execute(
            delete(CredentialSearchRow).where(CredentialSearchRow.credential_id.in_(replace))
        )
    facets = [(record.id, facet, value) for record in records for facet, value in record.facets]
    connection = session.connection()
    # Plain rows of strings and integers go through the driver's executemany, without
    # SQLAlchemy's per-row parameter processing (a dozen facet rows per record).
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    if facets:
        connection.exec_driver_sql(
            "INSERT INTO credential_facets (credential_id, facet, value) "
            f"VALUES ({marker}, {marker}, {marker})",
            facets,
        )
    if not records:
        return replaced_docs
    search_rows = [
        {
            "doc_id": doc_id,
            "credential_id": record.id,
            "status": statuses.get(record.id, LifecycleStatus.DRAFT.value),
            "updated_at": now,
            **record.search,
        }
        for doc_id, record in zip(doc_ids, records, strict=True)
    ]
    connection.execute(insert(CredentialSearchRow), search_rows)
    texts = [(doc_id, record.text) for doc_id, record in zip(doc_ids, records, strict=True)]
    connection.exec_driver_sql(
        "INSERT INTO credential_text (doc_id, title, body, provider) "
        f"VALUES ({marker}, {marker}, {marker}, {marker})",
        [(doc_id, *text) for doc_id, text in texts],
    )
    if connection.dialect.name == "postgresql":
        # SQLite's FTS5 index follows the text rows by trigger; PostgreSQL's postings
        # are written here, in the same transaction.
        postings.write(connection, texts)
    return replaced_docs + list(doc_ids)


def save(session: Session, *, record: MicroCredential, actor: str) -> StoredCredential:
    """Store one record (new, or a new version of an existing id) and return it."""
    save_many(session, records=[record], actor=actor)
    return get_record(session, credential_id=record.id)


def create_record(session: Session, *, record: MicroCredential, actor: str) -> StoredCredential:
    """Store a record under a new id (Conflict if the id exists, even if stored just now)."""
    lock_for_writing(session)
    if ids_in(session, ids=[record.id]):
        raise Conflict(f"micro-credential '{record.id}' exists; PUT a new version instead")
    return save(session, record=record, actor=actor)


def update_record(
    session: Session, *, record: MicroCredential, actor: str, if_version: int | None = None
) -> StoredCredential:
    """Store a new version of an existing record (unchanged content adds none).

    ``if_version``: the version the writer last read; VersionConflict if another is
    current now, so a writer never overwrites a version it has not seen.
    """
    lock_for_writing(session)
    current = session.get(CredentialRow, record.id, populate_existing=True)
    if current is None:
        raise NotFound(f"no micro-credential with id '{record.id}'")
    if if_version is not None and current.current_version != if_version:
        raise VersionConflict(
            f"micro-credential '{record.id}' is at version {current.current_version}, "
            f"not {if_version}; read it again and retry",
            current_version=current.current_version,
        )
    return save(session, record=record, actor=actor)
