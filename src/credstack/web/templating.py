"""The portal's Jinja2 environment (autoescaping on) and its vendored static files."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from credstack.accounts.passwords import DEMO_PASSWORD
from credstack.web.credential_view import Link

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".svg": "image/svg+xml",
               ".js": "text/javascript; charset=utf-8"}


# The portal's main navigation: (path, label).
NAV_LINKS: tuple[tuple[str, str], ...] = (
    ("/", "Search"),
    ("/compare", "Compare"),
    ("/qa", "Quality"),
    ("/verify", "Verify a badge"),
    ("/account", "Account"),
)


def _is_link(value: object) -> bool:
    return isinstance(value, Link)


def is_demo(request: Request) -> bool:
    """Whether the application serves a demo registry (``serve --demo``)."""
    settings = getattr(request.app.state, "settings", None)
    return bool(getattr(settings, "demo", False))


def static_files() -> dict[str, Path]:
    """The files the portal serves under /assets/ (only these: no path is taken from a URL)."""
    return {path.name: path for path in sorted(STATIC_DIR.iterdir())
            if path.is_file() and path.suffix in MEDIA_TYPES}


def asset_version(name: str) -> str:
    """A short content hash of a static file, so a changed file gets a new URL."""
    return hashlib.sha256(static_files()[name].read_bytes()).hexdigest()[:10]


def make_environment() -> Environment:
    """Templates from web/templates; every value is HTML-escaped unless marked safe."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.tests["link"] = _is_link
    versions = {name: asset_version(name) for name in static_files()}
    environment.globals["nav_links"] = lambda: NAV_LINKS
    environment.globals["is_demo"] = is_demo
    environment.globals["demo_password"] = DEMO_PASSWORD
    environment.globals["asset"] = lambda name: f"/assets/{name}?v={versions[name]}"
    return environment


templates = Jinja2Templates(env=make_environment())
