"""Pieces the Yield screen and the dashboard share: yield text, sparklines, the drill-down
from a failing step to its failing reports and into the report viewer at that step, and the
measurement view (a histogram of a step's values with its limits and Cp/Cpk).

Yields are percentages, 0-100, as the analytics API sends them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from pywats import AsyncWATS
from pywats.domains.analytics import (
    AggregatedMeasurement,
    Measurement,
    TopFailedStep,
    WATSFilter,
)
from pywats.domains.report.query import ReportHeader
from pywats.domains.report.reports import UURReport, UUTReport
from tui.screen import WATSScreen
from tui.screens.report_viewer import ReportViewerScreen
from tui.widgets.table import Table

__all__ = [
    "FailingReportsScreen",
    "MeasurementScreen",
    "StepReportViewer",
    "failing_reports",
    "sparkline",
    "yield_style",
    "yield_text",
]

SEP = "\u00b6"
_BARS = "▁▂▃▄▅▆▇█"
GOOD_YIELD = 95.0
POOR_YIELD = 85.0
FAILING_REPORTS_TOP = 200


def yield_style(value: float | None) -> str:
    if value is None:
        return "dim"
    if value >= GOOD_YIELD:
        return "green"
    if value >= POOR_YIELD:
        return "yellow"
    return "bold red"


def yield_text(value: float | None) -> Text:
    """``97.5 %`` coloured by how good it is; ``-`` when there were no units."""
    if value is None:
        return Text("-", style="dim", justify="right")
    return Text(f"{value:5.1f} %", style=yield_style(value), justify="right")


def sparkline(values: Sequence[float | None], low: float = 0.0, high: float = 100.0) -> Text:
    """One character per period, the bar height scaled between ``low`` and ``high``."""
    text = Text()
    span = max(high - low, 1e-9)
    for value in values:
        if value is None:
            text.append("·", style="dim")
            continue
        index = round((min(max(value, low), high) - low) / span * (len(_BARS) - 1))
        text.append(_BARS[index], style=yield_style(value))
    return text


def display_path(path: str | None) -> str:
    """``Power Up / VCC 3V3``: the step path for people, without the main sequence."""
    parts = (path or "").split(SEP)
    if len(parts) > 1 and parts[0].lower().startswith("mainsequence"):
        parts = parts[1:]
    return " / ".join(part for part in parts if part)


def _slash(path: str | None) -> str:
    return (path or "").replace(SEP, "/")


async def failing_reports(
    wats: AsyncWATS, step: TopFailedStep, base: WATSFilter | None = None
) -> list[ReportHeader]:
    """The failed test reports of the step's product whose failure this step caused."""
    values = {} if base is None else base.model_dump(exclude_none=True, exclude={"dimensions"})
    values.update(part_number=step.part_number, status="Failed", top_count=FAILING_REPORTS_TOP)
    headers = await wats.analytics.get_uut_reports(WATSFilter(**values))
    wanted = _slash(step.step_path)
    return [h for h in headers if h.caused_uut_failure_path == wanted]


class StepReportViewer(ReportViewerScreen):
    """The report viewer, opened with the cursor on one step (by its path)."""

    def __init__(self, report_id: str, step_path: str, header: ReportHeader | None = None) -> None:
        super().__init__(report_id, header)
        self.step_path = step_path

    def show_report(self, report: UUTReport | UURReport | None) -> None:
        super().show_report(report)
        if not isinstance(report, UUTReport):
            return
        from tui.widgets.step_tree import StepTree

        tree = self.query_one(StepTree)
        names = self.step_path.split(SEP)
        for node in tree._pre_order():
            if node.data is None:
                continue
            path = []
            walker = node
            while walker is not None and walker.data is not None:
                path.append(walker.data.name or "")
                walker = walker.parent  # type: ignore[assignment]
            if list(reversed(path)) == names:
                tree.select_step(node)
                break


class FailingReportsScreen(WATSScreen):
    """The reports a failing step failed; Enter opens one in the viewer at that step."""

    NAV_NAME = "yield"
    AUTO_FOCUS = "#failing-reports"
    BINDINGS = [Binding("m", "measurements", "Measurements", id="failing-measurements")]

    def __init__(self, step: TopFailedStep, base: WATSFilter | None = None) -> None:
        super().__init__()
        self.step = step
        self.base = base
        self.headers: list[ReportHeader] = []

    def compose_body(self) -> ComposeResult:
        with Vertical(id="failing-panel"):
            yield Static(self._title(), id="failing-title")
            table: Table[Text] = Table(id="failing-reports", cursor_type="row")
            yield table

    def _title(self) -> Text:
        step = self.step
        text = Text(display_path(step.step_path) or "?", style="bold")
        text.append(f"  {step.part_number or ''}", style="cyan")
        text.append(f"  {step.fail_count or 0} failing runs of {step.total_count or 0}")
        if step.fail_rate is not None:
            text.append(f" ({step.fail_rate:.1f} %)", style="bold red")
        return text

    def on_mount(self) -> None:
        table = self.query_one("#failing-reports", DataTable)
        table.add_columns("Started", "Serial number", "Rev", "Station", "Run", "Operator")
        table.focus()
        self.run_task(
            "load",
            lambda: failing_reports(self.wats, self.step, self.base),
            self._show,
            loading="#failing-reports",
            description="Loading the failing reports",
        )

    def _show(self, headers: list[ReportHeader]) -> None:
        self.headers = headers
        table: DataTable[Text] = self.query_one("#failing-reports", DataTable)
        table.clear()
        for header in headers:
            table.add_row(
                Text(_when(header.start)),
                Text(header.serial_number or "", style="bold"),
                Text(header.revision or ""),
                Text(header.station_name or ""),
                Text(str(header.run or ""), justify="right"),
                Text(header.user_name or ""),
                key=header.uuid,
            )
        if not headers:
            table.add_row(Text("No failing reports in range.", style="italic"), *[Text("")] * 5)

    @on(DataTable.RowSelected, "#failing-reports")
    def _open(self, event: DataTable.RowSelected) -> None:
        uuid = event.row_key.value
        header = next((h for h in self.headers if h.uuid == uuid), None)
        if header is None or uuid is None:
            return
        self.app.push_screen(StepReportViewer(uuid, self.step.step_path or "", header))

    def action_measurements(self) -> None:
        process = next((h.process_code for h in self.headers if h.process_code), None)
        if process is None or not self.step.part_number:
            self.notify("No failing report says which test operation ran the step.", timeout=3)
            return
        self.app.push_screen(MeasurementScreen(self.step, str(process), self.base))


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M")


class MeasurementScreen(WATSScreen):
    """A histogram of a step's measured values with its limits, and the capability (Cp/Cpk)."""

    NAV_NAME = "yield"

    def __init__(
        self, step: TopFailedStep, test_operation: str, base: WATSFilter | None = None
    ) -> None:
        super().__init__()
        self.step = step
        self.test_operation = test_operation
        self.base = base

    def compose_body(self) -> ComposeResult:
        with Vertical(id="measure-panel"):
            yield Static(Text(display_path(self.step.step_path), style="bold"), id="measure-title")
            yield Static("", id="measure-stats")
            yield PlotextPlot(id="measure-histogram")

    def on_mount(self) -> None:
        self.run_task(
            "load", self._load, self._show, loading="#measure-histogram",
            description="Loading the measurements",
        )  # fmt: skip

    async def _load(self) -> tuple[list[Measurement], AggregatedMeasurement | None]:
        wats = self.wats
        values = (
            {}
            if self.base is None
            else self.base.model_dump(
                exclude_none=True, exclude={"dimensions", "top_count", "status"}
            )
        )
        values.update(part_number=self.step.part_number, test_operation=self.test_operation)
        flt = WATSFilter(**values)
        path = self.step.step_path or ""
        found = await wats.analytics.get_measurements(flt, path)
        stats = await wats.analytics.get_aggregated_measurements(flt, path)
        return found, (stats[0] if stats else None)

    def _show(self, data: tuple[list[Measurement], AggregatedMeasurement | None]) -> None:
        found, stats = data
        values = [m.value for m in found if m.value is not None]
        self.query_one("#measure-stats", Static).update(capability_text(stats, len(values)))
        chart = self.query_one("#measure-histogram", PlotextPlot)
        plt = chart.plt
        plt.clear_data()
        plt.clear_figure()
        if not values:
            plt.title("No numeric values for this step in range")
            chart.refresh()
            return
        plt.hist(values, bins=min(30, max(5, len(values) // 3)), color="cyan")
        low = stats.limit1 if stats else None
        high = stats.limit2 if stats else None
        for limit in (low, high):
            if limit is not None:
                plt.vline(limit, color="red")
        unit = next((m.unit for m in found if m.unit), "")
        plt.xlabel(f"value {unit}".strip())
        plt.title(f"{len(values)} values; limits in red")
        chart.refresh()


def capability_text(stats: AggregatedMeasurement | None, count: int) -> Text:
    if stats is None or not count:
        return Text("No measurements in range.", style="italic")
    text = Text()
    text.append(f"n {stats.count}  ", style="bold")
    for label, value in (("min", stats.min), ("max", stats.max), ("avg", stats.avg),
                         ("stdev", stats.stdev)):  # fmt: skip
        if value is not None:
            text.append(f"{label} {value:.4g}  ")
    if stats.limit1 is not None or stats.limit2 is not None:
        text.append(f"limits {_num(stats.limit1)}..{_num(stats.limit2)}  ", style="red")
    for label, value in (("Cp", stats.cp), ("Cpk", stats.cpk)):
        style = "dim" if value is None else ("green" if value >= 1.33 else
                                             "yellow" if value >= 1.0 else "bold red")  # fmt: skip
        text.append(f"{label} {'-' if value is None else f'{value:.2f}'}  ", style=style)
    return text


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.4g}"
