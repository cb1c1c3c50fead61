"""Bounds on what one request may cost the emulator: body size, body and header pace.

`BodyLimit` answers 413 to a body over the limit before it is read whole: at once when
Content-Length says so, or as soon as a chunked body passes the limit. It also answers 408
when a client stops sending its body for `body_timeout` seconds.

`GuardedH11Protocol` is uvicorn's own HTTP/1.1 protocol with a deadline on the request
head: uvicorn bounds the head's size (h11_max_incomplete_event_size) but not how long a
client may take to send it, so a few hundred clients trickling one header byte at a time
would hold their connections for ever.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import anyio
import h11
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from .errors import ApiError, error_response

MIB = 1024 * 1024
DEFAULT_MAX_BODY_SIZE = 64 * MIB
DEFAULT_HEADER_TIMEOUT = 10.0  # seconds for a request line and headers to arrive
DEFAULT_BODY_TIMEOUT = 30.0  # seconds of silence allowed while a body is being sent
# h11's own default; stated here so the limit is ours, not an accident of a dependency.
MAX_HEADER_BYTES = 16 * 1024

_SIZE = re.compile(r"\s*([0-9]+)\s*([kmg]?)(i?b)?\s*", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": MIB, "g": 1024 * MIB}


def parse_size(text: str) -> int:
    """'67108864', '64M', '64MiB', '512k' -> bytes (binary units)."""
    match = _SIZE.fullmatch(text)
    if match is None:
        raise ValueError(f"not a size in bytes (e.g. 64MiB, 512k, 1048576): {text!r}")
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


def format_size(size: int) -> str:
    for unit, factor in (("GiB", 1024 * MIB), ("MiB", MIB), ("KiB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


_CLOSE = {"Connection": "close"}


class BodyTooLarge(ApiError):
    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            f"The request body is larger than this server accepts ({format_size(limit)}).",
            field="body",
            # The rest of the body is never read, so the connection cannot carry another request.
            headers=_CLOSE,
        )


class BodyTimeout(ApiError):
    def __init__(self, seconds: float) -> None:
        super().__init__(
            408,
            f"The request body stopped arriving for {seconds:g} s.",
            field="body",
            headers=_CLOSE,
        )


class BodyLimit:
    """ASGI middleware; `limit` in bytes. Exceptions raised from `receive` reach the
    handler's `await request.body()` and become JSON error responses like any ApiError."""

    def __init__(self, app: ASGIApp, *, limit: int, body_timeout: float) -> None:
        self.app = app
        self.limit = limit
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None:
            if not length.strip().isdigit():
                response = error_response(
                    400,
                    f"The Content-Length header '{length[:40]}' is not a number.",
                    field="Content-Length",
                )
                await response(scope, receive, send)
                return
            if int(length) > self.limit:
                too_large = BodyTooLarge(self.limit)
                await error_response(
                    413, too_large.message, field="body", headers=too_large.headers
                )(scope, receive, send)
                return
        received = 0
        finished = False

        async def limited_receive() -> Message:
            nonlocal received, finished
            if finished:
                return await receive()
            try:
                with anyio.fail_after(self.body_timeout):
                    message = await receive()
            except TimeoutError:
                raise BodyTimeout(self.body_timeout) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
                finished = not message.get("more_body", False)
            else:
                finished = True
            return message

        await self.app(scope, limited_receive, send)


_TIMEOUT_BODY = b'{"Message": "The request headers took too long to arrive."}'
_REQUEST_TIMEOUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json; charset=utf-8\r\n"
    b"connection: close\r\ncontent-length: %d\r\n\r\n%s" % (len(_TIMEOUT_BODY), _TIMEOUT_BODY)
)


class GuardedH11Protocol(H11Protocol):
    """A request head must be complete within `header_timeout` seconds of the connection
    opening, or of the previous response on a kept-alive connection; otherwise 408 and close.

    The timeout is a class attribute so uvicorn can build the protocol itself; `with_timeout`
    makes a subclass per server.
    """

    header_timeout: float = DEFAULT_HEADER_TIMEOUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_deadline: asyncio.TimerHandle | None = None

    @classmethod
    def with_timeout(cls, seconds: float) -> type[GuardedH11Protocol]:
        return type("GuardedH11Protocol", (cls,), {"header_timeout": seconds})

    def _arm_head_deadline(self) -> None:
        self._cancel_head_deadline()
        self._head_deadline = self.loop.call_later(self.header_timeout, self._head_too_slow)

    def _cancel_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_too_slow(self) -> None:
        self._head_deadline = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        # Nothing of this request reached the app: answer and hang up.
        self.transport.write(_REQUEST_TIMEOUT)
        self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_deadline()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._cancel_head_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm_head_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_deadline()
        super().connection_lost(exc)
