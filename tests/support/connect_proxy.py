"""A tiny HTTP proxy on a loopback port that only tunnels (CONNECT), to loopback only.

Enough to see an https request take the proxy route: it records each tunnel's target and the
``Proxy-Authorization`` it was given, then copies bytes both ways without looking at them
(the TLS inside stays end to end). Anything but a CONNECT to a loopback address is refused,
and every tunnel is closed when the proxy stops, so a test cannot leave sockets behind.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

__all__ = ["ConnectProxy", "Tunnel"]

_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
_MAX_HEAD = 16 * 1024


@dataclass
class Tunnel:
    target: str  # host:port from the CONNECT line
    proxy_authorization: str | None
    bytes_up: int = 0  # client -> server, through the tunnel
    bytes_down: int = 0


@dataclass
class ConnectProxy:
    """``async with ConnectProxy() as proxy:`` then point HTTPS_PROXY at ``proxy.url``."""

    tunnels: list[Tunnel] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # request lines it would not tunnel
    port: int = 0
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> ConnectProxy:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        upstream: asyncio.StreamWriter | None = None
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            if len(head) > _MAX_HEAD:
                raise ValueError("request head too long")
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = [*lines[0].split(" ", 2), "", ""][:3]
            headers = {
                name.strip().lower(): value.strip()
                for name, _, value in (line.partition(":") for line in lines[1:] if line)
            }
            host, _, port = target.rpartition(":")
            if method != "CONNECT" or host not in _LOOPBACK or not port.isdigit():
                self.refused.append(lines[0])
                writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
                return
            tunnel = Tunnel(target, headers.get("proxy-authorization"))
            self.tunnels.append(tunnel)
            try:
                up_reader, upstream = await asyncio.wait_for(
                    asyncio.open_connection(host.strip("[]"), int(port)), 5
                )
            except (OSError, TimeoutError):
                writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
                return
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await writer.drain()
            await asyncio.gather(
                self._pipe(reader, upstream, tunnel, "bytes_up"),
                self._pipe(up_reader, writer, tunnel, "bytes_down"),
            )
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except (ValueError, asyncio.CancelledError):
            pass  # a malformed head, or the proxy is shutting down
        finally:
            self._tasks.discard(task)
            for stream in (upstream, writer):
                if stream is not None:
                    stream.close()
                    with contextlib.suppress(Exception):
                        await stream.wait_closed()

    @staticmethod
    async def _pipe(
        source: asyncio.StreamReader, sink: asyncio.StreamWriter, tunnel: Tunnel, counter: str
    ) -> None:
        try:
            while data := await source.read(64 * 1024):
                setattr(tunnel, counter, getattr(tunnel, counter) + len(data))
                sink.write(data)
                await sink.drain()
        except ConnectionError:
            pass
        finally:
            # Half-close: the other side sees the end of this direction.
            with contextlib.suppress(OSError, RuntimeError):
                if sink.can_write_eof():
                    sink.write_eof()
