"""The app wired to a fresh in-process emulator, and a helper that waits until it is idle."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from pywats import AsyncWATS
from pywats.emulator.testing import InProcessEmulator
from tui.app import WATSApp

AppFactory = Callable[[], WATSApp]


@pytest.fixture
def make_app(emulator: InProcessEmulator, tmp_path: Path) -> AppFactory:
    def client(url: str, token: str, *, max_retries: int | None = None) -> AsyncWATS:
        return AsyncWATS(url, token, transport=emulator.transport(), max_retries=0)

    def build() -> WATSApp:
        return WATSApp(
            url=emulator.base_url,
            token=emulator.token,
            config_path=tmp_path / "pywats.toml",
            client_factory=client,
        )

    return build


async def settle(pilot: Pilot[None], delay: float = 0.35) -> None:
    """Let debounce timers fire and every worker finish, then let the screen repaint."""
    await pilot.pause(delay)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
