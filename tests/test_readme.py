"""The README's commands work as written: the command-line tour runs in order against a
fresh SQLite database, and the quick-start test command is the one CI runs."""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent
SERVE_TIMEOUT_S = 120


def _bash_block_after(heading: str) -> list[str]:
    """The command lines of the first ```bash block under ``heading`` (comments dropped)."""
    section = f"\n{README}".split(f"\n{heading}\n", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert block is not None, f"no bash block under {heading!r}"
    commands = []
    for line in block.group(1).splitlines():
        if shlex.split(line, comments=True):
            commands.append(line)
    return commands


TOUR = _bash_block_after("## A tour from the command line")


@pytest.fixture
def tour_env(tmp_path: Path) -> dict[str, str]:
    """A fresh data folder (so a fresh SQLite database) and the examples, as in a checkout."""
    (tmp_path / "examples").symlink_to(REPO / "examples")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDSTACK_")}
    env.update(
        CREDSTACK_DATA_DIR=str(tmp_path / "data"),
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        COLUMNS="80",
    )
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve_briefly(command: str, cwd: Path, env: dict[str, str]) -> None:
    # The one change to a README command: a free port, since 8000 may be taken here.
    port = _free_port()
    server = subprocess.Popen(
        [*shlex.split(command, comments=True), "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + SERVE_TIMEOUT_S
        while True:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    assert page.status == 200
                    return
            except OSError:
                assert time.monotonic() < deadline, f"{command} did not answer"
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_tour_runs_in_order_against_a_fresh_database(
    tour_env: dict[str, str], tmp_path: Path
) -> None:
    assert TOUR[0].startswith("credstack init")
    for command in TOUR:
        if shlex.split(command, comments=True)[1] == "serve":
            _serve_briefly(command, tmp_path, tour_env)
            continue
        result = subprocess.run(
            ["bash", "-c", command],
            cwd=tmp_path,
            env=tour_env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    schema = tmp_path / "micro-credential.schema.json"
    assert schema.stat().st_size > 0


def test_the_tour_import_names_the_assessment_example_it_passes_by(
    tour_env: dict[str, str], tmp_path: Path
) -> None:
    [command] = [line for line in TOUR if line.startswith("credstack import")]
    result = subprocess.run(
        ["bash", "-c", command], cwd=tmp_path, env=tour_env, capture_output=True, text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "examples/rru-caf-foundations-assessment.yaml" in result.stderr
    assert "credstack assess record" in result.stderr


def test_the_quick_start_test_command_is_what_ci_runs() -> None:
    quick_start = _bash_block_after("# credstack")
    ci_run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    [ci_command] = [line for line in ci_run.splitlines() if line.startswith("exec ")]
    assert shlex.split(quick_start[1]) == shlex.split(ci_command)[1:]


@pytest.mark.parametrize("position", [0, 1])
def test_the_quick_start_commands_are_valid_bash(position: int) -> None:
    command = _bash_block_after("# credstack")[position]
    check = subprocess.run(
        ["bash", "-n", "-c", command], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stderr


def test_the_demo_accounts_table_is_what_serve_demo_adds() -> None:
    from credstack.accounts.demo import DEMO_ACCOUNTS
    from credstack.accounts.passwords import DEMO_PASSWORD

    section = README.split("\n### The demo walk\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+@[^`]+)` \| (.+) \|$", section, re.MULTILINE)
    assert [email for email, _ in rows] == [account.email for account in DEMO_ACCOUNTS]
    for (_, roles), account in zip(rows, DEMO_ACCOUNTS, strict=True):
        for role in account.registry_roles:
            assert f"`{role.value}`" in roles
        for organization, org_role in account.memberships:
            assert f"`{org_role.value}` of `{organization}`" in roles
    assert f"`{DEMO_PASSWORD}`" in section


def _raw_bash_block_after(heading: str) -> str:
    section = f"\n{README}".split(f"\n{heading}\n", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert block is not None, f"no bash block under {heading!r}"
    return block.group(1)


def test_the_demo_walk_runs_against_serve_demo(tour_env: dict[str, str], tmp_path: Path) -> None:
    serve, walk = _raw_bash_block_after("### The demo walk").split("\n", 1)
    assert shlex.split(serve, comments=True) == ["credstack", "serve", "--demo"]
    (tmp_path / "src").symlink_to(REPO / "src")
    port = _free_port()
    server = subprocess.Popen([*shlex.split(serve, comments=True), "--port", str(port)],
                              cwd=tmp_path, env=tour_env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + SERVE_TIMEOUT_S
        while True:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                    break
            except OSError:
                assert time.monotonic() < deadline, "serve --demo did not answer"
                time.sleep(0.5)
        # The changes to the README's commands: the free port, and each answer on a line.
        script = "set -euo pipefail\ncurl() { command curl \"$@\"; echo; }\n" + walk.replace(
            "127.0.0.1:8000", f"127.0.0.1:{port}")
        result = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=tour_env,
                                capture_output=True, text=True, timeout=600, check=False)
        assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
        answers = [json.loads(line) for line in result.stdout.splitlines()
                   if line.startswith(("{", "["))]
    finally:
        server.terminate()
        server.wait(timeout=30)
    submitted, queue, approved, refused, issued = answers
    assert submitted["status"] == "submitted"
    [waiting] = [item for item in queue if item["id"] == submitted["id"]]
    assert waiting["compliance"]["compliant"] is True
    assert approved["status"] == "published"
    assert "detail" in refused
    assert issued["badge"]["learner"] == "ada"
