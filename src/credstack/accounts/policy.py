"""The one authorization policy: may this actor do this action on this resource?

``decide`` is a pure function over a table with one ``Rule`` per ``Action``; services call
``require`` once per operation, so the CLI, the API and the portal get the same answers.
The order of the checks:

1. The system actor (the local operator's CLI) may do everything.
2. The action's rule allows the actor if the resource is public under the rule (published
   records, shared wallets, ...), or the actor is a signed-in user and one of these holds:
   any user may; the actor owns the resource; the actor holds one of the rule's registry
   roles; the actor holds one of the rule's organization roles in the resource's
   organization.
3. A user that came with an API token also needs the token's scope to grant the action's
   scope (``read`` < ``write``; ``read`` < ``issue``).
4. A refusal hides the resource (answer 404, not 403) when the actor may not even see it:
   a draft of another organization, someone else's wallet or assessment. A refusal to
   create something (a record, an assessment, a badge, an endorsement) is never hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from credstack.accounts.errors import Forbidden, Unauthenticated
from credstack.accounts.model import (
    PUBLIC_STATUSES,
    SCOPE_GRANTS,
    Action,
    Actor,
    ActorKind,
    Decision,
    OrgRole,
    RegistryRole,
    Resource,
    ResourceKind,
    Scope,
)
from credstack.errors import NotFound


class Public(StrEnum):
    """When a rule lets everyone, anonymous visitors included, act."""

    NEVER = "never"
    ALWAYS = "always"
    PUBLISHED = "published"  # a record whose status is published or retired
    SHARED = "shared"  # a wallet or badge its learner shared


@dataclass(frozen=True)
class Rule:
    """Who may do one action. Any matching clause allows."""

    scope: Scope
    public: Public = Public.NEVER
    any_user: bool = False
    owner: bool = False
    registry_roles: frozenset[RegistryRole] = frozenset()
    org_roles: frozenset[OrgRole] = frozenset()
    # The action makes a new resource: a refusal is never hidden (nothing exists to leak).
    creates: bool = False


A, R, Org = Action, RegistryRole, OrgRole
ADMIN = frozenset({R.ADMIN})
REVIEWERS = frozenset({R.REVIEWER, R.ADMIN})
STAFF = frozenset({Org.ORG_ADMIN, Org.EDITOR, Org.ASSESSOR, Org.ISSUER})
AUTHORS = frozenset({Org.ORG_ADMIN, Org.EDITOR})
ASSESSORS = frozenset({Org.ASSESSOR, Org.ORG_ADMIN})
ISSUERS = frozenset({Org.ISSUER})
READ, WRITE, ISSUE = Scope.READ, Scope.WRITE, Scope.ISSUE

RULES: Mapping[Action, Rule] = MappingProxyType({
    # Anonymous visitors: search and read published records, verify badges, status lists,
    # DID documents, endorsements and what a learner chose to share. Competency frameworks
    # and rule sets are published reference data that published records cite.
    A.SEARCH_RECORDS: Rule(READ, public=Public.ALWAYS),
    A.READ_RECORD: Rule(READ, public=Public.PUBLISHED, registry_roles=REVIEWERS, org_roles=STAFF),
    A.READ_PROVIDERS: Rule(READ, public=Public.ALWAYS),
    A.READ_COMPLIANCE: Rule(
        READ, public=Public.PUBLISHED, registry_roles=REVIEWERS, org_roles=STAFF
    ),
    A.READ_RULE_SETS: Rule(READ, public=Public.ALWAYS),
    A.READ_FRAMEWORKS: Rule(READ, public=Public.ALWAYS),
    A.VERIFY_BADGE: Rule(READ, public=Public.ALWAYS),
    A.READ_STATUS_LIST: Rule(READ, public=Public.ALWAYS),
    A.READ_ISSUER_PROFILE: Rule(READ, public=Public.ALWAYS),
    A.READ_ENDORSEMENTS: Rule(READ, public=Public.ALWAYS),
    # Editors and org admins write their organization's records; the reviewer only reviews.
    A.CREATE_RECORD: Rule(WRITE, registry_roles=ADMIN, org_roles=AUTHORS, creates=True),
    A.EDIT_RECORD: Rule(WRITE, org_roles=AUTHORS),
    A.SUBMIT_RECORD: Rule(WRITE, org_roles=AUTHORS),
    A.ALIGN_RECORD: Rule(WRITE, org_roles=AUTHORS),
    A.RETIRE_RECORD: Rule(WRITE, registry_roles=ADMIN, org_roles=frozenset({Org.ORG_ADMIN})),
    A.READ_REVIEW_QUEUE: Rule(READ, registry_roles=REVIEWERS),
    A.APPROVE_RECORD: Rule(WRITE, registry_roles=frozenset({R.REVIEWER})),
    A.RETURN_RECORD: Rule(WRITE, registry_roles=frozenset({R.REVIEWER})),
    A.IMPORT_RECORDS: Rule(WRITE, registry_roles=ADMIN),
    # The coordinating body's administration.
    A.CHECK_COMPLIANCE: Rule(READ, any_user=True),
    A.SUGGEST_ALIGNMENTS: Rule(READ, any_user=True),
    A.MANAGE_RULE_SETS: Rule(WRITE, registry_roles=ADMIN),
    A.MANAGE_FRAMEWORKS: Rule(WRITE, registry_roles=ADMIN),
    A.MANAGE_USERS: Rule(WRITE, registry_roles=ADMIN),
    A.MANAGE_ORGANIZATIONS: Rule(WRITE, registry_roles=ADMIN),
    A.MANAGE_MEMBERS: Rule(WRITE, registry_roles=ADMIN, org_roles=frozenset({Org.ORG_ADMIN})),
    A.MANAGE_KEYS: Rule(WRITE, registry_roles=ADMIN, org_roles=frozenset({Org.ORG_ADMIN})),
    A.READ_AUDIT: Rule(READ, registry_roles=ADMIN, org_roles=frozenset({Org.ORG_ADMIN})),
    # One's own account.
    A.READ_OWN_ACCOUNT: Rule(READ, owner=True),
    A.MANAGE_OWN_ACCOUNT: Rule(WRITE, owner=True),
    # Assessment: learner data is the learner's, the assessing organization's and the
    # registry admins' only.
    A.READ_RUBRICS: Rule(READ, registry_roles=REVIEWERS, org_roles=STAFF),
    A.MANAGE_RUBRICS: Rule(WRITE, org_roles=frozenset({Org.ORG_ADMIN, Org.EDITOR, Org.ASSESSOR})),
    A.MANAGE_LEARNERS: Rule(WRITE, registry_roles=ADMIN, org_roles=ASSESSORS),
    A.READ_LEARNER: Rule(READ, owner=True, registry_roles=ADMIN, org_roles=ASSESSORS),
    A.RECORD_ASSESSMENT: Rule(WRITE, org_roles=frozenset({Org.ASSESSOR}), creates=True),
    A.READ_ASSESSMENT: Rule(READ, owner=True, registry_roles=ADMIN, org_roles=ASSESSORS),
    # Badges: issuers act with their own organization's keys only.
    A.ISSUE_BADGE: Rule(ISSUE, org_roles=ISSUERS, creates=True),
    A.REVOKE_BADGE: Rule(ISSUE, org_roles=ISSUERS),
    A.READ_BADGE: Rule(
        READ, public=Public.SHARED, owner=True, registry_roles=ADMIN,
        org_roles=frozenset({Org.ISSUER, Org.ORG_ADMIN}),
    ),
    A.ENDORSE: Rule(WRITE, org_roles=frozenset({Org.ENDORSER}), creates=True),
    # Wallets are private by default.
    A.READ_WALLET: Rule(READ, public=Public.SHARED, owner=True, registry_roles=ADMIN),
    A.SHARE_WALLET: Rule(WRITE, owner=True),
})

# What an actor must be allowed to see a resource of each kind; refusals on a resource
# the actor may not see are answered as "not found".
VISIBILITY: Mapping[ResourceKind, Action] = MappingProxyType({
    ResourceKind.RECORD: A.READ_RECORD,
    ResourceKind.ASSESSMENT: A.READ_ASSESSMENT,
    ResourceKind.LEARNER: A.READ_LEARNER,
    ResourceKind.BADGE: A.READ_BADGE,
    ResourceKind.WALLET: A.READ_WALLET,
    ResourceKind.USER: A.READ_OWN_ACCOUNT,
})


def _public(rule: Rule, resource: Resource) -> bool:
    if rule.public is Public.ALWAYS:
        return True
    if rule.public is Public.PUBLISHED:
        return resource.status in PUBLIC_STATUSES
    if rule.public is Public.SHARED:
        return resource.shared
    return False


def _role_allows(rule: Rule, actor: Actor, resource: Resource) -> str | None:
    """Why ``rule`` allows ``actor`` on ``resource`` by its roles, or None."""
    if _public(rule, resource):
        return "public"
    if actor.kind is not ActorKind.USER:
        return None
    if rule.any_user:
        return "any signed-in user"
    if rule.owner and resource.owner_id is not None and resource.owner_id == actor.user_id:
        return "owner"
    held = actor.registry_roles & rule.registry_roles
    if held:
        return f"registry role {sorted(role.value for role in held)[0]}"
    if actor.holds(resource.organization_id, rule.org_roles):
        return f"member of {resource.organization_id}"
    return None


def _visible(actor: Actor, resource: Resource) -> bool:
    action = VISIBILITY.get(resource.kind)
    return action is None or _role_allows(RULES[action], actor, resource) is not None


def decide(actor: Actor, action: Action, resource: Resource) -> Decision:
    """The policy's answer for ``actor`` doing ``action`` on ``resource``."""
    if actor.kind is ActorKind.SYSTEM:
        return Decision(True, False, "the local operator")
    rule = RULES[action]
    why = _role_allows(rule, actor, resource)
    if why is not None:
        if actor.scope is not None and rule.scope not in SCOPE_GRANTS[actor.scope]:
            return Decision(
                False, False,
                f"the token's scope {actor.scope.value} does not grant {rule.scope.value}",
            )
        return Decision(True, False, why)
    hidden = not rule.creates and not _visible(actor, resource)
    who = "anonymous visitors" if actor.kind is ActorKind.ANONYMOUS else actor.label
    return Decision(False, hidden, f"{who} may not {action.value.replace('_', ' ')}")


def require(actor: Actor, action: Action, resource: Resource) -> None:
    """Return if allowed; else raise ``NotFound`` (hidden), ``Unauthenticated`` (anonymous)
    or ``Forbidden``. One call per service operation."""
    decision = decide(actor, action, resource)
    if decision.allowed:
        return
    if decision.hide_as_not_found:
        what = resource.kind.value.replace("_", " ")
        raise NotFound(f"{what} {resource.id or ''} not found".replace("  ", " "))
    if actor.kind is ActorKind.ANONYMOUS:
        raise Unauthenticated("sign in or send an API token (Authorization: Bearer)")
    raise Forbidden(decision.reason)
