"""Serving an emulator app over real HTTP with uvicorn: in the foreground or in a thread."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

from .app import EmulatorApp, create_app
from .config import EmulatorConfig
from .faults import FaultConfig, Traffic
from .limits import MAX_HEADER_BYTES, GuardedH11Protocol


def bind_socket(host: str, port: int) -> socket.socket:
    """A bound, listening socket; binding before serving makes port 0 usable (the port is known)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio only sets TCP_NODELAY on sockets whose proto says TCP, and
    # without it Nagle holds back the second write of every response (~40 ms a request).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        # Listen now: whoever learns the port may connect before uvicorn has started, and a
        # bound socket that is not listening refuses them. They wait in the backlog instead.
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def server_config(app: EmulatorApp, *, lifespan: str = "on") -> uvicorn.Config:
    """uvicorn settings with the emulator's limits: head size and pace, idle keep-alive.

    A head over MAX_HEADER_BYTES is answered 400 by uvicorn; a head still incomplete after
    `header_timeout` seconds gets 408 and the connection is closed (GuardedH11Protocol).
    """
    config = app.emulator.config
    return uvicorn.Config(
        app,
        log_level="warning",
        lifespan=lifespan,  # type: ignore[arg-type]
        http=GuardedH11Protocol.with_timeout(config.header_timeout),
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        timeout_keep_alive=5,
    )


def serve_socket(app: EmulatorApp, sock: socket.socket) -> None:
    """Serve on a bound socket until Ctrl-C (blocking)."""
    server = uvicorn.Server(server_config(app))
    # uvicorn shuts down gracefully, then re-raises the Ctrl-C it caught.
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])


def serve(app: EmulatorApp, host: str = "127.0.0.1", port: int = 8080) -> None:
    """Serve until Ctrl-C (blocking)."""
    serve_socket(app, bind_socket(host, port))


class _PromptServer(uvicorn.Server):
    """uvicorn checks for shutdown every 100 ms; a test suite starting a server per test
    spends most of its time waiting for that, so this one checks every 10 ms."""

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864_000
            await asyncio.sleep(0.01)


class EmulatorServer:
    """A real uvicorn server in a background thread, on an ephemeral loopback port.

    Use as a context manager; `url` is known once entered. The socket is bound before
    the thread starts, so there is no race between picking and using the port.
    """

    def __init__(
        self,
        config: EmulatorConfig | None = None,
        *,
        app: EmulatorApp | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        # An app we built is ours to close; one passed in belongs to the caller.
        self._owns_app = app is None
        self.app = app or create_app(config)
        self.host = host
        self._port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def port(self) -> int:
        if self._socket is None:
            raise RuntimeError("the server is not running")
        port: int = self._socket.getsockname()[1]
        return port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def token(self) -> str:
        return self.app.emulator.config.token

    @property
    def faults(self) -> FaultConfig:
        return self.app.emulator.faults

    @property
    def traffic(self) -> Traffic:
        return self.app.emulator.traffic

    def sdk_kwargs(self) -> dict[str, Any]:
        """Keyword arguments that point an SDK client here: `AsyncWATS(**server.sdk_kwargs())`."""
        return {"base_url": self.url, "token": self.token}

    def start(self, timeout: float = 10.0) -> None:
        self._socket = bind_socket(self.host, self._port)
        config = server_config(self.app, lifespan="off")
        self._server = _PromptServer(config)
        server = self._server
        sockets = [self._socket]
        self._thread = threading.Thread(
            target=lambda: server.run(sockets=sockets), name="pywats-emulator", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the emulator server did not start")
            time.sleep(0.005)

    def stop(self, timeout: float = 10.0) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        if self._socket is not None:
            self._socket.close()
        if self._owns_app and self._thread is not None and not self._thread.is_alive():
            self.app.emulator.store.close()
        self._server = self._thread = None

    def __enter__(self) -> EmulatorServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
