"""Assessment: rubric versions, learners, assessment records, criterion results.

Revision ID: assess_0001
Revises: registry_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "assess_0001"
down_revision = "registry_0001"
branch_labels = ("assess",)
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "assess_rubrics",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column(
            "credential_id",
            sa.String(128),
            sa.ForeignKey("credentials.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("title", sa.String(512), nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("created_by", sa.String(256), nullable=False),
    )
    op.create_index("ix_assess_rubrics_credential_id", "assess_rubrics", ["credential_id"])
    op.create_table(
        "assess_learners",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("display_name", sa.String(200)),
        sa.Column("salt", sa.String(64), nullable=False),
        sa.Column("identity_hash", sa.String(80)),
        sa.Column("created_at", TIMESTAMP, nullable=False),
    )
    op.create_table(
        "assess_assessments",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "learner_id", sa.String(128), sa.ForeignKey("assess_learners.id"), nullable=False
        ),
        sa.Column("credential_id", sa.String(128), sa.ForeignKey("credentials.id"), nullable=False),
        sa.Column("credential_version", sa.Integer, nullable=False),
        sa.Column("rubric_id", sa.String(128), nullable=False),
        sa.Column("rubric_version", sa.Integer, nullable=False),
        sa.Column("assessor", sa.String(256), nullable=False),
        sa.Column("assessed_on", sa.Date, nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("identity_verified", sa.Boolean, nullable=False),
        sa.Column("competent", sa.Boolean, nullable=False),
        sa.Column("achieved_level", sa.String(64)),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("recorded_at", TIMESTAMP, nullable=False),
        sa.Column("recorded_by", sa.String(256), nullable=False),
        sa.UniqueConstraint(
            "learner_id", "credential_id", "attempt", name="uq_assess_assessments_learner_id"
        ),
        sa.ForeignKeyConstraint(
            ["rubric_id", "rubric_version"],
            ["assess_rubrics.id", "assess_rubrics.version"],
            name="fk_assess_assessments_rubric_id_assess_rubrics",
        ),
    )
    op.create_index("ix_assess_assessments_learner_id", "assess_assessments", ["learner_id"])
    op.create_index("ix_assess_assessments_credential_id", "assess_assessments", ["credential_id"])
    op.create_index("ix_assess_assessments_competent", "assess_assessments", ["competent"])
    op.create_table(
        "assess_criterion_results",
        sa.Column(
            "assessment_id",
            sa.String(64),
            sa.ForeignKey("assess_assessments.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("criterion_id", sa.String(64), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("level", sa.String(64), nullable=False),
        sa.Column("met", sa.Boolean, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("comment", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("assess_criterion_results")
    op.drop_table("assess_assessments")
    op.drop_table("assess_learners")
    op.drop_index("ix_assess_rubrics_credential_id", "assess_rubrics")
    op.drop_table("assess_rubrics")
