"""Portal routes: search at /, a credential's CIS, comparison, and the vendored assets.

Handlers stay thin: ``gather`` collects the data, ``templates`` renders it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from credstack.api.auth import ActorDep, AuthDep
from credstack.api.deps import SessionDep
from credstack.errors import NotFound
from credstack.registry import records
from credstack.registry.query import PUBLIC_STATUSES
from credstack.web import (
    align_pages,
    badge_pages,
    feeds,
    gather,
    gather_quality,
    import_pages,
    record_pages,
    review_pages,
)
from credstack.web.account_pages import render
from credstack.web.gather import publish_standard
from credstack.web.templating import MEDIA_TYPES, static_files, templates

router = APIRouter(include_in_schema=False)
router.include_router(badge_pages.router)
router.include_router(align_pages.router)
router.include_router(review_pages.router)
router.include_router(record_pages.router)
router.include_router(import_pages.router)
_ASSETS = static_files()


def not_found(request: Request, message: str) -> HTMLResponse:
    """The portal's 404 page."""
    return templates.TemplateResponse(request, "not_found.html", {"message": message},
                                      status_code=404)


@router.get("/", response_class=HTMLResponse)
@router.get("/credentials", response_class=HTMLResponse)
def search_page(request: Request, session: SessionDep, actor: ActorDep) -> HTMLResponse:
    """Search published micro-credentials, with facets, ranges, sort and pages."""
    context = gather.search_context(session, actor, request.query_params.multi_items())
    return templates.TemplateResponse(request, "search.html", context)


@router.get("/credentials/{credential_id}", response_class=HTMLResponse)
def credential_page(request: Request, session: SessionDep, auth: AuthDep, credential_id: str,
                    version: str | None = None, framework: str | None = None,
                    done: str | None = None) -> HTMLResponse:
    """A micro-credential's whole Critical Information Summary (any version), with compliance;
    for its organization's staff, the submit / retire buttons the policy allows."""
    try:
        context = gather.credential_context(
            session, auth.actor, credential_id, gather.parse_version(version),
            framework=framework, default_framework=publish_standard(request),
        )
    except NotFound as error:
        return not_found(request, str(error))
    context["json_ld"] = feeds.page_json_ld(context["stored"])
    context["done"] = record_pages.DONE.get(done or "")
    if context["moves"]:
        # The buttons are forms: the signed-in page with its CSRF token, never cached.
        return render(request, auth, "credential.html", context)
    return templates.TemplateResponse(request, "credential.html", context)


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, session: SessionDep, actor: ActorDep,
                 id: Annotated[list[str] | None, Query()] = None) -> HTMLResponse:
    """Up to four micro-credentials side by side, one row per CIS element."""
    context = gather.compare_context(session, actor, id or [])
    status = 422 if context["too_many"] else 200
    return templates.TemplateResponse(request, "compare.html", context, status_code=status)


def _qa_cache(request: Request) -> gather_quality.QaCache:
    """The application's one dashboard cache, made on first use."""
    state = request.app.state
    if getattr(state, "qa_cache", None) is None:
        state.qa_cache = gather_quality.QaCache()
    cache: gather_quality.QaCache = state.qa_cache
    return cache


@router.get("/qa", response_class=HTMLResponse)
def qa_page(request: Request, session: SessionDep, actor: ActorDep,
            framework: str | None = None, status: str | None = None) -> HTMLResponse:
    """The coordinating body's QA dashboard: the registry against a rule set (published
    and retired records only for those who may not see every unpublished one)."""
    framework_id, framework_problem = gather_quality.pick_framework(
        framework, publish_standard(request))
    chosen_status, status_problem = gather_quality.parse_status(status)
    public_only = records.visible_providers(actor) is not None
    if public_only and chosen_status is not None and chosen_status not in PUBLIC_STATUSES:
        status_problem = (
            f"Status: {chosen_status.value} records are shown to the registry's reviewers")
        chosen_status = None
    context = _qa_cache(request).context(session, framework_id=framework_id,
                                         status=chosen_status, public_only=public_only)
    context["problems"] = [p for p in (framework_problem, status_problem) if p]
    return templates.TemplateResponse(request, "qa.html", context)


@router.get("/assets/{name}")
def asset(request: Request, name: str) -> Response:
    """A vendored static file (CSS, icons): no CDN, nothing fetched from elsewhere."""
    path = _ASSETS.get(name)
    if path is None:
        return not_found(request, f"no asset named '{name}'")
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix],
                        headers={"Cache-Control": "public, max-age=86400"})
