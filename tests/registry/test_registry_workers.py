"""Several server processes on one database: a write through one shows in searches
through every other within a second.

Each test runs real ``credstack serve`` processes on free ports of 127.0.0.1 and
stops them; every wait is bounded.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

from credstack.accounts.model import OrgRole, RegistryRole

CLI = [str(Path(sys.executable).with_name("credstack"))]
FRESH_WITHIN = 1.0  # seconds, from the write's response to a search that finds it
Document = dict[str, Any]
# Every request carries the token of the example provider's editor, who is also the
# registry's reviewer: drafts are found by their organization's staff only.
HEADERS: dict[str, str] = {}


@pytest.fixture(autouse=True)
def signed_in(bearer: Callable[..., dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """Send a staff member's bearer token with every request of the test."""
    headers = bearer("staff@example.org", registry_roles=[RegistryRole.REVIEWER],
                     org_roles=[OrgRole.EDITOR])
    for name, value in headers.items():
        monkeypatch.setitem(HEADERS, name, value)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> Any:
    with urllib.request.urlopen(urllib.request.Request(url, headers=HEADERS),
                                timeout=5) as response:
        return json.load(response)


def _send(method: str, url: str, body: Document) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body, default=str).encode("utf-8"),  # dates as ISO 8601
        headers={"Content-Type": "application/json", **HEADERS},
        method=method,
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(response.status)


@contextmanager
def _server(database_url: str, log_folder: Path, *options: str) -> Iterator[str]:
    """A running ``credstack serve`` on a free port; its base URL."""
    port = _free_port()
    log_path = log_folder / f"serve-{port}.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [*CLI, "serve", "--port", str(port), "--db", database_url, *options],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}/api/v1"
        try:
            _wait_until_up(f"{url}/credentials", server, log_path)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"serve exited with {server.returncode}: {log.read_text()}")
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"serve did not answer at {url} within 60 s: {log.read_text()}")


def _seconds_until_found(url: str, query: str, *, within: float) -> float | None:
    """Poll ``url``'s search for ``query`` (drafts too) until it finds one record or
    ``within`` seconds pass; the seconds it took, or None."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        if _get(f"{url}/credentials?q={query}&status=draft")["total"] == 1:
            return time.monotonic() - started
        time.sleep(0.05)
    return None


@pytest.fixture
def servers(database_url: str, tmp_path: Path) -> Callable[..., list[str]]:
    """Start ``count`` servers with ``options`` on the test's database: their URLs."""
    stack = ExitStack()

    def start(count: int, *options: str) -> list[str]:
        return [
            stack.enter_context(_server(database_url, tmp_path, *options)) for _ in range(count)
        ]

    with stack:
        yield start


def test_a_write_through_one_server_shows_in_searches_through_another(
    servers: Callable[..., list[str]], make_document: Callable[..., Document]
) -> None:
    first, second = servers(2)
    # Both have loaded their columns: the second must catch up, not load anew.
    for url in (first, second):
        assert _get(f"{url}/credentials?q=glaciology&status=draft")["total"] == 0
    document = make_document("rru-glaciology", title="Applied Glaciology")
    assert _send("POST", f"{first}/credentials", document) == 201
    assert _seconds_until_found(second, "glaciology", within=FRESH_WITHIN) is not None


def test_a_new_version_through_one_server_replaces_the_old_in_another(
    servers: Callable[..., list[str]], make_document: Callable[..., Document]
) -> None:
    first, second = servers(2)
    assert _send("POST", f"{first}/credentials", make_document("rru-ice", title="Sea Ice")) == 201
    assert _seconds_until_found(second, "ice", within=FRESH_WITHIN) is not None
    new_version = make_document("rru-ice", title="Permafrost Basics")
    assert _send("PUT", f"{second}/credentials/rru-ice", new_version) == 200
    assert _seconds_until_found(first, "permafrost", within=FRESH_WITHIN) is not None
    assert _get(f"{first}/credentials?q=sea+ice&status=draft")["total"] == 0


def test_several_workers_of_one_serve_all_see_a_write(
    servers: Callable[..., list[str]], make_document: Callable[..., Document]
) -> None:
    (url,) = servers(1, "--workers", "2")
    document = make_document("rru-tundra", title="Tundra Ecology")
    assert _send("POST", f"{url}/credentials", document) == 201
    assert _seconds_until_found(url, "tundra", within=FRESH_WITHIN) is not None
    # Each request goes to whichever worker accepts it: every answer must have it.
    totals = {_get(f"{url}/credentials?q=tundra&status=draft")["total"] for _ in range(20)}
    assert totals == {1}
