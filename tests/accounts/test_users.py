"""Users, roles and memberships on SQLite and PostgreSQL: stored, checked, audited."""

from __future__ import annotations

import pytest
from accounts_support import OPERATOR, ORG_A, ORG_B, PASSWORD, AddUser
from sqlalchemy import select

from credstack.accounts import audit, service
from credstack.accounts.errors import DuplicateAccount, Forbidden
from credstack.accounts.model import OrgRole, RegistryRole
from credstack.errors import InvalidInput, NotFound
from credstack.store.tables.accounts import UserRow
from credstack.store.unit_of_work import Database


def test_email_is_stored_normalised_and_found_in_any_case(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("  Ada@Example.ORG ")
    with registry_db.read() as session:
        assert service.get_user(session, email="ADA@example.org").email == "ada@example.org"


def test_rejects_a_second_user_with_the_same_email_in_another_case(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ada@example.org")
    with pytest.raises(DuplicateAccount), registry_db.unit_of_work() as session:
        service.add_user(session, email="ADA@example.org", display_name=None,
                         password=PASSWORD, actor=OPERATOR)


def test_rejects_a_malformed_email_naming_the_field(registry_db: Database) -> None:
    with pytest.raises(InvalidInput, match="email: 'ada-at-example' is not an email"), \
            registry_db.unit_of_work() as session:
        service.add_user(session, email="ada-at-example", display_name=None,
                         password=PASSWORD, actor=OPERATOR)


def test_password_is_stored_only_as_an_argon2id_hash(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ada@example.org")
    with registry_db.read() as session:
        stored = session.scalars(select(UserRow.password_hash)).one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_registry_roles_and_memberships_make_the_actor(add_user: AddUser) -> None:
    user = add_user("ed@example.org", registry_roles=(RegistryRole.REVIEWER,),
                    org_roles=(OrgRole.EDITOR, OrgRole.ISSUER))
    actor = service.actor_of(user)
    assert actor.registry_roles == {RegistryRole.REVIEWER}
    assert actor.org_roles[ORG_A] == {OrgRole.EDITOR, OrgRole.ISSUER}
    assert actor.label == "user:ed@example.org"


def test_membership_needs_an_existing_organization(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ed@example.org")
    with pytest.raises(NotFound, match="no provider with id 'nowhere'"), \
            registry_db.unit_of_work() as session:
        service.add_member(session, email="ed@example.org", organization_id="nowhere",
                           role=OrgRole.EDITOR, actor=OPERATOR)


def test_org_admin_manages_members_of_their_organization_only(
    registry_db: Database, add_user: AddUser
) -> None:
    admin = service.actor_of(add_user("boss@example.org", org_roles=(OrgRole.ORG_ADMIN,)))
    add_user("ed@example.org")
    with registry_db.unit_of_work() as session:
        service.add_member(session, email="ed@example.org", organization_id=ORG_A,
                           role=OrgRole.EDITOR, actor=admin)
    with pytest.raises(Forbidden), registry_db.unit_of_work() as session:
        service.add_member(session, email="ed@example.org", organization_id=ORG_B,
                           role=OrgRole.EDITOR, actor=admin)


def test_removing_a_membership_takes_the_role_away(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ed@example.org", org_roles=(OrgRole.EDITOR, OrgRole.ISSUER))
    with registry_db.unit_of_work() as session:
        removed = service.remove_member(session, email="ed@example.org", organization_id=ORG_A,
                                        role=OrgRole.ISSUER, actor=OPERATOR)
        user = service.get_user(session, email="ed@example.org")
    assert removed == 1
    assert user.memberships == ((ORG_A, OrgRole.EDITOR),)


def test_only_registry_admins_list_users(registry_db: Database, add_user: AddUser) -> None:
    editor = service.actor_of(add_user("ed@example.org", org_roles=(OrgRole.EDITOR,)))
    admin = service.actor_of(add_user("root@example.org",
                                      registry_roles=(RegistryRole.ADMIN,)))
    with registry_db.read() as session:
        assert [u.email for u in service.list_users(session, actor=admin)] == [
            "ed@example.org", "root@example.org"]
        with pytest.raises(Forbidden):
            service.list_users(session, actor=editor)


def test_user_changes_are_audited_as_the_operator(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("ed@example.org", org_roles=(OrgRole.EDITOR,))
    with registry_db.read() as session:
        found = audit.entries(session, viewer=OPERATOR)
    assert [(e.actor, e.action, e.organization_id) for e in found] == [
        ("system:operator", "user.add", None),
        ("system:operator", "member.add", ORG_A),
    ]


def test_a_registry_role_is_granted_once_and_audited_once(
    registry_db: Database, add_user: AddUser
) -> None:
    add_user("rev@example.org")
    for _ in range(2):
        with registry_db.unit_of_work() as session:
            user = service.grant_registry_role(session, email="rev@example.org",
                                               role=RegistryRole.REVIEWER, actor=OPERATOR)
    assert user.registry_roles == {RegistryRole.REVIEWER}
    with registry_db.read() as session:
        grants = audit.entries(session, viewer=OPERATOR, action="user.grant_role")
    assert [entry.detail for entry in grants] == [{"role": "registry_reviewer"}]
