"""Assessment tables: rubric versions, learners, assessment records and criterion results."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from credstack.store.base import Base


class RubricRow(Base):
    """One immutable version of a rubric for a micro-credential."""

    __tablename__ = "assess_rubrics"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    credential_id: Mapped[str] = mapped_column(
        ForeignKey("credentials.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(512))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(256))


class LearnerRow(Base):
    """A learner: minimal data; the email survives only as a salted SHA-256 hash."""

    __tablename__ = "assess_learners"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    salt: Mapped[str] = mapped_column(String(64))
    identity_hash: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The user account whose wallet this is (migration assess_0002); None until linked.
    user_id: Mapped[str | None] = mapped_column(String(32), unique=True, index=True)
    # The organization that registered the learner (None: the operator did).
    organization_id: Mapped[str | None] = mapped_column(String(128))


class AssessmentRow(Base):
    """One assessment attempt and its decision."""

    __tablename__ = "assess_assessments"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("assess_learners.id"), index=True)
    credential_id: Mapped[str] = mapped_column(ForeignKey("credentials.id"), index=True)
    credential_version: Mapped[int] = mapped_column(Integer)
    rubric_id: Mapped[str] = mapped_column(String(128))
    rubric_version: Mapped[int] = mapped_column(Integer)
    assessor: Mapped[str] = mapped_column(String(256))
    assessed_on: Mapped[date] = mapped_column(Date)
    attempt: Mapped[int] = mapped_column(Integer)
    identity_verified: Mapped[bool] = mapped_column(Boolean)
    competent: Mapped[bool] = mapped_column(Boolean, index=True)
    achieved_level: Mapped[str | None] = mapped_column(String(64))
    reasons: Mapped[list[str]] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(256))

    __table_args__ = (
        UniqueConstraint("learner_id", "credential_id", "attempt"),
        ForeignKeyConstraint(
            ["rubric_id", "rubric_version"], ["assess_rubrics.id", "assess_rubrics.version"]
        ),
    )


class CriterionResultRow(Base):
    """The level reached on one criterion of one assessment, with evidence and comment."""

    __tablename__ = "assess_criterion_results"

    assessment_id: Mapped[str] = mapped_column(
        ForeignKey("assess_assessments.id", ondelete="CASCADE"), primary_key=True
    )
    criterion_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(64))
    met: Mapped[bool] = mapped_column(Boolean)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    comment: Mapped[str | None] = mapped_column(Text)
