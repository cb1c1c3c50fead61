"""Fixtures for the TUI shell tests: the app wired to the in-process emulator, and polling.

Domain-screen tests under tests/tui/screens/ have their own conftest; these names are
distinct (``shell_app``, ``until``) so the two never shadow each other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

import pytest
import textual._wait
from textual.widgets import Input, TextArea

from pywats import AsyncWATS
from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import wait_until
from tui.app import WATSApp
from tui.screens.dashboard import DashboardScreen

ShellAppFactory = Callable[..., WATSApp]
Until = Callable[..., Awaitable[None]]

FIXED_TIME = datetime(2026, 1, 1, 8, 0, 0)

# Pilot counts the app idle after a 20 ms window with under 1 ms of CPU, and waits for that
# twice per key press and once per pause: about a third of the TUI tests' time was that
# sleep. Windows of 2 ms apply the same test (under 5 % of a window busy) at a tenth of the
# wait. Tests that need time to pass (a debounce, a scanner's burst) wait for it themselves.
assert hasattr(textual._wait, "SLEEP_GRANULARITY"), "Textual's Pilot changed: revisit this"
textual._wait.SLEEP_GRANULARITY = 0.002
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20


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


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors do not blink: a frame taken 0.5 s later (a loaded machine) showed a
    field's cursor gone, and the snapshot differed. Focus and keys still show the cursor."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    return tmp_path / "pywats" / "config.toml"


@pytest.fixture
def start_screen(request: pytest.FixtureRequest) -> str | None:
    """The screen the test's app opens on (``--screen``); None is the dashboard.

    A test about one screen opens there, so it skips loading and drawing the dashboard first
    (about 0.3 s of CPU a test): mark it ``@pytest.mark.start_screen("units")`` (a module:
    ``pytestmark``; a test in it marked ``start_screen(None)`` opens on the dashboard), or
    override this fixture in the module.
    """
    marker = request.node.get_closest_marker("start_screen")
    name: str | None = marker.args[0] if marker is not None else None  # None: the dashboard
    return name


@pytest.fixture
def shell_app(
    emulator: InProcessEmulator, config_path: Path, start_screen: str | None
) -> ShellAppFactory:
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
            "screen": start_screen,
        }
        options.update(overrides)
        return WATSApp(**options)  # type: ignore[arg-type]

    return build


@pytest.fixture
def until() -> Until:
    """``await until(pilot, lambda: cond, timeout=5)``: poll the condition while the app runs."""
    return wait_until
