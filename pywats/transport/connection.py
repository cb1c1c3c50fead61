"""One HTTP/1.1 connection: an asyncio protocol that carries one request/response at a time.

:mod:`pywats.transport.http11` does the HTTP framing; this module moves bytes between it and
the socket with plain asyncio callbacks. Every wait is a
single future with its own deadline, so a request costs a handful of loop iterations and no
task, lock or cancel scope. Failures are raised as httpx's own exception types.
"""

from __future__ import annotations

import asyncio
import select
import time
from collections.abc import AsyncIterator
from typing import Final

import httpx2

from pywats.transport.http11 import ClientCodec, ResponseHead
from pywats.transport.waiting import TIMED_OUT, Signal, resolve, wait

__all__ = ["HTTP11Connection", "Origin"]

# (scheme, host, port): connections are only reused for the origin they were opened to.
Origin = tuple[str, str, int]

# Stop reading from the socket while this much received data waits for the consumer.
_READ_HIGH_WATER: Final = 256 * 1024
# Request bodies are written in slices of about this size, waiting for the socket between them.
_WRITE_SLICE: Final = 64 * 1024


def _socket_readable(transport: asyncio.Transport) -> bool:
    """Data or EOF is waiting in the kernel for this transport's socket (errors count as yes)."""
    sock = transport.get_extra_info("socket")
    if sock is None:
        return False
    try:
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(sock.fileno(), select.POLLIN)
            return bool(poller.poll(0))
        return bool(select.select([sock.fileno()], [], [], 0)[0])
    except (OSError, ValueError):
        return True


class HTTP11Connection(asyncio.Protocol):
    """A TCP (or TLS) connection to one origin, used for one exchange at a time.

    The pool creates it through ``loop.create_connection``, lends it to one request, and takes
    it back: :meth:`finish` says whether it can carry another request.
    """

    def __init__(self, origin: Origin) -> None:
        self.origin = origin
        self.idle_since = time.monotonic()
        self.exchanges = 0
        self._codec = ClientCodec()
        self._transport: asyncio.Transport | None = None
        self._eof = False
        self._lost: Exception | None = None
        self._reading_paused = False
        self._writing_paused = False
        # Resolved with None by a protocol callback, or with TIMED_OUT by the deadline.
        self._read_waiter: asyncio.Future[Signal | None] | None = None
        self._drain_waiter: asyncio.Future[Signal | None] | None = None

    def __repr__(self) -> str:
        scheme, host, port = self.origin
        state = "closed" if self.closed else "open"
        return f"HTTP11Connection({scheme}://{host}:{port}, {state}, exchanges={self.exchanges})"

    # -- asyncio.Protocol callbacks ----------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._codec.receive(data)
        if self._codec.buffered > _READ_HIGH_WATER and self._transport is not None:
            self._reading_paused = True
            self._transport.pause_reading()
        resolve(self._read_waiter, None)

    def eof_received(self) -> bool:
        self._eof = True
        self._codec.receive(b"")
        resolve(self._read_waiter, None)
        return False  # let asyncio close the transport: HTTP/1.1 has no half-closed use

    def connection_lost(self, exc: Exception | None) -> None:
        self._eof = True
        self._lost = exc
        if exc is None:  # a clean end of stream; a broken one is a ReadError, not an EOF
            self._codec.receive(b"")
        resolve(self._read_waiter, None)
        resolve(self._drain_waiter, None)

    def pause_writing(self) -> None:
        self._writing_paused = True

    def resume_writing(self) -> None:
        self._writing_paused = False
        resolve(self._drain_waiter, None)

    # -- state the pool asks about -------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """Closed by either side, or the server closed its end (EOF)."""
        transport = self._transport
        return transport is None or transport.is_closing() or self._eof

    def is_reusable_idle(self) -> bool:
        """Idle and still good for a new request: open, nothing unread waiting on it."""
        if self.closed or self._codec.buffered or self._transport is None:
            return False
        # A close (or anything else) the server sent a moment ago may be in the socket before
        # the loop has run our callbacks; sending a request into it would fail.
        return not _socket_readable(self._transport)

    def close(self) -> None:
        """Drop the connection now (no graceful flush: it may be mid-exchange)."""
        if self._transport is not None and not self._transport.is_closing():
            self._transport.abort()

    def finish(self) -> bool:
        """After a complete response: ready the connection for the next request, if it can be."""
        if self._codec.reusable() and not self.closed:
            self.idle_since = time.monotonic()
            return True
        return False

    # -- one exchange ----------------------------------------------------------------------------

    async def send_request(
        self, request: httpx2.Request, write_timeout: float | None, read_timeout: float | None
    ) -> ResponseHead:
        """Send the request line, headers and body; return the final response's head."""
        self.exchanges += 1
        codec = self._codec
        method = request.method.encode("ascii", "replace")  # the codec refuses what is not a token
        try:
            await self._send_whole_request(request, method, write_timeout)
        except httpx2.WriteError:
            # The server may have answered and closed before taking the whole body (a 401 or
            # 413 to a large upload): that answer says more than the broken write.
            head = self._early_response()
            if head is None:
                raise
            return head
        while True:
            head = codec.response_head()
            if head is not None:
                return head
            await self._receive(read_timeout)

    async def _send_whole_request(
        self, request: httpx2.Request, method: bytes, write_timeout: float | None
    ) -> None:
        codec = self._codec
        pending = [codec.request_head(method, request.url.raw_path, request.headers.raw)]
        size = len(pending[0])
        async for chunk in request.stream:  # type: ignore[union-attr]
            pending.append(codec.request_body(chunk))
            size += len(chunk)
            if size >= _WRITE_SLICE:
                await self._write(b"".join(pending), write_timeout)
                pending, size = [], 0
        pending.append(codec.request_end())
        # Small requests go out in one write: one syscall, one TCP segment.
        await self._write(b"".join(pending), write_timeout)

    def _early_response(self) -> ResponseHead | None:
        """A complete response head the server sent before the connection broke, if any."""
        self._codec.receive(b"")  # the write failed: nothing more will arrive
        try:
            return self._codec.response_head()
        except httpx2.RemoteProtocolError:
            return None

    async def receive_body(self, read_timeout: float | None) -> AsyncIterator[bytes]:
        """The response body as it arrives; ends at the end of the message."""
        codec = self._codec
        while True:
            piece = codec.response_body()
            if piece is None:
                await self._receive(read_timeout)
            elif piece:
                yield piece
            else:
                return

    # -- bytes in and out ------------------------------------------------------------------------

    async def _receive(self, timeout: float | None) -> None:
        """Wait until more of the response has arrived; the protocol callbacks hand every byte
        (and a clean end of stream) to the codec, which has used all it had when this is called.
        """
        if self._reading_paused and self._transport is not None:
            self._reading_paused = False
            self._transport.resume_reading()
        if self._eof:  # the codec wants more, but the connection broke (a clean EOF ends it)
            raise httpx2.ReadError(f"the connection broke while reading{self._why_lost()}")
        if await self._wait("_read_waiter", timeout) is TIMED_OUT:
            raise httpx2.ReadTimeout(f"no data from the server within {timeout:g} s")

    async def _write(self, data: bytes, timeout: float | None) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            raise httpx2.WriteError(
                f"the connection was closed before the request was sent{self._why_lost()}"
            )
        transport.write(data)
        while self._writing_paused and not transport.is_closing():
            if await self._wait("_drain_waiter", timeout) is TIMED_OUT:
                raise httpx2.WriteTimeout(
                    f"the server did not take the request within {timeout:g} s"
                )
        if self._lost is not None:
            raise httpx2.WriteError(f"the connection broke while writing{self._why_lost()}")

    def _why_lost(self) -> str:
        return f": {self._lost}" if self._lost is not None else ""

    async def _wait(self, slot: str, timeout: float | None) -> Signal | None:
        """Park on a fresh future in ``slot`` until a protocol callback or the deadline wakes it."""
        waiter: asyncio.Future[Signal | None] = asyncio.get_running_loop().create_future()
        setattr(self, slot, waiter)
        try:
            return await wait(waiter, timeout)
        finally:
            setattr(self, slot, None)
