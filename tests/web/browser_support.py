"""What the browser tests share: Debian's Chromium, the credstack console script, and a
``credstack serve`` started as a user would start it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(tempfile.gettempdir())
# The console script installed next to this interpreter (the package's entry point).
CLI = [str(Path(sys.executable).with_name("credstack"))]


def require_browser() -> None:
    """Skip (fail under CI=true) when Chromium or Playwright is missing."""
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing (install it: apt-get install -y chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed"
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser test required under CI=true: {problem}")
    pytest.skip(problem)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_cli(*args: str, env: dict[str, str] | None = None) -> str:
    """Run ``credstack ARGS``; its standard output (the test fails on a non-zero exit)."""
    result = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120,
                            env=env, check=False)
    assert result.returncode == 0, f"credstack {' '.join(args)}: {result.stdout}{result.stderr}"
    return result.stdout


def wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Wait until ``url`` answers 200, or fail when the server exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"credstack serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"credstack serve did not answer at {url} within {timeout} s")


@contextmanager
def serving(*args: str, folder: Path, env: dict[str, str] | None = None,
            timeout: float = 30) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``credstack serve ARGS`` on a free port (log in ``folder``), stopped afterwards."""
    port = free_port()
    with (folder / "serve.log").open("wb") as log:
        server = subprocess.Popen([*CLI, "serve", *args, "--port", str(port)], env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_up(url + "/", server, timeout=timeout)
            yield url, server
        finally:
            server.terminate()
            server.wait(timeout=10)
