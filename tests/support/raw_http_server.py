"""An HTTP/1.1 server on a loopback port, run on the test's own event loop, at the byte level.

Unlike :mod:`tests.support.loopback_server` (a scripted JSON server in its own thread), each
connection here is handed to a coroutine of the test, which decides exactly which bytes go out
and when: chunked bodies, closing mid-body, never answering, streaming megabytes. It counts
connections so tests can see pooling from the server's side.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

__all__ = ["RawServer", "Request", "answering", "read_request", "response"]


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str]  # names lower-cased
    body: bytes


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";")[0].strip(), 16)
        if size == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers
                pass
            return bytes(body)
        body += await reader.readexactly(size)
        if await reader.readexactly(2) != b"\r\n":
            raise ValueError("chunk not followed by CRLF")


async def read_request(reader: asyncio.StreamReader, read_body: bool = True) -> Request | None:
    """The next request on a connection, or None when the client closed it cleanly."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial:
            return None
        raise
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    body = b""
    if read_body:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = await _read_chunked(reader)
        elif int(headers.get("content-length", "0")):
            body = await reader.readexactly(int(headers["content-length"]))
    return Request(method, target, headers, body)


def response(
    status: int = 200, body: bytes = b"", headers: list[tuple[str, str]] | None = None
) -> bytes:
    """A complete response, framed by Content-Length unless the headers frame it otherwise."""
    lines = [f"HTTP/1.1 {status} Whatever"]
    given = headers or []
    lines += [f"{name}: {value}" for name, value in given]
    names = {name.lower() for name, _ in given}
    if not names & {"content-length", "transfer-encoding"} and status not in (204, 304):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


ConnectionHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
Respond = Callable[[Request], Awaitable[bytes | None]]


def answering(respond: Respond, requests: list[Request] | None = None) -> ConnectionHandler:
    """A connection handler that answers each request with ``respond``'s bytes (None: close)."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while (request := await read_request(reader)) is not None:
            if requests is not None:
                requests.append(request)
            out = await respond(request)
            if out is None:
                return
            writer.write(out)
            await writer.drain()

    return handle


class RawServer:
    """``async with RawServer(handler) as server:`` then talk to ``server.url``."""

    def __init__(self, handler: ConnectionHandler, ssl_context: ssl.SSLContext | None = None):
        self.handler = handler
        self.connections = 0  # accepted so far
        self.active = 0  # handlers running now
        self.max_active = 0
        self._ssl = ssl_context
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    @property
    def url(self) -> str:
        scheme = "https" if self._ssl is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            await self.handler(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass  # the client went away: what several tests do on purpose
        except asyncio.CancelledError:
            pass  # the server is shutting down; a cancelled handler task would be logged
        finally:
            self.active -= 1
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def __aenter__(self) -> RawServer:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0, ssl=self._ssl)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def wait_idle(self, timeout: float = 2.0) -> None:
        """Until every connection handler has finished (the server closed its side)."""
        await self.wait_idle_count(0, timeout)

    async def wait_idle_count(self, active: int, timeout: float = 2.0) -> None:
        """Until no more than ``active`` connections are still open at the server."""
        async with asyncio.timeout(timeout):
            while self.active > active:
                await asyncio.sleep(0.005)
