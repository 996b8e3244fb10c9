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
    if op.get_bind().dialect.name != "postgresql":
        # Index text is terms joined by single spaces: a field has spaces + 1 terms,
        # none when empty.
        counted = " + ".join(
            f"length(t.{field}) - length(replace(t.{field}, ' ', '')) + (t.{field} != '')"
            for field in ("title", "body", "provider")
        )
        op.execute(
            f"""
            UPDATE credential_search SET index_length = (
                SELECT {counted} FROM credential_text t
                WHERE t.doc_id = credential_search.doc_id
            )
            WHERE doc_id IN (SELECT doc_id FROM credential_text)
            """
        )
        return
    op.execute(
        """
        UPDATE credential_search s SET index_length =
            cardinality(string_to_array(t.title, ' '))
            + cardinality(string_to_array(t.body, ' '))
            + cardinality(string_to_array(t.provider, ' '))
        FROM credential_text t WHERE t.doc_id = s.doc_id
        """
    )
    # Packed numbers barely compress; storing them plain makes reading them cheaper.
    op.execute("ALTER TABLE credential_postings ALTER COLUMN docs SET STORAGE EXTERNAL")
    op.execute("ALTER TABLE credential_postings ALTER COLUMN weights SET STORAGE EXTERNAL")
    _index_existing_text()
    op.drop_index("ix_credential_text_vector", table_name="credential_text")
    op.drop_column("credential_text", "search_vector")


def _index_existing_text() -> None:
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.exec_driver_sql(
            "SELECT doc_id, title, body, provider FROM credential_text "
            "WHERE doc_id > %s ORDER BY doc_id LIMIT %s",
            (last, BATCH),
        ).all()
        if not rows:
            return
        postings.write(connection, [(row[0], (row[1], row[2], row[3])) for row in rows])
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
