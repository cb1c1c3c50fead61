"""A reload keeps the old rows on screen until the new ones arrive (issue 17, layout): no blank
table, no loading indicator over the rows, on the dashboard and on a list screen; the first load
still shows the indicator."""

from __future__ import annotations

import asyncio

import httpx2
import pytest
from textual.widgets import DataTable

from pywats import AsyncWATS
from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import go_to, idle, showing
from tests.tui.conftest import ShellAppFactory, Until
from tui.app import WATSApp
from tui.screens.dashboard import DashboardScreen
from tui.screens.products import ProductsScreen


class GatedTransport(httpx2.AsyncBaseTransport):
    """The emulator, holding every request while the gate is closed."""

    def __init__(self, inner: httpx2.AsyncBaseTransport, gate: asyncio.Event) -> None:
        self.inner = inner
        self.gate = gate
        self.waiting = 0

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.waiting += 1
        try:
            await self.gate.wait()
        finally:
            self.waiting -= 1
        return await self.inner.handle_async_request(request)


def gated_app(
    shell_app: ShellAppFactory, emulator: InProcessEmulator
) -> tuple[WATSApp, asyncio.Event, list[GatedTransport]]:
    gate = asyncio.Event()
    gate.set()
    transports: list[GatedTransport] = []

    def client(url: str, token: str, *, max_retries: int | None = None) -> AsyncWATS:
        transport = GatedTransport(emulator.transport(), gate)
        transports.append(transport)
        return AsyncWATS(url, token, transport=transport, max_retries=max_retries)

    return shell_app(client_factory=client), gate, transports


def waiting(transports: list[GatedTransport]) -> int:
    return sum(t.waiting for t in transports)


@pytest.mark.start_screen("products")
async def test_a_list_screen_reload_keeps_its_rows_until_the_new_ones_arrive(
    shell_app: ShellAppFactory, emulator: InProcessEmulator, until: Until
) -> None:
    app, gate, transports = gated_app(shell_app, emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "2")
        await until(pilot, lambda: showing(app, ProductsScreen), what="products")
        await idle(pilot)
        table = app.screen.query_one("#products-table", DataTable)
        before = [table.get_row_at(i) for i in range(table.row_count)]
        assert before
        gate.clear()
        await pilot.press("r")
        await until(pilot, lambda: waiting(transports) > 0, what="reload in flight")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProductsScreen) and screen.task_running("list")
        assert not table.loading, "the loading indicator hides the rows"
        assert [table.get_row_at(i) for i in range(table.row_count)] == before
        assert table.has_class("-reloading")
        gate.set()
        await idle(pilot)
        assert not table.has_class("-reloading") and table.row_count == len(before)


async def test_a_dashboard_reload_keeps_every_table_filled(
    shell_app: ShellAppFactory, emulator: InProcessEmulator, until: Until
) -> None:
    app, gate, transports = gated_app(shell_app, emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, DashboardScreen), what="dashboard")
        await idle(pilot)
        tables = {t.id: t.row_count for t in app.screen.query(DataTable)}
        assert all(tables.values()), tables
        gate.clear()
        await pilot.press("r")
        await until(pilot, lambda: waiting(transports) > 0, what="reload in flight")
        await pilot.pause()
        for table in app.screen.query(DataTable):
            assert table.row_count == tables[table.id], table.id
            assert not table.loading, table.id
        gate.set()
        await idle(pilot)


async def test_the_first_load_shows_the_loading_indicator(
    shell_app: ShellAppFactory, emulator: InProcessEmulator, until: Until
) -> None:
    app, gate, transports = gated_app(shell_app, emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, DashboardScreen), what="dashboard")
        await idle(pilot)
        gate.clear()
        await pilot.press("2")
        await until(pilot, lambda: showing(app, ProductsScreen), what="products")
        await until(pilot, lambda: waiting(transports) > 0, what="first load in flight")
        table = app.screen.query_one("#products-table", DataTable)
        assert table.row_count == 0 and table.loading
        gate.set()
        await idle(pilot)
        assert table.row_count and not table.loading


@pytest.mark.start_screen("products")
async def test_a_failed_reload_keeps_the_rows_marked_stale(
    shell_app: ShellAppFactory, until: Until
) -> None:
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "2")
        await until(pilot, lambda: showing(app, ProductsScreen), what="products")
        await idle(pilot)
        table = app.screen.query_one("#products-table", DataTable)
        rows = table.row_count
        assert rows and not table.has_class("-stale")
        assert app.client is not None
        await app.client.close()  # every call fails from now on
        await pilot.press("r")
        await idle(pilot)
        assert table.row_count == rows and table.has_class("-stale")
        assert not table.has_class("-reloading") and not table.loading
