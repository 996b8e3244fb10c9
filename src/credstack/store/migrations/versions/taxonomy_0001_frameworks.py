"""Taxonomy: frameworks, competencies, occupations.

Revision ID: taxonomy_0001
Revises: registry_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "taxonomy_0001"
down_revision = "registry_0001"
branch_labels = ("taxonomy",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "taxonomy_frameworks",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(512), nullable=False),
        sa.Column("publisher", sa.String(512), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("licence", sa.Text, nullable=False),
        sa.Column("source_uri", sa.Text, nullable=False),
        sa.Column("language", sa.String(35), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("competency_count", sa.Integer, nullable=False),
        sa.Column("occupation_count", sa.Integer, nullable=False),
        sa.Column("scales", sa.JSON, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "taxonomy_competencies",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "framework_id",
            sa.String(64),
            sa.ForeignKey("taxonomy_frameworks.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("uri", sa.String(512), nullable=False),
        sa.Column("code", sa.String(128)),
        sa.Column("preferred_label", sa.Text, nullable=False),
        sa.Column("alt_labels", sa.JSON, nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("type", sa.String(16)),
        sa.Column("broader", sa.JSON, nullable=False),
        sa.Column("collections", sa.JSON, nullable=False),
        sa.Column("is_group", sa.Boolean, nullable=False),
        sa.Column("retired", sa.Boolean, nullable=False),
        sa.UniqueConstraint("framework_id", "uri", name="uq_taxonomy_competencies_uri"),
    )
    op.create_index(
        "ix_taxonomy_competencies_framework_id", "taxonomy_competencies", ["framework_id"]
    )
    op.create_index("ix_taxonomy_competencies_uri", "taxonomy_competencies", ["uri"])
    op.create_table(
        "taxonomy_occupations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "framework_id",
            sa.String(64),
            sa.ForeignKey("taxonomy_frameworks.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("uri", sa.String(512), nullable=False),
        sa.Column("code", sa.String(128)),
        sa.Column("preferred_label", sa.Text, nullable=False),
        sa.Column("alt_labels", sa.JSON, nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("group_code", sa.String(16)),
        sa.Column("essential", sa.JSON, nullable=False),
        sa.Column("optional", sa.JSON, nullable=False),
        sa.Column("retired", sa.Boolean, nullable=False),
        sa.UniqueConstraint("framework_id", "uri", name="uq_taxonomy_occupations_uri"),
    )
    op.create_index(
        "ix_taxonomy_occupations_framework_id", "taxonomy_occupations", ["framework_id"]
    )


def downgrade() -> None:
    op.drop_table("taxonomy_occupations")
    op.drop_table("taxonomy_competencies")
    op.drop_table("taxonomy_frameworks")
