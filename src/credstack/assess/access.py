"""Who may touch assessment data: the policy's resources for rubrics, learners, assessments.

Pure description plus one lookup (a micro-credential's organization, through the
registry's service). A rubric and an assessment belong to the organization that provides
the micro-credential; a learner's data belongs to the learner (their user account), the
organization that registered them and the organizations that assessed them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from credstack.accounts.model import Action, Actor, Resource, ResourceKind
from credstack.accounts.policy import decide, require
from credstack.registry import service as registry


def organization_of(session: Session, credential_id: str, version: int | None = None) -> str:
    """The organization (registry provider) that provides a micro-credential."""
    stored = registry.get_record(session, credential_id=credential_id, version=version)
    return stored.record.provider.issuer.id


class Organizations:
    """Micro-credential → organization, each looked up once (for listings)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._known: dict[str, str] = {}

    def of(self, credential_id: str) -> str:
        """The organization that provides ``credential_id``."""
        if credential_id not in self._known:
            self._known[credential_id] = organization_of(self._session, credential_id)
        return self._known[credential_id]


def rubric_resource(rubric_id: str, organization_id: str) -> Resource:
    """A rubric of ``organization_id``'s micro-credential."""
    return Resource(ResourceKind.RUBRIC, rubric_id, organization_id=organization_id)


def assessment_resource(
    assessment_id: str | None, organization_id: str, learner_user_id: str | None
) -> Resource:
    """An assessment: the assessing organization's, and its learner's."""
    return Resource(
        ResourceKind.ASSESSMENT, assessment_id, organization_id=organization_id,
        owner_id=learner_user_id,
    )


def learner_resources(
    learner_id: str, user_id: str | None, organizations: Iterable[str | None]
) -> list[Resource]:
    """A learner's data once per organization that holds it (registering or assessing)."""
    found = [
        Resource(ResourceKind.LEARNER, learner_id, organization_id=org, owner_id=user_id)
        for org in dict.fromkeys(organizations)
    ]
    return found or [Resource(ResourceKind.LEARNER, learner_id, owner_id=user_id)]


def allowed(actor: Actor, action: Action, resource: Resource) -> bool:
    """Whether the policy allows ``actor`` to do ``action`` on ``resource``."""
    return decide(actor, action, resource).allowed


def require_any(actor: Actor, action: Action, resources: list[Resource]) -> None:
    """Allow if the policy allows ``action`` on any of ``resources`` (the same thing held
    by several organizations); else refuse as the policy does for the first."""
    if any(allowed(actor, action, resource) for resource in resources):
        return
    require(actor, action, resources[0])
