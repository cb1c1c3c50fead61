"""For the domain screen tests: the app on the in-process emulator (the shell's own
``shell_app`` fixture)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tui.app import WATSApp

AppFactory = Callable[[], WATSApp]


@pytest.fixture
def make_app(shell_app: Callable[..., WATSApp]) -> AppFactory:
    return shell_app
