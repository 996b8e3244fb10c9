"""API tokens and the audit log on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from accounts_support import OPERATOR, ORG_A, ORG_B, PASSWORD, AddUser
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from credstack.accounts import audit, service, tokens
from credstack.accounts.errors import Forbidden, Unauthenticated
from credstack.accounts.model import Actor, OrgRole, RegistryRole, Scope
from credstack.errors import NotFound
from credstack.store.tables.accounts import ApiTokenRow, AuditRow
from credstack.store.unit_of_work import Database

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def create(database: Database, email: str, *, scope: Scope = Scope.READ,
           lifetime: timedelta | None = None) -> tuple[tokens.ApiToken, str]:
    with database.unit_of_work() as session:
        return tokens.create(session, email=email, name="laptop", scope=scope,
                             lifetime=lifetime, actor=OPERATOR, now=NOW)


def bearer(database: Database, secret: str, now: datetime = NOW) -> Actor:
    with database.unit_of_work() as session:
        return tokens.authenticate(session, secret=secret, now=now)


def test_a_token_authenticates_as_its_user_with_its_scope(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ed@example.org", org_roles=(OrgRole.EDITOR,))
    _, secret = create(registry_db, "ed@example.org", scope=Scope.WRITE)
    actor = bearer(registry_db, secret)
    assert (actor.name, actor.scope, actor.org_roles[ORG_A]) == (
        "ed@example.org", Scope.WRITE, {OrgRole.EDITOR})


def test_a_token_carries_every_role_of_its_user(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ed@example.org", registry_roles=(RegistryRole.ADMIN, RegistryRole.REVIEWER),
             org_roles=(OrgRole.EDITOR, OrgRole.ISSUER))
    with registry_db.unit_of_work() as session:
        service.add_member(session, email="ed@example.org", organization_id=ORG_B,
                           role=OrgRole.ENDORSER, actor=OPERATOR)
    _, secret = create(registry_db, "ed@example.org")
    actor = bearer(registry_db, secret)
    assert actor.registry_roles == {RegistryRole.ADMIN, RegistryRole.REVIEWER}
    assert dict(actor.org_roles) == {ORG_A: {OrgRole.EDITOR, OrgRole.ISSUER},
                                     ORG_B: {OrgRole.ENDORSER}}


def test_only_the_tokens_hash_and_prefix_are_stored(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ed@example.org")
    token, secret = create(registry_db, "ed@example.org")
    with registry_db.read() as session:
        token_hash, prefix = session.execute(
            select(ApiTokenRow.token_hash, ApiTokenRow.prefix)).one()
    assert secret not in (token_hash, prefix) and secret.startswith(prefix)
    assert token.prefix == prefix


@pytest.mark.parametrize("why", ["unknown", "revoked", "expired", "disabled"])
def test_an_invalid_token_is_refused(registry_db: Database, add_user: AddUser,
                                     why: str) -> None:
    add_user("ed@example.org")
    token, secret = create(registry_db, "ed@example.org", lifetime=timedelta(days=90))
    now = NOW
    with registry_db.unit_of_work() as session:
        if why == "revoked":
            tokens.revoke(session, token_id=token.id, actor=OPERATOR)
        elif why == "disabled":
            service.disable_user(session, email="ed@example.org", actor=OPERATOR)
    if why == "expired":
        now = NOW + timedelta(days=90)
    if why == "unknown":
        secret = secret[:-2] + ("AA" if not secret.endswith("AA") else "BB")
    with pytest.raises(Unauthenticated):
        bearer(registry_db, secret, now)


def test_a_user_may_not_revoke_someone_elses_token(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ed@example.org")
    other = service.actor_of(add_user("mallory@example.org"))
    token, _ = create(registry_db, "ed@example.org")
    with pytest.raises(NotFound), registry_db.unit_of_work() as session:
        tokens.revoke(session, token_id=token.id, actor=other)


def test_listing_tokens_shows_the_users_own_only(
    registry_db: Database, add_user: AddUser
) -> None:
    ed = service.actor_of(add_user("ed@example.org"))
    add_user("bo@example.org")
    create(registry_db, "ed@example.org")
    create(registry_db, "bo@example.org")
    with registry_db.read() as session:
        mine = tokens.list_tokens(session, email="ed@example.org", actor=ed)
        assert [token.user_email for token in mine] == ["ed@example.org"]
        with pytest.raises(Forbidden):
            tokens.list_tokens(session, email=None, actor=ed)


def every_text(database: Database) -> str:
    """Every column of every audit entry, as text."""
    with database.read() as session:
        return "\n".join(str(row) for row in session.execute(select(AuditRow.__table__)))


def test_no_password_or_token_ever_enters_the_audit_log(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ed@example.org")
    _, secret = create(registry_db, "ed@example.org")
    with registry_db.unit_of_work() as session:
        service.authenticate(session, email="ed@example.org", password="a wrong password",
                             address="192.0.2.1")
        service.set_password(session, email="ed@example.org", password="another password",
                             actor=OPERATOR)
    logged = every_text(registry_db)
    for secret_value in (PASSWORD, secret, "a wrong password", "another password"):
        assert secret_value not in logged
    assert "token.create" in logged and "login.failed" in logged


def test_append_refuses_a_detail_under_a_secrets_name(registry_db: Database) -> None:
    with pytest.raises(ValueError, match=r"detail\.password"), \
            registry_db.unit_of_work() as session:
        audit.append(session, actor=OPERATOR, action="x", resource_type="user",
                     detail={"password": "hunter2"})


@pytest.mark.parametrize("statement", ["UPDATE accounts_audit SET action = 'forged'",
                                       "DELETE FROM accounts_audit"])
def test_the_database_refuses_to_change_the_audit_log(
    registry_db: Database, add_user: AddUser, statement: str
) -> None:
    add_user("ed@example.org")
    with pytest.raises(DBAPIError, match="append-only"), registry_db.unit_of_work() as session:
        session.execute(text(statement))


def test_audit_filters_by_time_actor_and_action(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ed@example.org")
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    with registry_db.unit_of_work() as session:
        service.authenticate(session, email="ed@example.org", password=PASSWORD,
                             address="192.0.2.1", now=tomorrow)
    with registry_db.read() as session:
        logins = audit.entries(session, viewer=OPERATOR, action="login")
        by_ed = audit.entries(session, viewer=OPERATOR, actor="ED@example.org")
        recent = audit.entries(session, viewer=OPERATOR, since=tomorrow)
    assert [(e.actor, e.address) for e in logins] == [("user:ed@example.org", "192.0.2.1")]
    assert [e.action for e in by_ed] == ["login"]
    assert [e.action for e in recent] == ["login"]


def test_org_admins_read_their_organizations_entries_only(
    registry_db: Database, add_user: AddUser
) -> None:
    boss = service.actor_of(add_user("boss@example.org", org_roles=(OrgRole.ORG_ADMIN,)))
    add_user("ed@example.org", org_roles=(OrgRole.EDITOR,))
    add_user("bo@example.org", org_roles=(OrgRole.EDITOR,), organization=ORG_B)
    editor = service.actor_of(add_user("x@example.org", org_roles=(OrgRole.EDITOR,)))
    admin = service.actor_of(add_user("root@example.org", registry_roles=(RegistryRole.ADMIN,)))
    with registry_db.read() as session:
        theirs = audit.entries(session, viewer=boss)
        everything = audit.entries(session, viewer=admin)
        with pytest.raises(Forbidden):
            audit.entries(session, viewer=editor)
        with pytest.raises(Forbidden):
            audit.entries(session, viewer=boss, organization_id=ORG_B)
    assert {e.organization_id for e in theirs} == {ORG_A}
    assert {e.organization_id for e in everything} == {None, ORG_A, ORG_B}


def test_csv_export_has_a_header_and_one_row_per_entry(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ed@example.org", org_roles=(OrgRole.EDITOR,))
    with registry_db.read() as session:
        found = audit.entries(session, viewer=OPERATOR)
    rows = list(csv.DictReader(io.StringIO(audit.to_csv(found))))
    assert [row["action"] for row in rows] == ["user.add", "member.add"]
    assert rows[1]["organization_id"] == ORG_A and rows[1]["detail"] == '{"role": "editor"}'


def test_csv_export_keeps_a_formula_from_running_in_a_spreadsheet(
    registry_db: Database,
) -> None:
    with registry_db.unit_of_work() as session:
        service.authenticate(session, email="=HYPERLINK(\"http://evil\")", password="x" * 12,
                             address="192.0.2.1")
    with registry_db.read() as session:
        found = audit.entries(session, viewer=OPERATOR, action="login.failed")
    [row] = list(csv.DictReader(io.StringIO(audit.to_csv(found))))
    assert row["resource_id"].startswith("'=hyperlink")
