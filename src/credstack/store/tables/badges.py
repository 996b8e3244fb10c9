"""Badge tables: issuers and their public keys, status lists, issued badges, endorsements.

Private keys never enter the database: ``badges_issuer_keys`` holds the public key, the
DIDs it appears under and the path of the key file (mode 0600, optionally encrypted).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from credstack.store.base import Base


class IssuerRow(Base):
    """A registry provider set up to issue badges: its DID and public base URL."""

    __tablename__ = "badges_issuers"

    provider_id: Mapped[str] = mapped_column(
        ForeignKey("providers.id", ondelete="CASCADE"), primary_key=True
    )
    did_web: Mapped[str | None] = mapped_column(String(512), unique=True)
    base_url: Mapped[str] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class IssuerKeyRow(Base):
    """One Ed25519 key of an issuer: public half, its did:key, and where its file is."""

    __tablename__ = "badges_issuer_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    provider_id: Mapped[str] = mapped_column(
        ForeignKey("badges_issuers.provider_id", ondelete="CASCADE"), index=True
    )
    public_key_multibase: Mapped[str] = mapped_column(String(64), unique=True)
    did_key: Mapped[str] = mapped_column(String(128), unique=True)
    key_path: Mapped[str] = mapped_column(Text)
    encrypted: Mapped[bool] = mapped_column(Boolean)
    # active: signs new badges; rotated: still verifies old ones; retired: compromised.
    state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StatusListRow(Base):
    """A Bitstring Status List of one issuer DID and purpose, and its signed credential."""

    __tablename__ = "badges_status_lists"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    provider_id: Mapped[str] = mapped_column(
        ForeignKey("badges_issuers.provider_id", ondelete="CASCADE"), index=True
    )
    issuer_did: Mapped[str] = mapped_column(String(512))
    purpose: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(String(1024), unique=True)
    length: Mapped[int] = mapped_column(Integer)
    bits: Mapped[bytes] = mapped_column(LargeBinary)
    used: Mapped[int] = mapped_column(Integer)
    credential: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class IssuedBadgeRow(Base):
    """A badge as issued: the signed credential (or VC-JWT) and its status entry."""

    __tablename__ = "badges_issued"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    # The assessment capability's ids; not foreign keys (each capability owns its tables).
    assessment_id: Mapped[str] = mapped_column(String(64), index=True)
    learner_id: Mapped[str] = mapped_column(String(128), index=True)
    credential_id: Mapped[str] = mapped_column(ForeignKey("credentials.id"), index=True)
    credential_version: Mapped[int] = mapped_column(Integer)
    provider_id: Mapped[str] = mapped_column(ForeignKey("badges_issuers.provider_id"))
    issuer_did: Mapped[str] = mapped_column(String(512))
    format: Mapped[str] = mapped_column(String(8))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    jwt: Mapped[str | None] = mapped_column(Text)
    status_list_id: Mapped[str] = mapped_column(ForeignKey("badges_status_lists.id"))
    status_index: Mapped[int] = mapped_column(Integer)
    # active, revoked or suspended (mirrors the status list bit for listings)
    state: Mapped[str] = mapped_column(String(16), index=True)
    state_reason: Mapped[str | None] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("status_list_id", "status_index"),)


class EndorsementRow(Base):
    """A signed EndorsementCredential from an industry body about an Achievement."""

    __tablename__ = "badges_endorsements"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    credential_id: Mapped[str] = mapped_column(
        ForeignKey("credentials.id", ondelete="CASCADE"), index=True
    )
    endorser_id: Mapped[str] = mapped_column(ForeignKey("badges_issuers.provider_id"))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
