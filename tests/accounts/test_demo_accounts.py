"""The demo registry's accounts: one per role, made once, with the one public password."""

from __future__ import annotations

import pytest
from accounts_support import OPERATOR, ORG_A, PASSWORD
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from credstack.accounts import service
from credstack.accounts.demo import DEMO_ACCOUNTS, DemoAccount, ensure_demo_accounts
from credstack.accounts.model import OrgRole, RegistryRole
from credstack.accounts.passwords import DEMO_PASSWORD
from credstack.api.app import create_app
from credstack.config import Settings
from credstack.errors import InvalidInput
from credstack.store.tables.accounts import MembershipRow, RegistryRoleRow, UserRow
from credstack.store.unit_of_work import Database

EDITOR = DemoAccount("editor@demo.example.org", "Editor",
                     memberships=((ORG_A, OrgRole.EDITOR),))
REVIEWER = DemoAccount("reviewer@demo.example.org", "Reviewer",
                       registry_roles=(RegistryRole.REVIEWER,))
ELSEWHERE = DemoAccount("stray@demo.example.org", "Stray",
                        memberships=(("no-such-provider", OrgRole.EDITOR),))


def _counts(database: Database) -> tuple[int, int, int]:
    with database.read() as session:
        return (
            int(session.scalar(select(func.count()).select_from(UserRow)) or 0),
            int(session.scalar(select(func.count()).select_from(RegistryRoleRow)) or 0),
            int(session.scalar(select(func.count()).select_from(MembershipRow)) or 0),
        )


def test_every_role_of_the_issue_has_a_demo_account() -> None:
    registry_roles = {role for account in DEMO_ACCOUNTS for role in account.registry_roles}
    org_roles = {role for account in DEMO_ACCOUNTS for _, role in account.memberships}
    organizations = {org for account in DEMO_ACCOUNTS for org, _ in account.memberships}
    assert registry_roles == set(RegistryRole)
    assert org_roles == set(OrgRole)
    assert len(organizations) >= 3  # the walk's organization, another, an endorsing one
    assert any(not a.registry_roles and not a.memberships for a in DEMO_ACCOUNTS)  # learner


def test_demo_accounts_sign_in_with_the_demo_password(registry_db: Database) -> None:
    with registry_db.unit_of_work() as session:
        made = ensure_demo_accounts(session, actor=OPERATOR, accounts=(EDITOR, REVIEWER))
    assert made.created == (EDITOR.email, REVIEWER.email)
    with registry_db.unit_of_work() as session:
        signed_in = service.authenticate(session, email=EDITOR.email, password=DEMO_PASSWORD,
                                         address="127.0.0.1")
    assert signed_in.user is not None
    assert signed_in.user.memberships == ((ORG_A, OrgRole.EDITOR),)


def test_a_second_start_neither_duplicates_nor_fails(registry_db: Database) -> None:
    for _ in range(2):
        with registry_db.unit_of_work() as session:
            made = ensure_demo_accounts(session, actor=OPERATOR, accounts=(EDITOR, REVIEWER))
    assert made.created == ()
    assert _counts(registry_db) == (2, 1, 1)


def test_a_second_start_keeps_a_password_someone_changed(registry_db: Database) -> None:
    with registry_db.unit_of_work() as session:
        ensure_demo_accounts(session, actor=OPERATOR, accounts=(EDITOR,))
        service.set_password(session, email=EDITOR.email, password=PASSWORD, actor=OPERATOR)
    with registry_db.unit_of_work() as session:
        ensure_demo_accounts(session, actor=OPERATOR, accounts=(EDITOR,))
        assert service.authenticate(session, email=EDITOR.email, password=PASSWORD,
                                    address=None).user is not None


def test_memberships_of_organizations_the_registry_lacks_are_skipped_and_named(
    registry_db: Database,
) -> None:
    with registry_db.unit_of_work() as session:
        made = ensure_demo_accounts(session, actor=OPERATOR, accounts=(ELSEWHERE,))
    assert made.missing_organizations == ("no-such-provider",)
    assert _counts(registry_db) == (1, 0, 0)


@pytest.mark.parametrize("field", ["password", "new password"])
def test_rejects_the_demo_password_for_any_other_account(registry_db: Database,
                                                         field: str) -> None:
    with registry_db.unit_of_work() as session, pytest.raises(InvalidInput, match="demo"):
        if field == "password":
            service.add_user(session, email="someone@example.org", display_name=None,
                             password=DEMO_PASSWORD, actor=OPERATOR)
        else:
            ensure_demo_accounts(session, actor=OPERATOR, accounts=(EDITOR,))
            service.set_password(session, email=EDITOR.email, password=DEMO_PASSWORD,
                                 actor=OPERATOR)


@pytest.mark.parametrize("path", ["/", "/login", "/qa", "/verify", "/credentials/no-such-record"])
def test_every_portal_page_of_a_demo_registry_shows_the_banner(registry_db: Database,
                                                               path: str) -> None:
    demo = TestClient(create_app(registry_db, Settings(database_url="unused", demo=True)))
    assert 'class="demo-banner"' in demo.get(path).text


def test_a_registry_not_run_as_a_demo_shows_no_banner(registry_db: Database) -> None:
    plain = TestClient(create_app(registry_db, Settings(database_url="unused")))
    assert "demo-banner" not in plain.get("/").text
