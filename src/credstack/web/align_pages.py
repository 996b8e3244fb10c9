"""Portal routes of the alignment capability: review suggested competencies per outcome."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from credstack.accounts.errors import Forbidden
from credstack.api.auth import AuthDep, client_address
from credstack.api.deps import SessionDep
from credstack.errors import InvalidInput, NotFound
from credstack.registry import records
from credstack.web import csrf, gather_align
from credstack.web.account_pages import refuse_post, render
from credstack.web.templating import templates

router = APIRouter(include_in_schema=False)
FORM_FIELDS = ("decision", "outcome", "framework", "uri", "reviewer", "proficiency_level",
               "score", "top")


def _not_found(request: Request, error: NotFound) -> HTMLResponse:
    return templates.TemplateResponse(request, "not_found.html", {"message": str(error)},
                                      status_code=404)


@router.get("/credentials/{credential_id}/alignment", response_class=HTMLResponse)
def alignment_page(request: Request, auth: AuthDep, session: SessionDep, credential_id: str,
                   framework: str = gather_align.DEFAULT_FRAMEWORK, top: str | None = None,
                   reviewed: str | None = None) -> HTMLResponse:
    """Suggested competencies for each learning outcome, with accept / reject forms (for
    a record the visitor may see)."""
    try:
        records.read_record(session, actor=auth.actor, credential_id=credential_id)
        context = gather_align.review_context(session, credential_id, framework_id=framework,
                                              top=gather_align.parse_top(top))
    except NotFound as error:
        return _not_found(request, error)
    context["reviewed"] = reviewed
    return render(request, auth, "alignment.html", context)


@router.post("/credentials/{credential_id}/alignment", response_class=HTMLResponse)
async def review_alignment(request: Request, auth: AuthDep, session: SessionDep,
                           credential_id: str) -> Response:
    """Accept, reject or add an alignment (editors of the record's provider, signed in,
    with the form's CSRF token); then back to the page (post / redirect / get)."""
    async with request.form(max_files=0, max_fields=len(FORM_FIELDS) + 2,
                            max_part_size=10_000) as submitted:
        form = {name: str(submitted.get(name, "")) for name in FORM_FIELDS}
        csrf_token = str(submitted.get(csrf.FIELD, ""))
    refused = refuse_post(request, auth, csrf_token)
    if refused is not None:
        return refused
    try:
        outcome = gather_align.apply_decision(session, auth.actor, credential_id, form,
                                              address=client_address(request))
    except NotFound as error:
        return _not_found(request, error)
    except Forbidden as error:
        return render(request, auth, "account_message.html", {
            "heading": "Editors only", "message": str(error)}, status_code=403)
    except InvalidInput as error:
        session.rollback()  # nothing of the refused decision is kept
        context = gather_align.review_context(
            session, credential_id, framework_id=form["framework"] or "esco",
            top=gather_align.parse_top(form["top"]))
        context["problems"] = [f"{p.location}: {p.message}" for p in error.problems]
        return render(request, auth, "alignment.html", context, status_code=422)
    query = urlencode({"framework": form["framework"], "top": form["top"] or "",
                       "reviewed": outcome})
    return RedirectResponse(f"/credentials/{quote(credential_id)}/alignment?{query}"
                            f"#outcome-{quote(outcome)}", status_code=303)
