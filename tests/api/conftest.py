"""API fixtures: the app on each engine, through the in-process client or a real server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
import yaml
from api_support import plain
from fastapi import FastAPI
from fastapi.testclient import TestClient

from account_fixtures import Bearer, bearer, new_user
from credstack.accounts.model import OrgRole, RegistryRole
from credstack.api.app import create_app
from credstack.config import Settings
from credstack.store.unit_of_work import Database


@pytest.fixture
def document(example_path: Path) -> dict[str, Any]:
    """The example record as a JSON request body."""
    return dict(plain(yaml.safe_load(example_path.read_text(encoding="utf-8"))))


@pytest.fixture
def app(database: Database) -> FastAPI:
    """The app on the test's database, publishing against the BC standard."""
    settings = Settings(database_url="unused", publish_standard="bc-assessment-standard")
    return create_app(database, settings)


__all__ = ["bearer", "new_user"]  # the fixtures, for this folder's tests


@pytest.fixture
def staff_headers(bearer: Bearer) -> dict[str, str]:
    """A user who may take the example's records through the whole workflow: editor and
    org admin of its provider, and the registry's reviewer."""
    return bearer("staff@example.org", registry_roles=[RegistryRole.REVIEWER],
                  org_roles=[OrgRole.EDITOR, OrgRole.ORG_ADMIN])


@pytest.fixture
def anonymous(app: FastAPI) -> Iterator[TestClient]:
    """An in-process client without credentials."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def client(app: FastAPI, staff_headers: dict[str, str]) -> Iterator[TestClient]:
    """An in-process client of the app, signed in as the example's staff."""
    with TestClient(app, headers=staff_headers) as test_client:
        yield test_client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def served(app: FastAPI, staff_headers: dict[str, str]) -> Iterator[httpx.Client]:
    """A client of the app behind a real uvicorn server on a free local port.

    The in-process clients wait for the whole ASGI call, teardown included; only a real
    server shows what a client sees when the response is sent.
    """
    config = uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{config.port}", timeout=60,
                          headers=staff_headers) as http:
            yield http
    finally:
        server.should_exit = True
        thread.join(timeout=20)
