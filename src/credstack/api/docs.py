"""The API's interactive documentation: Swagger UI from files shipped with credstack.

No CDN: the page, its script, style sheet and icon all come from this server, so the
documentation works offline (``static/swagger-ui/SOURCE.md`` says where they are from).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

ASSETS_DIR = Path(__file__).parent / "static" / "swagger-ui"
MEDIA_TYPES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI over this server's OpenAPI document."""

    def asset(name: str) -> str:
        return request.url_for("swagger_asset", name=name).path

    return get_swagger_ui_html(
        openapi_url=request.scope.get("root_path", "") + request.app.openapi_url,
        title=f"{request.app.title} API",
        swagger_js_url=asset("swagger-ui-bundle.js"),
        swagger_css_url=asset("swagger-ui.css"),
        swagger_favicon_url=asset("favicon-32x32.png"),
        # No online validator badge: it would send the document to validator.swagger.io.
        swagger_ui_parameters={"validatorUrl": None},
    )


@router.get("/docs/assets/{name}")
def swagger_asset(name: str) -> FileResponse:
    """One of Swagger UI's shipped files."""
    media_type = MEDIA_TYPES.get(name)
    if media_type is None:
        raise HTTPException(status_code=404, detail=f"no asset '{name}'")
    return FileResponse(
        ASSETS_DIR / name,
        media_type=media_type,
        headers={"Cache-Control": "public, max-age=86400"},
    )
