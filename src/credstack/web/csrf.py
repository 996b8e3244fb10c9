"""CSRF tokens for the portal's forms: every form that changes state carries one.

With a session, the token is the session's (stored with it, new at every sign-in).
Before sign-in (the login form) it is a random value in a ``SameSite=Strict`` cookie
that the form must repeat (double submit). ``form_token`` gives the value a template
puts in the hidden ``csrf_token`` field; ``verify`` checks a submitted form.
"""

from __future__ import annotations

from fastapi import Request, Response

from credstack.accounts.secret_values import matches, new_secret
from credstack.api.auth import RequestAuth

FIELD = "csrf_token"
PRE_SESSION_COOKIE = "credstack_csrf"


def form_token(request: Request, auth: RequestAuth) -> str:
    """The token a form rendered for this request must carry."""
    if auth.portal_session is not None:
        return auth.portal_session.csrf_token
    return request.cookies.get(PRE_SESSION_COOKIE) or getattr(
        request.state, "new_csrf", None) or _new_pre_session_token(request)


def _new_pre_session_token(request: Request) -> str:
    token = new_secret()
    request.state.new_csrf = token
    return token


def set_cookie_if_new(request: Request, response: Response) -> None:
    """Send the pre-session token's cookie if ``form_token`` made a new one."""
    token = getattr(request.state, "new_csrf", None)
    if token:
        response.set_cookie(PRE_SESSION_COOKIE, token, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https", path="/")


def verify(request: Request, auth: RequestAuth, submitted: str | None) -> bool:
    """Whether a submitted form's token is the one this request's client was given."""
    if auth.portal_session is not None:
        return matches(auth.portal_session.csrf_token, submitted)
    return matches(request.cookies.get(PRE_SESSION_COOKIE), submitted)
