"""Portal routes of the badges capability: verification, a learner's wallet, share links.

A wallet is private: its learner and registry admins see it, anyone else gets "not
found", and a visitor who is not signed in is sent to sign in. The learner creates and
revokes share links and switches the public profile from the wallet page (forms with a
CSRF token); ``/shared/{secret}`` and ``/profiles/{handle}`` show anyone exactly what
was shared, and nothing once revoked or expired.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from credstack.accounts.model import ActorKind
from credstack.accounts.secret_values import parse_lifetime
from credstack.api.auth import AuthDep, RequestAuth, client_address
from credstack.api.deps import SessionDep, get_database
from credstack.badges import sharing, verify_pool
from credstack.badges.canonical import DEFAULT_LIMITS
from credstack.badges.site import badge_download
from credstack.badges.verify_pool import PoolBusy
from credstack.errors import InvalidInput, NotFound
from credstack.web import csrf, gather_badges
from credstack.web.account_pages import refuse_post, render, sign_in_first
from credstack.web.templating import templates

router = APIRouter(include_in_schema=False)
TokenField = Annotated[str | None, Form(alias=csrf.FIELD)]
# Lifetimes a share link form offers (an empty value: never expires).
EXPIRY_CHOICES = (("7d", "1 week"), ("30d", "30 days"), ("90d", "90 days"), ("", "Never"))
# The verifier's own input limit (badges.canonical.Limits); the form adds a little overhead.
MAX_CREDENTIAL_BYTES = DEFAULT_LIMITS.max_json_bytes
MAX_FORM_BYTES = MAX_CREDENTIAL_BYTES + 64_000


def _page(request: Request, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    base: dict[str, Any] = {"pasted": "", "verified": None, "checks": [], "facts": [], "source": "",
            "problem": None}
    return templates.TemplateResponse(request, "verify.html", {**base, **context},
                                      status_code=status_code)


@router.get("/verify", response_class=HTMLResponse)
def verify_form(request: Request, session: SessionDep, auth: AuthDep,
                badge: str | None = None) -> HTMLResponse:
    """The public verification page; ``?badge=ID`` verifies a badge this registry issued
    that the visitor may read (their own, their organization's)."""
    if not badge:
        return _page(request, {})
    try:
        report = gather_badges.verify_stored_badge(session, badge, auth.actor)
    except NotFound as error:
        return _page(request, {"problem": str(error)}, status_code=404)
    return _page(request, gather_badges.verification_context(report, source=f"badge {badge}"))


async def _read_submission(request: Request) -> tuple[str | None, str | None]:
    """(credential text, problem): from the upload if one was sent, else the text box."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
        return None, f"The credential is larger than {MAX_CREDENTIAL_BYTES:,} bytes."
    try:
        async with request.form(max_files=1, max_fields=4,
                                max_part_size=MAX_FORM_BYTES) as form:
            upload = form.get("file")
            if isinstance(upload, UploadFile) and upload.filename:
                data = await upload.read(MAX_CREDENTIAL_BYTES + 1)
                if len(data) > MAX_CREDENTIAL_BYTES:
                    return None, f"The file is larger than {MAX_CREDENTIAL_BYTES:,} bytes."
                try:
                    return data.decode("utf-8"), None
                except UnicodeDecodeError:
                    return None, "The file is not UTF-8 text (a JSON credential or a VC-JWT)."
            pasted = form.get("credential")
            text = pasted if isinstance(pasted, str) else ""
    except Exception as error:  # any unreadable form is the visitor's input, not a 500
        return None, f"The form could not be read: {type(error).__name__}"
    if not text.strip():
        return None, "Paste a credential or choose a file to verify."
    return text, None


@router.post("/verify", response_class=HTMLResponse)
async def verify_submission(request: Request) -> HTMLResponse:
    """Verify a pasted or uploaded credential and show every check."""
    text, problem = await _read_submission(request)
    if text is None:
        return _page(request, {"problem": problem}, status_code=400)
    database = get_database(request)

    def run() -> dict[str, Any]:
        # Canonicalization is CPU work: off the event loop, in its own read-only session.
        with database.read() as session:
            report = gather_badges.verify_text(session, text)
        return gather_badges.verification_context(report, source="submitted credential")

    try:
        context = await asyncio.wrap_future(
            verify_pool.POOL.submit(run, size=len(text.encode("utf-8"))))
    except PoolBusy as busy:
        return _page(request, {"problem": f"Verification is busy: please try again in "
                                          f"{busy.retry_after} seconds."}, status_code=503)
    except Exception as error:  # the page reports, it never crashes
        context = {"verified": False, "checks": [], "facts": [], "source": "submitted credential",
                   "problem": f"The credential could not be verified: {type(error).__name__}"}
    return _page(request, {"pasted": text if len(text) <= 20_000 else "", **context})


def _not_found(request: Request, message: str) -> HTMLResponse:
    return templates.TemplateResponse(request, "not_found.html", {"message": message},
                                      status_code=404)


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _wallet(request: Request, session: Session, auth: RequestAuth, learner_id: str,
            status_code: int = 200, **extra: Any) -> Response:
    if auth.actor.kind is ActorKind.ANONYMOUS:
        return sign_in_first(request)
    try:
        context = gather_badges.wallet_context(session, learner_id, auth.actor,
                                               _base_url(request))
    except NotFound as error:
        return _not_found(request, str(error))
    return render(request, auth, "wallet.html",
                  {**context, "expiry_choices": EXPIRY_CHOICES, "problem": None,
                   "new_link": None, **extra},
                  status_code=status_code)


@router.get("/wallet", response_class=HTMLResponse)
def own_wallet_page(request: Request, session: SessionDep, auth: AuthDep) -> Response:
    """The signed-in user's wallet, with their share links and public profile."""
    if auth.actor.kind is ActorKind.ANONYMOUS:
        return sign_in_first(request)
    try:
        learner = sharing.own_learner(session, auth.actor)
    except NotFound as error:
        return _not_found(request, str(error))
    return _wallet(request, session, auth, learner)


@router.get("/wallet/{learner_id}", response_class=HTMLResponse)
def wallet_page(request: Request, session: SessionDep, auth: AuthDep,
                learner_id: str) -> Response:
    """A learner's wallet, for the learner and registry admins (others: not found)."""
    return _wallet(request, session, auth, learner_id)


@router.post("/wallet/share-links", response_class=HTMLResponse)
def create_share_link(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    badge_ids: Annotated[list[str] | None, Form(alias="badge")] = None,
    expires: Annotated[str, Form(max_length=16)] = "",
    csrf_token: TokenField = None,
) -> Response:
    """Create a share link for the ticked badges and show it once."""
    refused = refuse_post(request, auth, csrf_token)
    if refused is not None:
        return refused
    learner = sharing.own_learner(session, auth.actor)
    try:
        lifetime = parse_lifetime(expires, location="Expires") if expires.strip() else None
        link, secret = sharing.create_link(
            session, actor=auth.actor, badge_ids=badge_ids or [], lifetime=lifetime,
            address=client_address(request))
    except InvalidInput as error:
        return _wallet(request, session, auth, learner, 422, problem=str(error))
    new_link = {"url": f"{_base_url(request)}/shared/{secret}", "badges": len(link.badge_ids)}
    return _wallet(request, session, auth, learner, 201, new_link=new_link)


@router.post("/wallet/share-links/{link_id}/revoke")
def revoke_share_link(request: Request, session: SessionDep, auth: AuthDep, link_id: str,
                      csrf_token: TokenField = None) -> Response:
    """Revoke one of the learner's share links."""
    refused = refuse_post(request, auth, csrf_token)
    if refused is not None:
        return refused
    try:
        sharing.revoke_link(session, actor=auth.actor, link_id=link_id,
                            address=client_address(request))
    except NotFound as error:
        return _not_found(request, str(error))
    return RedirectResponse("/wallet", status_code=303)


@router.post("/wallet/profile")
def switch_profile(request: Request, session: SessionDep, auth: AuthDep,
                   enabled: Annotated[str, Form(max_length=8)] = "",
                   csrf_token: TokenField = None) -> Response:
    """Switch the learner's public profile on (``enabled=on``) or off."""
    refused = refuse_post(request, auth, csrf_token)
    if refused is not None:
        return refused
    sharing.set_profile(session, actor=auth.actor, enabled=enabled == "on",
                        address=client_address(request))
    return RedirectResponse("/wallet", status_code=303)


def _shared_page(request: Request, shared: sharing.SharedWallet, path: str,
                 title: str) -> HTMLResponse:
    context = gather_badges.shared_context(
        shared, page_url=f"{_base_url(request)}{path}", page_path=path, title=title)
    response = templates.TemplateResponse(request, "shared.html", context)
    # A share link is a secret: never cached by the way, never sent on as a referrer.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.get("/shared/{secret}", response_class=HTMLResponse)
def shared_page(request: Request, session: SessionDep, auth: AuthDep,
                secret: str) -> HTMLResponse:
    """What a learner shared by link: exactly those badges, nothing once revoked or expired."""
    try:
        shared = sharing.open_link(session, secret=secret, actor=auth.actor)
    except NotFound as error:
        return _not_found(request, str(error))
    return _shared_page(request, shared, f"/shared/{secret}", "Shared badges")


@router.get("/profiles/{handle}", response_class=HTMLResponse)
def profile_page(request: Request, session: SessionDep, auth: AuthDep,
                 handle: str) -> HTMLResponse:
    """A learner's public profile: their active badges, while it is switched on."""
    try:
        shared = sharing.open_profile(session, handle=handle, actor=auth.actor)
    except NotFound as error:
        return _not_found(request, str(error))
    return _shared_page(request, shared, f"/profiles/{handle}", "Badges")


@router.get("/shared/{secret}/badges/{badge_id}")
def shared_badge(session: SessionDep, auth: AuthDep, secret: str, badge_id: str) -> Response:
    """Download one badge behind a share link."""
    shared = sharing.open_link(session, secret=secret, actor=auth.actor)
    return badge_download(sharing.shared_badge(session, shared=shared, badge_id=badge_id))


@router.get("/profiles/{handle}/badges/{badge_id}")
def profile_badge(session: SessionDep, auth: AuthDep, handle: str, badge_id: str) -> Response:
    """Download one badge of a public profile."""
    shared = sharing.open_profile(session, handle=handle, actor=auth.actor)
    return badge_download(sharing.shared_badge(session, shared=shared, badge_id=badge_id))
