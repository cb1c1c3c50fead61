"""Lists show their totals and the paging position (issue 17, "Everyday keys"): the header says
``57 of 340`` for the focused list, and ``201-400 of 400+`` on a list that comes a page at a
time, until the last page says how many there are."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import go_to, idle
from tests.tui.conftest import ShellAppFactory
from tui.navigation import discover_screens
from tui.screen import WATSScreen
from tui.screens.products import ProductsScreen
from tui.widgets.list_position import ListPosition, describe_position

discover_screens()


def test_the_wording() -> None:
    assert describe_position(56, 340) == "57 of 340"
    assert describe_position(0, 12345) == "1 of 12,345"
    assert describe_position(0, 50, page=1, size=50, more=True) == "51\u2013100 of 100+"
    assert describe_position(0, 45, page=2, size=50, more=False) == "101\u2013145 of 145"
    assert describe_position(None, 0) == "empty"


def _shown(screen: WATSScreen) -> str:
    return str(screen.query_one("#header").query_one(ListPosition).render()).strip()


@pytest.mark.start_screen("products")
async def test_a_paged_list_says_which_rows_of_how_many(
    shell_app: ShellAppFactory, emulator: InProcessEmulator
) -> None:
    async with emulator.client() as client:
        bulk = [{"partNumber": f"ZZ-{index:04d}"} for index in range(450)]
        assert (await client.put("/api/Products", json=bulk)).status_code == 200
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await go_to(pilot, "2")
        await idle(pilot)
        screen = app.screen
        assert isinstance(screen, ProductsScreen)
        screen.query_one("#products-filter", Input).focus()
        await pilot.press(*"ZZ-", "enter")
        await pilot.pause(0.4)  # the filter's debounce
        await idle(pilot)
        assert _shown(screen) == "1\u2013200 of 200+"
        await pilot.press("n")
        await idle(pilot)
        assert _shown(screen) == "201\u2013400 of 400+"
        await pilot.press("n")
        await idle(pilot)
        assert _shown(screen) == "401\u2013450 of 450"


@pytest.mark.start_screen("processes")
async def test_moving_the_cursor_lays_the_screen_out_again_only_for_a_wider_position(
    shell_app: ShellAppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every arrow key changes the position; a full layout of the screen for each was the
    cost of a plain ``update``, where the cell's width changes only at 9 to 10 and so on."""
    layouts: list[str] = []
    refresh = ListPosition.refresh

    def spy(self: ListPosition, *args: object, layout: bool = False, **kwargs: object) -> object:
        if layout:
            layouts.append(_shown(self.screen))  # type: ignore[arg-type]
        return refresh(self, *args, layout=layout, **kwargs)  # type: ignore[arg-type]

    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        screen = app.screen
        assert isinstance(screen, WATSScreen)
        rows = screen.query_one("#processes-table").row_count  # type: ignore[attr-defined]
        assert 10 <= rows < 100, rows
        assert _shown(screen) == f"1 of {rows}"
        monkeypatch.setattr(ListPosition, "refresh", spy)
        await pilot.press(*["down"] * 9)
        assert _shown(screen) == f"10 of {rows}"
        # Only at 10 is the cell wider (its own resize may ask again, as timing goes).
        assert set(layouts) == {f"10 of {rows}"}, layouts
