"""Accounts: users, roles, memberships, sessions, API tokens, sign-in failures, share
links and the append-only audit log.

Revision ID: accounts_0001
Revises: registry_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "accounts_0001"
down_revision = "registry_0001"
branch_labels = ("accounts",)
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
APPEND_ONLY = "the audit log is append-only"


def _user_id(primary_key: bool = False) -> sa.Column[str]:
    return sa.Column(
        "user_id", sa.String(32), sa.ForeignKey("accounts_users.id", ondelete="CASCADE"),
        primary_key=primary_key, nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "accounts_users",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("last_login_at", TIMESTAMP),
        sa.Column("password_changed_at", TIMESTAMP, nullable=False),
        sa.UniqueConstraint("email", name="uq_accounts_users_email"),
    )
    op.create_table(
        "accounts_registry_roles",
        _user_id(primary_key=True),
        sa.Column("role", sa.String(32), primary_key=True),
        sa.Column("granted_at", TIMESTAMP, nullable=False),
    )
    op.create_table(
        "accounts_memberships",
        _user_id(primary_key=True),
        sa.Column(
            "organization_id", sa.String(128),
            sa.ForeignKey("providers.id", ondelete="CASCADE"), primary_key=True,
        ),
        sa.Column("role", sa.String(32), primary_key=True),
        sa.Column("granted_at", TIMESTAMP, nullable=False),
    )
    op.create_index(
        "ix_accounts_memberships_organization_id", "accounts_memberships", ["organization_id"]
    )
    op.create_table(
        "accounts_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        _user_id(),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64)),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.Column("last_seen_at", TIMESTAMP, nullable=False),
        sa.Column("ended_at", TIMESTAMP),
        sa.Column("end_reason", sa.String(32)),
    )
    op.create_index("ix_accounts_sessions_user_id", "accounts_sessions", ["user_id"])
    op.create_table(
        "accounts_api_tokens",
        sa.Column("id", sa.String(32), primary_key=True),
        _user_id(),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP),
        sa.Column("revoked_at", TIMESTAMP),
        sa.Column("last_used_at", TIMESTAMP),
        sa.UniqueConstraint("token_hash", name="uq_accounts_api_tokens_token_hash"),
    )
    op.create_index("ix_accounts_api_tokens_user_id", "accounts_api_tokens", ["user_id"])
    op.create_table(
        "accounts_login_failures",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(320), nullable=False),
        sa.Column("failed_at", TIMESTAMP, nullable=False),
    )
    op.create_index(
        "ix_accounts_login_failures_failed_at", "accounts_login_failures", ["failed_at"]
    )
    op.create_table(
        "accounts_share_links",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        _user_id(),
        sa.Column("badge_ids", sa.JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP),
        sa.Column("revoked_at", TIMESTAMP),
        sa.UniqueConstraint("token_hash", name="uq_accounts_share_links_token_hash"),
    )
    op.create_index("ix_accounts_share_links_user_id", "accounts_share_links", ["user_id"])
    op.create_table(
        "accounts_audit",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("actor", sa.String(400), nullable=False),
        sa.Column("actor_user_id", sa.String(32)),
        sa.Column("address", sa.String(64)),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("resource_type", sa.String(32), nullable=False),
        sa.Column("resource_id", sa.String(400)),
        sa.Column("organization_id", sa.String(128)),
        sa.Column("version_before", sa.String(64)),
        sa.Column("version_after", sa.String(64)),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    for column in ("at", "actor", "action", "organization_id"):
        op.create_index(f"ix_accounts_audit_{column}", "accounts_audit", [column])
    _append_only()


def _append_only() -> None:
    # The database itself refuses to change or remove audit entries.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION accounts_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER accounts_audit_append_only BEFORE UPDATE OR DELETE "
            "ON accounts_audit FOR EACH ROW EXECUTE FUNCTION accounts_audit_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER accounts_audit_no_{event.lower()} BEFORE {event} ON accounts_audit "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER accounts_audit_append_only ON accounts_audit")
        op.execute("DROP FUNCTION accounts_audit_append_only()")
    for table in (
        "accounts_audit", "accounts_share_links", "accounts_login_failures",
        "accounts_api_tokens", "accounts_sessions", "accounts_memberships",
        "accounts_registry_roles", "accounts_users",
    ):
        op.drop_table(table)
