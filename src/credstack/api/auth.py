"""Who is asking: the actor of a request, from an API token or a portal session.

- ``Authorization: Bearer cst_...``: a personal access token (``accounts.tokens``); an
  unknown, expired or revoked token is 401, whatever the route.
- The ``credstack_session`` cookie: a portal session (``accounts.sessions``). An API
  request that changes state with only the cookie must echo the session's CSRF token in
  ``X-CSRF-Token``; portal forms carry it in a field (``web.csrf``).
- Neither: the anonymous visitor.

``install`` adds what the rest of the app needs: the 401/403 error answers and the
security headers middleware.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from credstack.accounts import service, sessions, tokens
from credstack.accounts.errors import Forbidden, Unauthenticated
from credstack.accounts.model import Actor, ActorKind
from credstack.accounts.secret_values import matches
from credstack.accounts.sessions import PortalSession
from credstack.api.deps import SessionDep
from credstack.web.security_headers import SecurityHeaders

SESSION_COOKIE = "credstack_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearerAuth",
    bearerFormat="cst_ token",
    description="A personal access token: `credstack tokens create` or the portal's "
                "account page. Sent as `Authorization: Bearer cst_...`.",
)


@dataclass(frozen=True)
class RequestAuth:
    """The actor of a request and, when it came with a portal session, that session."""

    actor: Actor
    portal_session: PortalSession | None = None
    session_secret: str | None = None


def client_address(request: Request) -> str | None:
    """The client's address as the server sees it (behind a proxy: run uvicorn with
    --proxy-headers so this is the client's, not the proxy's)."""
    return request.client.host if request.client else None


def _authorization(request: Request) -> str | None:
    value = request.headers.get("authorization")
    if value is None:
        return None
    scheme, _, credentials = value.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise Unauthenticated("expected Authorization: Bearer <token>")
    return credentials.strip()


def resolve(request: Request, session: Session) -> RequestAuth:
    """The request's actor (cached on the request)."""
    cached = getattr(request.state, "auth", None)
    if isinstance(cached, RequestAuth):
        return cached
    now = datetime.now(UTC)
    token = _authorization(request)
    if token is not None:
        auth = RequestAuth(tokens.authenticate(session, secret=token, now=now))
    else:
        auth = _from_cookie(request, session, now)
    request.state.auth = auth
    return auth


def _from_cookie(request: Request, session: Session, now: datetime) -> RequestAuth:
    secret = request.cookies.get(SESSION_COOKIE)
    portal = sessions.resolve(session, secret=secret, now=now) if secret else None
    if portal is None:
        return RequestAuth(Actor.anonymous())
    actor = service.actor_by_id(session, user_id=portal.user_id, email=portal.email)
    unsafe = request.url.path.startswith("/api/") and request.method not in SAFE_METHODS
    if unsafe and not matches(portal.csrf_token, request.headers.get(CSRF_HEADER)):
        raise Forbidden(f"a request with the session cookie needs the {CSRF_HEADER} header")
    return RequestAuth(actor, portal, secret)


def current_auth(
    request: Request,
    session: SessionDep,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
) -> RequestAuth:
    """Dependency: the request's actor and portal session; declares the bearer scheme.

    It shares the handler's unit of work (``SessionDep``, function scope): one session
    per request, and a token's last-use time commits with the handler's writes, before
    the response is sent."""
    return resolve(request, session)


def current_actor(auth: Annotated[RequestAuth, Depends(current_auth)]) -> Actor:
    """Dependency: the request's actor, anonymous when it brought no credentials."""
    return auth.actor


def signed_in_actor(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
    """Dependency: the request's actor, which must be a user (401 otherwise)."""
    if actor.kind is not ActorKind.USER:
        raise Unauthenticated("sign in or send an API token (Authorization: Bearer)")
    return actor


ActorDep = Annotated[Actor, Depends(current_actor)]
AuthDep = Annotated[RequestAuth, Depends(current_auth)]
UserDep = Annotated[Actor, Depends(signed_in_actor)]


def install(app: FastAPI) -> None:
    """Answer 401 and 403 for the accounts errors; add the security headers to every
    response (the API docs page keeps its CDN assets until they are served locally)."""

    @app.exception_handler(Unauthenticated)
    async def _unauthenticated(_request: Request, error: Unauthenticated) -> JSONResponse:
        return JSONResponse(status_code=401, content={"detail": str(error)},
                            headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(Forbidden)
    async def _forbidden(_request: Request, error: Forbidden) -> JSONResponse:
        return JSONResponse(status_code=403, content={"detail": str(error)})

    app.add_middleware(SecurityHeaders)
