"""Fixtures for the TUI shell tests: the app wired to the in-process emulator, and polling.

Domain-screen tests under tests/tui/screens/ have their own conftest; these names are
distinct (``shell_app``, ``until``) so the two never shadow each other.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

from pywats import AsyncWATS
from pywats.emulator.testing import InProcessEmulator
from tui.app import WATSApp
from tui.screens.dashboard import DashboardScreen

ShellAppFactory = Callable[..., WATSApp]
Until = Callable[..., Awaitable[None]]

FIXED_TIME = datetime(2026, 1, 1, 8, 0, 0)


@pytest.fixture(autouse=True)
def _no_user_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never read the developer's real config or WATS_* variables."""
    for name in (
        "WATS_URL",
        "WATS_TOKEN",
        "WATS_CA_BUNDLE",
        "WATS_VERIFY",
        "WATS_TIMEOUT",
        "WATS_MAX_RETRIES",
        "WATS_PROXY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PYWATS_CONFIG", str(tmp_path / "default-config.toml"))
    monkeypatch.setattr(DashboardScreen, "clock", staticmethod(lambda: FIXED_TIME))


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    return tmp_path / "pywats" / "config.toml"


@pytest.fixture
def shell_app(emulator: InProcessEmulator, config_path: Path) -> ShellAppFactory:
    """``shell_app()`` connects to the emulator; ``shell_app(url=None, token=None)`` starts
    unconfigured. Every client the app makes (also the connection test's) goes in-process."""

    def client(url: str, token: str, *, max_retries: int | None = None) -> AsyncWATS:
        return AsyncWATS(url, token, transport=emulator.transport(), max_retries=max_retries)

    def build(**overrides: object) -> WATSApp:
        options: dict[str, object] = {
            "url": emulator.base_url,
            "token": emulator.token,
            "config_path": config_path,
            "client_factory": client,
        }
        options.update(overrides)
        return WATSApp(**options)  # type: ignore[arg-type]

    return build


@pytest.fixture
def until() -> Until:
    """``await until(pilot, lambda: cond, timeout=5)``: poll the condition while the app runs."""

    async def wait(
        pilot: Pilot[None], condition: Callable[[], object], timeout: float = 10.0, what: str = ""
    ) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what or condition}")
            await pilot.pause(0.02)
        await asyncio.sleep(0)

    return wait
