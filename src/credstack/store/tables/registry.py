"""Registry tables: providers, micro-credentials, their versions, facets and search text."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from credstack.store.base import Base


class ProviderRow(Base):
    """A provider: first-class, shared by every record that names it."""

    __tablename__ = "providers"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    name: Mapped[str] = mapped_column(String(512))
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(16))
    type: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CredentialRow(Base):
    """A micro-credential: stable id, lifecycle status and its current version's summary."""

    __tablename__ = "credentials"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    provider_id: Mapped[str] = mapped_column(ForeignKey("providers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    current_version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(512))
    total_hours: Mapped[float | None] = mapped_column(Float, index=True)
    ects: Mapped[float | None] = mapped_column(Float)
    eqf_level: Mapped[int | None] = mapped_column(Integer)
    price_amount: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    delivery_mode: Mapped[str | None] = mapped_column(String(16))
    review_date: Mapped[date | None] = mapped_column(Date)
    sample: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class CredentialVersionRow(Base):
    """One immutable version of a record's document."""

    __tablename__ = "credential_versions"

    credential_id: Mapped[str] = mapped_column(
        ForeignKey("credentials.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(256))


class CredentialFacetRow(Base):
    """One facet value of a record's current version (multi-valued facets, filters)."""

    __tablename__ = "credential_facets"

    credential_id: Mapped[str] = mapped_column(
        ForeignKey("credentials.id", ondelete="CASCADE"), primary_key=True
    )
    facet: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(512), primary_key=True)

    __table_args__ = (Index("ix_credential_facets_facet_value", "facet", "value", "credential_id"),)


class CredentialSearchRow(Base):
    """What search filters and sorts on, one compact row per record (no text here, so
    thousands of hits are read from few pages); ``doc_id`` is also the text's key."""

    __tablename__ = "credential_search"

    doc_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    credential_id: Mapped[str] = mapped_column(
        ForeignKey("credentials.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(16))
    sort_title: Mapped[str] = mapped_column(String(512))
    total_hours: Mapped[float | None] = mapped_column(Float)
    price_amount: Mapped[float | None] = mapped_column(Float)
    ects: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    index_length: Mapped[int] = mapped_column(Integer, default=0)  # terms, for BM25

    __table_args__ = (
        Index("ix_credential_search_status_sort_title", "status", "sort_title"),
        # Where a record added since the in-memory columns were loaded sorts by title.
        Index("ix_credential_search_sort_title_id", "sort_title", "credential_id"),
    )


class CredentialTextRow(Base):
    """A record's index terms, keyed by its search row's ``doc_id``.

    SQLite indexes them with an FTS5 table kept in step by triggers (created by the
    migration); PostgreSQL with the posting lists of ``registry.postings``.
    """

    __tablename__ = "credential_text"

    doc_id: Mapped[int] = mapped_column(
        ForeignKey("credential_search.doc_id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    provider: Mapped[str] = mapped_column(Text)


class CredentialPostingRow(Base):
    """One block of an index term's posting list: packed document numbers and weights.

    PostgreSQL's full-text index (``registry.postings``); empty on SQLite, whose FTS5
    table plays that part.
    """

    __tablename__ = "credential_postings"

    term: Mapped[str] = mapped_column(Text, primary_key=True)
    block: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    docs: Mapped[bytes] = mapped_column(LargeBinary)
    weights: Mapped[bytes] = mapped_column(LargeBinary)


class StatusEventRow(Base):
    """A lifecycle transition: who moved a record from which status to which, and when."""

    __tablename__ = "credential_status_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    credential_id: Mapped[str] = mapped_column(
        ForeignKey("credentials.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(256))
    note: Mapped[str | None] = mapped_column(Text)


class RegistryChangeRow(Base):
    """What a generation changed, so a cached copy can catch up without a full reload:
    a document whose status moved, or ``doc_id`` -1 for anything else."""

    __tablename__ = "registry_changes"

    generation: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    doc_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class RegistryStateRow(Base):
    """A single row: a generation counter that rises with every change to searchable
    content, and the highest document number ever given (numbers are never reused)."""

    __tablename__ = "registry_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger)
    last_doc_id: Mapped[int] = mapped_column(BigInteger, default=0)


class ColumnSnapshotRow(Base):
    """One part of a stored copy of the search columns at a generation
    (``registry.column_snapshot``): a new process starts from it, not from every row."""

    __tablename__ = "registry_column_snapshots"

    generation: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    part: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
