"""Queue screen snapshots at 80x24 and 120x40, and of the delete confirmation."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest

from pywats.queue import QueueStore
from tests.support.tui import idle

from .conftest import QueueAppFactory, fill, open_queue

pytestmark = pytest.mark.start_screen("queue")

# A fixed place (shown on screen) and fixed times, so the pictures do not change run to run.
SNAP_DIR = Path("/tmp/pywats-queue-snapshots")
QUEUED_AT = 1767254400.0  # 2026-01-01 08:00 UTC


@pytest.fixture
def queue_path() -> Path:
    shutil.rmtree(SNAP_DIR, ignore_errors=True)
    SNAP_DIR.mkdir(parents=True)
    path = SNAP_DIR / "queue.sqlite3"
    fill(path, good=3, bad=1)
    store = QueueStore(path)
    for item in store.items():  # fixed ids too
        store._connect().execute(
            "UPDATE item SET report_id = ? WHERE seq = ?", (str(uuid.UUID(int=item.seq)), item.seq)
        )
    [*_, bad] = store.items()
    store.kill(bad.seq, "processCode must be an integer, not 'ten'.")
    store._connect().execute(
        "UPDATE item SET enqueued_at = ? + seq * 60, attempts = 1", (QUEUED_AT,)
    )
    store.close()
    return path


async def _open(pilot: Any) -> None:
    await open_queue(pilot)
    await pilot.press("down", "down", "down")  # the failed one, with its reason below
    await idle(pilot)


def test_queue_screen_80x24(queue_app: QueueAppFactory, snap_compare: Any) -> None:
    assert snap_compare(queue_app(), terminal_size=(80, 24), run_before=_open)


def test_queue_screen_120x40(queue_app: QueueAppFactory, snap_compare: Any) -> None:
    assert snap_compare(queue_app(), terminal_size=(120, 40), run_before=_open)


def test_delete_confirmation(queue_app: QueueAppFactory, snap_compare: Any) -> None:
    async def ask(pilot: Any) -> None:
        await open_queue(pilot)
        await pilot.press("d")
        await idle(pilot)

    assert snap_compare(queue_app(), terminal_size=(80, 24), run_before=ask)
