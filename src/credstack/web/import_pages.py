"""The portal's CSV catalogue upload for an organization's editors (and registry admins).

The form takes a CSV file (the ``interop csv template`` columns), the session's CSRF token
and a "skip invalid rows" box. The import is ``interop.service.import_csv`` as the signed-in
user, so the policy decides per record: a row of a provider the user may not write refuses
the whole upload. Any bad row without the box: every problem in a table and nothing
stored; with the box the good rows are stored and the rejected ones are offered back as a
CSV with an ``errors`` column, ready to fix and upload again.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from credstack.accounts.errors import Forbidden
from credstack.api.auth import AuthDep, RequestAuth, client_address
from credstack.api.deps import SessionDep
from credstack.errors import InvalidInput, NotFound, Problem
from credstack.interop import service
from credstack.web import csrf
from credstack.web.account_pages import refuse_post, render, sign_in_first

router = APIRouter(include_in_schema=False)
# Below the portal's request body limit, so the page (not the body limit) answers.
MAX_UPLOAD_BYTES = 900_000


def _page(request: Request, auth: RequestAuth, status_code: int = 200, **context: Any
          ) -> HTMLResponse:
    base: dict[str, Any] = {"problems": [], "message": None, "outcome": None,
                            "max_bytes": MAX_UPLOAD_BYTES}
    return render(request, auth, "import.html", {**base, **context}, status_code=status_code)


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request, auth: AuthDep) -> Response:
    """The upload form (signed-in users; the policy decides per record on upload)."""
    if auth.portal_session is None:
        return sign_in_first(request)
    return _page(request, auth)


@router.post("/import", response_class=HTMLResponse)
def upload_catalogue(
    request: Request,
    auth: AuthDep,
    session: SessionDep,
    file: Annotated[UploadFile | None, File()] = None,
    skip_invalid: Annotated[str | None, Form(max_length=5)] = None,
    csrf_token: Annotated[str | None, Form(alias=csrf.FIELD)] = None,
) -> Response:
    """Import the uploaded CSV as the signed-in user; the report, or why nothing was
    stored."""
    refused = refuse_post(request, auth, csrf_token)
    if refused is not None:
        return refused
    name = (file.filename if file else None) or "upload.csv"
    data = file.file.read(MAX_UPLOAD_BYTES + 1) if file else b""
    unreadable = _unreadable(data, name)
    if unreadable is not None:
        problem, status_code = unreadable
        return _page(request, auth, problems=[problem], status_code=status_code)
    try:
        outcome = service.import_csv(
            session, text=data.decode("utf-8-sig"), source=name, actor=auth.actor,
            skip_invalid=skip_invalid is not None, address=client_address(request))
    except InvalidInput as error:
        session.rollback()  # nothing of a refused upload is kept
        return _page(request, auth, problems=error.problems, status_code=422)
    except (Forbidden, NotFound) as error:
        session.rollback()
        status = 403 if isinstance(error, Forbidden) else 404
        message = f"Nothing was imported: {error}"
        return _page(request, auth, message=message, status_code=status)
    return _page(request, auth, outcome=outcome)


def _unreadable(data: bytes, name: str) -> tuple[Problem, int] | None:
    """Why an upload cannot be read, and the status to answer (None: readable)."""
    if not data:
        return Problem("file", "choose a CSV file to upload", name), 422
    if len(data) > MAX_UPLOAD_BYTES:
        return Problem("file", f"must be at most {MAX_UPLOAD_BYTES:,} bytes", name), 413
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Problem("file", "expected UTF-8 text", name), 422
    return None


@router.post("/import/rejects.csv")
def rejects_download(
    request: Request,
    auth: AuthDep,
    rejects: Annotated[str, Form(max_length=2 * MAX_UPLOAD_BYTES)] = "",
    csrf_token: Annotated[str | None, Form(alias=csrf.FIELD)] = None,
) -> Response:
    """The rejected rows of the last upload, as a file to fix and upload again (the page
    holds them: nothing is kept on the server)."""
    refused = refuse_post(request, auth, csrf_token)
    if refused is not None:
        return refused
    return Response(rejects, media_type="text/csv", headers={
        "Content-Disposition": 'attachment; filename="rejects.csv"',
        "Cache-Control": "no-store"})

