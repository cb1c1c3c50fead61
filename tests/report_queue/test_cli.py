"""pywats-queue: status, list, send (progress bar, exit 0 once empty), retry, export, --path."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from pywats.domains.report import dump_wsjf
from pywats.queue import QueueStore
from pywats.queue.cli import run

from .helpers import make_report


def _cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = run(list(argv), out)
    return code, out.getvalue()


@pytest.fixture
def queue(tmp_path: Path) -> Path:
    path = tmp_path / "q.sqlite3"
    store = QueueStore(path)
    for number in range(3):
        report = make_report(f"CLI-{number}")
        store.enqueue(str(report.id), dump_wsjf(report).encode(), serial_number=f"CLI-{number}",
                      part_number="PCB-1001")  # fmt: skip
    bad = json.loads(dump_wsjf(make_report("CLI-BAD")))
    bad.update(id=str(uuid.uuid4()), processCode="ten")
    store.enqueue(bad["id"], json.dumps(bad).encode(), serial_number="CLI-BAD")
    return path


def test_status_and_list_before_and_after_send(
    queue: Path, emulator_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WATS_URL", emulator_server.url)
    monkeypatch.setenv("WATS_TOKEN", emulator_server.token)
    code, text = _cli("status", "--path", str(queue))  # --path after the subcommand
    assert code == 0 and "pending   4" in text and str(queue) in text
    code, text = _cli("--path", str(queue), "list")  # ... or before it
    assert code == 0 and text.count("pending") == 4 and "CLI-1" in text

    code, text = _cli("send", "--path", str(queue), "--timeout", "30")
    assert code == 0, text
    assert "[##############################] 4/4 sent" in text
    assert "queue empty (1 dead letters)" in text
    code, text = _cli("list", "--dead", "--path", str(queue))
    assert "CLI-BAD" in text and "processCode" in text  # the server's reason
    code, text = _cli("status", "--path", str(queue))
    assert "pending   0" in text and "dead      1" in text and "delivered 3" in text


def test_retry_and_export(queue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = QueueStore(queue)
    [first, *_, bad] = store.items()
    store.kill(bad.seq, "processCode must be an integer")
    code, text = _cli("retry", "--path", str(queue))
    assert code == 0 and "1 dead letters back" in text
    assert [i.state for i in store.items()] == ["pending"] * 4
    target = tmp_path / "out.json"
    code, text = _cli("export", first.report_id, str(target), "--path", str(queue))
    assert code == 0 and json.loads(target.read_text())["id"] == first.report_id
    code, text = _cli("export", str(uuid.uuid4()), str(target), "--path", str(queue))
    assert code == 1 and "no report" in text
    monkeypatch.setenv("WATS_QUEUE", str(queue))  # no --path: the environment
    code, text = _cli("list")
    assert code == 0 and first.report_id in text


def test_send_against_an_unreachable_server_exits_non_zero(
    queue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WATS_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("WATS_TOKEN", "dG9rZW4=")
    code, text = _cli("send", "--path", str(queue), "--timeout", "1.5")
    assert code == 1 and "4 reports remain" in text
    assert len(QueueStore(queue).items()) == 4


def test_send_with_a_refused_token_says_paused(
    queue: Path, emulator_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WATS_URL", emulator_server.url)
    monkeypatch.setenv("WATS_TOKEN", "d3Jvbmc6dG9rZW4=")
    code, text = _cli("send", "--path", str(queue), "--timeout", "10")
    assert code == 3 and "paused" in text and "401" in text
    code, text = _cli("status", "--path", str(queue))
    assert "PAUSED" in text and "401" in text


def test_the_module_runs_as_a_program(queue: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pywats.queue.cli", "--path", str(queue), "status"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 0 and "pending   4" in done.stdout


def test_looking_at_a_missing_queue_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "none" / "q.sqlite3"
    code, text = _cli("status", "--path", str(path))
    assert code == 0 and "no queue at" in text and not path.parent.exists()
    code, text = _cli("export", "x", "-", "--path", str(path))
    assert code == 1
