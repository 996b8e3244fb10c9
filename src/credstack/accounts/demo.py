"""The demo registry's accounts: one user per role, all with the one public demo password.

``credstack serve --demo`` calls ``ensure_demo_accounts`` at every start: missing users
are created, missing roles granted, nothing is duplicated and a password someone changed
is left alone. The demo password is published in the README, so ``check_strength``
refuses it everywhere else: only these accounts, made here, can carry it.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from credstack.accounts import service
from credstack.accounts.model import Actor, OrgRole, RegistryRole
from credstack.accounts.passwords import hash_demo_password
from credstack.errors import NotFound
from credstack.registry.providers import get_provider
from credstack.store.tables.accounts import UserRow

# The demo's organizations (providers of the demo set): the one whose staff the walk
# follows, another institution, and an industry body that endorses.
DEMO_ORGANIZATION = "royal-roads-university"
OTHER_ORGANIZATION = "university-of-british-columbia"
ENDORSING_ORGANIZATION = "irish-universities-association"


@dataclass(frozen=True)
class DemoAccount:
    """One demo user: its sign-in email, what it is for, and its roles."""

    email: str
    display_name: str
    registry_roles: tuple[RegistryRole, ...] = ()
    memberships: tuple[tuple[str, OrgRole], ...] = ()


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin@demo.credstack.org", "Registry Admin",
                registry_roles=(RegistryRole.ADMIN,)),
    DemoAccount("reviewer@demo.credstack.org", "Quality Reviewer",
                registry_roles=(RegistryRole.REVIEWER,)),
    DemoAccount("orgadmin@demo.credstack.org", "RRU Org Admin",
                memberships=((DEMO_ORGANIZATION, OrgRole.ORG_ADMIN),)),
    DemoAccount("editor@demo.credstack.org", "RRU Editor",
                memberships=((DEMO_ORGANIZATION, OrgRole.EDITOR),)),
    DemoAccount("assessor@demo.credstack.org", "RRU Assessor",
                memberships=((DEMO_ORGANIZATION, OrgRole.ASSESSOR),)),
    DemoAccount("issuer@demo.credstack.org", "RRU Issuer",
                memberships=((DEMO_ORGANIZATION, OrgRole.ISSUER),)),
    DemoAccount("ubc-editor@demo.credstack.org", "UBC Editor",
                memberships=((OTHER_ORGANIZATION, OrgRole.EDITOR),)),
    DemoAccount("endorser@demo.credstack.org", "IUA Endorser",
                memberships=((ENDORSING_ORGANIZATION, OrgRole.ENDORSER),)),
    DemoAccount("learner@demo.credstack.org", "Ada Learner"),
)


@dataclass(frozen=True)
class DemoAccounts:
    """What one start did: the accounts it created, and organizations it could not find
    (their memberships were skipped: the registry did not hold the demo set)."""

    created: tuple[str, ...]
    missing_organizations: tuple[str, ...]


def ensure_demo_accounts(session: Session, *, actor: Actor,
                         accounts: Sequence[DemoAccount] = DEMO_ACCOUNTS) -> DemoAccounts:
    """Create the demo accounts that do not exist yet and grant the roles they lack."""
    created: list[str] = []
    missing: set[str] = set()
    for account in accounts:
        row = session.scalar(select(UserRow).where(UserRow.email == account.email))
        if row is None:
            service.add_user(session, email=account.email, display_name=account.display_name,
                             password=_placeholder(), registry_roles=account.registry_roles,
                             actor=actor)
            row = session.scalar(select(UserRow).where(UserRow.email == account.email))
            assert row is not None  # just added
            # Set after add_user, which (rightly) refuses the public demo password.
            row.password_hash = hash_demo_password()
            created.append(account.email)
        for role in account.registry_roles:
            service.grant_registry_role(session, email=account.email, role=role, actor=actor)
        for organization_id, org_role in account.memberships:
            try:
                get_provider(session, provider_id=organization_id)
            except NotFound:
                missing.add(organization_id)
                continue
            service.add_member(session, email=account.email, organization_id=organization_id,
                               role=org_role, actor=actor)
    return DemoAccounts(created=tuple(created), missing_organizations=tuple(sorted(missing)))


def _placeholder() -> str:
    """A random password the demo password replaces at once (add_user hashes one)."""
    return secrets.token_urlsafe(24)
