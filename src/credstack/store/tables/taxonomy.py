"""Taxonomy tables: frameworks, their competencies, occupations and proficiency scales.

Concepts are keyed by (framework, URI): re-importing a newer version of a framework
updates rows in place, and concepts the new version dropped are kept as ``retired`` so
alignments stored in records still resolve to a label.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from credstack.store.base import Base


class FrameworkRow(Base):
    """A competency framework and its metadata."""

    __tablename__ = "taxonomy_frameworks"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(512))
    publisher: Mapped[str] = mapped_column(String(512))
    version: Mapped[str] = mapped_column(String(64))
    licence: Mapped[str] = mapped_column(Text)
    source_uri: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(35))
    kind: Mapped[str] = mapped_column(String(16))
    content_hash: Mapped[str] = mapped_column(String(64))
    competency_count: Mapped[int] = mapped_column(Integer)
    occupation_count: Mapped[int] = mapped_column(Integer)
    scales: Mapped[list[Any]] = mapped_column(JSON)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CompetencyRow(Base):
    """A competency of a framework (skill, knowledge, attitude, competence or a group)."""

    __tablename__ = "taxonomy_competencies"
    __table_args__ = (UniqueConstraint("framework_id", "uri", name="uq_taxonomy_competencies_uri"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    framework_id: Mapped[str] = mapped_column(
        ForeignKey("taxonomy_frameworks.id", ondelete="CASCADE"), index=True
    )
    uri: Mapped[str] = mapped_column(String(512), index=True)
    code: Mapped[str | None] = mapped_column(String(128))
    preferred_label: Mapped[str] = mapped_column(Text)
    alt_labels: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str | None] = mapped_column(String(16))
    broader: Mapped[list[str]] = mapped_column(JSON)
    collections: Mapped[list[str]] = mapped_column(JSON)
    is_group: Mapped[bool] = mapped_column(Boolean)
    retired: Mapped[bool] = mapped_column(Boolean)


class OccupationRow(Base):
    """An occupation of a framework's classification with its required competencies."""

    __tablename__ = "taxonomy_occupations"
    __table_args__ = (UniqueConstraint("framework_id", "uri", name="uq_taxonomy_occupations_uri"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    framework_id: Mapped[str] = mapped_column(
        ForeignKey("taxonomy_frameworks.id", ondelete="CASCADE"), index=True
    )
    uri: Mapped[str] = mapped_column(String(512))
    code: Mapped[str | None] = mapped_column(String(128))
    preferred_label: Mapped[str] = mapped_column(Text)
    alt_labels: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(Text)
    group_code: Mapped[str | None] = mapped_column(String(16))
    # Competency URIs; stored with the occupation (read together, never queried apart).
    essential: Mapped[list[str]] = mapped_column(JSON)
    optional: Mapped[list[str]] = mapped_column(JSON)
    retired: Mapped[bool] = mapped_column(Boolean)
