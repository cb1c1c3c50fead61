"""How long a screen's task has waited, and which attempt the SDK is on.

A station's network can make a call wait for tens of seconds (a server that accepts the
connection and never answers). The busy line then says how long it has waited and, when the
SDK retries, which attempt this is: ``Loading dashboard… retrying 2/3, 34 s``.

The SDK's retry layer has no attempt hook (see the report of issue 17): what it does have is
one INFO log record per retry, ``retrying GET /path after ReadTimeout: attempt 2 of 3 in
0.52 s``, emitted in the task that makes the call. :func:`install_retry_listener` reads those
records through a filter on the ``pywats.http`` logger and credits them to the :class:`Wait`
of the screen task running in that context (a context variable, so the calls of an
``asyncio.gather`` inside the task count too). The filter lets through only records the
logger would have passed before, so nobody else's logging changes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

__all__ = [
    "CURRENT_WAIT",
    "SHOW_ELAPSED_AFTER",
    "Wait",
    "install_retry_listener",
    "wait_text",
]

#: Seconds after which the busy line shows how long a task has waited (a quick load stays
#: quiet).
SHOW_ELAPSED_AFTER = 2.0

SDK_LOGGER = "pywats.http"
# The SDK's retry record: ("retrying %s %s after %s: attempt %d of %d in %.2f s", method,
# path, reason, attempt, attempts, delay).
_RETRY_PREFIX = "retrying "


@dataclass
class Wait:
    """One task's wait: when it started, and the latest retry the SDK made for it."""

    clock: Callable[[], float] = time.monotonic
    started: float = field(default=0.0)
    attempt: int = 1
    attempts: int = 1
    reason: str = ""

    def __post_init__(self) -> None:
        if not self.started:
            self.started = self.clock()

    def elapsed(self) -> float:
        return max(0.0, self.clock() - self.started)

    def retried(self, attempt: int, attempts: int, reason: str) -> None:
        # Calls gathered in one task retry on their own: show the furthest one.
        if attempt >= self.attempt:
            self.attempt, self.attempts, self.reason = attempt, attempts, reason


CURRENT_WAIT: ContextVar[Wait | None] = ContextVar("tui_current_wait", default=None)


def wait_text(wait: Wait) -> str:
    """``""`` for a fresh quick task, else ``12 s`` or ``retrying 2/3, 34 s``."""
    seconds = wait.elapsed()
    retrying = wait.attempt > 1
    if not retrying and seconds < SHOW_ELAPSED_AFTER:
        return ""
    clock = f"{seconds:.0f} s"
    if retrying:
        return f"retrying {wait.attempt}/{wait.attempts}, {clock}"
    return clock


class _RetryFilter(logging.Filter):
    """Credits SDK retry records to the current task's :class:`Wait`; passes on what the
    logger would have passed before it was opened to INFO."""

    def __init__(self, passes_from: int) -> None:
        super().__init__("tui-retry-listener")
        self.passes_from = passes_from

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if (
            isinstance(record.msg, str)
            and record.msg.startswith(_RETRY_PREFIX)
            and isinstance(args, tuple)
            and len(args) == 6
            and isinstance(args[3], int)
            and isinstance(args[4], int)
        ):
            wait = CURRENT_WAIT.get()
            if wait is not None:
                wait.retried(args[3], args[4], str(args[2]))
        return record.levelno >= self.passes_from


_installed: _RetryFilter | None = None


def install_retry_listener() -> None:
    """Listen to the SDK's retry records (once per process; later calls do nothing)."""
    global _installed
    if _installed is not None:
        return
    sdk = logging.getLogger(SDK_LOGGER)
    _installed = _RetryFilter(sdk.getEffectiveLevel())
    sdk.addFilter(_installed)
    if not sdk.isEnabledFor(logging.INFO):
        sdk.setLevel(logging.INFO)
