"""The accounts domain: roles, scopes, actors, resources and the actions the policy rules on.

Pure data: no database, no web framework. ``policy.decide`` answers for an
``Actor`` doing an ``Action`` on a ``Resource``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class RegistryRole(StrEnum):
    """Roles over the whole registry."""

    ADMIN = "registry_admin"  # manages users, organizations, rule sets
    REVIEWER = "registry_reviewer"  # approves or returns submitted records; edits nothing


class OrgRole(StrEnum):
    """Roles a membership gives within one organization (a registry provider)."""

    ORG_ADMIN = "org_admin"  # members and keys of the organization
    EDITOR = "editor"  # drafts and versions of the organization's records; submits
    ASSESSOR = "assessor"  # assessments for the organization's credentials
    ISSUER = "issuer"  # issues and revokes badges with the organization's keys
    ENDORSER = "endorser"  # endorses credentials as the organization


class Scope(StrEnum):
    """What an API token may do. ``write`` and ``issue`` each include ``read``."""

    READ = "read"
    WRITE = "write"
    ISSUE = "issue"


# The scopes each token scope grants (a portal session grants all of them).
SCOPE_GRANTS: Mapping[Scope, frozenset[Scope]] = MappingProxyType({
    Scope.READ: frozenset({Scope.READ}),
    Scope.WRITE: frozenset({Scope.READ, Scope.WRITE}),
    Scope.ISSUE: frozenset({Scope.READ, Scope.ISSUE}),
})


class ActorKind(StrEnum):
    """Who is acting: nobody known, the local operator, or a signed-in user."""

    ANONYMOUS = "anonymous"
    SYSTEM = "system"
    USER = "user"


@dataclass(frozen=True)
class Actor:
    """The one acting. A user carries its registry roles, its roles per organization and,
    when it came with an API token, that token's scope (``None``: a portal session)."""

    kind: ActorKind
    name: str = ""
    user_id: str | None = None
    registry_roles: frozenset[RegistryRole] = frozenset()
    org_roles: Mapping[str, frozenset[OrgRole]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    scope: Scope | None = None

    @classmethod
    def anonymous(cls) -> Actor:
        """A visitor without credentials."""
        return cls(ActorKind.ANONYMOUS, name="anonymous")

    @classmethod
    def system(cls, operator: str) -> Actor:
        """The local operator: the CLI with direct access to the database."""
        return cls(ActorKind.SYSTEM, name=operator)

    @property
    def label(self) -> str:
        """How the audit log names this actor: ``user:EMAIL``, ``system:LOGIN``, ``anonymous``."""
        if self.kind is ActorKind.ANONYMOUS:
            return "anonymous"
        return f"{self.kind.value}:{self.name}"

    def holds(self, organization_id: str | None, roles: frozenset[OrgRole]) -> bool:
        """Whether the actor holds one of ``roles`` in ``organization_id``."""
        if organization_id is None:
            return False
        return bool(self.org_roles.get(organization_id, frozenset()) & roles)

    def organizations(self, role: OrgRole) -> frozenset[str]:
        """The organizations in which the actor holds ``role``."""
        return frozenset(org for org, roles in self.org_roles.items() if role in roles)


class ResourceKind(StrEnum):
    """The kinds of things actions act on."""

    REGISTRY = "registry"  # the registry as a whole: search, queues, rule sets, imports
    RECORD = "record"  # a micro-credential record (any version)
    ORGANIZATION = "organization"  # a provider: its members, keys, audit entries
    USER = "user"  # a user account
    FRAMEWORK = "framework"  # a competency framework
    RUBRIC = "rubric"
    ASSESSMENT = "assessment"  # an assessment record (learner data)
    LEARNER = "learner"  # a learner's personal data (identity hash)
    BADGE = "badge"  # an issued credential
    WALLET = "wallet"  # a learner's wallet
    ENDORSEMENT = "endorsement"  # an endorsement, owned by the endorsing organization


# Record statuses anyone may read (domain/vocabulary.LifecycleStatus values).
PUBLIC_STATUSES = frozenset({"published", "retired"})


@dataclass(frozen=True)
class Resource:
    """What an action acts on, described by what the policy needs to know of it.

    ``organization_id`` is the owning organization (a record's provider, a badge's issuer,
    an assessment's assessing organization, an endorsement's endorser); ``owner_id`` the
    user the resource belongs to (a learner's wallet, assessments, an account);
    ``status`` a record's lifecycle status; ``shared`` a wallet or badge the learner shared.
    """

    kind: ResourceKind
    id: str | None = None
    organization_id: str | None = None
    owner_id: str | None = None
    status: str | None = None
    shared: bool = False

    @classmethod
    def registry(cls) -> Resource:
        """The registry as a whole."""
        return cls(ResourceKind.REGISTRY)


class Action(StrEnum):
    """Every operation credstack offers, and the workflows of the accounts issue."""

    # Registry: reading
    SEARCH_RECORDS = "search_records"
    READ_RECORD = "read_record"  # any version; drafts only for those who may see them
    READ_PROVIDERS = "read_providers"
    READ_COMPLIANCE = "read_compliance"  # compliance report of a record
    # Registry: writing and the review workflow
    CREATE_RECORD = "create_record"
    EDIT_RECORD = "edit_record"  # a new version
    SUBMIT_RECORD = "submit_record"
    READ_REVIEW_QUEUE = "read_review_queue"
    APPROVE_RECORD = "approve_record"  # publish through the quality gate
    RETURN_RECORD = "return_record"  # back to draft with comments
    RETIRE_RECORD = "retire_record"
    IMPORT_RECORDS = "import_records"  # bulk loads of many providers' records
    # Quality
    READ_RULE_SETS = "read_rule_sets"
    CHECK_COMPLIANCE = "check_compliance"  # check a posted document, nothing stored
    MANAGE_RULE_SETS = "manage_rule_sets"
    # Competency frameworks and alignment
    READ_FRAMEWORKS = "read_frameworks"
    MANAGE_FRAMEWORKS = "manage_frameworks"
    ALIGN_RECORD = "align_record"  # accept or reject alignments of a record
    SUGGEST_ALIGNMENTS = "suggest_alignments"  # competencies for posted text, nothing stored
    # Users, organizations, members, keys
    MANAGE_USERS = "manage_users"
    MANAGE_ORGANIZATIONS = "manage_organizations"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_KEYS = "manage_keys"
    READ_OWN_ACCOUNT = "read_own_account"
    MANAGE_OWN_ACCOUNT = "manage_own_account"  # password, API tokens
    # Assessment
    MANAGE_RUBRICS = "manage_rubrics"
    READ_RUBRICS = "read_rubrics"
    MANAGE_LEARNERS = "manage_learners"
    READ_LEARNER = "read_learner"  # identity hash and personal data
    RECORD_ASSESSMENT = "record_assessment"
    READ_ASSESSMENT = "read_assessment"
    # Badges
    ISSUE_BADGE = "issue_badge"
    REVOKE_BADGE = "revoke_badge"
    READ_BADGE = "read_badge"
    VERIFY_BADGE = "verify_badge"
    READ_STATUS_LIST = "read_status_list"
    READ_ISSUER_PROFILE = "read_issuer_profile"  # DID documents, issuer profiles
    ENDORSE = "endorse"
    READ_ENDORSEMENTS = "read_endorsements"
    # Wallets
    READ_WALLET = "read_wallet"
    SHARE_WALLET = "share_wallet"
    # Audit
    READ_AUDIT = "read_audit"


@dataclass(frozen=True)
class Decision:
    """The policy's answer: allowed or not, whether a refusal must look like a 404, and why."""

    allowed: bool
    hide_as_not_found: bool
    reason: str


@dataclass(frozen=True)
class User:
    """A user account (never carries the password hash out of the store)."""

    id: str
    email: str
    display_name: str
    disabled: bool
    created_at: datetime
    last_login_at: datetime | None
    registry_roles: frozenset[RegistryRole]
    memberships: tuple[tuple[str, OrgRole], ...]

    def to_dict(self) -> dict[str, Any]:
        """The stable ``--json`` / API shape of a user."""
        return {
            "id": self.id,
            "email": self.email,
            "display_name": self.display_name,
            "disabled": self.disabled,
            "created_at": self.created_at.isoformat(),
            "last_login_at": self.last_login_at.isoformat() if self.last_login_at else None,
            "registry_roles": sorted(role.value for role in self.registry_roles),
            "memberships": [
                {"organization": organization, "role": role.value}
                for organization, role in self.memberships
            ],
        }
