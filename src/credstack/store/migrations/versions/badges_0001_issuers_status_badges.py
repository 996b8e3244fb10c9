"""Badges: issuers and public keys, status lists, issued badges, endorsements.

Revision ID: badges_0001
Revises: registry_0001

Assessment and learner ids are plain columns, not foreign keys: the assess branch may
be applied after this one, and each capability owns its own tables.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "badges_0001"
down_revision = "registry_0001"
branch_labels = ("badges",)
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "badges_issuers",
        sa.Column(
            "provider_id",
            sa.String(128),
            sa.ForeignKey("providers.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("did_web", sa.String(512), unique=True),
        sa.Column("base_url", sa.String(512), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
    )
    op.create_table(
        "badges_issuer_keys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "provider_id",
            sa.String(128),
            sa.ForeignKey("badges_issuers.provider_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("public_key_multibase", sa.String(64), nullable=False, unique=True),
        sa.Column("did_key", sa.String(128), nullable=False, unique=True),
        sa.Column("key_path", sa.Text, nullable=False),
        sa.Column("encrypted", sa.Boolean, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("changed_at", TIMESTAMP),
    )
    op.create_index("ix_badges_issuer_keys_provider_id", "badges_issuer_keys", ["provider_id"])
    op.create_table(
        "badges_status_lists",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "provider_id",
            sa.String(128),
            sa.ForeignKey("badges_issuers.provider_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("issuer_did", sa.String(512), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("url", sa.String(1024), nullable=False, unique=True),
        sa.Column("length", sa.Integer, nullable=False),
        sa.Column("bits", sa.LargeBinary, nullable=False),
        sa.Column("used", sa.Integer, nullable=False),
        sa.Column("credential", sa.JSON, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
    )
    op.create_index("ix_badges_status_lists_provider_id", "badges_status_lists", ["provider_id"])
    op.create_table(
        "badges_issued",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("assessment_id", sa.String(64), nullable=False),
        sa.Column("learner_id", sa.String(128), nullable=False),
        sa.Column("credential_id", sa.String(128), sa.ForeignKey("credentials.id"), nullable=False),
        sa.Column("credential_version", sa.Integer, nullable=False),
        sa.Column(
            "provider_id",
            sa.String(128),
            sa.ForeignKey("badges_issuers.provider_id"),
            nullable=False,
        ),
        sa.Column("issuer_did", sa.String(512), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("jwt", sa.Text),
        sa.Column(
            "status_list_id",
            sa.String(64),
            sa.ForeignKey("badges_status_lists.id"),
            nullable=False,
        ),
        sa.Column("status_index", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("state_reason", sa.Text),
        sa.Column("issued_at", TIMESTAMP, nullable=False),
        sa.Column("state_changed_at", TIMESTAMP),
        sa.UniqueConstraint(
            "status_list_id", "status_index", name="uq_badges_issued_status_list_id"
        ),
    )
    for column in ("assessment_id", "learner_id", "credential_id", "state"):
        op.create_index(f"ix_badges_issued_{column}", "badges_issued", [column])
    op.create_table(
        "badges_endorsements",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column(
            "credential_id",
            sa.String(128),
            sa.ForeignKey("credentials.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "endorser_id",
            sa.String(128),
            sa.ForeignKey("badges_issuers.provider_id"),
            nullable=False,
        ),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
    )
    op.create_index(
        "ix_badges_endorsements_credential_id", "badges_endorsements", ["credential_id"]
    )


def downgrade() -> None:
    op.drop_table("badges_endorsements")
    op.drop_table("badges_issued")
    op.drop_table("badges_status_lists")
    op.drop_table("badges_issuer_keys")
    op.drop_table("badges_issuers")
