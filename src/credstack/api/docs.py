"""The API's interactive documentation: Swagger UI from files shipped with credstack.

No CDN: the page, its script, style sheet and icon all come from this server, so the
documentation works offline (``static/swagger-ui/SOURCE.md`` says where they are from).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

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
        return escape(request.url_for("swagger_asset", name=name).path)

    openapi_url = escape(request.scope.get("root_path", "") + request.app.openapi_url)
    # No inline script (the Content-Security-Policy allows none): the start-up script is
    # a file, and reads the document's address from its own tag.
    return HTMLResponse(f"""<!DOCTYPE html>
<html lang="en">
<head>
<title>{escape(request.app.title)} API</title>
<link rel="stylesheet" href="{asset("swagger-ui.css")}">
<link rel="icon" href="{asset("favicon-32x32.png")}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{asset("swagger-ui-bundle.js")}"></script>
<script src="{request.url_for("swagger_start").path}" data-openapi="{openapi_url}"></script>
</body>
</html>
""")


# No online validator badge: it would send the document to validator.swagger.io.
START_SCRIPT = """const openapi = document.currentScript.dataset.openapi;
window.ui = SwaggerUIBundle({
  url: openapi,
  dom_id: "#swagger-ui",
  validatorUrl: null,
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
"""


@router.get("/docs/start.js")
def swagger_start() -> Response:
    """The script that starts Swagger UI on this server's OpenAPI document."""
    return Response(START_SCRIPT, media_type="text/javascript",
                    headers={"Cache-Control": "public, max-age=86400"})


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
