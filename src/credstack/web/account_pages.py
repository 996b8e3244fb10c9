"""Portal pages of the accounts capability: sign in, sign out, the account page (API
tokens, password change).

Sessions live in the database (``accounts.sessions``); the cookie is ``HttpOnly``,
``SameSite=Lax`` and ``Secure`` when served over HTTPS. Every form that changes state
carries a CSRF token (``web.csrf``); a forged post gets 403 and changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from credstack.accounts import service, sessions, tokens
from credstack.accounts.errors import Throttled
from credstack.accounts.model import Scope
from credstack.accounts.secret_values import parse_lifetime
from credstack.api.auth import SESSION_COOKIE, AuthDep, RequestAuth, client_address
from credstack.api.deps import SessionDep
from credstack.errors import InvalidInput, NotFound
from credstack.registry import records
from credstack.web import csrf
from credstack.web.templating import templates

router = APIRouter(include_in_schema=False)
TokenField = Annotated[str | None, Form(alias=csrf.FIELD)]


def render(request: Request, auth: RequestAuth, name: str, context: dict[str, Any],
           status_code: int = 200) -> HTMLResponse:
    """A signed-in page: its CSRF token in the context, never cached."""
    context = {**context, "csrf_token": csrf.form_token(request, auth)}
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    csrf.set_cookie_if_new(request, response)
    response.headers["Cache-Control"] = "no-store"
    return response


def _forged(request: Request, auth: RequestAuth) -> HTMLResponse:
    return render(request, auth, "account_message.html", {
        "heading": "Form expired",
        "message": "This form could not be accepted (its security token is missing or "
                   "stale). Reload the page and try again.",
    }, status_code=403)


def refuse_post(request: Request, auth: RequestAuth, csrf_token: str | None
                ) -> Response | None:
    """The answer to a signed-in form post without a session or with a wrong CSRF token;
    None when the post may go ahead."""
    if auth.portal_session is None:
        return sign_in_first(request)
    if not csrf.verify(request, auth, csrf_token):
        return _forged(request, auth)
    return None


def _set_session_cookie(request: Request, response: Response, started: sessions.StartedSession,
                        ) -> None:
    response.set_cookie(
        SESSION_COOKIE, started.secret, httponly=True, samesite="lax",
        secure=request.url.scheme == "https", path="/",
        max_age=int(sessions.LIFETIME.total_seconds()),
    )


def _safe_next(target: str | None) -> str:
    # Only a path on this site: never an open redirect to another host.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/account"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, auth: AuthDep, next: str | None = None) -> Response:
    """The sign-in form."""
    if auth.portal_session is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, auth, "account_login.html",
                   {"problem": None, "email": "", "next": _safe_next(next)})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    auth: AuthDep,
    session: SessionDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/account",
    csrf_token: TokenField = None,
) -> Response:
    """Sign in: one generic message for any failure; throttled per account and address."""
    if not csrf.verify(request, auth, csrf_token):
        return _forged(request, auth)
    now = datetime.now(UTC)
    outcome = service.authenticate(session, email=email, password=password,
                                   address=client_address(request), now=now)
    if outcome.user is None:
        status = 429 if isinstance(outcome.error, Throttled) else 401
        return render(request, auth, "account_login.html", {
            "problem": str(outcome.error), "email": email, "next": _safe_next(next),
        }, status_code=status)
    if auth.session_secret:
        sessions.end(session, secret=auth.session_secret, reason="replaced", now=now)
    started = sessions.start(session, user_id=outcome.user.id,
                             address=client_address(request), now=now)
    response = RedirectResponse(_safe_next(next), status_code=303)
    _set_session_cookie(request, response, started)
    response.delete_cookie(csrf.PRE_SESSION_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, auth: AuthDep, session: SessionDep,
           csrf_token: TokenField = None) -> Response:
    """Sign out: the session ends on the server, the cookie is cleared."""
    if auth.portal_session is None or auth.session_secret is None:
        return RedirectResponse("/", status_code=303)
    if not csrf.verify(request, auth, csrf_token):
        return _forged(request, auth)
    sessions.end(session, secret=auth.session_secret, reason="logout",
                 now=datetime.now(UTC))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _account_context(session: Session, auth: RequestAuth, **extra: Any) -> dict[str, Any]:
    actor = auth.actor
    assert actor.user_id is not None
    user = service.get_user_by_id(session, user_id=actor.user_id)
    now = datetime.now(UTC)
    listed = tokens.list_tokens(session, email=user.email, actor=actor)
    context: dict[str, Any] = {
        "user": user,
        "tokens": [{"token": token, "active": token.active(now)} for token in listed],
        "scopes": [scope.value for scope in Scope],
        "new_token": None, "problem": None, "message": None,
        "may_import": records.may_import(actor),
    }
    context.update(extra)
    return context


def _account_problem(request: Request, auth: RequestAuth, session: Session, problem: str,
                     status_code: int) -> HTMLResponse:
    """The account page again, saying what went wrong."""
    return render(request, auth, "account_home.html",
                   _account_context(session, auth, problem=problem), status_code=status_code)


def sign_in_first(request: Request) -> RedirectResponse:
    """To the sign-in page, coming back here after."""
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, auth: AuthDep, session: SessionDep) -> Response:
    """The signed-in user's account: roles, API tokens, password."""
    if auth.portal_session is None:
        return sign_in_first(request)
    return render(request, auth, "account_home.html", _account_context(session, auth))


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(
    request: Request,
    auth: AuthDep,
    session: SessionDep,
    name: Annotated[str, Form(max_length=200)] = "",
    scope: Annotated[str, Form(max_length=16)] = "read",
    expires: Annotated[str, Form(max_length=16)] = "",
    csrf_token: TokenField = None,
) -> Response:
    """Create an API token and show its secret once."""
    refused = refuse_post(request, auth, csrf_token)
    if refused is not None:
        return refused
    try:
        chosen = Scope(scope) if scope in {s.value for s in Scope} else None
        if chosen is None:
            raise ValueError(f"Scope must be one of read, write, issue; got {scope!r}.")
        lifetime = parse_lifetime(expires, location="Expires") if expires.strip() else None
        token, secret = tokens.create(session, email=auth.actor.name, name=name or "portal",
                                      scope=chosen, lifetime=lifetime, actor=auth.actor,
                                      address=client_address(request))
    except (InvalidInput, ValueError) as error:
        return _account_problem(request, auth, session, str(error), 422)
    return render(request, auth, "account_home.html", _account_context(
        session, auth, new_token={"secret": secret, "name": token.name}), status_code=201)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, auth: AuthDep, session: SessionDep, token_id: str,
                 csrf_token: TokenField = None) -> Response:
    """Revoke one of the user's API tokens."""
    refused = refuse_post(request, auth, csrf_token)
    if refused is not None:
        return refused
    try:
        tokens.revoke(session, token_id=token_id, actor=auth.actor,
                      address=client_address(request))
    except NotFound as error:
        return _account_problem(request, auth, session, str(error), 404)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    auth: AuthDep,
    session: SessionDep,
    current_password: Annotated[str, Form(max_length=1024)] = "",
    new_password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: TokenField = None,
) -> Response:
    """Change one's password: every session ends, and this browser gets a new one."""
    refused = refuse_post(request, auth, csrf_token)
    if refused is not None:
        return refused
    now = datetime.now(UTC)
    try:
        service.change_own_password(session, actor=auth.actor, current_password=current_password,
                                    new_password=new_password, address=client_address(request),
                                    now=now)
    except InvalidInput as error:
        problem = "; ".join(f"{p.location.replace('_', ' ')} {p.message}" for p in error.problems)
        return _account_problem(request, auth, session, problem.capitalize(), 422)
    assert auth.actor.user_id is not None
    started = sessions.start(session, user_id=auth.actor.user_id,
                             address=client_address(request), now=now)
    fresh = RequestAuth(auth.actor, sessions.PortalSession(
        auth.actor.user_id, auth.actor.name, started.csrf_token, started.expires_at),
        started.secret)
    response = render(request, fresh, "account_home.html", _account_context(
        session, fresh, message="Password changed. Your other sessions have been signed out."))
    _set_session_cookie(request, response, started)
    return response
