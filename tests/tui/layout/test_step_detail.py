"""The step detail shows every value of a multi-value step with its unit, and its limits, at
80 columns (issue 17, layout): a four-column table cut them to ``CH0  2499.…  2490 ≤ x ≤  ✓``."""

from __future__ import annotations

from pywats import AsyncWATS, UUTBuilder
from pywats.domains.report import UUTReport
from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import idle, showing
from tests.tui.conftest import ShellAppFactory, Until
from tui.app import WATSApp
from tui.screens.dashboard import DashboardScreen
from tui.screens.report_viewer import ReportViewerScreen
from tui.widgets.step_detail import StepDetail
from tui.widgets.step_tree import StepTree

CHANNELS = [("CH0 reference", 2499.35, 2490.0, 2510.0), ("CH1", 1250.125, 1240.0, 1260.0),
            ("CH2 supply rail", 4999.875, 4950.0, 5050.0)]  # fmt: skip


def rails_report() -> UUTReport:
    report = UUTBuilder(part_number="PCB-1001", revision="A", serial_number="LAYOUT-001",
                        process_code=100, station="ICT-01", location="Line 1",
                        purpose="Production", operator="ola")  # fmt: skip
    with report.sequence("Power") as power:
        rails = power.multi_numeric("Rails")
        for name, value, low, high in CHANNELS:
            rails.measure(name, value, "mV", low=low, high=high)
    return report.build()


def lines(app: WATSApp) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def test_multi_value_rows_keep_their_values_units_and_limits_at_80_columns(
    shell_app: ShellAppFactory, emulator: InProcessEmulator, until: Until
) -> None:
    report = rails_report()
    async with AsyncWATS(emulator.base_url, emulator.token, transport=emulator.transport()) as w:
        report_id = await w.report.submit(report)
    step = next(step for _, step in report.walk() if step.name == "Rails")
    assert step.id is not None
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, DashboardScreen), what="dashboard")
        await idle(pilot)
        app.push_screen(ReportViewerScreen(str(report_id)))
        await until(pilot, lambda: showing(app, ReportViewerScreen), what="viewer")
        await idle(pilot)
        tree = app.screen.query_one(StepTree)
        node = tree.find_step(step.id)
        assert node is not None
        tree.select_step(node)
        await idle(pilot)
        detail = app.screen.query_one(StepDetail).region
        assert detail.width <= 45  # the narrow pane of an 80-column terminal
        shown = "\n".join(line[detail.x : detail.right] for line in lines(app))
        for name, value, low, high in CHANNELS:
            assert f"{value:.6g} mV" in shown, f"{name}: value or unit cut\n{shown}"
            assert f"{low:.6g} ≤ x ≤ {high:.6g} mV" in shown, f"{name}: limits cut\n{shown}"
            assert name in shown
