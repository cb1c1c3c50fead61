"""The app wired to a fresh in-process emulator for the Units and Serial numbers screens,
and a helper that waits until every worker is done."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pywats import AsyncWATS
from pywats.emulator.testing import InProcessEmulator
from tui.app import WATSApp

UnitsAppFactory = Callable[[], WATSApp]


@pytest.fixture
def units_app(emulator: InProcessEmulator, tmp_path: Path) -> UnitsAppFactory:
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
