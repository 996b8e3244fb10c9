"""Portal routes of the badges capability: public verification and a learner's wallet."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from credstack.api.deps import get_database, get_session
from credstack.badges import verify_pool
from credstack.badges.canonical import DEFAULT_LIMITS
from credstack.badges.verify_pool import PoolBusy
from credstack.errors import NotFound
from credstack.web import gather_badges
from credstack.web.templating import templates

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(get_session)]
# The verifier's own input limit (badges.canonical.Limits); the form adds a little overhead.
MAX_CREDENTIAL_BYTES = DEFAULT_LIMITS.max_json_bytes
MAX_FORM_BYTES = MAX_CREDENTIAL_BYTES + 64_000


def _page(request: Request, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    base: dict[str, Any] = {"pasted": "", "verified": None, "checks": [], "facts": [], "source": "",
            "problem": None}
    return templates.TemplateResponse(request, "verify.html", {**base, **context},
                                      status_code=status_code)


@router.get("/verify", response_class=HTMLResponse)
def verify_form(request: Request, session: SessionDep, badge: str | None = None) -> HTMLResponse:
    """The public verification page; ``?badge=ID`` verifies a badge this registry issued."""
    if not badge:
        return _page(request, {})
    try:
        report = gather_badges.verify_stored_badge(session, badge)
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


@router.get("/wallet/{learner_id}", response_class=HTMLResponse)
def wallet_page(request: Request, session: SessionDep, learner_id: str) -> HTMLResponse:
    """A learner's wallet: each badge with its state, a download and a share link."""
    try:
        context = gather_badges.wallet_context(session, learner_id)
    except NotFound as error:
        return templates.TemplateResponse(request, "not_found.html", {"message": str(error)},
                                          status_code=404)
    return templates.TemplateResponse(request, "wallet.html", context)
