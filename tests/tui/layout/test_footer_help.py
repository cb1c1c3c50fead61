"""No footer hides F1 Help at 80x24 (issue 17, layout): every screen the app registers, the
connection screen too, is opened at 80x24 and its last line read as the terminal shows it."""

from __future__ import annotations

import pytest

from tests.support.tui import idle, open_mode
from tests.tui.conftest import ShellAppFactory
from tui.app import CONNECTION_MODE, WATSApp
from tui.navigation import discover_screens, nav_entries, palette_entries

discover_screens()
SCREENS = [entry.name for entry in [*nav_entries(), *palette_entries()]] + [CONNECTION_MODE]


def screen_lines(app: WATSApp) -> list[str]:
    """The screen as text, one string per terminal line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


@pytest.fixture
def start_screen(name: str) -> str | None:
    """Each app opens on the screen it checks (the connection screen opens from the dashboard)."""
    return None if name == CONNECTION_MODE else name


@pytest.mark.parametrize("name", SCREENS)
async def test_f1_help_is_whole_in_the_footer_at_80x24(
    name: str, shell_app: ShellAppFactory
) -> None:
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await open_mode(pilot, name)
        footer = screen_lines(app)[-1]
        assert len(footer) <= 80
        assert "f1 Help" in footer, f"{name}: {footer!r}"


def test_every_screen_is_checked() -> None:
    assert {"products", "reports", "units", CONNECTION_MODE} <= set(SCREENS)
    assert len(SCREENS) == len(nav_entries()) + len(palette_entries()) + 1
