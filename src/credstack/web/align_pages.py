"""Portal routes of the alignment capability: review suggested competencies per outcome."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from credstack.api.deps import SessionDep, get_database
from credstack.errors import InvalidInput, NotFound
from credstack.web import gather_align
from credstack.web.templating import templates

router = APIRouter(include_in_schema=False)
FORM_FIELDS = ("decision", "outcome", "framework", "uri", "reviewer", "proficiency_level",
               "score", "top")


def _not_found(request: Request, error: NotFound) -> HTMLResponse:
    return templates.TemplateResponse(request, "not_found.html", {"message": str(error)},
                                      status_code=404)


@router.get("/credentials/{credential_id}/alignment", response_class=HTMLResponse)
def alignment_page(request: Request, session: SessionDep, credential_id: str,
                   framework: str = gather_align.DEFAULT_FRAMEWORK, top: str | None = None,
                   reviewed: str | None = None) -> HTMLResponse:
    """Suggested competencies for each learning outcome, with accept / reject forms."""
    try:
        context = gather_align.review_context(session, credential_id, framework_id=framework,
                                              top=gather_align.parse_top(top))
    except NotFound as error:
        return _not_found(request, error)
    context["reviewed"] = reviewed
    return templates.TemplateResponse(request, "alignment.html", context)


@router.post("/credentials/{credential_id}/alignment", response_class=HTMLResponse)
async def review_alignment(request: Request, credential_id: str) -> Response:
    """Accept, reject or add an alignment; then back to the page (post / redirect / get)."""
    async with request.form(max_files=0, max_fields=len(FORM_FIELDS) + 2,
                            max_part_size=10_000) as submitted:
        form = {name: str(submitted.get(name, "")) for name in FORM_FIELDS}
    database = get_database(request)
    try:
        with database.unit_of_work() as session:
            outcome = gather_align.apply_decision(session, credential_id, form)
    except NotFound as error:
        return _not_found(request, error)
    except InvalidInput as error:
        with database.read() as session:
            context = gather_align.review_context(
                session, credential_id, framework_id=form["framework"] or "esco",
                top=gather_align.parse_top(form["top"]))
        context["problems"] = [f"{p.location}: {p.message}" for p in error.problems]
        return templates.TemplateResponse(request, "alignment.html", context, status_code=422)
    query = urlencode({"framework": form["framework"], "top": form["top"] or "",
                       "reviewed": outcome})
    return RedirectResponse(f"/credentials/{quote(credential_id)}/alignment?{query}"
                            f"#outcome-{quote(outcome)}", status_code=303)
