"""The dashboard: what this server is and what it is set up for, at a glance.

Server version, the active processes (test, repair and WIP operations), the levels, the
product groups and an assets tile (in alarm, due this week), loaded together through the
worker pattern. ``r`` (or F5) reloads; it also
reloads by itself every few minutes while shown, never overlapping a reload in progress.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from pywats.domains.analytics import TopFailedStep
from pywats.domains.asset import AssetOverview
from pywats.domains.process import Level, ProcessInfo
from pywats.domains.product import ProductGroup
from pywats.errors import WATSError
from tui.navigation import register_screen
from tui.screen import WATSScreen
from tui.widgets.analytics_views import FailingReportsScreen
from tui.widgets.dashboard_production import (
    PRODUCTION_TABLES,
    ProductionData,
    fill_production,
    load_production,
    production_line,
)
from tui.widgets.table import Table

__all__ = ["DashboardData", "DashboardScreen", "assets_tile", "process_kinds"]

AUTO_REFRESH_SECONDS = 300.0
TABLES = ("#dash-processes", "#dash-levels", "#dash-groups")
DUE_DAYS = 7  # "due this week"


@dataclass(frozen=True)
class DashboardData:
    version: str | None
    processes: list[ProcessInfo]
    levels: list[Level]
    product_groups: list[ProductGroup]
    assets: list[AssetOverview] | None = None  # None: the server has no asset API for us


def assets_tile(assets: list[AssetOverview] | None, width: int = 60) -> Text:
    """Assets in alarm and assets due this week (overdue included), from their status."""
    if assets is None:
        return Text("Assets: not available on this server", style="dim")
    alarm = [o.asset.serial_number for o in assets if o.status.in_alarm]
    due = sorted(
        (
            (left, o.asset.serial_number)
            for o in assets
            if (left := o.days_left) is not None and left <= DUE_DAYS
        ),
    )
    text = Text("Assets: ", style="bold")
    text.append(f"{len(alarm)} in alarm", style="bold white on red" if alarm else "green")
    if alarm:
        text.append(f" ({', '.join(alarm)[:width]})")
    text.append(" · ")
    text.append(f"{len(due)} due this week", style="bold yellow" if due else "green")
    if due:
        text.append(f" ({', '.join(serial for _, serial in due)[:width]})")
    return text


def process_kinds(process: ProcessInfo) -> str:
    """ "Test", "Repair", "WIP" or several of them (a process can be more than one)."""
    kinds = [
        word
        for word, flag in (
            ("Test", process.is_test_operation),
            ("Repair", process.is_repair_operation),
            ("WIP", process.is_wip_operation),
        )
        if flag
    ]
    return ", ".join(kinds) or "Other"


def _count(processes: Sequence[ProcessInfo], flag: Callable[[ProcessInfo], bool]) -> int:
    return sum(1 for process in processes if flag(process))


@register_screen(
    key="1",
    title="Dashboard",
    description="Server version, processes, levels and product groups",
)
class DashboardScreen(WATSScreen):
    AUTO_FOCUS = "#dash-processes"
    LOADS_SERVER_VERSION = True  # with the rest of its data, in one round of calls
    BINDINGS = [
        Binding("r,f5", "reload", "Reload", tooltip="Load everything again", id="dash-reload"),
    ]

    #: Where "updated at" comes from; tests pin it for stable snapshots.
    clock: Callable[[], datetime] = datetime.now

    def compose_body(self) -> ComposeResult:
        yield Static("", id="dash-summary")
        yield Static("", id="dash-assets")  # one line: the tables keep their rows at 80x24
        yield Static("", id="dash-production-line")
        with Horizontal(id="dash-production"):
            for table_id, title in (("dash-yield", "Yield, 7 days, by product group"),
                                    ("dash-worst", "Worst yield, 7 days")):  # fmt: skip
                table: Table[str] = Table(id=table_id, cursor_type="row")
                table.border_title = title
                yield table
        with Horizontal(id="dash-failures"):
            for table_id, title in (
                ("dash-steps", "Top failing steps · Enter: reports"),
                ("dash-failed", "Latest failed units · Enter: unit"),
            ):
                table = Table(id=table_id, cursor_type="row")
                table.border_title = title
                yield table
        # Side by side, not levels above groups: at 80x24 the band has room for three rows
        # in each table, where stacked tables got none.
        with Horizontal(id="dash-main"):
            for table_id, title in (
                ("dash-processes", "Processes"),
                ("dash-levels", "Levels"),
                ("dash-groups", "Product groups"),
            ):
                table = Table(id=table_id, cursor_type="row")
                table.border_title = title
                yield table

    def __init__(self) -> None:
        super().__init__()
        self._loaded = False
        self._production = ProductionData()
        self._production_loaded = False

    @on(DataTable.RowSelected, "#dash-steps")
    def _open_step(self, event: DataTable.RowSelected) -> None:
        """A failing step: the reports it failed (Enter there opens one at the step)."""
        steps: list[TopFailedStep] = self._production.steps
        if 0 <= event.cursor_row < len(steps):
            self.app.push_screen(FailingReportsScreen(steps[event.cursor_row]))

    @on(DataTable.RowSelected, "#dash-failed")
    async def _open_unit(self, event: DataTable.RowSelected) -> None:
        failed = self._production.failed
        if not 0 <= event.cursor_row < len(failed):
            return
        header = failed[event.cursor_row]
        await self.app.switch_mode("units")
        open_unit = getattr(self.app.screen, "open_unit", None)
        if callable(open_unit):
            open_unit(header.serial_number or "", header.part_number or "")

    @on(events.ScreenResume)
    def _reload_if_never_loaded(self) -> None:
        # A load cancelled by leaving the screen leaves it empty; coming back finishes the job.
        if not (self._loaded and self._production_loaded) and self.is_mounted:
            self.action_reload()

    def on_mount(self) -> None:
        self.query_one("#dash-processes", DataTable).add_columns("Code", "Name", "Type")
        self.query_one("#dash-levels", DataTable).add_columns("ID", "Level")
        self.query_one("#dash-groups", DataTable).add_columns("ID", "Product group")
        for table_id, columns in (
            ("#dash-yield", ("Product group", "Units", "FPY", "Trend")),
            ("#dash-worst", ("Part number", "Units", "FPY")),
            ("#dash-steps", ("Step", "Part number", "Fails")),
            ("#dash-failed", ("When", "Serial number", "Part number", "Station", "Failed at")),
        ):
            self.query_one(table_id, DataTable).add_columns(*columns)
        self.action_reload()
        self.refresh_every(AUTO_REFRESH_SECONDS, self.action_reload)

    def action_reload(self) -> None:
        self.run_task(
            "load",
            self._load,
            self._show,
            controls=["reload"],
            # The first load shows spinners; a refresh keeps the rows until new ones arrive.
            loading=TABLES,
            description="Loading dashboard",
        )
        # Production numbers come on their own: the configuration shows without waiting.
        self.run_task(
            "production",
            lambda: load_production(self.wats),
            self._show_production,
            loading=PRODUCTION_TABLES,
            description="Loading production",
        )

    def _show_production(self, production: ProductionData) -> None:
        self._production_loaded = True
        self._production = production
        self.query_one("#dash-production-line", Static).update(production_line(production))
        fill_production(
            {name: self.query_one(name, DataTable) for name in PRODUCTION_TABLES}, production
        )

    async def _load(self) -> DashboardData:
        wats = self.wats

        async def assets() -> list[AssetOverview] | None:
            try:
                return await wats.asset.get_overview()
            except WATSError:
                return None  # an older server, or no permission: the rest still shows

        # The version's own failure wins: it says whether this is a WATS server at all (a
        # 404 there is a wrong URL; a 404 elsewhere would only be a missing endpoint).
        version_call = asyncio.ensure_future(wats.get_version())
        try:
            processes, levels, groups, overviews = await asyncio.gather(
                wats.process.get_processes(
                    include_test_operations=True,
                    include_repair_operations=True,
                    include_wip_operations=True,
                ),
                wats.process.get_levels(),
                wats.product.get_product_groups(),
                assets(),
            )
        except Exception:
            await version_call  # raises the version's error, if it has one
            raise
        except BaseException:  # cancelled: the version call goes too
            version_call.cancel()
            raise
        version = await version_call
        return DashboardData(version, processes, levels, groups, overviews)

    def _show(self, data: DashboardData) -> None:
        self._loaded = True
        if data.version:
            self.wats_app.server_version = data.version
        processes = sorted(data.processes, key=lambda p: p.code)
        self._fill(
            "#dash-processes",
            [(str(p.code), p.name, process_kinds(p)) for p in processes],
        )
        self._fill(
            "#dash-levels",
            [(str(level.level_id), level.level_name) for level in data.levels],
        )
        self._fill(
            "#dash-groups",
            [
                (str(group.product_group_id), group.product_group_name)
                for group in sorted(data.product_groups, key=lambda g: g.product_group_name)
            ],
        )
        tests = _count(processes, lambda p: p.is_test_operation)
        repairs = _count(processes, lambda p: p.is_repair_operation)
        wip = _count(processes, lambda p: p.is_wip_operation)
        summary = (
            f"WATS {data.version or '?'} · processes: {tests} test, "
            f"{repairs} repair, {wip} WIP · {len(data.levels)} levels · "
            f"{len(data.product_groups)} product groups"
        )
        self.query_one("#dash-summary", Static).update(summary)
        self.query_one("#dash-assets", Static).update(assets_tile(data.assets))
        self.query_one(
            "#dash-processes", DataTable
        ).border_subtitle = f"updated {self.clock():%H:%M:%S}"

    def _fill(self, selector: str, rows: list[tuple[str, ...]]) -> None:
        """Replace a table's rows, keeping the cursor where it was (reloads are periodic)."""
        table: DataTable[Text] = self.query_one(selector, DataTable)
        cursor = table.cursor_row
        table.clear()
        # Text, not str: DataTable reads strings as markup, and names come from the server.
        table.add_rows([tuple(Text(cell) for cell in row) for row in rows])
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
