"""The Units screen as a technician's scan station (issue 17): scanner-safe look-ups, failures
in place of stale units, the unit card's last test and history, the failed report at its step,
and look-ups whose requests run concurrently.

A scan is what a barcode scanner types: the characters back to back, then Enter
(``pilot.press(*serial, "enter")``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx2
import pytest
from textual.widgets import Input, OptionList

from pywats import AsyncWATS
from pywats.domains.production import UnitPhaseFlag
from pywats.domains.report import UUTReport
from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import go_to, idle
from tui.app import WATSApp
from tui.screens.report_viewer import ReportViewerScreen
from tui.screens.units import UnitsScreen
from tui.widgets.step_tree import StepTree
from tui.widgets.unit_views import AssemblyTree, HistoryTable, UnitCard, header_when

from .conftest import FailedUnit, UnitsAppFactory


@pytest.fixture
def start_screen() -> str:
    return "units"


async def open_units(pilot: Any) -> UnitsScreen:
    await go_to(pilot, "3")
    await idle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, UnitsScreen)
    return screen


async def scan(pilot: Any, serial: str, *, enters: int = 1) -> None:
    await pilot.press(*serial, *(["enter"] * enters))
    await idle(pilot)


def card(screen: UnitsScreen) -> str:
    return screen.query_one(UnitCard).plain


def filled_inputs(screen: UnitsScreen) -> list[str]:
    """Every text field on the screen that holds text, the scan field aside."""
    return [str(i.id) for i in screen.query(Input) if i.value and i.id != "unit-serial"]


def history_keys(screen: UnitsScreen) -> list[str]:
    table = screen.query_one(HistoryTable)
    return [str(row.key.value) for row in table.ordered_rows]


def shows_no_unit(screen: UnitsScreen) -> bool:
    tree = screen.query_one(AssemblyTree)
    return screen.view is None and tree.root.data is None and not tree.root.children


async def headers_of(emulator: InProcessEmulator, serial: str) -> list[Any]:
    async with AsyncWATS(**emulator.sdk_kwargs()) as wats:
        return await wats.report.get_headers_by_serial(serial)


# ----------------------------------------------------------------- scanner-safe look-up


async def test_the_scan_field_keeps_focus_after_success_failure_and_a_server_down(
    units_app: UnitsAppFactory, emulator: InProcessEmulator, failed_unit: FailedUnit
) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        field = screen.scan_field
        assert field.has_focus  # the home widget, when the screen opens
        await scan(pilot, "SY-00001")  # Enter submits
        assert screen.view is not None and screen.view.unit.serial_number == "SY-00001"
        assert field.has_focus and field.value == ""
        await scan(pilot, "NOSUCH-9")
        assert screen.view is None and field.has_focus
        emulator.faults.update(error_rate=1.0, error_status=503)
        await scan(pilot, failed_unit.serial_number)
        emulator.faults.reset()
        assert screen.view is None and field.has_focus
        assert filled_inputs(screen) == []


async def test_the_scan_after_an_unknown_serial_opens_that_unit(
    units_app: UnitsAppFactory, failed_unit: FailedUnit
) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        await scan(pilot, "NOSUCH-9")
        await scan(pilot, failed_unit.serial_number)
        assert screen.view is not None
        assert (screen.view.unit.serial_number, screen.view.unit.part_number) == (
            failed_unit.serial_number,
            failed_unit.part_number,
        )
        assert failed_unit.serial_number in card(screen) and "NOSUCH" not in card(screen)
        # Nothing of the failed scan stays filled for the scans after it.
        assert filled_inputs(screen) == []
        await scan(pilot, "SY-00001")
        assert screen.view is not None and screen.view.unit.serial_number == "SY-00001"


async def test_a_fast_scan_never_acts_as_commands(
    units_app: UnitsAppFactory, emulator: InProcessEmulator
) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        # A scanner that ends with CR LF: two Enters. The second must not move the focus to
        # where the letters and digits of the next scan are commands.
        await scan(pilot, "CM-00001", enters=2)
        # Digits switch screens, p opens the phase picker, x removes a child, h opens the
        # history... as commands. As a scan they are a serial number.
        await scan(pilot, "PS-00001")
        await scan(pilot, "phx-0a9", enters=2)
        await scan(pilot, "PS-00002")
        assert app.current_mode == "units" and app.screen is screen
        assert screen.view is not None and screen.view.unit.serial_number == "PS-00002"
        assert screen.scan_field.has_focus
        assert emulator.store.scalar(
            "SELECT unit_phase_id FROM production_unit WHERE serial_number = 'CM-00001'"
        ) == int(UnitPhaseFlag.FINALIZED)


@pytest.mark.usefixtures("shared_serial")
async def test_an_ambiguous_serial_asks_for_the_part_number_in_a_chooser(
    units_app: UnitsAppFactory, emulator: InProcessEmulator
) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        await scan(pilot, "MB-00001")
        choices = screen.query_one("#unit-choices", OptionList)
        assert choices.display and choices.option_count == 2
        offered = [str(choices.get_option_at_index(i).id) for i in range(2)]
        assert sorted(offered) == ["PCB-1001", "PCB-1002"]
        assert screen.view is None and screen.scan_field.has_focus
        # A stray Enter (the scanner's LF) opens nothing: nothing is highlighted yet.
        await pilot.press("enter")
        await idle(pilot)
        assert screen.view is None
        # ↓ from the scan field moves in the chooser; Enter opens the highlighted unit.
        await pilot.press("down", "enter")
        await idle(pilot)
        assert screen.view is not None and screen.view.unit.serial_number == "MB-00001"
        picked = screen.view.unit.part_number
        assert picked == offered[0]  # the first one down
        assert not choices.display and screen.scan_field.has_focus
        assert {h.part_number for h in screen.view.history} == {picked}
        # The next scan is a plain look-up: no part number kept from the choice.
        await scan(pilot, "SY-00001")
        assert screen.view is not None and screen.view.unit.serial_number == "SY-00001"
        assert filled_inputs(screen) == []


@pytest.mark.usefixtures("shared_serial")
async def test_a_scan_while_the_chooser_is_open_is_the_next_look_up(
    units_app: UnitsAppFactory, failed_unit: FailedUnit
) -> None:
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        await scan(pilot, "MB-00001")
        assert screen.query_one("#unit-choices", OptionList).display
        await scan(pilot, failed_unit.serial_number)  # never swallowed as a part number
        assert screen.view is not None
        assert (screen.view.unit.serial_number, screen.view.unit.part_number) == (
            failed_unit.serial_number,
            failed_unit.part_number,
        )
        assert not screen.query_one("#unit-choices", OptionList).display


# ----------------------------------------------------------------- failures in place


async def test_an_unknown_serial_clears_the_previous_unit(
    units_app: UnitsAppFactory, failed_unit: FailedUnit
) -> None:
    serial = failed_unit.serial_number
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        await scan(pilot, serial)
        assert serial in card(screen) and "Last test" in card(screen) and history_keys(screen)
        await scan(pilot, "NOSUCH-9")
        text = card(screen)
        assert "NOSUCH-9 not found" in text
        assert serial not in text and "Last test" not in text
        assert shows_no_unit(screen)
        assert not any(key for key in history_keys(screen) if not key.startswith("row-"))


async def test_a_server_down_clears_the_previous_unit_and_says_so_in_the_card(
    units_app: UnitsAppFactory, emulator: InProcessEmulator, failed_unit: FailedUnit
) -> None:
    serial = failed_unit.serial_number
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        await scan(pilot, serial)
        assert serial in card(screen) and "Last test" in card(screen)
        emulator.faults.update(error_rate=1.0, error_status=503)
        await scan(pilot, "SY-00001")
        emulator.faults.reset()
        text = card(screen)
        assert "Could not look up SY-00001" in text
        assert serial not in text and "Last test" not in text
        assert shows_no_unit(screen)
        assert history_keys(screen) == []


# ----------------------------------------------------------------- the card


async def test_the_card_shows_the_last_test_with_date_station_and_process(
    units_app: UnitsAppFactory, emulator: InProcessEmulator, failed_unit: FailedUnit
) -> None:
    serial = failed_unit.serial_number
    [last, *_] = [h for h in await headers_of(emulator, serial) if not h.is_repair]
    assert last.uuid == failed_unit.report.uuid
    app = units_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_units(pilot)
        await scan(pilot, serial)
        text = " ".join(card(screen).split())
        assert f"Last test ✗ {last.result}" in text
        assert f"When {header_when(last.start)}" in text
        assert f"Station {last.station_name}" in text
        assert f"Test {last.process_name}" in text
        step = last.caused_uut_failure_path.split("/")[-1]
        assert step in text


async def test_the_history_lists_the_units_reports_newest_first(
    units_app: UnitsAppFactory, emulator: InProcessEmulator
) -> None:
    headers = await headers_of(emulator, "SY-00001")
    assert len(headers) >= 2
    newest_first = sorted(headers, key=lambda h: h.start, reverse=True)
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        await scan(pilot, "SY-00001")
        assert history_keys(screen) == [h.uuid for h in newest_first]


async def test_f3_opens_the_latest_failed_report_at_its_failing_step(
    units_app: UnitsAppFactory, emulator: InProcessEmulator, failed_unit: FailedUnit
) -> None:
    serial = failed_unit.serial_number
    failed = [h for h in await headers_of(emulator, serial) if h.failed and not h.is_repair]
    latest = max(failed, key=lambda h: h.start)
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        await scan(pilot, serial)
        assert screen.scan_field.has_focus
        await pilot.press("f3")  # from the scan field: an F-key is never part of a scan
        await idle(pilot)
        viewer = app.screen
        assert isinstance(viewer, ReportViewerScreen) and viewer.report_id == latest.uuid
        assert isinstance(viewer.report, UUTReport)
        node = viewer.query_one(StepTree).cursor_node
        assert node is not None and node.data is not None
        assert node.data.name == latest.caused_uut_failure_path.split("/")[-1]
        assert node.data.caused_uut_failure


async def test_a_unit_without_a_failed_test_offers_no_failed_report_or_repair(
    units_app: UnitsAppFactory, emulator: InProcessEmulator, passing_unit: str
) -> None:
    headers = await headers_of(emulator, passing_unit)
    assert len(headers) == 2 and not any(h.failed for h in headers)
    app = units_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        await scan(pilot, passing_unit)
        assert "✓ Passed" in card(screen)
        assert screen.check_action("open_failed", ()) is False
        assert screen.check_action("repair", ()) is False
        await pilot.press("f3", "f4")
        await idle(pilot)
        assert app.screen is screen


# ----------------------------------------------------------------- concurrency


class RecordingTransport(httpx2.AsyncBaseTransport):
    """Passes requests on and records when each /api/ request started and ended."""

    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self.inner = inner
        self.spans: list[tuple[str, float, float]] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        start = time.monotonic()
        response = await self.inner.handle_async_request(request)
        await response.aread()
        self.spans.append((request.url.path, start, time.monotonic()))
        return response

    def rounds(self) -> int:
        """The longest chain of requests each sent after the one before it had answered:
        how many round trips in a row the work took."""
        spans = sorted(self.spans, key=lambda span: span[1])
        depth: list[int] = []
        for index, (_, start, _end) in enumerate(spans):
            before = [depth[j] for j in range(index) if spans[j][2] <= start]
            depth.append(1 + max(before, default=0))
        return max(depth, default=0)


async def test_a_lookup_runs_its_requests_concurrently(
    emulator: InProcessEmulator, tmp_path: Path, passing_unit: str
) -> None:
    recorder = RecordingTransport(emulator.transport())

    def client(url: str, token: str, *, max_retries: int | None = None) -> AsyncWATS:
        return AsyncWATS(url, token, transport=recorder, max_retries=0)

    app = WATSApp(
        url=emulator.base_url,
        token=emulator.token,
        config_path=tmp_path / "pywats.toml",
        client_factory=client,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_units(pilot)
        # Every request takes a while, so requests sent together overlap for sure.
        emulator.faults.update(latency=0.05)
        recorder.spans.clear()
        await scan(pilot, passing_unit)  # a board: nothing built into it
        assert screen.view is not None and screen.view.unit.serial_number == passing_unit
        assert not screen.view.unit.sub_units
        paths = [path for path, _, _ in recorder.spans]
        assert any(p.startswith("/api/Report/Query/Header") for p in paths)
        assert any(p.startswith("/api/App/Processes") for p in paths)
        assert any(p.startswith("/api/Production/Unit/") for p in paths)
        assert any(p.startswith("/api/Production/UnitVerification") for p in paths)
        # The history (which also names the part number) and the process names together,
        # then the unit and its grade together: two round trips, not one per request.
        assert recorder.rounds() == 2, recorder.spans

        # An assembly: the SDK reads each level of the tree at once; the look-up adds only
        # the history's round trip in front of it.
        recorder.spans.clear()
        async with AsyncWATS(emulator.base_url, emulator.token, transport=recorder) as wats:
            await wats.production.get_assembly_tree("SY-00001", "SYS-9000")
        tree_rounds = recorder.rounds()
        recorder.spans.clear()
        await scan(pilot, "SY-00001")
        emulator.faults.reset()
        assert screen.view is not None and screen.view.unit.serial_number == "SY-00001"
        assert recorder.rounds() == tree_rounds + 1, recorder.spans
