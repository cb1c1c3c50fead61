"""The connection pool: at most ``max_connections`` open, idle ones reused, waiters served FIFO.

When the pool is full, requests queue. Whatever frees up goes straight to the head of the
queue: a connection given back is handed to the first waiter, a closed one becomes room for
it to open its own. Nothing is left lying around for a later request to snatch, so waiters are
served in order and a busy task cannot starve them into a pool timeout.

All bookkeeping happens in plain (non-async) methods, so no cancellation can interrupt it
half-way: a request cancelled at any await still gives its slot back. (httpcore's pool can
lose a slot forever when a request is cancelled at the wrong moment, encode/httpcore#830.)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable

import httpx2

from pywats.transport.connection import HTTP11Connection, Origin
from pywats.transport.waiting import TIMED_OUT, Signal, wait

__all__ = ["ConnectionPool"]

logger = logging.getLogger("pywats.transport")

Connector = Callable[[Origin, float | None], Awaitable[HTTP11Connection]]


# What a waiter's future resolves to, besides a connection handed over to it (or TIMED_OUT
# when its pool timeout passes first):
_ROOM = Signal("ROOM")  # a slot is counted for it: open a new connection
_CLOSED = Signal("CLOSED")  # the pool was closed

Grant = HTTP11Connection | Signal


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
        self._open = 0  # connections lent out, idle, being opened, or granted as room
        self._waiters: deque[tuple[asyncio.Future[Grant], Origin]] = deque()
        self._closed = False

    def __repr__(self) -> str:
        return (
            f"ConnectionPool(open={self._open}, idle={self.idle_connections}, "
            f"waiting={len(self._waiters)}, max_connections={self._max_connections})"
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
        if self._closed:
            raise httpx2.PoolTimeout("the connection pool is closed")
        if not self._waiters:  # nobody queued before us
            connection = self._take_idle(origin)
            if connection is not None:
                return connection
            if self._make_room():
                self._open += 1
                return await self._open_counted(origin, connect_timeout)
        grant = await self._wait_for_grant(origin, pool_timeout)
        if isinstance(grant, HTTP11Connection):
            return grant
        return await self._open_counted(origin, connect_timeout)  # granted room

    def release(self, connection: HTTP11Connection, reusable: bool) -> None:
        """Take a connection back: to the first waiter, idle, or closed."""
        if reusable and not self._closed and not connection.closed:
            if self._hand_over(connection):
                return
            if self._max_idle is None or self.idle_connections < self._max_idle:
                self._idle.setdefault(connection.origin, []).append(connection)
                return
        if not reusable:
            reason = "mid-exchange or the server asked to close"
        elif self._closed:
            reason = "pool closed"
        elif connection.closed:
            reason = "closed by the server"
        else:
            reason = "over the keep-alive limit"
        self._discard(connection, reason)
        self._grant_room()

    async def aclose(self) -> None:
        """Close idle connections now; lent ones close when they come back."""
        self._closed = True
        for stack in self._idle.values():
            for connection in stack:
                self._discard(connection, "pool closed")
        self._idle.clear()
        while self._waiters:
            waiter, _ = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(_CLOSED)

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
            self._discard(connection, "idle too long" if not fresh else "closed by the server")
        return None

    def _make_room(self) -> bool:
        """True if one more connection may be opened, closing an idle one to another origin
        (the oldest) when that is what it takes."""
        if self._max_connections is None or self._open < self._max_connections:
            return True
        oldest: HTTP11Connection | None = None
        for stack in self._idle.values():
            if stack and (oldest is None or stack[0].idle_since < oldest.idle_since):
                oldest = stack[0]
        if oldest is None:
            return False
        self._idle[oldest.origin].remove(oldest)
        self._discard(oldest, "room for another server")
        return True

    def _next_waiter(self) -> tuple[asyncio.Future[Grant], Origin] | None:
        while self._waiters:
            waiter, origin = self._waiters.popleft()
            if not waiter.done():  # done: it timed out or was cancelled while queued
                return waiter, origin
        return None

    def _hand_over(self, connection: HTTP11Connection) -> bool:
        """Give a reusable connection to the first waiter; False when nobody waits."""
        head = self._next_waiter()
        if head is None:
            return False
        waiter, origin = head
        if origin == connection.origin:
            waiter.set_result(connection)
        else:  # it waits for another server: close this one to make it room
            self._discard(connection, "room for another server")
            self._open += 1
            waiter.set_result(_ROOM)
        return True

    def _grant_room(self) -> None:
        """After a connection closed: count a slot for each waiter that now fits."""
        while self._max_connections is None or self._open < self._max_connections:
            head = self._next_waiter()
            if head is None:
                return
            self._open += 1
            head[0].set_result(_ROOM)

    async def _open_counted(
        self, origin: Origin, connect_timeout: float | None
    ) -> HTTP11Connection:
        """Open a connection whose slot is already counted in ``_open``."""
        try:
            connection = await self._connect(origin, connect_timeout)
        except BaseException:
            self._open -= 1
            self._grant_room()
            raise
        logger.debug("opened %r (%d open)", connection, self._open)
        return connection

    def _discard(self, connection: HTTP11Connection, reason: str) -> None:
        connection.close()
        self._open -= 1
        logger.debug("closed %r: %s (%d open)", connection, reason, self._open)

    async def _wait_for_grant(self, origin: Origin, pool_timeout: float | None) -> Grant:
        waiter: asyncio.Future[Grant] = asyncio.get_running_loop().create_future()
        entry = (waiter, origin)
        self._waiters.append(entry)
        try:
            grant = await wait(waiter, pool_timeout)
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._return_unused(waiter.result())  # granted, but we are leaving
            raise
        finally:
            with contextlib.suppress(ValueError):  # already gone when it was granted
                self._waiters.remove(entry)
        if grant is TIMED_OUT:
            raise httpx2.PoolTimeout(
                f"no connection became free within {pool_timeout:g} s "
                f"({self._max_connections} in use)"
            )
        if grant is _CLOSED:
            raise httpx2.PoolTimeout("the connection pool is closed")
        return grant

    def _return_unused(self, grant: Grant) -> None:
        """A waiter cancelled after its grant passes the connection or the room on."""
        if isinstance(grant, HTTP11Connection):
            self.release(grant, reusable=True)
        elif grant is _ROOM:
            self._open -= 1
            self._grant_room()
