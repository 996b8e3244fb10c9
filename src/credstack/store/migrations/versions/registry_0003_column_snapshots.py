"""Registry: stored snapshots of the search columns, read by new server processes.

Revision ID: registry_0003
Revises: registry_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "registry_0003"
down_revision = "registry_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registry_column_snapshots",
        sa.Column("generation", sa.BigInteger, primary_key=True),
        sa.Column("part", sa.Integer, primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Packed numbers barely compress: storing them as they are saves the time
        # compressing and decompressing each part would cost.
        op.execute("ALTER TABLE registry_column_snapshots ALTER COLUMN data SET STORAGE EXTERNAL")


def downgrade() -> None:
    op.drop_table("registry_column_snapshots")
