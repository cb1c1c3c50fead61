"""The app on a fresh in-process emulator with its own queue file, for the Queue screen."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pywats import AsyncWATS
from pywats.domains.report import dump_wsjf
from pywats.emulator.testing import InProcessEmulator
from pywats.queue import QueueStore
from tests.report_queue.helpers import make_report
from tests.support.tui import idle, showing, wait_until
from tui.app import WATSApp
from tui.screens.queue import QueueScreen

QueueAppFactory = Callable[..., WATSApp]


@pytest.fixture
def queue_path(tmp_path: Path) -> Path:
    return tmp_path / "queue.sqlite3"


@pytest.fixture
def queue_app(
    emulator: InProcessEmulator, tmp_path: Path, queue_path: Path, start_screen: str | None
) -> QueueAppFactory:
    def build(token: str | None = None) -> WATSApp:
        def client(url: str, given: str, *, max_retries: int | None = None) -> AsyncWATS:
            wats = AsyncWATS(url, token or given, transport=emulator.transport(), max_retries=0,
                             queue_path=queue_path)  # fmt: skip
            wats.queue.backoff_initial = 0.05
            wats.queue.backoff_max = 0.2
            wats.queue.poll_interval = 0.1
            return wats

        return WATSApp(url=emulator.base_url, token=emulator.token,
                       config_path=tmp_path / "pywats.toml", client_factory=client,
                       screen=start_screen)  # fmt: skip

    return build


def fill(path: Path, good: int = 3, bad: int = 1) -> list[str]:
    """Queue ``good`` reports the server takes and ``bad`` ones it refuses; their ids."""
    store = QueueStore(path)
    ids = []
    for number in range(good):
        report = make_report(f"TUI-{number:03d}")
        store.enqueue(str(report.id), dump_wsjf(report).encode(), part_number="PCB-1001",
                      serial_number=f"TUI-{number:03d}")  # fmt: skip
        ids.append(str(report.id))
    for number in range(bad):
        body = json.loads(dump_wsjf(make_report(f"BAD-{number}")))
        body.update(id=str(uuid.uuid4()), processCode="ten")
        store.enqueue(body["id"], json.dumps(body).encode(), part_number="PCB-1001",
                      serial_number=f"BAD-{number}")  # fmt: skip
        ids.append(body["id"])
    store.close()
    return ids


async def open_queue(pilot: Any) -> QueueScreen:
    await pilot.app.run_action("go('queue')")
    await wait_until(pilot, lambda: showing(pilot.app, QueueScreen), what="the queue screen")
    await idle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, QueueScreen)
    return screen
