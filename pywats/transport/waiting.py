"""Waiting on a future that a callback resolves, with a deadline, without a task or timer scope.

The connection waits for bytes or for the socket to drain, the pool for a connection: each
parks on a plain future that a protocol or pool callback resolves, and a ``call_later`` timer
resolves it with :data:`TIMED_OUT` if the deadline comes first.
"""

from __future__ import annotations

import asyncio
from typing import TypeVar

__all__ = ["TIMED_OUT", "Signal", "resolve", "wait"]

T = TypeVar("T")


class Signal:
    """A named sentinel a waiter's future can be resolved with."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


TIMED_OUT = Signal("TIMED_OUT")


def resolve(waiter: asyncio.Future[T] | None, value: T) -> None:
    """Resolve ``waiter`` unless it is absent or already done (callbacks may race)."""
    if waiter is not None and not waiter.done():
        waiter.set_result(value)


async def wait(waiter: asyncio.Future[T | Signal], timeout: float | None) -> T | Signal:
    """``await waiter``, or :data:`TIMED_OUT` once ``timeout`` seconds have passed."""
    timer = None
    if timeout is not None:
        timer = asyncio.get_running_loop().call_later(timeout, resolve, waiter, TIMED_OUT)
    try:
        return await waiter
    finally:
        if timer is not None:
            timer.cancel()
