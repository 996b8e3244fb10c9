"""Registry: providers, micro-credentials, versions, facets, search index.

Revision ID: registry_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "registry_0001"
down_revision = None
branch_labels = ("registry",)
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "providers",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("name", sa.String(512), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("region", sa.String(16)),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
    )
    op.create_table(
        "credentials",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("provider_id", sa.String(128), sa.ForeignKey("providers.id"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("current_version", sa.Integer, nullable=False),
        sa.Column("title", sa.String(512), nullable=False),
        sa.Column("total_hours", sa.Float),
        sa.Column("ects", sa.Float),
        sa.Column("eqf_level", sa.Integer),
        sa.Column("price_amount", sa.Float),
        sa.Column("currency", sa.String(3)),
        sa.Column("delivery_mode", sa.String(16)),
        sa.Column("review_date", sa.Date),
        sa.Column("sample", sa.Boolean, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
    )
    op.create_index("ix_credentials_provider_id", "credentials", ["provider_id"])
    op.create_index("ix_credentials_status", "credentials", ["status"])
    op.create_index("ix_credentials_total_hours", "credentials", ["total_hours"])
    op.create_index("ix_credentials_updated_at", "credentials", ["updated_at"])
    op.create_table(
        "credential_versions",
        sa.Column(
            "credential_id",
            sa.String(128),
            sa.ForeignKey("credentials.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("created_by", sa.String(256), nullable=False),
    )
    op.create_table(
        "credential_facets",
        sa.Column(
            "credential_id",
            sa.String(128),
            sa.ForeignKey("credentials.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("facet", sa.String(32), primary_key=True),
        sa.Column("value", sa.String(512), primary_key=True),
    )
    op.create_index(
        "ix_credential_facets_facet_value", "credential_facets", ["facet", "value", "credential_id"]
    )
    op.create_table(
        "credential_search",
        sa.Column("doc_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "credential_id",
            sa.String(128),
            sa.ForeignKey("credentials.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("sort_title", sa.String(512), nullable=False),
        sa.Column("total_hours", sa.Float),
        sa.Column("price_amount", sa.Float),
        sa.Column("ects", sa.Float),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
    )
    op.create_index(
        "ix_credential_search_status_sort_title", "credential_search", ["status", "sort_title"]
    )
    op.create_table(
        "credential_text",
        sa.Column(
            "doc_id",
            sa.Integer,
            sa.ForeignKey("credential_search.doc_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("provider", sa.Text, nullable=False),
    )
    op.create_table(
        "credential_status_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "credential_id",
            sa.String(128),
            sa.ForeignKey("credentials.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("from_status", sa.String(16), nullable=False),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("actor", sa.String(256), nullable=False),
        sa.Column("note", sa.Text),
    )
    op.create_index(
        "ix_credential_status_events_credential_id", "credential_status_events", ["credential_id"]
    )
    # A counter bumped by every change to searchable content; caches compare it.
    state = op.create_table(
        "registry_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("generation", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(state, [{"id": 1, "generation": 0}])
    if op.get_bind().dialect.name == "postgresql":
        _postgres_search_index()
    else:
        _sqlite_search_index()


def _postgres_search_index() -> None:
    # The columns hold index terms already stemmed by credstack (registry.text_index),
    # so 'simple' only splits them. Weights: title A, provider B, the rest C.
    op.execute(
        """
        ALTER TABLE credential_text ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', title), 'A') ||
            setweight(to_tsvector('simple', provider), 'B') ||
            setweight(to_tsvector('simple', body), 'C')
        ) STORED
        """
    )
    op.execute(
        "CREATE INDEX ix_credential_text_vector ON credential_text USING GIN (search_vector)"
    )


def _sqlite_search_index() -> None:
    # An external-content FTS5 index over credential_text, kept in step by triggers.
    # Its text is already stemmed by credstack, so the tokenizer only splits it.
    op.execute(
        """
        CREATE VIRTUAL TABLE credential_fts USING fts5(
            title, body, provider,
            content='credential_text', content_rowid='doc_id',
            tokenize='unicode61 remove_diacritics 2'
        )
        """
    )
    op.execute(
        """
        CREATE TRIGGER credential_text_ai AFTER INSERT ON credential_text BEGIN
            INSERT INTO credential_fts(rowid, title, body, provider)
            VALUES (new.doc_id, new.title, new.body, new.provider);
        END
        """
    )
    op.execute(
        """
        CREATE TRIGGER credential_text_ad AFTER DELETE ON credential_text BEGIN
            INSERT INTO credential_fts(credential_fts, rowid, title, body, provider)
            VALUES ('delete', old.doc_id, old.title, old.body, old.provider);
        END
        """
    )
    op.execute(
        """
        CREATE TRIGGER credential_text_au AFTER UPDATE ON credential_text BEGIN
            INSERT INTO credential_fts(credential_fts, rowid, title, body, provider)
            VALUES ('delete', old.doc_id, old.title, old.body, old.provider);
            INSERT INTO credential_fts(rowid, title, body, provider)
            VALUES (new.doc_id, new.title, new.body, new.provider);
        END
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS credential_fts")
    for table in (
        "registry_state",
        "credential_status_events",
        "credential_text",
        "credential_search",
        "credential_facets",
        "credential_versions",
        "credentials",
        "providers",
    ):
        op.drop_table(table)
