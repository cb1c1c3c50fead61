"""The worker pattern (acceptance 1), on the real dashboard and connection screen with the
emulator's latency and error injection, plus its finer guarantees on a small test screen."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Static
from textual.worker import WorkerState

from pywats.emulator.testing import InProcessEmulator
from pywats.errors import WATSNotFoundError
from tests.support.tui import showing, status_text
from tests.tui.conftest import Until
from tui.app import WATSApp
from tui.screens.connection import ConnectionScreen
from tui.screens.dashboard import DashboardScreen
from tui.workers import BusyBar, WorkerScreen

ShellAppFactory = Callable[..., WATSApp]

PROCESSES = "/api/App/Processes"
# Long enough that the test acts while the load is still running, even on a busy machine.
LATENCY = 1.0
VERSION = "/api/App/Version"


def dashboard_of(app: App[None]) -> DashboardScreen:
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


def binding_enabled(screen: WorkerScreen, key: str) -> bool:
    return screen.active_bindings[key].enabled


async def test_loading_indicator_and_disabled_reload_while_loading(
    shell_app: ShellAppFactory, emulator: InProcessEmulator, until: Until
) -> None:
    emulator.faults.update(latency=LATENCY)
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, DashboardScreen))
        dash = dashboard_of(app)
        await until(pilot, lambda: dash.task_running("load"))
        for table in dash.query(DataTable):
            assert table.loading, f"{table.id} shows no loading indicator"
        bar = dash.query_one(BusyBar)
        assert bar.display and "Esc to cancel" in str(bar.content)
        assert "Loading dashboard" in str(bar.content)
        # The reload binding is greyed out (None), Escape (cancel) is offered.
        assert dash.check_action("reload", ()) is None
        assert not binding_enabled(dash, "r")
        assert binding_enabled(dash, "escape")

        await until(pilot, lambda: not dash.task_running("load"), what="load to finish")
        await pilot.pause()
        assert not any(table.loading for table in dash.query(DataTable))
        assert not bar.display
        assert binding_enabled(dash, "r")
        assert dash.query_one("#dash-processes", DataTable).row_count > 0


async def test_starting_the_same_load_twice_runs_it_once(
    shell_app: ShellAppFactory, emulator: InProcessEmulator, until: Until
) -> None:
    emulator.faults.update(latency=LATENCY)
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, DashboardScreen))
        dash = dashboard_of(app)
        await until(pilot, lambda: dash.task_running("load"))
        await pilot.press("r", "r", "f5")
        dash.action_reload()  # also straight through the action, as the palette would
        assert dash.task_running("load"), "the first load ended before the test could repeat it"
        await until(pilot, lambda: not dash.task_running("load"))
        await app.workers.wait_for_complete()
        assert emulator.traffic.count_for("GET", PROCESSES) == 1


async def test_escape_cancels_reenables_and_the_late_answer_is_dropped(
    shell_app: ShellAppFactory, emulator: InProcessEmulator, until: Until
) -> None:
    emulator.faults.update(latency=LATENCY)
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, DashboardScreen))
        dash = dashboard_of(app)
        await until(pilot, lambda: dash.task_running("load"))
        worker = next(w for w in app.workers if w.node is dash and w.group == "load")

        await pilot.press("escape")
        await pilot.pause()
        assert not dash.task_running("load")
        assert dash.check_action("reload", ()) is True
        assert binding_enabled(dash, "r")
        assert not any(table.loading for table in dash.query(DataTable))
        assert not dash.query_one(BusyBar).display
        await until(pilot, lambda: worker.state is WorkerState.CANCELLED)
        assert any("Cancelled" in n.message for n in app._notifications)

        # Longer than the injected latency: a cancelled load must never fill the tables.
        await pilot.pause(LATENCY + 0.2)
        assert dash.query_one("#dash-processes", DataTable).row_count == 0

        emulator.faults.reset()
        await pilot.press("r")  # and the screen still works
        await until(pilot, lambda: dash.query_one("#dash-processes", DataTable).row_count > 0)


async def test_leaving_the_screen_cancels_its_worker(
    shell_app: ShellAppFactory, emulator: InProcessEmulator, until: Until
) -> None:
    emulator.faults.update(latency=LATENCY)
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, DashboardScreen))
        dash = dashboard_of(app)
        await until(pilot, lambda: dash.task_running("load"))
        worker = next(w for w in app.workers if w.node is dash and w.group == "load")

        await pilot.press("f2")  # to the connection screen
        await until(pilot, lambda: showing(app, ConnectionScreen))
        await until(pilot, lambda: worker.state is WorkerState.CANCELLED)
        assert not dash.task_running("load")
        await pilot.pause(LATENCY + 0.2)
        assert dash.query_one("#dash-processes", DataTable).row_count == 0

        # Coming back finishes the job the user walked away from.
        emulator.faults.reset()
        await pilot.press("escape", "escape")  # out of the URL field, then back
        await until(pilot, lambda: dash.query_one("#dash-processes", DataTable).row_count > 0)


async def test_a_modal_on_top_does_not_cancel(
    shell_app: ShellAppFactory, emulator: InProcessEmulator, until: Until
) -> None:
    emulator.faults.update(latency=LATENCY)
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, DashboardScreen))
        dash = dashboard_of(app)
        await until(pilot, lambda: dash.task_running("load"))
        await pilot.press("f1")  # help is a modal: the load goes on underneath
        assert dash.task_running("load")
        await until(pilot, lambda: dash.query_one("#dash-processes", DataTable).row_count > 0)


async def test_injected_500_becomes_a_notification_and_the_app_keeps_running(
    shell_app: ShellAppFactory, emulator: InProcessEmulator, until: Until
) -> None:
    emulator.faults.update(error_rate=1.0, error_status=500)
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, DashboardScreen))
        await until(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        error = next(n for n in app._notifications if n.severity == "error")
        assert error.title == "Server error (500)"
        assert "Try again" in error.message
        dash = dashboard_of(app)
        assert app.is_running and not dash.task_running("load")
        assert app.connection_state == "server error"

        emulator.faults.reset()  # the server recovers; the same screen loads fine
        await pilot.press("r")
        await until(pilot, lambda: dash.query_one("#dash-processes", DataTable).row_count > 0)
        assert app.connection_state == "connected"


async def test_connection_test_button_and_binding_disabled_and_cancellable(
    shell_app: ShellAppFactory, emulator: InProcessEmulator, until: Until
) -> None:
    app = shell_app(url=None, token=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(app, ConnectionScreen))
        screen = app.screen
        assert isinstance(screen, ConnectionScreen)
        screen.query_one("#url", Input).value = emulator.base_url
        screen.query_one("#token", Input).value = emulator.token
        emulator.faults.update(latency=LATENCY)

        await pilot.press("ctrl+t")
        await until(pilot, lambda: screen.task_running("connect"))
        assert screen.query_one("#test", Button).disabled
        assert screen.query_one("#save", Button).disabled
        assert screen.query_one("#url", Input).disabled
        assert screen.check_action("test", ()) is None
        assert not binding_enabled(screen, "ctrl+t")
        await pilot.press("ctrl+t", "ctrl+s")  # refused while running

        await pilot.press("escape")
        await pilot.pause()
        assert not screen.task_running("connect")
        assert not screen.query_one("#test", Button).disabled
        assert not screen.query_one("#url", Input).disabled
        assert binding_enabled(screen, "ctrl+t")
        assert "cancelled" in status_text(screen)
        await pilot.pause(LATENCY + 0.2)
        assert emulator.traffic.count_for("GET", VERSION) == 1
        assert "cancelled" in status_text(screen)


# --------------------------------------------------------------------- the pattern itself


class Probe(WorkerScreen):
    """A screen with one button-and-key operation whose work the test controls."""

    BINDINGS = [Binding("g", "go", "Go")]

    def __init__(self) -> None:
        super().__init__()
        self.gates: list[asyncio.Event] = []
        self.shown: list[Any] = []
        self.errors: list[Exception] = []
        self.started = 0
        self.failure: Exception | None = None

    def compose(self) -> ComposeResult:
        yield Button("Go", id="go", action="screen.go")
        yield Static(id="out")
        yield from self.compose_busy_bar()

    async def work(self, value: object) -> object:
        self.started += 1
        gate = asyncio.Event()
        self.gates.append(gate)
        await gate.wait()
        if self.failure is not None:
            raise self.failure
        return value

    def action_go(self, value: object = "result", supersede: bool = False) -> None:
        self.run_task(
            "go",
            lambda: self.work(value),
            self.shown.append,
            controls=["go"],
            loading="#out",
            supersede=supersede,
            description="Going",
        )


class ProbeApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Probe())


async def test_superseded_worker_never_updates_the_screen(until: Until) -> None:
    app = ProbeApp()
    async with app.run_test() as pilot:
        probe = app.screen
        assert isinstance(probe, Probe)
        probe.action_go("old")
        await until(pilot, lambda: probe.started == 1)
        probe.action_go("new", supersede=True)
        await until(pilot, lambda: probe.started == 2)
        probe.gates[1].set()
        await until(pilot, lambda: probe.shown == ["new"])
        probe.gates[0].set()  # the old one would answer now, if it were still alive
        await pilot.pause(0.05)
        assert probe.shown == ["new"]
        assert not probe.task_running("go")
        assert not probe.query_one("#go", Button).disabled


async def test_button_disabled_and_error_notified_then_usable(until: Until) -> None:
    app = ProbeApp()
    async with app.run_test() as pilot:
        probe = app.screen
        assert isinstance(probe, Probe)
        probe.failure = WATSNotFoundError(
            status_code=404, method="GET", path="/api/x", server_message="no unit [b]SN1[/b]"
        )
        await pilot.press("g")
        await until(pilot, lambda: probe.started == 1)
        assert probe.query_one("#go", Button).disabled
        assert probe.query_one("#out", Static).loading
        await pilot.click("#go")  # disabled: nothing starts
        await pilot.press("g")
        assert probe.started == 1
        probe.gates[0].set()
        await until(pilot, lambda: not probe.task_running("go"))
        await pilot.pause()
        note = list(app._notifications)[-1]
        assert (note.title, note.severity) == ("Not found", "error")
        assert "no unit [b]SN1[/b]" in note.message and not note.markup  # shown as sent
        assert not probe.query_one("#go", Button).disabled
        assert not probe.query_one("#out", Static).loading

        probe.failure = None
        await pilot.press("g")
        await until(pilot, lambda: probe.started == 2)
        probe.gates[1].set()
        await until(pilot, lambda: probe.shown == ["result"])


async def test_periodic_refresh_never_overlaps_and_pauses_when_left(until: Until) -> None:
    app = ProbeApp()
    async with app.run_test() as pilot:
        probe = app.screen
        assert isinstance(probe, Probe)
        probe.refresh_every(0.02, probe.action_go)
        await until(pilot, lambda: probe.started == 1)
        await pilot.pause(0.2)  # ten ticks while the first refresh is still running
        assert probe.started == 1
        probe.gates[0].set()
        await until(pilot, lambda: probe.started == 2)

        app.push_screen(Probe())  # leaving: the refresh stops and its run is cancelled
        await pilot.pause(0.1)
        assert not probe.task_running("go")
        started = probe.started
        await pilot.pause(0.2)
        assert probe.started == started


class Dialog(ModalScreen[None]):
    pass


class TwoModesApp(App[None]):
    MODES = {"a": Probe, "b": Probe}

    def on_mount(self) -> None:
        self.switch_mode("b")
        self.push_screen(Dialog())  # mode b is topped by a modal
        self.switch_mode("a")


async def test_switching_to_a_mode_topped_by_a_modal_still_cancels(until: Until) -> None:
    app = TwoModesApp()
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.current_mode == "a" and isinstance(app.screen, Probe))
        probe = app.screen
        assert isinstance(probe, Probe)
        probe.action_go()
        await until(pilot, lambda: probe.started == 1)
        app.switch_mode("b")
        await until(pilot, lambda: showing(app, Dialog))
        await until(pilot, lambda: not probe.task_running("go"))
