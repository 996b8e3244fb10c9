"""Portal forms on a record's page for its organization's staff: submit a draft for
review (editors and org admins), retire a published record (org admins).

The page shows a button only when the policy allows the move (``records.page_moves``);
the post asks the policy again through ``registry.records.move``, with the session's CSRF
token (``web.csrf``), and comes back to the record's page (post / redirect / get).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from credstack.accounts.errors import Forbidden
from credstack.api.auth import AuthDep, RequestAuth, client_address
from credstack.api.deps import SessionDep
from credstack.domain.vocabulary import LifecycleStatus
from credstack.errors import Conflict, NotFound
from credstack.registry import records
from credstack.web import csrf
from credstack.web.account_pages import refuse_post, render
from credstack.web.templating import templates

router = APIRouter(include_in_schema=False)
MOVES = {target.value: target for target in records.PAGE_MOVES.values()}
DONE = {"submitted": "Submitted for review.", "retired": "Retired."}


@router.post("/credentials/{credential_id}/lifecycle", response_class=HTMLResponse)
def move_record(
    request: Request,
    auth: AuthDep,
    session: SessionDep,
    credential_id: str,
    target: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Annotated[str | None, Form(alias=csrf.FIELD)] = None,
) -> Response:
    """Submit or retire one record as the signed-in user; back to its page."""
    refused = refuse_post(request, auth, csrf_token)
    if refused is not None:
        return refused
    status: LifecycleStatus | None = MOVES.get(target)
    if status is None:
        return _refusal(request, auth, "Unknown action",
                        f"expected one of {', '.join(MOVES)}", 422)
    try:
        records.move(session, actor=auth.actor, credential_id=credential_id, target=status,
                     address=client_address(request))
    except NotFound as error:
        return templates.TemplateResponse(request, "not_found.html", {"message": str(error)},
                                          status_code=404)
    except Forbidden as error:
        return _refusal(request, auth, "Not allowed", str(error), 403)
    except Conflict as error:
        session.rollback()  # nothing of the refused move is kept
        return _refusal(request, auth, "Not possible now", str(error), 409)
    return RedirectResponse(f"/credentials/{quote(credential_id)}?done={status.value}",
                            status_code=303)


def _refusal(request: Request, auth: RequestAuth, heading: str, message: str,
             status_code: int) -> HTMLResponse:
    return render(request, auth, "account_message.html",
                  {"heading": heading, "message": message}, status_code=status_code)
