"""The demo app's dashboard load, measured the same way by every benchmark that needs it.

The app runs headless in this process (80x24) on the demo emulator (a child process, as
``pywats-tui --demo``), built with ``pywats-tui``'s garbage-collection policy so it is measured
as shipped. A probe coroutine on the app's event loop wakes every 5 ms and records how late it
woke: a stall is what a technician feels as a frozen screen. Not a benchmark of its own.
"""

from __future__ import annotations

import asyncio
import gc
import tempfile
import time
from pathlib import Path

PROBE_INTERVAL = 0.005


async def dashboard_load(table_id: str) -> tuple[float, float, float]:
    """(seconds from start until the dashboard table ``table_id`` has rows, the longest stall,
    and the CPU the loop itself used in that stall).

    The CPU figure (``time.thread_time`` of the event-loop thread) tells our own work apart
    from time the operating system gave to other processes on a busy machine.
    """
    from textual.widgets import DataTable

    from tui import gc_policy
    from tui.app import WATSApp
    from tui.demo import DemoServer
    from tui.screens.dashboard import DashboardScreen

    started = time.perf_counter()
    # As tui.__main__.main: without this policy a full GC pass of 65-95 ms fell inside the load.
    gc_policy.before_start_up()
    demo = DemoServer()
    demo.start()
    longest = longest_cpu = 0.0
    done = asyncio.Event()

    async def probe() -> None:
        nonlocal longest, longest_cpu
        while not done.is_set():
            before, cpu_before = time.perf_counter(), time.thread_time()
            await asyncio.sleep(PROBE_INTERVAL)
            lag = time.perf_counter() - before - PROBE_INTERVAL
            if lag > longest:
                longest, longest_cpu = lag, time.thread_time() - cpu_before

    try:
        with tempfile.TemporaryDirectory() as home:
            app = WATSApp(url=demo.url, token=demo.token, demo=demo,
                          config_path=Path(home) / "config.toml",
                          client_factory=demo.client_factory, manage_gc=True)  # fmt: skip
            gc_policy.after_start_up()
            async with app.run_test(size=(80, 24)) as pilot:
                probe_task = asyncio.create_task(probe())
                while True:
                    screen = app.screen
                    if isinstance(screen, DashboardScreen) and (
                        screen.query_one(f"#{table_id}", DataTable).row_count > 0
                    ):
                        break
                    await pilot.pause(0.002)
                elapsed = time.perf_counter() - started
                done.set()
                await probe_task
    finally:
        demo.stop()
        gc.unfreeze()  # the next run starts as a fresh process would
        gc.enable()
    return elapsed, longest, longest_cpu
