"""The Queue screen with Pilot: reached from the palette, pending and failed reports with
their reasons, send with a progress bar, retry, delete behind a confirmation (Cancel first),
and the paused state when the server refuses the token."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, DataTable, ProgressBar, Static

from pywats.emulator.testing import InProcessEmulator
from pywats.queue import QueueStore
from tests.support.tui import idle, showing
from tests.tui.station.confirming import confirm
from tui.commands import WATSCommands
from tui.screens.connection import ConnectionScreen
from tui.screens.queue import QueueScreen
from tui.widgets.confirm import ConfirmDialog

from .conftest import QueueAppFactory, fill, open_queue


@pytest.fixture
def start_screen() -> str:
    return "queue"


def text_of(widget: Static) -> str:
    return str(widget.render())


def rows(screen: QueueScreen) -> list[list[str]]:
    table = screen.query_one("#queue-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def until(pilot: Any, check: Any, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not met in time")


async def test_the_palette_offers_the_queue_screen(queue_app: QueueAppFactory) -> None:
    async with queue_app().run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        provider = WATSCommands(pilot.app.screen)
        titles = [title for title, _help, _call in provider._commands()]
        assert "Go to Report queue" in titles
        screen = await open_queue(pilot)
        assert "Idle" in text_of(screen.query_one("#queue-status", Static))
        assert "The queue is empty" in text_of(screen.query_one("#queue-reason", Static))


async def test_pending_and_failed_reports_with_reasons(
    queue_app: QueueAppFactory, queue_path: Path
) -> None:
    ids = fill(queue_path)
    store = QueueStore(queue_path)
    dead = store.items()[-1]
    store.kill(dead.seq, "processCode must be an integer, not 'ten'.")
    async with queue_app().run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        status = text_of(screen.query_one("#queue-status", Static))
        assert "3 pending" in status and "1 failed" in status and str(queue_path) in status
        table = rows(screen)
        assert [row[0] for row in table] == ["TUI-000", "TUI-001", "TUI-002", "BAD-0"]
        assert [row[2] for row in table] == ["pending"] * 3 + ["FAILED"]
        assert "processCode must be an integer" in table[3][5]
        await pilot.press("down", "down", "down")
        await pilot.pause()
        reason = text_of(screen.query_one("#queue-reason", Static))
        assert "Refused by the server: processCode must be an integer" in reason
        assert ids[3] in reason
        await pilot.press("f")  # waiting only
        await idle(pilot)
        assert [row[0] for row in rows(screen)] == ["TUI-000", "TUI-001", "TUI-002"]
        await pilot.press("f")  # failed only
        await idle(pilot)
        assert [row[0] for row in rows(screen)] == ["BAD-0"]


async def test_send_drains_with_a_progress_bar_and_keeps_the_refused(
    queue_app: QueueAppFactory, queue_path: Path, emulator: InProcessEmulator
) -> None:
    ids = fill(queue_path, good=4, bad=1)
    emulator.faults.update(latency=0.1)  # slow enough to see the bar move
    async with queue_app().run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("s")
        await pilot.pause(0.15)
        bar = screen.query_one("#queue-progress", ProgressBar)
        assert screen.query_one("#queue-send-bar").display
        assert screen.task_running("send")
        await until(pilot, lambda: not screen.task_running("send"))
        await idle(pilot)
        assert bar.total == 5 and bar.progress == 5
        assert not screen.query_one("#queue-send-bar").display
        assert [row[0] for row in rows(screen)] == ["BAD-0"]
        assert "0 pending" in text_of(screen.query_one("#queue-status", Static))
    stored = emulator.store.query("SELECT lower(uuid) AS id FROM report WHERE serial_number "
                                  "LIKE 'TUI-%' ORDER BY rowid")  # fmt: skip
    assert [row["id"] for row in stored] == ids[:4]


async def test_retry_puts_a_failed_report_back(
    queue_app: QueueAppFactory, queue_path: Path
) -> None:
    fill(queue_path, good=1, bad=1)
    store = QueueStore(queue_path)
    store.kill(store.items()[-1].seq, "refused")
    async with queue_app().run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("t")  # the cursor is on a pending report: nothing to retry
        await idle(pilot)
        assert [row[2] for row in rows(screen)] == ["pending", "FAILED"]
        await pilot.press("down", "t")
        await idle(pilot)
        assert [row[2] for row in rows(screen)] == ["pending", "pending"]
        assert QueueStore(queue_path).items(("dead",)) == []


async def test_delete_asks_first_with_cancel_as_the_default(
    queue_app: QueueAppFactory, queue_path: Path
) -> None:
    ids = fill(queue_path, good=2, bad=0)
    async with queue_app().run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("d")
        await idle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "TUI-000" in dialog.question and "NOT been delivered" in dialog.detail
        assert pilot.app.focused is dialog.query_one("#confirm-no", Button)
        await pilot.press("enter")  # a stray Enter cancels
        await idle(pilot)
        assert len(QueueStore(queue_path).items()) == 2
        await pilot.press("d")
        await idle(pilot)
        await confirm(pilot, typed="TUI-000")  # deleting is for good: the serial is typed
        await idle(pilot)
        assert [i.report_id for i in QueueStore(queue_path).items()] == ids[1:]
        assert [row[0] for row in rows(screen)] == ["TUI-001"]


@pytest.mark.parametrize("start_screen", [None], ids=["from-the-dashboard"])
async def test_a_refused_token_shows_the_queue_paused(
    queue_app: QueueAppFactory, queue_path: Path
) -> None:
    fill(queue_path, good=2, bad=0)
    async with queue_app(token="d3Jvbmc6dG9rZW4=").run_test(size=(80, 24)) as pilot:
        # The rejected token first sends the app to the connection screen (as it should);
        # the queue is then opened from there, as a technician would.
        await until(pilot, lambda: showing(pilot.app, ConnectionScreen))
        await idle(pilot)
        screen = await open_queue(pilot)
        await pilot.press("s")
        await until(pilot, lambda: not screen.task_running("send"))
        await idle(pilot)
        status = text_of(screen.query_one("#queue-status", Static))
        assert "PAUSED" in status and "401" in status
        assert [row[2] for row in rows(screen)] == ["pending", "pending"]
        await asyncio.sleep(0)


async def test_escape_stops_sending_and_keeps_the_reports(
    queue_app: QueueAppFactory, queue_path: Path, emulator: InProcessEmulator
) -> None:
    fill(queue_path, good=3, bad=0)
    emulator.faults.update(latency=1.0)
    async with queue_app().run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("s")
        await pilot.pause(0.2)
        assert screen.task_running("send")
        await pilot.press("escape")
        await until(pilot, lambda: not screen.task_running("send"))
        await until(pilot, lambda: not pilot.app.screen.wats.queue.running)
        assert not screen.query_one("#queue-send-bar").display
    left = QueueStore(queue_path).items()
    assert len(left) >= 2 and {item.state for item in left} == {"pending"}
