"""``pywats-tui --demo`` (acceptance 4): a real emulator child process with factory data, the
dashboard filled from it, and nothing left running afterwards.

The first demo of a day seeds the factory (seconds) and caches it; later runs reuse the cache.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
import uuid
from pathlib import Path

from textual.widgets import DataTable

from tests.support.tui import showing
from tests.tui.conftest import Until
from tui.app import WATSApp
from tui.demo import DemoServer
from tui.screens.connection import ConnectionScreen
from tui.screens.dashboard import DashboardScreen

FIRST_START_TIMEOUT = 180.0  # a cold cache seeds a whole factory on a shared 2-core machine


def processes_with_marker(marker: str) -> list[int]:
    """PIDs of live processes whose environment carries ``marker`` (ours and our children)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if marker.encode() in (entry / "environ").read_bytes():
                status = (entry / "status").read_text()
                if "State:\tZ" not in status:  # a zombie is dead, merely not yet reaped
                    found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_demo_server_feeds_the_dashboard_and_stops(tmp_path: Path, until: Until) -> None:
    demo = DemoServer()
    demo.start()
    try:
        app = WATSApp(
            url=demo.url, token=demo.token, demo=demo, config_path=tmp_path / "config.toml"
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: showing(app, DashboardScreen))
            table = app.screen.query_one("#dash-processes", DataTable)
            await until(pilot, lambda: table.row_count > 0, timeout=FIRST_START_TIMEOUT)
            await until(pilot, lambda: app.connection_state == "connected")
            assert app.server_version
            assert app.server_url.startswith("http://127.0.0.1:")
            # "Save and connect" on the demo server connects but never saves its URL.
            await pilot.press("f2")
            await until(pilot, lambda: showing(app, ConnectionScreen))
            await pilot.press("ctrl+s")
            await until(pilot, lambda: showing(app, DashboardScreen))
            assert not (tmp_path / "config.toml").exists()
    finally:
        demo.stop()
    assert demo.pid is not None and not alive(demo.pid)
    assert demo.process is not None and demo.process.returncode == 0


def _command() -> list[str]:
    script = Path(sys.executable).with_name("pywats-tui")
    if script.exists():
        return [str(script), "--demo"]
    return [sys.executable, "-m", "tui", "--demo"]


def test_pywats_tui_demo_in_a_terminal_exits_cleanly(tmp_path: Path) -> None:
    marker = f"PYWATS_DEMO_TEST_{uuid.uuid4().hex}"
    env = {
        **os.environ,
        marker: "1",
        "TERM": "xterm-256color",
        "PYWATS_CONFIG": str(tmp_path / "config.toml"),
    }
    main, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        _command(),
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        start_new_session=True,
        cwd=tmp_path,
    )
    os.close(terminal)
    screen = b""
    try:
        deadline = time.monotonic() + FIRST_START_TIMEOUT
        # A process name from the seeded factory, drawn in the dashboard's table.
        while b"End of line test" not in screen:
            assert time.monotonic() < deadline, screen[-2000:]
            ready, _, _ = select.select([main], [], [], 0.5)
            if ready:
                with contextlib.suppress(OSError):
                    screen += os.read(main, 65536)
        assert len(processes_with_marker(marker)) == 2  # the app and its emulator
        os.write(main, b"\x11")  # ctrl+q
        deadline = time.monotonic() + 30
        while process.poll() is None:
            assert time.monotonic() < deadline, "pywats-tui did not quit on ctrl+q"
            ready, _, _ = select.select([main], [], [], 0.2)
            if ready:
                with contextlib.suppress(OSError):
                    os.read(main, 65536)  # keep the terminal drained
        assert process.returncode == 0
        assert processes_with_marker(marker) == []
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(main)


async def test_a_demo_server_that_dies_is_explained(tmp_path: Path, until: Until) -> None:
    demo = DemoServer(size="enormous")  # the child rejects it and exits
    demo.start()
    try:
        app = WATSApp(
            url=demo.url, token=demo.token, demo=demo, config_path=tmp_path / "config.toml"
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: showing(app, ConnectionScreen), timeout=30)
            status = app.screen.query_one("#connection-status")
            await until(pilot, lambda: "demo server exited" in str(status.render()))
            assert "enormous" in str(status.render())
    finally:
        demo.stop()
    assert demo.pid is not None and not alive(demo.pid)
