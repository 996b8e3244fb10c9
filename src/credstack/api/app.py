"""The ASGI application: REST API under /api/v1/ and the portal at /."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from credstack import __version__
from credstack.api.auth import install as install_security
from credstack.api.bodies import add_components
from credstack.api.limits import BodyLimit
from credstack.api.problems import install_error_handlers
from credstack.badges.canonical import DEFAULT_LIMITS
from credstack.config import Settings
from credstack.store.unit_of_work import Database

API_PREFIX = "/api/v1"
MAX_VERIFY_BYTES = DEFAULT_LIMITS.max_json_bytes

# Each module exposes ``router`` (an APIRouter); mounted under /api/v1.
API_MODULES = (
    "credstack.api.docs",
    "credstack.api.registry",
    "credstack.api.review",
    "credstack.api.quality",
    "credstack.api.taxonomy",
    "credstack.api.align",
    "credstack.api.assess",
    "credstack.api.badges",
    "credstack.api.accounts",
    "credstack.api.interop",
)
# Each module exposes ``router`` for pages and files outside /api/v1 (portal, did.json).
SITE_MODULES = (
    "credstack.web.pages",
    "credstack.badges.site",
    "credstack.web.account_pages",
    "credstack.web.feeds",
)


def _routers(names: tuple[str, ...]) -> list[object]:
    found = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:
                continue
            raise
        found.append(module.router)
    return found


def create_app(database: Database, settings: Settings | None = None) -> FastAPI:
    """The application bound to ``database`` (already migrated)."""
    settings = settings or Settings.resolve(
        database.engine.url.render_as_string(hide_password=False)
    )
    app = FastAPI(
        title="credstack",
        version=__version__,
        description=_description(settings),
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # served from shipped files by credstack.api.docs
        redoc_url=None,
    )
    app.state.database = database
    app.state.settings = settings
    app.add_middleware(BodyLimit, limit_for=_body_limits(settings))
    for router in _routers(API_MODULES):
        app.include_router(router, prefix=API_PREFIX)  # type: ignore[arg-type]
    for router in _routers(SITE_MODULES):
        app.include_router(router)  # type: ignore[arg-type]
    install_error_handlers(app)
    install_security(app)
    _document_bodies(app)
    return app


def _body_limits(settings: Settings) -> Callable[[str], int | None]:
    imports = f"{API_PREFIX}/competency-frameworks/import/"
    verify = f"{API_PREFIX}/verify"

    def limit_for(path: str) -> int | None:
        if path == verify:
            return None  # bounded by its handler, which answers with a report
        if path.startswith(imports):
            return settings.max_import_body_bytes
        return settings.max_body_bytes

    return limit_for


def _description(settings: Settings) -> str:
    return (
        "Competency-based micro-credentials: registry, quality, alignment, assessment, "
        "Open Badges 3.0.\n\n"
        f"Request bodies are at most {settings.max_body_bytes:,} bytes "
        f"({settings.max_import_body_bytes:,} for framework imports, "
        f"{MAX_VERIFY_BYTES:,} for verification); a larger body is refused with 413. "
        "Writes are committed before the response is sent. A PUT of a record may carry "
        "If-Match with the version it is based on (the ETag of a read): 409 with the "
        "current version if another is stored now. Errors: 422 as "
        'HTTPValidationError, otherwise {"detail": ...}.'
    )


def _document_bodies(app: FastAPI) -> None:
    """Add the schemas of bodies credstack validates itself to the OpenAPI components."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_components(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
