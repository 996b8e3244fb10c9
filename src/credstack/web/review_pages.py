"""The reviewer's portal page: the queue of submitted records with their compliance
results, and a form per record to approve (publish) or return it with comments.

Only the registry's reviewers (and admins, who may read the queue) see it: anonymous
visitors are sent to sign in, other users get 403. The forms carry the session's CSRF
token (``web.csrf``); the decisions are the API's (``registry.records.review``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from credstack.accounts.errors import Forbidden
from credstack.accounts.model import ActorKind
from credstack.api.auth import AuthDep, RequestAuth, client_address
from credstack.api.deps import SessionDep
from credstack.errors import Conflict, InvalidInput, NotFound
from credstack.registry import records
from credstack.registry.gate import quality_gate
from credstack.registry.service import PublishBlocked
from credstack.web import csrf
from credstack.web.account_pages import refuse_post, render, sign_in_first
from credstack.web.gather import publish_standard

router = APIRouter(include_in_schema=False)


def _queue_page(request: Request, auth: RequestAuth, session: SessionDep,
                context: dict[str, Any], status_code: int = 200) -> Response:
    standard = publish_standard(request)
    try:
        queue = records.review_queue(session, actor=auth.actor, gate=quality_gate(standard),
                                     standard=standard)
    except Forbidden as refused:
        return render(request, auth, "account_message.html", {
            "heading": "Reviewers only", "message": str(refused)}, status_code=403)
    return render(request, auth, "review.html",
                  {"queue": queue, "standard": standard, "problem": None, "message": None,
                   **context}, status_code=status_code)


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, auth: AuthDep, session: SessionDep,
                done: str | None = None) -> Response:
    """The review queue (registry reviewers)."""
    if auth.actor.kind is ActorKind.ANONYMOUS:
        return sign_in_first(request)
    message = {"approve": "Published.", "return": "Returned to its editors."}.get(done or "")
    return _queue_page(request, auth, session, {"message": message})


@router.post("/review/{credential_id}", response_class=HTMLResponse)
def review_decision(
    request: Request,
    auth: AuthDep,
    session: SessionDep,
    credential_id: str,
    decision: Annotated[str, Form(max_length=10)] = "",
    comments: Annotated[str, Form(max_length=records.MAX_COMMENTS)] = "",
    csrf_token: Annotated[str | None, Form(alias=csrf.FIELD)] = None,
) -> Response:
    """Approve or return one submitted record; back to the queue."""
    refused = refuse_post(request, auth, csrf_token)
    if refused is not None:
        return refused
    if decision not in ("approve", "return"):
        return _queue_page(request, auth, session,
                           {"problem": "Choose approve or return."}, status_code=422)
    standard = publish_standard(request)
    try:
        records.review(session, actor=auth.actor, credential_id=credential_id,
                       approve=decision == "approve", comments=comments.strip() or None,
                       gate=quality_gate(standard), standard=standard,
                       address=client_address(request))
    except (PublishBlocked, InvalidInput, Conflict, NotFound) as error:
        # Nothing was stored: the page shows why, with the queue as it is.
        session.rollback()
        status = 404 if isinstance(error, NotFound) else 409 if isinstance(
            error, Conflict) else 422
        return _queue_page(request, auth, session, {"problem": f"{credential_id}: {error}"},
                           status_code=status)
    except Forbidden as error:
        return render(request, auth, "account_message.html", {
            "heading": "Reviewers only", "message": str(error)}, status_code=403)
    return RedirectResponse(f"/review?done={decision}", status_code=303)
