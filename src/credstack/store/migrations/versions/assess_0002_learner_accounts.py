"""Assessment: a learner belongs to a user account and was registered by an organization.

Revision ID: assess_0002
Revises: assess_0001

``user_id`` names the account whose wallet holds the learner's badges (one learner per
account). It is a plain indexed column, not a foreign key: the accounts branch owns its
tables and may be applied in any order with this one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "assess_0002"
down_revision = "assess_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assess_learners", sa.Column("user_id", sa.String(32), nullable=True))
    op.add_column("assess_learners", sa.Column("organization_id", sa.String(128), nullable=True))
    op.create_index("ix_assess_learners_user_id", "assess_learners", ["user_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_assess_learners_user_id", table_name="assess_learners")
    with op.batch_alter_table("assess_learners") as batch:
        batch.drop_column("organization_id")
        batch.drop_column("user_id")
