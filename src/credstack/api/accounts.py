"""Accounts endpoints: the current user, their API tokens, and the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from credstack.accounts import audit, service, tokens
from credstack.accounts.model import Actor, Scope
from credstack.accounts.secret_values import parse_lifetime
from credstack.api.auth import UserDep, client_address
from credstack.api.deps import SessionDep
from credstack.api.problems import responses
from credstack.api.routing import CheckedRoute

# Every operation here needs a signed-in user (401 otherwise).
router = APIRouter(tags=["accounts"], route_class=CheckedRoute, responses=responses(401, 503))


class TokenRequest(BaseModel):
    """A new personal access token."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="What the token is for.")
    scope: Scope = Field(description="read; write (includes read); issue (includes read).")
    expires: str | None = Field(
        default=None, max_length=16, description="Lifetime such as 90d, 12h, 2w; none: never."
    )


@router.get("/me")
def me(actor: UserDep, session: SessionDep) -> dict[str, Any]:
    """The signed-in user: email, name, registry roles, memberships, token scope."""
    assert actor.user_id is not None
    user = service.get_user_by_id(session, user_id=actor.user_id)
    return {**user.to_dict(), "scope": actor.scope.value if actor.scope else None}


@router.get("/me/tokens")
def list_my_tokens(actor: UserDep, session: SessionDep) -> list[dict[str, Any]]:
    """The signed-in user's API tokens (never their secrets)."""
    return [token.to_dict() for token in tokens.list_tokens(
        session, email=actor.name, actor=actor)]


@router.post("/me/tokens", status_code=201, responses=responses(403, 400, 413))
def create_my_token(body: TokenRequest, actor: UserDep, session: SessionDep,
                    request: Request) -> dict[str, Any]:
    """Create an API token; the response carries its secret, which is not shown again."""
    lifetime: timedelta | None = (
        parse_lifetime(body.expires, location="expires") if body.expires else None)
    token, secret = tokens.create(session, email=actor.name, name=body.name, scope=body.scope,
                                  lifetime=lifetime, actor=actor,
                                  address=client_address(request))
    return {**token.to_dict(), "token": secret}


@router.delete("/me/tokens/{token_id}", responses=responses(403, 404))
def revoke_my_token(token_id: str, actor: UserDep, session: SessionDep,
                    request: Request) -> dict[str, Any]:
    """Revoke one of the signed-in user's API tokens."""
    return tokens.revoke(session, token_id=token_id, actor=actor,
                         address=client_address(request)).to_dict()


def _entries(session: Session, actor: Actor, since: datetime | None, actor_filter: str | None,
             action: str | None, organization: str | None) -> list[audit.AuditEntry]:
    return audit.entries(session, viewer=actor, since=since, actor=actor_filter, action=action,
                         organization_id=organization)


AuditFilters = tuple[datetime | None, str | None, str | None, str | None]


def audit_filters(
    since: Annotated[datetime | None, Query(description="From this time (ISO 8601).")] = None,
    actor: Annotated[str | None, Query(description="Only this actor (email or label).")]
    = None,
    action: Annotated[str | None, Query(description="Only this action.")] = None,
    organization: Annotated[str | None, Query(description="Only this organization.")] = None,
) -> AuditFilters:
    """The audit listing's filters."""
    return since, actor, action, organization


@router.get("/audit", responses=responses(403, 404))
def list_audit(actor: UserDep, session: SessionDep,
               filters: Annotated[AuditFilters, Depends(audit_filters)]) -> list[dict[str, Any]]:
    """Audit entries: registry admins read all, org admins their organizations'."""
    return [entry.to_dict() for entry in _entries(session, actor, *filters)]


@router.get("/audit.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}, **responses(403, 404)})
def export_audit(actor: UserDep, session: SessionDep,
                 filters: Annotated[AuditFilters, Depends(audit_filters)]) -> Response:
    """The same entries as CSV."""
    return Response(audit.to_csv(_entries(session, actor, *filters)),
                    media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="audit.csv"'})
