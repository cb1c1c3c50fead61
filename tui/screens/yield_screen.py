"""Yield (key 6): first-pass and last-pass yield by product, station, process or group, with
a trend over the periods and a Pareto of the steps that fail units most.

The filter row narrows everything: part number (``%`` wildcards) and station (Enter applies),
process, product group, period and grouping. The table groups by the "By" choice. Enter on a
failing step lists the reports it failed (Enter there opens the report viewer at the step);
``m`` shows the step's measurements as a histogram with its limits and Cp/Cpk. Yields are
percentages; FPY counts units that passed their first run, LPY units whose last run passed.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Select, Static
from textual_plotext import PlotextPlot

from pywats.domains.analytics import DateGrouping, TopFailedStep, WATSFilter, YieldRow
from tui.navigation import register_screen
from tui.screen import WATSScreen
from tui.widgets.analytics_views import (
    FailingReportsScreen,
    MeasurementScreen,
    display_path,
    failing_reports,
    yield_text,
)
from tui.widgets.table import Table

__all__ = ["YieldData", "YieldFilter", "YieldScreen", "period_count"]

PERIODS = ((7, "7 days"), (30, "30 days"), (90, "90 days"), (180, "180 days"), (365, "1 year"))
GROUPINGS = ((DateGrouping.DAY, "by day"), (DateGrouping.WEEK, "by week"),
             (DateGrouping.MONTH, "by month"))  # fmt: skip
DIMENSIONS = (
    ("partNumber", "Part number"),
    ("stationName", "Station"),
    ("testOperation", "Process"),
    ("productGroup", "Product group"),
    ("revision", "Revision"),
    ("operator", "Operator"),
)
TOP_STEPS = 10
PARETO_ROWS = 32
_KPIS = "fpCount;lpCount;fpy;lpy;retestCount"
_DAYS_PER = {DateGrouping.DAY: 1, DateGrouping.WEEK: 7, DateGrouping.MONTH: 30}


def period_count(days: int, grouping: DateGrouping) -> int:
    """Whole periods covering ``days`` days, the current one included."""
    return max(1, math.ceil(days / _DAYS_PER.get(grouping, 1)))


@dataclass(frozen=True)
class YieldFilter:
    part_number: str = ""
    station: str = ""
    process: str = ""  # a process code, "" for all
    product_group: str = ""  # a group name, "" for all
    days: int = 90
    grouping: DateGrouping = DateGrouping.WEEK
    dimension: str = "partNumber"

    def to_filter(self, **extra: Any) -> WATSFilter:
        return WATSFilter(
            part_number=self.part_number or None,
            station_name=self.station or None,
            test_operation=self.process or None,
            product_group=self.product_group or None,
            date_grouping=self.grouping,
            period_count=period_count(self.days, self.grouping),
            include_current_period=True,
            **extra,
        )


@dataclass(frozen=True)
class YieldData:
    filter: YieldFilter
    rows: list[YieldRow]
    trend: list[YieldRow]
    steps: list[TopFailedStep]


@register_screen(
    key="6",
    title="Yield",
    label="Yield",
    short="Yld",
    description="Yield by product, station and period; failing steps and measurements",
)
class YieldScreen(WATSScreen):
    AUTO_FOCUS = "#yield-table"
    FILTERS = ("#yield-part", "#yield-station")  # Enter or Down moves to the table
    BINDINGS = [
        Binding("r,f5", "reload", "Reload", tooltip="Load the numbers again", id="yield-reload"),
        Binding("m", "measurements", "Measurements", id="yield-measurements",
                tooltip="Histogram of the highlighted failing step's values"),
        Binding("s", "focus_steps", "Steps", id="yield-steps-focus",
                tooltip="Move to the failing steps"),
        Binding("slash", "focus_filter", "Filter", id="yield-filter-focus"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.filter = YieldFilter()
        self.data: YieldData | None = None
        self._options_loaded = False
        self._focus_table = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="yield-filters"):
            yield Input(placeholder="Part number", id="yield-part", compact=True)
            yield Input(placeholder="Station", id="yield-station", compact=True)
            yield Select[str]([], prompt="All processes", id="yield-process", compact=True)
            yield Select[str]([], prompt="All groups", id="yield-group", compact=True)
        with Horizontal(id="yield-filters-2"):
            yield Select[int](
                [(label, days) for days, label in PERIODS], value=90, allow_blank=False,
                id="yield-days", compact=True,
            )  # fmt: skip
            yield Select[int](
                [(label, int(g)) for g, label in GROUPINGS], value=int(DateGrouping.WEEK),
                allow_blank=False, id="yield-grouping", compact=True,
            )  # fmt: skip
            yield Select[str](
                [(f"by {label.lower()}", name) for name, label in DIMENSIONS], value="partNumber",
                allow_blank=False, id="yield-dimension", compact=True,
            )  # fmt: skip
            yield Static("", id="yield-summary")
        with Horizontal(id="yield-main"):
            table: Table[Text] = Table(id="yield-table", cursor_type="row")
            table.border_title = "Yield"
            yield table
            with Vertical(id="yield-charts"):
                trend = PlotextPlot(id="yield-trend")
                trend.border_title = "Trend (FPY, LPY %)"
                yield trend
                pareto = PlotextPlot(id="yield-pareto")
                pareto.border_title = "Failing steps (Pareto)"
                yield pareto
        steps: Table[Text] = Table(id="yield-steps", cursor_type="row")
        steps.border_title = "Top failing steps · Enter: reports · m: measurements"
        yield steps

    def on_resize(self) -> None:
        # Below 32 rows both charts would be a line high: the steps table is the Pareto then.
        self.query_one("#yield-pareto", PlotextPlot).display = self.app.size.height >= PARETO_ROWS

    def on_mount(self) -> None:
        self.on_resize()
        self.query_one("#yield-steps", DataTable).add_columns(
            "Step", "Part number", "Fails", "Runs", "Rate"
        )
        self._load_options()
        self.action_reload()

    # ----------------------------------------------------------------- loading

    def _load_options(self) -> None:
        async def load() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
            processes, groups = await asyncio.gather(
                self.wats.process.get_processes(include_test_operations=True,
                                                include_repair_operations=False,
                                                include_wip_operations=False),
                self.wats.product.get_product_groups(),
            )  # fmt: skip
            return (
                [(f"{p.code} {p.name}", str(p.code)) for p in processes if p.is_test_operation],
                [(g.product_group_name or "", g.product_group_name or "") for g in groups
                 if g.product_group_name],
            )  # fmt: skip

        self.run_task("options", load, self._show_options, description="Loading filters")

    def _show_options(self, options: tuple[list[tuple[str, str]], list[tuple[str, str]]]) -> None:
        processes, groups = options
        self._options_loaded = True
        with self.prevent(Select.Changed):
            self.query_one("#yield-process", Select).set_options(processes)
            self.query_one("#yield-group", Select).set_options(groups)

    def action_reload(self) -> None:
        current = self.filter
        self.run_task(
            "load",
            lambda: self._load(current),
            self._show,
            controls=["reload"],
            loading=("#yield-table", "#yield-steps"),
            supersede=True,
            description="Loading yield",
        )

    async def _load(self, current: YieldFilter) -> YieldData:
        analytics = self.wats.analytics
        rows, trend, steps = await asyncio.gather(
            analytics.get_dynamic_yield(
                current.to_filter(dimensions=f"unitCount desc;{current.dimension};{_KPIS}")
            ),
            analytics.get_dynamic_yield(current.to_filter(dimensions=f"period;{_KPIS}")),
            analytics.get_top_failed(current.to_filter(top_count=TOP_STEPS)),
        )
        return YieldData(current, rows, trend, steps)

    # ----------------------------------------------------------------- showing

    def _show(self, data: YieldData) -> None:
        self.data = data
        if self._focus_table:
            self._focus_table = False
            self.call_after_refresh(self.query_one("#yield-table", DataTable).focus)
        self._fill_table(data)
        self._fill_steps(data.steps)
        self._draw_trend(data.trend)
        self._draw_pareto(data.steps)
        units = sum(row.unit_count or 0 for row in data.rows)
        first = sum(row.fp_count or 0 for row in data.rows)
        last = sum(row.lp_count or 0 for row in data.rows)
        summary = Text(f"{units} units  ", style="bold")
        if units:
            summary.append("FPY ")
            summary.append_text(yield_text(100 * first / units))
            summary.append("  LPY ")
            summary.append_text(yield_text(100 * last / units))
        self.query_one("#yield-summary", Static).update(summary)

    def _fill_table(self, data: YieldData) -> None:
        table: DataTable[Text] = self.query_one("#yield-table", DataTable)
        label = dict(DIMENSIONS).get(data.filter.dimension, data.filter.dimension)
        cursor = table.cursor_row
        table.clear(columns=True)
        table.add_column(label, key="name")
        for title in ("Units", "FPY", "LPY", "Retests"):
            table.add_column(title, key=title.lower())
        for row in data.rows:
            name = getattr(row, _attribute(data.filter.dimension), None)
            table.add_row(
                Text(str(name) if name is not None else "(none)"),
                Text(str(row.unit_count or 0), justify="right"),
                yield_text(row.fpy),
                yield_text(row.lpy),
                Text(str(row.retest_count or 0), justify="right"),
            )
        if not data.rows:
            table.add_row(Text("No units in this range.", style="italic"), *[Text("")] * 4)
        elif cursor:
            table.move_cursor(row=min(cursor, len(data.rows) - 1))

    def _fill_steps(self, steps: list[TopFailedStep]) -> None:
        table: DataTable[Text] = self.query_one("#yield-steps", DataTable)
        table.clear()
        for index, step in enumerate(steps):
            table.add_row(
                Text(display_path(step.step_path)),
                Text(step.part_number or "", style="cyan"),
                Text(str(step.fail_count or 0), justify="right", style="bold red"),
                Text(str(step.total_count or 0), justify="right"),
                Text("-" if step.fail_rate is None else f"{step.fail_rate:.1f} %", justify="right"),
                key=str(index),
            )
        if not steps:
            table.add_row(Text("No step failed a unit in this range.", style="italic"),
                          *[Text("")] * 4)  # fmt: skip

    def _draw_trend(self, trend: list[YieldRow]) -> None:
        chart = self.query_one("#yield-trend", PlotextPlot)
        plt = chart.plt
        plt.clear_data()
        plt.clear_figure()
        points = [(row.period or "", row.fpy, row.lpy) for row in trend if row.fpy is not None]
        if not points:
            plt.title("No units in this range")
        else:
            xs = list(range(1, len(points) + 1))
            plt.plot(xs, [p[1] for p in points], label="FPY", color="cyan", marker="braille")
            plt.plot(xs, [p[2] or 0.0 for p in points], label="LPY", color="green",
                     marker="braille")  # fmt: skip
            room = max(1, (chart.size.width - 12) // 8)
            step = max(1, math.ceil(len(points) / min(room, 5)))
            plt.xticks(
                [float(x) for x in xs[::step]], [_short_period(p[0]) for p in points][::step]
            )
            plt.xlim(0.5, len(points) + 0.5)  # explicit: every tick is inside, every run
            low = min(min(p[1] or 0.0 for p in points), min(p[2] or 0.0 for p in points))
            plt.ylim(max(0.0, math.floor(low / 10) * 10 - 5), 100.5)
        chart.refresh()

    def _draw_pareto(self, steps: list[TopFailedStep]) -> None:
        chart = self.query_one("#yield-pareto", PlotextPlot)
        plt = chart.plt
        plt.clear_data()
        plt.clear_figure()
        if not steps:
            plt.title("No failing steps")
        else:
            counts = [step.fail_count or 0 for step in steps]
            names = [_short_step(step.step_name or "?") for step in steps]
            plt.bar(list(range(1, len(counts) + 1)), counts, color="red", width=0.6)
            # As many labels as fit (plotext would thin them itself, not the same way each run).
            room = max(1, (chart.size.width - 12) // 12)
            every = max(1, math.ceil(len(counts) / room))
            positions = list(range(1, len(counts) + 1))[::every]
            plt.xticks([float(x) for x in positions], names[::every])
            plt.xlim(0.5, len(counts) + 0.5)
            total = sum(counts) or 1
            running = 0
            cumulative = []
            for count in counts:
                running += count
                cumulative.append(100 * running / total)
            plt.plot(list(range(1, len(counts) + 1)), cumulative, yside="right",
                     color="yellow", marker="braille")  # fmt: skip
        chart.refresh()

    # ----------------------------------------------------------------- the filter

    @on(Input.Submitted, "#yield-part, #yield-station")
    def _text_filter(self) -> None:
        self._focus_table = True  # once the numbers are in: the table is covered while loading
        self._apply()
        self.query_one("#yield-table", DataTable).focus()

    @on(Select.Changed)
    def _select_filter(self) -> None:
        self._apply()

    def _apply(self) -> None:
        def value(selector: str) -> Any:
            selected = self.query_one(selector, Select).value
            return selected if isinstance(selected, (str, int)) else None  # not the blank

        new = YieldFilter(
            part_number=self.query_one("#yield-part", Input).value.strip(),
            station=self.query_one("#yield-station", Input).value.strip(),
            process=value("#yield-process") or "",
            product_group=value("#yield-group") or "",
            days=value("#yield-days") or 90,
            grouping=DateGrouping(value("#yield-grouping") or DateGrouping.WEEK),
            dimension=value("#yield-dimension") or "partNumber",
        )
        if new != self.filter:
            self.filter = new
            self.action_reload()

    def action_focus_filter(self) -> None:
        self.query_one("#yield-part", Input).focus()

    def action_focus_steps(self) -> None:
        self.query_one("#yield-steps", DataTable).focus()

    # ----------------------------------------------------------------- drill-down

    def _highlighted_step(self) -> TopFailedStep | None:
        if self.data is None or not self.data.steps:
            return None
        row = self.query_one("#yield-steps", DataTable).cursor_row
        return self.data.steps[row] if 0 <= row < len(self.data.steps) else None

    @on(DataTable.RowSelected, "#yield-steps")
    def _open_step(self, event: DataTable.RowSelected) -> None:
        step = self._highlighted_step()
        if step is not None:
            self.app.push_screen(FailingReportsScreen(step, self.filter.to_filter()))

    def action_measurements(self) -> None:
        step = self._highlighted_step()
        if step is None:
            self.notify("No failing step is highlighted.", timeout=3)
            return
        if self.filter.process:
            self.app.push_screen(
                MeasurementScreen(step, self.filter.process, self.filter.to_filter())
            )
            return

        async def find_process() -> str | None:
            headers = await failing_reports(self.wats, step, self.filter.to_filter())
            return next((str(h.process_code) for h in headers if h.process_code), None)

        def open_view(process: str | None) -> None:
            if process is None:
                self.notify("No failing report says which process ran the step.", timeout=3)
                return
            self.app.push_screen(MeasurementScreen(step, process, self.filter.to_filter()))

        self.run_task("measure", find_process, open_view, description="Finding the process")


def _attribute(dimension: str) -> str:
    return {
        "partNumber": "part_number",
        "stationName": "station_name",
        "testOperation": "test_operation",
        "productGroup": "product_group",
        "revision": "revision",
        "operator": "operator",
    }.get(dimension, dimension)


def _short_period(period: str) -> str:
    return period[5:] if len(period) >= 10 else period  # "2025-12-30" -> "12-30"


def _short_step(name: str) -> str:
    return name if len(name) <= 10 else name[:9] + "…"
