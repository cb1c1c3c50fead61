"""How long a screen's task has waited, and which attempt the SDK is on.

A station's network can make a call wait for tens of seconds (a server that accepts the
connection and never answers). The busy line then says how long it has waited and, when the
SDK retries, which attempt this is: ``Loading dashboard… retrying 2/3, 34 s``. The attempt
comes from the SDK's retry observer (:func:`pywats.retry.observe_retries`), set for the
screen task's context, so the calls of an ``asyncio.gather`` inside the task count too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from pywats.retry import RetryEvent

__all__ = ["SHOW_ELAPSED_AFTER", "Wait", "wait_text"]

#: Seconds after which the busy line shows how long a task has waited (a quick load stays
#: quiet).
SHOW_ELAPSED_AFTER = 2.0


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

    def observe(self, event: RetryEvent) -> None:
        """The SDK's retry observer for this task (see :func:`pywats.retry.observe_retries`)."""
        self.retried(event.attempt, event.attempts, event.reason)


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
