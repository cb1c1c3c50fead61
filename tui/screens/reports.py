"""The Reports screen: test and repair reports, newest first, filtered on the server.

Filters: part number, serial number (a trailing ``*`` matches a prefix), result, station and
a start date range (``YYYY-MM-DD``, both ends inclusive, in local time). Results come a page
at a time. Enter opens the highlighted report in the viewer.

Keys: / filters, Enter open, n / p next and previous page, r reload, x clear the filters.
Other screens open a unit's test history with :func:`open_unit_history`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select, Static

from pywats.domains.report.query import HeaderResult, ReportHeader
from tui.navigation import register_screen
from tui.paging import PagedScreen
from tui.screens.report_viewer import ReportViewerScreen
from tui.widgets.step_tree import STATUS_LOOK
from tui.widgets.table import Table

__all__ = ["PAGE_SIZE", "REPORTS_MODE", "ReportFilters", "ReportsScreen", "open_unit_history"]

PAGE_SIZE = 50
REPORTS_MODE = "reports"
FILTER_DELAY = 0.4  # typing pauses this long before the list is asked for again

_RESULTS: list[tuple[str, str]] = [
    ("Any result", "any"),
    ("Passed", HeaderResult.PASSED.value),
    ("Failed", HeaderResult.FAILED.value),
    ("Error", HeaderResult.ERROR.value),
    ("Terminated", HeaderResult.TERMINATED.value),
]
_RESULT_LOOK = {"Passed": "P", "Failed": "F", "Error": "E", "Terminated": "T", "Done": "D"}
_TEXT_FILTERS = ("part", "serial", "station", "from", "to")


class FilterError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _day(text: str, field: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FilterError(field, f"'{text}' is not a date; write it as YYYY-MM-DD") from None


@dataclass(frozen=True)
class ReportFilters:
    """The filter bar's values, checked; ``start``/``end`` are whole local days."""

    part_number: str | None = None
    serial_number: str | None = None
    result: str | None = None
    station_name: str | None = None
    start: datetime | None = None
    end: datetime | None = None

    @classmethod
    def parse(
        cls, part: str, serial: str, result: str, station: str, first: str, last: str
    ) -> ReportFilters:
        first_day, last_day = _day(first, "from"), _day(last, "to")
        if first_day and last_day and first_day > last_day:
            raise FilterError("to", f"the range ends ({last_day}) before it starts ({first_day})")
        start = datetime.combine(first_day, time()).astimezone() if first_day else None
        end = (
            (datetime.combine(last_day, time()) + timedelta(days=1, microseconds=-1)).astimezone()
            if last_day
            else None
        )
        return cls(
            part_number=part.strip() or None,
            serial_number=serial.strip() or None,
            result=None if result == "any" else result,
            station_name=station.strip() or None,
            start=start,
            end=end,
        )


def _start_text(header: ReportHeader) -> str:
    if header.start is None:
        return ""
    return header.start.astimezone().strftime("%m-%d %H:%M")


def _result_text(header: ReportHeader) -> Text:
    code = _RESULT_LOOK.get(header.result or "", "U")
    glyph, _, style = STATUS_LOOK[code]
    word = header.result or "?"
    if header.is_repair:
        return Text(f"⚒ {word}", style="cyan")
    return Text(f"{glyph} {word}", style=style)


@register_screen(
    key="5",
    title="Reports",
    label="Reports",
    description="Test and repair reports: find them, read their steps and charts",
)
class ReportsScreen(PagedScreen):
    AUTO_FOCUS = "#reports-table"  # keys are commands and Enter opens, until / picks a filter
    FILTERS = (".reports-filter-row Input",)  # Enter or Down moves to the list
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="reports-filter"),
        Binding("enter", "open_report", "Open", id="reports-open"),
        Binding("n", "next_page", "Next page", id="reports-next"),
        Binding("p", "previous_page", "Prev page", id="reports-prev"),
        Binding("r", "reload", "Reload", id="reports-reload"),
        Binding("x", "clear_filters", "Clear filters", id="reports-clear"),
    ]

    def __init__(self) -> None:
        super().__init__(PAGE_SIZE)
        self.rows: dict[str, ReportHeader] = {}
        self._filter_timer: Timer | None = None
        self._pending_history: tuple[str, str | None] | None = None
        self._ready = False  # set once on_mount has built the table

    def compose_body(self) -> ComposeResult:
        with Vertical(id="reports-filters"):
            with Horizontal(classes="reports-filter-row"):
                yield Input(placeholder="Part number", id="reports-part", compact=True)
                yield Input(placeholder="Serial number (* = prefix)", id="reports-serial",
                            compact=True)  # fmt: skip
                yield Select(_RESULTS, value="any", allow_blank=False, id="reports-result",
                             compact=True)  # fmt: skip
            with Horizontal(classes="reports-filter-row"):
                yield Input(placeholder="Station", id="reports-station", compact=True)
                yield Input(placeholder="From YYYY-MM-DD", id="reports-from", compact=True)
                yield Input(placeholder="To YYYY-MM-DD", id="reports-to", compact=True)
        yield Static("", id="reports-problem")
        # Columns as wide as their values; cut with "…" only when the terminal is too narrow.
        yield Table(id="reports-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="reports-page")

    def on_mount(self) -> None:
        table = self.query_one("#reports-table", DataTable)
        table.add_column("Start", key="start")
        table.add_column("Serial", key="serial")
        table.add_column("Part", key="part")
        table.add_column("Process", key="process")
        table.add_column("Station", key="station")
        table.add_column("Result", key="result")
        table.focus()
        self._ready = True
        if self._pending_history is not None:
            serial, part = self._pending_history
            self._pending_history = None
            self.show_unit_history(serial, part)
        else:
            self.load_page(0)

    # ----------------------------------------------------------------- filters

    def _value(self, name: str) -> str:
        return self.query_one(f"#reports-{name}", Input).value

    def current_filters(self) -> ReportFilters:
        return ReportFilters.parse(
            self._value("part"),
            self._value("serial"),
            str(self.query_one("#reports-result", Select).value),
            self._value("station"),
            self._value("from"),
            self._value("to"),
        )

    def _show_problem(self, error: FilterError | None) -> None:
        problem = self.query_one("#reports-problem", Static)
        for name in _TEXT_FILTERS:
            self.query_one(f"#reports-{name}", Input).remove_class("-invalid")
        if error is None:
            problem.update("")
            problem.remove_class("-shown")
            return
        self.query_one(f"#reports-{error.field}", Input).add_class("-invalid")
        label = {"from": "From", "to": "To"}.get(error.field, error.field)
        problem.update(f"{label}: {error}")
        problem.add_class("-shown")

    @on(Input.Changed, ".reports-filter-row Input")
    def _filter_changed(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, lambda: self.load_page(0))

    @on(Input.Submitted, ".reports-filter-row Input")
    def _filter_submitted(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self.load_page(0)
        self.query_one("#reports-table", DataTable).focus()

    @on(Select.Changed, "#reports-result")
    def _result_changed(self) -> None:
        self.load_page(0)

    def action_focus_filter(self) -> None:
        self.query_one("#reports-part", Input).focus()

    def action_clear_filters(self) -> None:
        self.set_filters()

    def set_filters(
        self,
        *,
        part_number: str = "",
        serial_number: str = "",
        result: str = "any",
        station: str = "",
        first: str = "",
        last: str = "",
    ) -> None:
        """Fill the filter bar and load the first page (typing timers are dropped)."""
        values = {"part": part_number, "serial": serial_number, "station": station,
                  "from": first, "to": last}  # fmt: skip
        for name, value in values.items():
            widget = self.query_one(f"#reports-{name}", Input)
            with widget.prevent(Input.Changed):
                widget.value = value
        select = self.query_one("#reports-result", Select)
        with select.prevent(Select.Changed):
            select.value = result
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self.load_page(0)

    def show_unit_history(self, serial_number: str, part_number: str | None = None) -> None:
        """Every report of one unit, newest first (what the Units screen opens)."""
        if not self._ready:  # asked before the screen was shown: on_mount does it
            self._pending_history = (serial_number, part_number)
            return
        self.set_filters(serial_number=serial_number, part_number=part_number or "")
        self.query_one("#reports-table", DataTable).focus()

    def show_serial_number(self, serial_number: str, part_number: str | None = None) -> None:
        """The name the Units screen calls (see :func:`open_unit_history`)."""
        self.show_unit_history(serial_number, part_number)

    # ----------------------------------------------------------------- the list

    def load_page(self, page: int) -> None:
        try:
            filters = self.current_filters()
        except FilterError as error:
            self._show_problem(error)  # the typed text stays; nothing is sent
            return
        self._show_problem(None)
        self.run_task(
            "list",
            lambda: self.wats.report.find_headers(
                part_number=filters.part_number,
                serial_number=filters.serial_number,
                result=filters.result,
                station_name=filters.station_name,
                start=filters.start,
                end=filters.end,
                top=self.pager.fetch_count,
                skip=self.pager.skip(page),
            ),
            lambda rows: self.show_page(page, rows),
            controls=["reload", "next_page", "previous_page", "open_report"],
            loading="#reports-table",
            description="Loading reports",
            supersede=True,  # the newest filter wins
        )

    def show_page(self, page: int, rows: list[ReportHeader]) -> None:
        rows = self.pager.accept(page, rows)
        table = self.query_one("#reports-table", DataTable)
        table.clear()
        self.rows = {}
        for row in rows:
            key = row.uuid or ""
            self.rows[key] = row
            table.add_row(
                _start_text(row),
                # Text, not str: DataTable reads str cells as markup, and these are free text.
                Text(row.serial_number or ""),
                Text(row.part_number or ""),
                Text(row.process_name or str(row.process_code or "")),
                Text(row.station_name or ""),
                _result_text(row),
                key=key,
            )
        self._show_page_line(len(rows))

    def _show_page_line(self, count: int) -> None:
        text = self.pager.describe(count, "Reports", nothing="No reports match the filters.")
        if count:
            text += "  Enter opens"
        self.query_one("#reports-page", Static).update(text)

    # ----------------------------------------------------------------- opening

    @property
    def current_header(self) -> ReportHeader | None:
        table = self.query_one("#reports-table", DataTable)
        if table.row_count == 0 or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return self.rows.get(key or "")

    @on(DataTable.RowSelected, "#reports-table")
    def _row_selected(self) -> None:
        self.action_open_report()

    def action_open_report(self) -> None:
        header = self.current_header
        if header is None or not header.uuid:
            self.notify("No report is selected.", timeout=3)
            return
        self.app.push_screen(ReportViewerScreen(header.uuid, header))


def open_unit_history(app: App[object], serial_number: str, part_number: str | None = None) -> None:
    """Show one unit's reports on the Reports screen (from the Units screen, the palette...)."""
    app.switch_mode(REPORTS_MODE)
    while len(app.screen_stack) > 1 and isinstance(app.screen, ReportViewerScreen):
        app.pop_screen()
    screen = app.screen_stack[0]
    if isinstance(screen, ReportsScreen):
        screen.show_unit_history(serial_number, part_number)
