"""The ASGI application: REST API under /api/v1/ and the portal at /."""

from __future__ import annotations

import importlib

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from credstack import __version__
from credstack.config import Settings
from credstack.errors import Conflict, InvalidInput, NotFound
from credstack.store.unit_of_work import Database

API_PREFIX = "/api/v1"

# Each module exposes ``router`` (an APIRouter); mounted under /api/v1.
API_MODULES = (
    "credstack.api.registry",
    "credstack.api.quality",
    "credstack.api.taxonomy",
    "credstack.api.align",
    "credstack.api.assess",
    "credstack.api.badges",
    "credstack.api.interop",
)
# Each module exposes ``router`` for pages and files outside /api/v1 (portal, did.json).
SITE_MODULES = (
    "credstack.web.pages",
    "credstack.badges.site",
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
    app = FastAPI(
        title="credstack",
        version=__version__,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.database = database
    app.state.settings = settings or Settings.resolve(
        database.engine.url.render_as_string(hide_password=False)
    )
    for router in _routers(API_MODULES):
        app.include_router(router, prefix=API_PREFIX)  # type: ignore[arg-type]
    for router in _routers(SITE_MODULES):
        app.include_router(router)  # type: ignore[arg-type]
    _install_error_handlers(app)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(InvalidInput)
    async def _invalid(_request: Request, error: InvalidInput) -> JSONResponse:
        detail = [
            {"loc": problem.location, "msg": problem.message, "source": problem.source}
            for problem in error.problems
        ]
        return JSONResponse(status_code=422, content={"detail": detail})

    @app.exception_handler(NotFound)
    async def _not_found(_request: Request, error: NotFound) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(error)})

    @app.exception_handler(Conflict)
    async def _conflict(_request: Request, error: Conflict) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": str(error)})
