"""The report viewer: a report's header, its step tree beside what the highlighted step
measured, charts in the terminal, and for repairs the failures found.

Keys: f / F next and previous failed step, c the highlighted step's chart full screen,
t the test report a repair refers to, r reload, Backspace (or Escape when nothing loads) back
to the list.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static, Tree

from pywats.domains.report import Step, UURReport, UUTReport
from pywats.domains.report.query import ReportHeader
from pywats.domains.report.timefmt import parse_wats_datetime
from tui.screen import WATSScreen
from tui.widgets.step_chart import ChartData, StepChart
from tui.widgets.step_detail import StepDetail, chart_data
from tui.widgets.step_tree import StepTree, status_text
from tui.widgets.table import Table
from tui.workers import CANCEL_ACTION

__all__ = ["ChartScreen", "ReportViewerScreen", "report_title"]

_RESULTS = {"P": "P", "F": "F", "E": "E", "T": "T", "D": "D"}


def _when(text: str | None) -> str:
    if not text:
        return "no start time"
    try:
        moment = parse_wats_datetime(text)
    except ValueError:
        return text
    # Shown in the technician's local time; the report keeps its own offset.
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def report_title(report: UUTReport | UURReport) -> Text:
    """``✗ Failed  PCB-1001 rev B  SN MB-00001  Functional test (120)``."""
    title = status_text(_RESULTS.get(str(report.result), str(report.result)))
    title.stylize("bold")
    title.append(f"  {report.part_number} rev {report.revision}", style="bold")
    title.append(f"  SN {report.serial_number}", style="bold")
    if report.process_name:
        title.append(f"  {report.process_name} ({report.process_code})")
    else:
        title.append(f"  process {report.process_code}")
    return title


def _header_lines(report: UUTReport | UURReport) -> Text:
    text = report_title(report)
    facts = [report.machine_name, report.location, _when(report.start)]
    if isinstance(report, UUTReport) and report.uut is not None:
        facts.append(report.uut.user)
        if isinstance(report.uut.exec_time, int | float):
            facts.append(f"{report.uut.exec_time:.1f} s")
    if isinstance(report, UURReport) and report.uur is not None:
        facts.append(report.uur.user)
    text.append("\n" + " · ".join(str(f) for f in facts if f), style="dim")
    if isinstance(report, UUTReport):
        failed = next((path for path, step in report.walk() if step.caused_uut_failure), None)
        if failed:
            text.append("\nFailed at: ", style="bold red")
            text.append(failed.split("/", 1)[-1].replace("/", " / "))
    elif report.uur is not None:
        uur = report.uur
        text.append("\nRepair of ", style="bold")
        text.append(f"{uur.process_name or 'test'} ({uur.process_code})")
        if uur.comment:
            text.append(f": {uur.comment}", style="italic")
    return text


def _failure_step(name: str | None, step_id: int | None) -> str:
    if name:
        return name
    return f"step {step_id}" if step_id is not None else ""


class ChartScreen(ModalScreen[None]):
    """One step's chart over the whole terminal; Escape or q closes it."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="chart-close"),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, data: ChartData) -> None:
        super().__init__()
        self.data = data

    def compose(self) -> ComposeResult:
        with Vertical(id="chart-panel"):
            yield StepChart(self.data, id="chart-full")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)


class ReportViewerScreen(WATSScreen):
    """One report, fetched by id. Pushed on top of the Reports list."""

    NAV_NAME = "reports"
    BINDINGS = [
        # Escape cancels a load (the busy bar says so) and otherwise goes back to the list.
        Binding("escape", CANCEL_ACTION, "Back", id="report-escape"),
        Binding("g", "chart", "Chart", id="report-chart"),  # c copies (every screen)
        Binding("t", "open_test", "Test report", id="report-open-test"),
        Binding("o", "open_ticket", "Open ticket", id="report-open-ticket"),
        Binding("r", "reload", "Reload", id="report-reload"),
        Binding("backspace", "back", "Back", show=False, id="report-back"),
    ]

    def __init__(self, report_id: str, header: ReportHeader | None = None) -> None:
        super().__init__()
        self.report_id = report_id
        self.header = header
        self.report: UUTReport | UURReport | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(self._placeholder(), id="report-header")
        with Horizontal(id="report-main"):
            yield StepTree(id="report-steps")
            yield Table(id="report-failures", cursor_type="row", zebra_stripes=True)
            yield StepDetail(id="report-detail")

    def _placeholder(self) -> Text:
        if self.header is None:
            return Text(f"Report {self.report_id}", style="bold")
        h = self.header
        return Text(f"{h.part_number} SN {h.serial_number} · {h.process_name} · {h.result}",
                    style="bold")  # fmt: skip

    def on_mount(self) -> None:
        self.query_one("#report-failures", DataTable).display = False
        self.query_one(StepDetail).show_step(None)
        self.action_reload()

    # ----------------------------------------------------------------- loading

    def action_reload(self) -> None:
        self.run_task(
            "report",
            lambda: self.wats.report.get_report(self.report_id),
            self.show_report,
            controls=["reload", "open_test"],
            loading="#report-main",
            description="Loading report",
        )

    def show_report(self, report: UUTReport | UURReport | None) -> None:
        header = self.query_one("#report-header", Static)
        if report is None:
            header.update(Text(f"Report {self.report_id} is not on the server (any more).",
                               style="bold red"))  # fmt: skip
            return
        self.report = report
        header.update(_header_lines(report))
        tree = self.query_one(StepTree)
        failures = self.query_one("#report-failures", DataTable)
        detail = self.query_one(StepDetail)
        if isinstance(report, UUTReport):
            tree.display, failures.display = True, False
            tree.show_report(report)
            tree.focus()
            first = tree.cursor_node
            detail.show_step(first.data if first is not None else None)
        else:
            tree.display, failures.display = False, True
            self._show_failures(report)
            failures.focus()
            detail.show_step(None)
            detail.query_one("#step-facts", Static).update(self._repair_summary(report))

    def _show_failures(self, report: UURReport) -> None:
        table = self.query_one("#report-failures", DataTable)
        table.clear(columns=True)
        table.add_column("Unit", key="unit")
        table.add_column("Failure", key="failure")
        table.add_column("Ref", key="ref")
        table.add_column("Found at step", key="step")
        units = {unit.idx: unit for unit in report.sub_units or []}
        count = 0
        for unit in report.sub_units or []:
            for failure in unit.failures or []:
                count += 1
                where = "main" if unit.idx == 0 else f"{unit.part_type or ''} {unit.idx}".strip()
                parent = units.get(unit.parent_idx)
                if parent is not None and unit.idx != 0:
                    where += f" of {parent.idx}"
                table.add_row(
                    Text(where),
                    Text(f"{failure.category} / {failure.code}", style="bold red"),
                    failure.com_ref or "",
                    _failure_step(failure.ref_step_name, failure.ref_step_id),
                    key=f"{unit.idx}-{count}",
                )
        if count == 0:
            table.add_row("", Text("No failures were recorded.", style="italic"), "", "")

    def _repair_summary(self, report: UURReport) -> Text:
        text = Text("Repair", style="bold")
        uur = report.uur
        if uur is not None:
            text.append(f"\nConfirmed {_when(uur.confirm_date)}", style="dim")
            if isinstance(uur.exec_time, int | float):
                text.append(f"\nRepair time {uur.exec_time / 60:.0f} min", style="dim")
            if uur.ref_uut:
                text.append("\nt opens the test report it repairs", style="cyan")
        for unit in report.sub_units or []:
            for failure in unit.failures or []:
                text.append(f"\n\n{failure.category} / {failure.code}", style="bold")
                if failure.com_ref:
                    text.append(f" at {failure.com_ref}")
                if failure.comment:
                    text.append(f"\n{failure.comment}", style="italic")
        files = [item.name for item in report.binary_data or [] if item.name]
        if files:
            text.append(f"\n\nAttachments: {', '.join(files)}", style="cyan")
        return text

    # ----------------------------------------------------------------- the tree

    @on(Tree.NodeHighlighted, "#report-steps")
    def _step_highlighted(self, event: Tree.NodeHighlighted[Step]) -> None:
        self.query_one(StepDetail).show_step(event.node.data)
        self.refresh_bindings()  # "c Chart" is offered only on charted steps

    @property
    def current_step(self) -> Step | None:
        node = self.query_one(StepTree).cursor_node
        return node.data if node is not None else None

    def action_chart(self) -> None:
        step = self.current_step
        if step is None or step.chart is None:
            self.notify("The highlighted step has no chart (charted steps show ⌁).", timeout=3)
            return
        self.app.push_screen(ChartScreen(chart_data(step.chart, step.name or "Chart")))

    def action_open_test(self) -> None:
        report = self.report
        if not isinstance(report, UURReport) or report.uur is None or not report.uur.ref_uut:
            self.notify("This is not a repair of a test report.", timeout=3)
            return
        self.app.push_screen(ReportViewerScreen(report.uur.ref_uut))

    def action_open_ticket(self) -> None:
        """A root-cause ticket for the failure on screen, linked to this report."""
        from tui.widgets.ticket_views import open_ticket_for_report

        open_ticket_for_report(self, self.report_id, self.report)

    def show_serial_number(self, serial_number: str, part_number: str | None = None) -> None:
        """Asked for a unit's history while a report is open: back to the list, filtered."""
        stack = self.app.screen_stack
        base = stack[0]
        while len(self.app.screen_stack) > 1 and self.app.screen is not base:
            self.app.pop_screen()
        show = getattr(base, "show_unit_history", None)
        if callable(show):
            show(serial_number, part_number)

    # ----------------------------------------------------------------- leaving

    def action_back(self) -> None:
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == CANCEL_ACTION:
            return True  # Escape cancels a load, or goes back when nothing loads
        if action == "chart":
            step = self.current_step if self.report is not None else None
            if step is None or step.chart is None:
                return False  # offered only on a charted step
        if action == "open_test" and not isinstance(self.report, UURReport):
            return False  # only repairs refer to a test report
        return super().check_action(action, parameters)

    def action_cancel_tasks(self) -> None:
        if self.cancel_all_tasks():
            self.notify("Cancelled loading the report.", timeout=3)
        else:
            self.action_back()
