"""What search engines and feed readers fetch: sitemap.xml (sitemaps.org 0.9), Atom feeds
(RFC 4287) of newly published and updated records, overall and per provider, and the
schema.org JSON-LD of a credential page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from xml.etree import ElementTree

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from sqlalchemy.orm import Session

from credstack.api.deps import get_session
from credstack.config import public_base_url
from credstack.domain.vocabulary import LifecycleStatus
from credstack.interop.schema_org import course_json_ld, script_text
from credstack.registry import service
from credstack.registry.query import SearchRequest, SortOrder
from credstack.registry.search import MAX_LIMIT, search

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(get_session)]
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
# sitemaps.org: at most 50,000 URLs in one sitemap file.
MAX_SITEMAP_URLS = 50_000
FEED_ENTRIES = MAX_LIMIT


def page_url(credential_id: str) -> str:
    """The public address of a record's page."""
    return f"{public_base_url()}/credentials/{credential_id}"


def page_json_ld(stored: service.StoredCredential) -> str | None:
    """The schema.org JSON-LD of a credential page: published, current versions only."""
    if stored.status is not LifecycleStatus.PUBLISHED or stored.version != stored.current_version:
        return None
    return script_text(course_json_ld(stored.record, page_url=page_url(stored.record.id)))


def _xml(root: ElementTree.Element, media_type: str) -> Response:
    body = ElementTree.tostring(root, encoding="unicode", xml_declaration=False)
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + body, media_type=media_type)


def _stamp(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@router.get("/sitemap.xml")
def sitemap(session: SessionDep) -> Response:
    """Every published record's page, with the date it last changed."""
    ElementTree.register_namespace("", SITEMAP)
    root = ElementTree.Element(f"{{{SITEMAP}}}urlset")
    home = ElementTree.SubElement(root, f"{{{SITEMAP}}}url")
    ElementTree.SubElement(home, f"{{{SITEMAP}}}loc").text = f"{public_base_url()}/"
    for count, stored in enumerate(service.iter_records(session, status=LifecycleStatus.PUBLISHED)):
        if count >= MAX_SITEMAP_URLS - 1:
            break
        url = ElementTree.SubElement(root, f"{{{SITEMAP}}}url")
        ElementTree.SubElement(url, f"{{{SITEMAP}}}loc").text = page_url(stored.record.id)
        ElementTree.SubElement(url, f"{{{SITEMAP}}}lastmod").text = _stamp(stored.updated_at)
    return _xml(root, "application/xml")


def _feed(session: Session, *, title: str, self_path: str, provider: str | None) -> Response:
    facets: dict[str, tuple[str, ...]] = {"provider": (provider,)} if provider else {}
    result = search(
        session,
        SearchRequest(facets=facets, sort=SortOrder.NEWEST, limit=FEED_ENTRIES, with_facets=False),
    )
    ElementTree.register_namespace("", ATOM)
    root = ElementTree.Element(f"{{{ATOM}}}feed")
    base = public_base_url()
    ElementTree.SubElement(root, f"{{{ATOM}}}id").text = f"{base}{self_path}"
    ElementTree.SubElement(root, f"{{{ATOM}}}title").text = title
    ElementTree.SubElement(root, f"{{{ATOM}}}link", rel="self", href=f"{base}{self_path}")
    ElementTree.SubElement(root, f"{{{ATOM}}}link", rel="alternate", href=f"{base}/")
    newest = max((s.updated_at for s in result.items), default=datetime(2000, 1, 1, tzinfo=UTC))
    ElementTree.SubElement(root, f"{{{ATOM}}}updated").text = _stamp(newest)
    author = ElementTree.SubElement(root, f"{{{ATOM}}}author")
    ElementTree.SubElement(author, f"{{{ATOM}}}name").text = "credstack registry"
    for stored in result.items:
        record = stored.record
        entry = ElementTree.SubElement(root, f"{{{ATOM}}}entry")
        ElementTree.SubElement(entry, f"{{{ATOM}}}id").text = page_url(record.id)
        ElementTree.SubElement(entry, f"{{{ATOM}}}title").text = record.title
        ElementTree.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=page_url(record.id))
        ElementTree.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(stored.updated_at)
        ElementTree.SubElement(entry, f"{{{ATOM}}}summary").text = record.description.summary
        entry_author = ElementTree.SubElement(entry, f"{{{ATOM}}}author")
        ElementTree.SubElement(entry_author, f"{{{ATOM}}}name").text = record.provider.issuer.name
        ElementTree.SubElement(entry, f"{{{ATOM}}}category", term=record.provider.issuer.id)
    return _xml(root, "application/atom+xml")


@router.get("/feeds/credentials.atom")
def all_credentials_feed(session: SessionDep) -> Response:
    """Newly published and updated records of the whole registry, newest first."""
    return _feed(
        session,
        title="credstack: new and updated micro-credentials",
        self_path="/feeds/credentials.atom",
        provider=None,
    )


@router.get("/feeds/providers/{provider_id}.atom")
def provider_feed(provider_id: str, session: SessionDep) -> Response:
    """Newly published and updated records of one provider (404 for an unknown one)."""
    provider = service.get_provider(session, provider_id=provider_id)
    return _feed(
        session,
        title=f"credstack: micro-credentials of {provider['name']}",
        self_path=f"/feeds/providers/{provider_id}.atom",
        provider=provider_id,
    )
