"""Products screen, driven with Pilot against the in-process emulator (acceptance 4)."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Static

from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import go_to, settle
from tests.tui.station.confirming import confirm
from tui.screens.product_form import ProductFormScreen
from tui.screens.products import ProductsScreen
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.product_detail import ProductDetail

from .conftest import AppFactory


@pytest.fixture
def start_screen() -> str:
    return "products"


def part_numbers(screen: ProductsScreen) -> list[str]:
    table = screen.query_one("#products-table", DataTable)
    return [str(table.get_row_at(index)[0]) for index in range(table.row_count)]


async def open_products(pilot) -> ProductsScreen:  # type: ignore[no-untyped-def]
    await go_to(pilot, "2")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ProductsScreen)
    return screen


async def filter_for(pilot, screen: ProductsScreen, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("slash")
    screen.query_one("#products-filter", Input).value = text
    await settle(pilot)  # the list follows the text as it is typed...
    await pilot.press("enter")  # ...and Enter hands the keys back to the table
    await settle(pilot)


async def test_filter_narrows_the_table(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot)
        everything = part_numbers(screen)
        await filter_for(pilot, screen, "psu")  # any case, part number or name
        narrowed = part_numbers(screen)
        assert narrowed and len(narrowed) < len(everything)
        assert all(
            "psu" in pn.lower() or "psu" in str(screen.rows[pn].name).lower() for pn in narrowed
        )
        await filter_for(pilot, screen, "no product has this")
        assert part_numbers(screen) == []
        assert "No products match" in str(screen.query_one("#products-page", Static).render())


async def test_state_filter(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot)
        screen.query_one("#products-state").value = "0"  # type: ignore[attr-defined]
        await settle(pilot)
        inactive = part_numbers(screen)
        assert inactive and all(not screen.rows[pn].is_active for pn in inactive)


async def test_open_detail_shows_revisions_bom_and_groups(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot)
        await filter_for(pilot, screen, "SYS-9000")
        assert part_numbers(screen) == ["SYS-9000"]
        detail = screen.query_one(ProductDetail)
        assert detail.product is not None and detail.product.part_number == "SYS-9000"
        assert "SYS-9000" in str(screen.query_one("#product-summary", Static).render())
        revisions = screen.query_one("#product-revisions", DataTable)
        assert revisions.row_count == 2
        bom = screen.query_one("#product-bom", DataTable)
        assert {str(bom.get_row_at(i)[0]) for i in range(bom.row_count)} == {"MOD-4100", "PSU-200"}
        assert "Controllers" in str(screen.query_one("#product-groups", Static).render())


async def test_create_product_through_the_form(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot)
        await pilot.press("a")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, ProductFormScreen)
        form.query_one("#form-part_number", Input).value = "BAD/1"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form  # refused: nothing is sent
        part_error = form.query_one("#error-part_number", Static)
        assert part_error.has_class("-shown") and "'/'" in str(part_error.render())
        assert form.query_one("#error-name", Static).has_class("-shown")  # a name is needed
        assert (
            emulator.store.scalar("SELECT COUNT(*) FROM product WHERE part_number LIKE 'BAD%'") == 0
        )

        form.query_one("#form-part_number", Input).value = "TUI-NEW-1"
        form.query_one("#form-name", Input).value = "Made in the TUI"
        form.query_one("#form-category", Input).value = "Gadgets"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ProductsScreen)
        row = emulator.store.query_one(
            "SELECT name, state FROM product WHERE part_number = 'TUI-NEW-1'"
        )
        assert row is not None and row["name"] == "Made in the TUI" and row["state"] == 1
        assert "TUI-NEW-1" in part_numbers(screen)


async def test_creating_an_existing_part_number_reopens_the_form_with_the_reason(
    make_app: AppFactory,
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_products(pilot)
        await pilot.press("a")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, ProductFormScreen)
        form.query_one("#form-part_number", Input).value = "PCB-1001"
        form.query_one("#form-name", Input).value = "Duplicate"
        await pilot.press("ctrl+s")
        await settle(pilot)
        again = pilot.app.screen
        assert isinstance(again, ProductFormScreen) and again is not form
        assert again.query_one("#form-name", Input).value == "Duplicate"  # nothing lost
        assert "already exists" in str(again.query_one("#error-part_number", Static).render())


async def test_edit_product(make_app: AppFactory, emulator: InProcessEmulator) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot)
        await filter_for(pilot, screen, "PCB-3001")
        await pilot.press("e")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, ProductFormScreen)
        assert form.query_one("#form-part_number", Input).disabled
        form.query_one("#form-name", Input).value = "Sensor board, renamed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        name = emulator.store.scalar("SELECT name FROM product WHERE part_number = 'PCB-3001'")
        assert name == "Sensor board, renamed"
        table = screen.query_one("#products-table", DataTable)
        assert str(table.get_row_at(0)[2]) == "Sensor board, renamed"


async def test_toggle_state_asks_first(make_app: AppFactory, emulator: InProcessEmulator) -> None:
    def state() -> int:
        return int(emulator.store.scalar("SELECT state FROM product WHERE part_number = 'PSU-200'"))

    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot)
        await filter_for(pilot, screen, "PSU-200")
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("escape")  # changed my mind
        await settle(pilot)
        assert state() == 1
        await pilot.press("t")
        await pilot.pause()
        await confirm(pilot)
        await settle(pilot)
        assert state() == 0
        assert "Inactive" in str(screen.query_one("#products-table", DataTable).get_row_at(0)[1])


async def test_escape_cancels_a_slow_load(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot)
        before = part_numbers(screen)
        emulator.faults.update(latency=30.0, path_prefix="/api/Product/Query")
        await pilot.press("r")
        await pilot.pause(0.2)
        table = screen.query_one("#products-table", DataTable)
        # A reload keeps the rows on screen (marked as reloading) until the new ones arrive.
        assert screen.task_running("list") and table.has_class("-reloading")
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert not screen.task_running("list") and not table.has_class("-reloading")
        assert part_numbers(screen) == before  # the cancelled load never touches the table
        emulator.faults.update(latency=0.0)
        await pilot.press("r")  # and the screen is still usable
        await settle(pilot)
        assert part_numbers(screen) == before


async def test_pages_through_a_large_list(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot)
        async with emulator.client() as client:
            bulk = [{"partNumber": f"ZZ-{index:04d}"} for index in range(450)]
            assert (await client.put("/api/Products", json=bulk)).status_code == 200
        await filter_for(pilot, screen, "ZZ-")
        first = part_numbers(screen)
        assert len(first) == 200 and first[0] == "ZZ-0000"
        await pilot.press("n")
        await settle(pilot)
        assert part_numbers(screen)[0] == "ZZ-0200"
        await pilot.press("n")
        await settle(pilot)
        assert len(part_numbers(screen)) == 50 and not screen.has_next
        await pilot.press("p")
        await settle(pilot)
        assert part_numbers(screen)[0] == "ZZ-0200"


async def test_names_that_look_like_markup_are_shown_literally(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    name = "[b]Bold[/b] board [unclosed"
    async with emulator.client() as client:
        body = {"partNumber": "MARK-[1]", "name": name, "revisions": [{"revision": "[A]"}]}
        assert (await client.put("/api/Product", json=body)).status_code == 200
    async with make_app().run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot)
        await filter_for(pilot, screen, "MARK-")
        table = screen.query_one("#products-table", DataTable)
        assert str(table.get_row_at(0)[2]) == name
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmDialog)  # its question holds "MARK-[1]"
        await pilot.press("escape")
        await settle(pilot)
        assert name in str(screen.query_one("#product-summary", Static).render())
        revisions = screen.query_one("#product-revisions", DataTable)
        assert str(revisions.get_row_at(0)[0]) == "[A]"
