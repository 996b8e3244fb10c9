"""Registry: a currency facet, each record's index length, a log of what each generation
changed; PostgreSQL searches posting lists, not GIN.

Revision ID: registry_0002
Revises: registry_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.registry import postings

revision = "registry_0002"
down_revision = "registry_0001"
branch_labels = None
depends_on = None

BATCH = 20_000


def upgrade() -> None:
    # Prices compare within one currency: currency becomes a facet of every priced record.
    op.execute(
        "INSERT INTO credential_facets (credential_id, facet, value) "
        "SELECT id, 'currency', currency FROM credentials WHERE currency IS NOT NULL"
    )
    op.create_table(
        "credential_postings",
        sa.Column("term", sa.Text, primary_key=True),
        sa.Column("block", sa.BigInteger, primary_key=True),
        sa.Column("docs", sa.LargeBinary, nullable=False),
        sa.Column("weights", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "registry_changes",
        sa.Column("generation", sa.BigInteger, primary_key=True),
        sa.Column("doc_id", sa.Integer, primary_key=True),
    )
    op.add_column(
        "credential_search",
        sa.Column("index_length", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index(
        "ix_credential_search_sort_title_id", "credential_search", ["sort_title", "credential_id"]
    )
    # SQLite gives a deleted highest rowid again; cached search columns need numbers that
    # are never reused, so the registry hands them out itself from here on.
    op.add_column(
        "registry_state",
        sa.Column("last_doc_id", sa.BigInteger, nullable=False, server_default="0"),
    )
    op.execute(
        "UPDATE registry_state SET last_doc_id = "
        "(SELECT coalesce(max(doc_id), 0) FROM credential_search)"
    )
    is_postgres = op.get_bind().dialect.name == "postgresql"
    if is_postgres:
        # Packed numbers barely compress; storing them plain makes reading them cheaper.
        op.execute("ALTER TABLE credential_postings ALTER COLUMN docs SET STORAGE EXTERNAL")
        op.execute("ALTER TABLE credential_postings ALTER COLUMN weights SET STORAGE EXTERNAL")
    _index_existing_text(with_postings=is_postgres)
    if is_postgres:
        op.drop_index("ix_credential_text_vector", table_name="credential_text")
        op.drop_column("credential_text", "search_vector")


def _index_existing_text(*, with_postings: bool) -> None:
    """Each stored record's index length (and PostgreSQL's postings), as new writes
    compute them, batch by batch."""
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.text(
                "SELECT doc_id, title, body, provider FROM credential_text "
                "WHERE doc_id > :last ORDER BY doc_id LIMIT :batch"
            ),
            {"last": last, "batch": BATCH},
        ).all()
        if not rows:
            return
        texts = [(row[0], (row[1], row[2], row[3])) for row in rows]
        connection.execute(
            sa.text("UPDATE credential_search SET index_length = :length WHERE doc_id = :doc"),
            [{"doc": doc_id, "length": postings.index_length(text)} for doc_id, text in texts],
        )
        if with_postings:
            postings.write(connection, texts)
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_table("credential_postings")
    op.drop_table("registry_changes")
    op.drop_index("ix_credential_search_sort_title_id", table_name="credential_search")
    op.drop_column("registry_state", "last_doc_id")
    op.execute("DELETE FROM credential_facets WHERE facet = 'currency'")
    if op.get_bind().dialect.name == "postgresql":
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
    op.drop_column("credential_search", "index_length")
