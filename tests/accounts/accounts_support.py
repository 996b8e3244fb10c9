"""What the accounts tests share besides fixtures: organizations, a password, actors."""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType

from credstack.accounts.model import Actor, ActorKind, OrgRole, RegistryRole, User

# The example record's issuer, and a partner provider it names.
ORG_A = "royal-roads-university"
ORG_B = "pics-climate"
PASSWORD = "correct horse battery staple"
OPERATOR = Actor.system("operator")
# The add_user fixture: a stored user with PASSWORD and the given roles.
AddUser = Callable[..., User]


def user_actor(name: str, *, registry_roles: frozenset[RegistryRole] = frozenset(),
               org_roles: dict[str, frozenset[OrgRole]] | None = None) -> Actor:
    """A signed-in user actor (no database) with the given roles."""
    return Actor(ActorKind.USER, name=f"{name}@example.org", user_id=f"id-{name}",
                 registry_roles=registry_roles,
                 org_roles=MappingProxyType(dict(org_roles or {})))


ACTORS: dict[str, Actor] = {
    "anonymous": Actor.anonymous(),
    "learner": user_actor("learner"),
    "editor_a": user_actor("editor-a", org_roles={ORG_A: frozenset({OrgRole.EDITOR})}),
    "editor_b": user_actor("editor-b", org_roles={ORG_B: frozenset({OrgRole.EDITOR})}),
    "reviewer": user_actor("reviewer", registry_roles=frozenset({RegistryRole.REVIEWER})),
    "assessor_a": user_actor("assessor-a", org_roles={ORG_A: frozenset({OrgRole.ASSESSOR})}),
    "issuer_a": user_actor("issuer-a", org_roles={ORG_A: frozenset({OrgRole.ISSUER})}),
    "org_admin_a": user_actor("org-admin-a", org_roles={ORG_A: frozenset({OrgRole.ORG_ADMIN})}),
    "endorser_a": user_actor("endorser-a", org_roles={ORG_A: frozenset({OrgRole.ENDORSER})}),
    "admin": user_actor("admin", registry_roles=frozenset({RegistryRole.ADMIN})),
}
