"""The connection pool: at most ``max_connections`` open, idle ones reused, waiters served FIFO.

All bookkeeping happens in plain (non-async) methods, so no cancellation can interrupt it
half-way: a request cancelled at any await still gives its slot back. (httpcore's pool can
lose a slot forever when a request is cancelled at the wrong moment, encode/httpcore#830.)
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Awaitable, Callable

import httpx

from pywats.transport.connection import HTTP11Connection, Origin

__all__ = ["ConnectionPool"]

Connector = Callable[[Origin, float | None], Awaitable[HTTP11Connection]]


class _Woken:
    """A waiter's future result: a slot may be free now, look again."""


class _Expired:
    """A waiter's future result: its pool timeout passed first."""


_WOKEN = _Woken()
_EXPIRED = _Expired()


def _expire(waiter: asyncio.Future[object]) -> None:
    if not waiter.done():
        waiter.set_result(_EXPIRED)


class ConnectionPool:
    """Lends connections to requests and takes them back.

    ``connect(origin, timeout)`` opens a new connection; the pool decides when to call it.
    """

    def __init__(
        self,
        connect: Connector,
        *,
        max_connections: int | None,
        max_keepalive_connections: int | None,
        keepalive_expiry: float | None,
    ) -> None:
        self._connect = connect
        self._max_connections = max_connections
        self._max_idle = max_keepalive_connections
        self._keepalive_expiry = keepalive_expiry
        self._idle: dict[Origin, list[HTTP11Connection]] = {}
        self._open = 0  # connections lent out, idle, or being opened
        self._waiters: deque[asyncio.Future[object]] = deque()
        self._closed = False

    def __repr__(self) -> str:
        idle = sum(len(stack) for stack in self._idle.values())
        return (
            f"ConnectionPool(open={self._open}, idle={idle}, waiting={len(self._waiters)}, "
            f"max_connections={self._max_connections})"
        )

    @property
    def open_connections(self) -> int:
        return self._open

    @property
    def idle_connections(self) -> int:
        return sum(len(stack) for stack in self._idle.values())

    async def acquire(
        self, origin: Origin, pool_timeout: float | None, connect_timeout: float | None
    ) -> HTTP11Connection:
        """A connection to ``origin``: an idle one, a new one, or the next one given back."""
        deadline = None if pool_timeout is None else time.monotonic() + pool_timeout
        while True:
            if self._closed:
                raise httpx.PoolTimeout("the connection pool is closed")
            connection = self._take_idle(origin)
            if connection is not None:
                return connection
            if self._has_room():
                return await self._open_new(origin, connect_timeout)
            await self._wait_for_room(deadline, pool_timeout)

    def release(self, connection: HTTP11Connection, reusable: bool) -> None:
        """Take a connection back: kept idle when it can carry another request, else closed.

        The keep-alive limit does not apply while requests wait: one of them takes it next.
        """
        keep = self._waiters or self._idle_room()
        if reusable and keep and not self._closed and not connection.closed:
            self._idle.setdefault(connection.origin, []).append(connection)
        else:
            self._discard(connection)
        self._wake_one()

    async def aclose(self) -> None:
        """Close idle connections now; lent ones close when they come back."""
        self._closed = True
        for stack in self._idle.values():
            for connection in stack:
                self._discard(connection)
        self._idle.clear()
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(_WOKEN)  # they see the pool closed and give up

    # -- internals (never await: see the module docstring) --------------------------------------

    def _take_idle(self, origin: Origin) -> HTTP11Connection | None:
        stack = self._idle.get(origin)
        now = time.monotonic()
        while stack:
            connection = stack.pop()  # the most recently used: the least likely to be stale
            fresh = self._keepalive_expiry is None or (
                now - connection.idle_since <= self._keepalive_expiry
            )
            if fresh and connection.is_reusable_idle():
                return connection
            self._discard(connection)
        return None

    def _has_room(self) -> bool:
        if self._max_connections is None or self._open < self._max_connections:
            return True
        # Full: make room by closing an idle connection to another origin, the oldest first.
        oldest: HTTP11Connection | None = None
        for stack in self._idle.values():
            if stack and (oldest is None or stack[0].idle_since < oldest.idle_since):
                oldest = stack[0]
        if oldest is None:
            return False
        self._idle[oldest.origin].remove(oldest)
        self._discard(oldest)
        return True

    def _idle_room(self) -> bool:
        return self._max_idle is None or self.idle_connections < self._max_idle

    async def _open_new(self, origin: Origin, connect_timeout: float | None) -> HTTP11Connection:
        self._open += 1
        try:
            return await self._connect(origin, connect_timeout)
        except BaseException:
            self._open -= 1
            self._wake_one()
            raise

    def _discard(self, connection: HTTP11Connection) -> None:
        connection.close()
        self._open -= 1

    def _wake_one(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(_WOKEN)
                return

    async def _wait_for_room(self, deadline: float | None, pool_timeout: float | None) -> None:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[object] = loop.create_future()
        self._waiters.append(waiter)
        timer = None
        if deadline is not None:
            timer = loop.call_at(
                loop.time() + max(0.0, deadline - time.monotonic()), _expire, waiter
            )
        try:
            outcome = await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.result() is _WOKEN:
                self._wake_one()  # we were handed a slot but are leaving: pass it on
            raise
        finally:
            if timer is not None:
                timer.cancel()
            with contextlib.suppress(ValueError):  # already gone when it was woken
                self._waiters.remove(waiter)
        if outcome is _EXPIRED:
            raise httpx.PoolTimeout(
                f"no connection became free within {pool_timeout:g} s "
                f"({self._max_connections} in use)"
            )
