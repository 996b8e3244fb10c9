"""What each portal page needs from the registry: small functions over a session."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from credstack.accounts.model import Action, Actor
from credstack.config import Settings
from credstack.domain.vocabulary import LifecycleStatus
from credstack.errors import InvalidInput, NotFound
from credstack.registry import records, service
from credstack.registry.search import SearchResult
from credstack.web import compare_view, gather_badges, gather_quality, search_view
from credstack.web.credential_view import credential_view, referenced_ids


def publish_standard(request: Request) -> str:
    """The registry's configured publishing standard (the default rule set shown)."""
    settings = getattr(request.app.state, "settings", None)
    return settings.publish_standard if isinstance(settings, Settings) else (
        Settings.resolve().publish_standard)


def provider_names(session: Session, provider_ids: Iterable[str]) -> dict[str, str]:
    """Names of the given providers (ids the registry does not know are left out)."""
    names: dict[str, str] = {}
    for provider_id in provider_ids:
        try:
            names[provider_id] = str(service.get_provider(session, provider_id=provider_id)["name"])
        except NotFound:
            continue
    return names


def search_context(session: Session, actor: Actor, params: search_view.Params
                   ) -> dict[str, Any]:
    """The search page: the form, the cards of one page of results, facets and pages."""
    form = search_view.parse_search(params)
    problems = list(form.problems)
    try:
        result = records.search_records(session, actor=actor,
                                        request=search_view.to_request(form))
    except InvalidInput as error:
        problems.extend(f"{p.location}: {p.message}" for p in error.problems)
        result = SearchResult(items=[], total=0, facets={})
    shown_providers = set(result.facets.get("provider", {})) | set(
        (form.facets or {}).get("provider", ())
    )
    names = provider_names(session, shown_providers)
    return {
        "form": form,
        "problems": problems,
        "total": result.total,
        "cards": [search_view.result_card(item) for item in result.items],
        "facet_groups": search_view.facet_groups(form, result.facets, params, names),
        "active_filters": search_view.active_filters(form, params, names),
        "pagination": search_view.pagination(form, result.total, params, len(result.items)),
        "sort_labels": search_view.SORT_LABELS,
        "clear_href": search_view.link([(k, v) for k, v in params if k == "q"]),
    }


def parse_version(raw: str | None) -> int | None:
    """The ``version`` query parameter: None for current; NotFound if not a version number."""
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise NotFound(f"'{raw}' is not a version number (versions are 1, 2, 3, ...)")
    return int(raw)


def credential_context(session: Session, actor: Actor, credential_id: str,
                       version: int | None, *, framework: str | None = None,
                       default_framework: str) -> dict[str, Any]:
    """The credential page: the whole CIS of one version, its versions, status and
    compliance, and for its organization's staff the reviewer's comments on a return."""
    stored = records.read_record(session, actor=actor, credential_id=credential_id,
                                 version=version)
    linked = service.get_many(session, credential_ids=referenced_ids(stored.record))
    # Titles of unpublished records are not public: those link by their id.
    known = {
        other.record.id: other.record.title if other.status == LifecycleStatus.PUBLISHED
        else other.record.id
        for other in linked
    }
    framework_id, framework_problem = gather_quality.pick_framework(framework, default_framework)
    compliance, compliance_problem = gather_quality.compliance_panel(stored.record, framework_id)
    return {
        "compliance": compliance,
        "endorsements": gather_badges.endorsements(session, credential_id),
        "framework_problem": framework_problem or compliance_problem,
        "stored": stored,
        "record": stored.record,
        "view": credential_view(stored.record, known),
        "versions": service.list_versions(session, credential_id=credential_id),
        "review_comments": records.returned_comments(session, actor=actor, stored=stored),
        "is_current": stored.version == stored.current_version,
        "moves": [move.value for move in records.page_moves(actor, stored)],
    }


def compare_context(session: Session, actor: Actor, requested: list[str]) -> dict[str, Any]:
    """The comparison page: up to four records side by side; more are refused, all named.
    Records the actor may not see are "not found", as everywhere."""
    selection = compare_view.select_ids(requested)
    found = [stored for stored in service.get_many(session, credential_ids=list(selection.ids))
             if records.may(actor, Action.READ_RECORD, stored)]
    found_ids = {stored.record.id for stored in found}
    chosen = [stored.record for stored in found if stored.status == LifecycleStatus.PUBLISHED]
    compared = [] if selection.too_many else [stored.record for stored in found]
    return {
        "records": compared,
        "rows": compare_view.compare_rows(compared),
        "too_many": selection.too_many,
        "chosen": chosen,
        "chosen_count": len(selection.ids),
        "missing": [i for i in selection.ids if i not in found_ids],
        "max_compared": compare_view.MAX_COMPARED,
    }
