"""The Reports screen and report viewer, driven with Pilot against the seeded emulator
(acceptance 5): filter headers, open a failed report, jump to the failing step, open a chart.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from rich.console import Console
from textual.widgets import DataTable, Input, Static

from pywats import AsyncWATS
from pywats.emulator.testing import InProcessEmulator
from tests.domains.report.sample_reports import repair_of, station_report
from tests.support.tui import go_to, settle
from tui.app import WATSApp
from tui.screens.report_viewer import ChartScreen, ReportViewerScreen
from tui.screens.reports import ReportsScreen, open_unit_history
from tui.widgets.step_chart import StepChart
from tui.widgets.step_tree import StepTree

AppFactory = Callable[..., WATSApp]

# Every test opens its app on Reports, but for one that comes to it from elsewhere.
pytestmark = pytest.mark.start_screen("reports")


@pytest.fixture(autouse=True)
def utc_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times are shown in local time; pin it so rows and snapshots read the same anywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def plain(widget: Static) -> str:
    """What a Static shows, as plain text (it may hold a Rich Group or Table)."""
    console = Console(width=max(widget.size.width, 40), file=io.StringIO(), color_system=None)
    with console.capture() as captured:
        console.print(widget.content)
    return captured.get()


def rows(screen: ReportsScreen) -> list[tuple[str, ...]]:
    table = screen.query_one("#reports-table", DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


async def submit(emulator: InProcessEmulator, *reports: Any) -> None:
    async with AsyncWATS(emulator.base_url, emulator.token, transport=emulator.transport()) as w:
        for report in reports:
            await w.report.submit(report)


async def open_reports(pilot: Any) -> ReportsScreen:
    await go_to(pilot, "5")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportsScreen)
    return screen


async def test_list_shows_newest_reports_a_page_at_a_time(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot)
        first_page = rows(screen)
        assert len(first_page) == 50
        starts = [header.start for header in screen.rows.values()]  # the list spans new year
        assert all(starts) and starts == sorted(starts, reverse=True)  # type: ignore[type-var]
        assert "page 1" in plain(screen.query_one("#reports-page", Static))
        await pilot.press("n")
        await settle(pilot)
        assert screen.page == 1 and rows(screen) != first_page
        await pilot.press("p")
        await settle(pilot)
        assert rows(screen) == first_page


async def test_filter_headers(make_app: AppFactory, emulator: InProcessEmulator) -> None:
    expected = emulator.store.scalar("SELECT COUNT(*) FROM report WHERE serial_number = 'MB-00001'")
    station = emulator.store.scalar(
        "SELECT station_name FROM report WHERE part_number = 'PCB-1001' AND result = 'F'"
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot)
        await pilot.press("slash", "tab")  # part number, then serial number
        await pilot.press(*"MB-00001", "enter")
        await settle(pilot)
        found = rows(screen)
        assert len(found) == expected > 1
        assert {r[1] for r in found} == {"MB-00001"}

        await pilot.press("slash")
        await pilot.press(*"PCB-1001")
        screen.query_one("#reports-serial", Input).value = ""
        screen.query_one("#reports-station", Input).value = station
        screen.query_one("#reports-result").value = "Failed"  # type: ignore[attr-defined]
        await settle(pilot, 0.6)
        failed = rows(screen)
        assert failed and all(r[2] == "PCB-1001" and r[4] == station for r in failed)
        assert all("Failed" in r[5] for r in failed)


async def test_bad_date_is_refused_and_kept(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot)
        before, listed = emulator.traffic.count, rows(screen)
        screen.query_one("#reports-from", Input).value = "2025-13-01"
        await settle(pilot, 0.6)
        problem = plain(screen.query_one("#reports-problem", Static))
        assert "From" in problem and "YYYY-MM-DD" in problem
        assert screen.query_one("#reports-from", Input).value == "2025-13-01"
        assert screen.query_one("#reports-from", Input).has_class("-invalid")
        assert emulator.traffic.count == before and rows(screen) == listed
        screen.query_one("#reports-from", Input).value = "2025-12-01"
        await settle(pilot, 0.6)
        assert not screen.query_one("#reports-problem", Static).has_class("-shown")
        since = datetime(2025, 12, 1, tzinfo=UTC)
        listed = [header.start for header in screen.rows.values()]
        assert listed and all(start is not None and start >= since for start in listed)


async def test_open_failed_report_and_jump_to_failing_step(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot)
        screen.set_filters(result="Failed", part_number="PCB-1001")
        await settle(pilot)
        header = screen.current_header
        assert header is not None and header.failed
        await pilot.press("enter")
        await settle(pilot)
        viewer = app.screen
        assert isinstance(viewer, ReportViewerScreen)
        title = plain(viewer.query_one("#report-header", Static))
        assert "✗ Failed" in title and header.serial_number in title and "Failed at:" in title

        tree = viewer.query_one(StepTree)
        await pilot.press("f")
        await pilot.pause()
        step = tree.cursor_node.data if tree.cursor_node else None
        assert step is not None and step.caused_uut_failure
        assert step.name == header.caused_uut_failure
        facts = plain(viewer.query_one("#step-facts", Static))
        assert step.name in facts and "This step failed the unit." in facts
        measures = plain(viewer.query_one("#step-measures", Static))
        assert "Failed" in measures or "✗" in measures

        await pilot.press("escape")  # nothing is loading: back to the list
        await pilot.pause()
        assert app.screen is screen


async def test_measurement_details_show_value_limits_and_unit(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    built = station_report("TUI-00001", fail=True)
    await submit(emulator, built)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot)
        screen.set_filters(serial_number="TUI-00001")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        detail = plain(app.screen.query_one("#step-measures", Static))
        assert "3.52 V" in detail
        assert "3.135 ≤ x ≤ 3.465 V" in detail and "(GELE)" in detail
        assert "✗ Failed" in detail


async def test_open_chart_step(make_app: AppFactory, emulator: InProcessEmulator) -> None:
    built = station_report("TUI-00002")
    await submit(emulator, built)
    chart_step = next(step for _, step in built.walk() if step.chart is not None)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot)
        screen.set_filters(serial_number="TUI-00002")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        viewer = app.screen
        tree = viewer.query_one(StepTree)
        assert chart_step.id is not None
        node = tree.find_step(chart_step.id)
        assert node is not None
        tree.select_step(node)
        await pilot.pause()
        inline = viewer.query_one("#step-chart", StepChart)
        assert inline.display and inline.data is not None
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, ChartScreen)
        full = app.screen.query_one(StepChart)
        assert full.data is not None and full.data.title == "Output ripple"
        assert [line.name for line in full.data.lines] == ["Out"]
        drawn = full.render().plain
        assert "Out" in drawn and any("\u2801" <= ch <= "\u28ff" for ch in drawn)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is viewer


async def test_repair_report_shows_failures_and_opens_the_test(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    uut = station_report("TUI-00003", fail=True)
    uur = repair_of(uut)
    await submit(emulator, uut, uur)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot)
        screen.set_filters(serial_number="TUI-00003")
        await settle(pilot)
        assert rows(screen)[0][5].startswith("⚒")  # newest first: the repair
        await pilot.press("enter")
        await settle(pilot)
        viewer = app.screen
        assert isinstance(viewer, ReportViewerScreen)
        failures = viewer.query_one("#report-failures", DataTable)
        row = [str(cell) for cell in failures.get_row_at(0)]
        assert row[1] == "Component / Damaged component" and row[2] == "U3"
        assert row[3] == "VCC 3V3"
        await pilot.press("t")
        await settle(pilot)
        test_viewer = app.screen
        assert isinstance(test_viewer, ReportViewerScreen) and test_viewer.report_id == uut.id


@pytest.mark.start_screen(None)  # from the home screen, the dashboard
async def test_unit_history_opens_from_elsewhere(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        open_unit_history(app, "SY-00001", "SYS-9000")  # from the home screen
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        found = rows(screen)
        assert found and {(r[1], r[2]) for r in found} == {("SY-00001", "SYS-9000")}
        assert screen.query_one("#reports-serial", Input).value == "SY-00001"

        await pilot.press("enter")  # a report is open when the next unit is asked for
        await settle(pilot)
        assert isinstance(app.screen, ReportViewerScreen)
        await pilot.press("1")
        open_unit_history(app, "MB-00002")
        await settle(pilot)
        assert app.screen is screen
        assert {r[1] for r in rows(screen)} == {"MB-00002"}


# --- 80x24 snapshots -------------------------------------------------------------------------


def test_reports_list_snapshot(make_app: AppFactory, snap_compare: Any) -> None:
    async def failed_reports(pilot: Any) -> None:
        screen = await open_reports(pilot)
        screen.set_filters(result="Failed")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=failed_reports)


def test_report_viewer_snapshot(make_app: AppFactory, snap_compare: Any) -> None:
    async def failing_step(pilot: Any) -> None:
        screen = await open_reports(pilot)
        screen.set_filters(result="Failed", part_number="PCB-1001")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=failing_step)


def test_chart_snapshot(make_app: AppFactory, snap_compare: Any, emulator: Any) -> None:
    async def chart(pilot: Any) -> None:
        await submit(emulator, station_report("TUI-00004"))
        screen = await open_reports(pilot)
        screen.set_filters(serial_number="TUI-00004")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        tree = pilot.app.screen.query_one(StepTree)
        node = next(n for n in tree._pre_order() if n.data is not None and n.data.chart)
        tree.select_step(node)
        await pilot.press("g")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=chart)


async def test_the_list_has_the_keyboard_and_enter_opens_a_report(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reports(pilot)
        assert isinstance(app.focused, DataTable)  # not the first filter field
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReportViewerScreen)
