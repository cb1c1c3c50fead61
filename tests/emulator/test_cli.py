"""`pywats-emulator` over real loopback HTTP: it prints URL and token, answers, and the same
seed gives byte-identical responses across two runs."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import pytest

from pywats.emulator.__main__ import main
from pywats.emulator.cli import parse_config
from pywats.emulator.config import DEFAULT_TOKEN

pytestmark = pytest.mark.e2e

PATHS = [
    "/api/App/Version",
    "/api/App/Processes?includeInactiveProcesses=true",
    "/api/App/Levels",
    "/api/App/ProductGroups?includeFilters=true",
    "/api/internal/Process/GetProcesses",
    "/api/internal/Process/GetRepairOperations",
]


@contextmanager
def running(*args: str) -> Iterator[tuple[str, str]]:
    """Start the CLI on a free port; yield (url, token) read from what it prints."""
    command = [sys.executable, "-m", "pywats.emulator", "--port", "0", *args]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert process.stdout is not None
        url_line = process.stdout.readline()
        token_line = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", url_line)
        token = re.search(r"Token: (\S+)", token_line)
        assert url and token, (
            url_line,
            token_line,
            process.stderr.read() if process.stderr else "",
        )
        yield url.group(0), token.group(1)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            assert process.wait(timeout=10) == 0
        finally:
            if process.poll() is None:
                process.kill()


def _fetch_all(url: str, token: str) -> dict[str, bytes]:
    headers = {"Authorization": f"Basic {token}", "Referer": url}
    with httpx2.Client(base_url=url, headers=headers, timeout=10) as client:
        responses = {path: client.get(path) for path in PATHS}
    assert all(r.status_code == 200 for r in responses.values()), responses
    return {path: r.content for path, r in responses.items()}


def test_cli_serves_version_and_same_seed_gives_same_bytes() -> None:
    with running("--seed", "42", "--size", "small") as (url, token):
        assert token == DEFAULT_TOKEN
        version = httpx2.get(f"{url}/api/App/Version", headers={"Authorization": f"Basic {token}"})
        assert version.status_code == 200
        assert version.json() == "24.1.0"
        first = _fetch_all(url, token)
    with running("--seed", "42", "--size", "small") as (url, token):
        second = _fetch_all(url, token)
    assert first == second
    with running("--seed", "43", "--token", "c2VjcmV0OnRva2Vu") as (url, token):
        assert token == "c2VjcmV0OnRva2Vu"
        unauthorized = httpx2.get(f"{url}/api/App/Version")
        assert unauthorized.status_code == 401
        other = _fetch_all(url, token)
    # GUIDs come from the seed, so another seed gives other data.
    assert (
        other["/api/internal/Process/GetProcesses"] != first["/api/internal/Process/GetProcesses"]
    )


def test_cli_options_build_the_config(tmp_path: Path) -> None:
    config, host, port = parse_config(
        [
            "--host", "127.0.0.1", "--port", "9999", "--db", str(tmp_path / "w.db"), "--seed", "5",
            "--size", "factory", "--token", "abc", "--latency", "0.1", "--error-rate", "0.2",
            "--error-status", "502", "--throttle-rate", "0.3", "--retry-after", "4",
            "--drop-rate", "0.05", "--fault-budget", "3", "--anchor", "2025-06-01",
        ]
    )  # fmt: skip
    assert (host, port) == ("127.0.0.1", 9999)
    assert (config.seed, config.size, config.token) == (5, "factory", "abc")
    assert config.db_path == str(tmp_path / "w.db")
    assert config.anchor.isoformat() == "2025-06-01T00:00:00+00:00"
    faults = config.faults
    assert (faults.latency, faults.error_rate, faults.error_status) == (0.1, 0.2, 502)
    assert (faults.throttle_rate, faults.retry_after, faults.drop_rate) == (0.3, 4, 0.05)
    assert faults.budget == 3


@pytest.mark.parametrize(
    "argv",
    [
        ["--size", "huge"],
        ["--error-rate", "2"],
        ["--error-status", "200"],
        ["--anchor", "soon"],
        ["--port", "70000"],
        ["--port", "http"],
        ["--latency", "-1"],
        ["--fault-budget", "-2"],
        ["--token", ""],
        ["--seed", "x"],
    ],
)
def test_cli_rejects_bad_options(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        parse_config(argv)
    assert info.value.code == 2
    assert "pywats-emulator" in capsys.readouterr().err


@pytest.mark.parametrize("problem", ["missing directory", "not a database"])
def test_cli_unusable_db_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], problem: str
) -> None:
    if problem == "missing directory":
        path = tmp_path / "no" / "such" / "dir" / "w.db"
    else:
        path = tmp_path / "notes.txt"
        path.write_text("these are not the tables you are looking for" * 100)
    assert main(["--port", "0", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "cannot use the database" in err
    assert str(path) in err


def test_cli_busy_port_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--port", str(port)]) == 2
    assert "cannot listen on 127.0.0.1" in capsys.readouterr().err
