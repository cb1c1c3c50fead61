"""Long waits say how long and which attempt: "retrying 2/3, 34 s" (issue 17, error states).

A real loopback server accepts the connection and never answers; the SDK's read timeout and
retries do the rest.
"""

from __future__ import annotations

import re
from pathlib import Path

from pywats.retry import RetryEvent
from tests.support.loopback_server import Reply, serving
from tests.support.tui import showing
from tests.tui.conftest import Until
from tests.tui.errors.helpers import loopback_app
from tui.app import WATSApp
from tui.screens.dashboard import DashboardScreen
from tui.waits import Wait, wait_text
from tui.workers import BusyBar


def busy_line(app: WATSApp) -> str:
    return str(app.screen.query_one(BusyBar).content)


async def test_a_server_that_never_answers_shows_the_attempt_and_the_seconds(
    config_path: Path, until: Until
) -> None:
    with serving(lambda seen: Reply(delay=120)) as server:
        app = loopback_app(server.url, config_path, max_retries=2, timeout=0.5, deadline=60)
        async with app.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: showing(app, DashboardScreen), what="dashboard")
            await until(
                pilot,
                lambda: "retrying 2/3" in busy_line(app),
                timeout=40,
                what="second attempt on the busy line",
            )
            assert re.search(r"Loading dashboard… retrying 2/3, \d+ s", busy_line(app))
            await until(
                pilot,
                lambda: "retrying 3/3" in busy_line(app),
                timeout=40,
                what="third attempt",
            )
            seconds = int(re.findall(r"retrying 3/3, (\d+) s", busy_line(app))[0])
            assert seconds >= 1  # two read timeouts of 0.5 s and a backoff have passed
            await pilot.press("escape")  # cancel: the line goes away
            await until(pilot, lambda: "retrying" not in busy_line(app), what="cancelled")


def test_the_elapsed_time_shows_after_a_while_and_the_attempt_once_retried() -> None:
    now = [100.0]
    wait = Wait(clock=lambda: now[0])
    assert wait_text(wait) == ""  # a quick load stays quiet
    now[0] = 112.4
    assert wait_text(wait) == "12 s"
    wait.retried(2, 3, "ReadTimeout")
    now[0] = 134.0
    assert wait_text(wait) == "retrying 2/3, 34 s"
    wait.retried(2, 3, "ReadTimeout")  # a gathered call on its second attempt too
    wait.retried(3, 3, "ReadTimeout")
    wait.retried(2, 3, "ReadTimeout")  # an earlier call catching up does not go back
    assert wait_text(wait) == "retrying 3/3, 34 s"


def test_a_wait_follows_the_sdks_retry_events() -> None:
    wait = Wait()
    wait.observe(RetryEvent("GET", "/api/App/Version", 2, 3, "ReadTimeout", 0.5))
    assert (wait.attempt, wait.attempts, wait.reason) == (2, 3, "ReadTimeout")
