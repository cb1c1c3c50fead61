"""A tiny HTTP/1.1 keep-alive server on a loopback port, scripted by the test.

It exists to observe what the SDK does on the wire: how many TCP connections it opens, which
requests and headers it sends, and how it reacts to scripted statuses, slow answers and
dropped connections. It runs its own event loop in a thread so sync and async clients alike
can talk to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tests.support.raw_http_server import Request, read_request, response


@dataclass
class Reply:
    status: int = 200
    body: bytes = b'"24.1.0"'
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    delay: float = 0.0
    drop: bool = False  # close the connection without answering


Handler = Callable[[Request], Reply]


class LoopbackServer:
    """Start with ``with LoopbackServer(handler) as server: server.url``."""

    def __init__(self, handler: Handler | None = None) -> None:
        self.handler: Handler = handler or (lambda seen: Reply())
        self.connections = 0
        self.requests: list[Request] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def script(self, *replies: Reply) -> None:
        """Answer with these replies in order, then repeat the last one."""
        queue = list(replies)

        def handler(seen: Request) -> Reply:
            return queue.pop(0) if len(queue) > 1 else queue[0]

        self.handler = handler

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while (seen := await read_request(reader)) is not None:
                self.requests.append(seen)
                reply = self.handler(seen)
                if reply.delay:
                    await asyncio.sleep(reply.delay)
                if reply.drop:
                    writer.close()
                    return
                writer.write(response(reply.status, reply.body, list(reply.headers.items())))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:
            # Shutting down: end quietly. (A cancelled handler makes Python 3.11's stream
            # callback log a CancelledError traceback.)
            return
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop

        async def start() -> None:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
            self.port = self._server.sockets[0].getsockname()[1]
            self._ready.set()

        loop.run_until_complete(start())
        loop.run_forever()
        loop.close()

    def __enter__(self) -> LoopbackServer:
        self._thread = threading.Thread(target=self._run, name="loopback-server", daemon=True)
        self._thread.start()
        self._ready.wait(5)
        return self

    def __exit__(self, *exc: object) -> None:
        loop = self._loop
        assert loop is not None and self._server is not None
        server = self._server

        async def stop() -> None:
            server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        assert self._thread is not None
        self._thread.join(5)


def free_port() -> int:
    """A loopback port with nothing listening on it (for connection-refused tests)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(handler: Handler | None = None) -> Iterator[LoopbackServer]:
    with LoopbackServer(handler) as server:
        yield server
