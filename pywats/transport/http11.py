"""HTTP/1.1 framing for a client, sans I/O: request bytes out, response head and body in.

This is the part of RFC 9112 a client needs, and no more: one request at a time, bodies framed
by Content-Length or chunked encoding, responses framed by Content-Length, chunked encoding or
the end of the connection, keep-alive decided by version and ``Connection``. Anything outside
that (obsolete line folding, transfer codings other than chunked, a malformed length) is
refused with a message naming what was wrong, never guessed at.

It replaces h11 on the request path because h11's generality (events, state machines, a
validation pass per event) was a third of what a call cost; tests check both agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import httpx2

__all__ = ["BodyFraming", "ClientCodec", "ResponseHead"]

MAX_HEAD_BYTES: Final = 64 * 1024
_MAX_CHUNK_LINE: Final = 1024

# RFC 9110 token and field-value rules; a value may not contain CR, LF or NUL, which is what
# stops a header from smuggling in another header or a second request.
_TOKEN = re.compile(rb"[-!#$%&'*+.^_`|~0-9A-Za-z]+")
_FIELD_VALUE = re.compile(rb"[^\x00\r\n]*")
_TARGET = re.compile(rb"[^\x00-\x20\x7f]+")
_STATUS_LINE = re.compile(rb"HTTP/1\.([01]) ([0-9]{3})(?: ([^\r\n]*))?")
# Lines end in CRLF; a bare LF is accepted too (RFC 9112 2.2 allows it, and h11 does).
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_LINE_BREAK = re.compile(rb"\r?\n")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?")

NO_BODY_STATUSES: Final = frozenset({204, 304})


class BodyFraming:
    """How the end of a response body is found."""

    NONE: Final = "none"
    LENGTH: Final = "length"
    CHUNKED: Final = "chunked"
    UNTIL_CLOSE: Final = "until-close"


@dataclass(frozen=True, slots=True)
class ResponseHead:
    status_code: int
    reason: bytes
    headers: list[tuple[bytes, bytes]]
    http_version: bytes


def _protocol_error(message: str) -> httpx2.RemoteProtocolError:
    return httpx2.RemoteProtocolError(f"the server broke HTTP/1.1: {message}")


def _comma_tokens(headers: Sequence[tuple[bytes, bytes]], name: bytes) -> list[bytes]:
    """The lower-cased, comma-separated values of every header called ``name``."""
    tokens: list[bytes] = []
    for key, value in headers:
        if key.lower() == name:
            tokens.extend(t.strip().lower() for t in value.split(b",") if t.strip())
    return tokens


class ClientCodec:
    """The HTTP/1.1 state of one connection, seen from the client.

    Per exchange: :meth:`request_head`, then :meth:`request_body` / :meth:`request_end`;
    feed what arrives with :meth:`receive` (``b""`` at end of stream) and pull the response
    with :meth:`response_head` and :meth:`response_body`. :meth:`reusable` tells whether the
    connection may carry another exchange.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._eof = False
        self._reset()

    def _reset(self) -> None:
        self._method = b""
        self._request_chunked = False
        self._request_done = False
        self._keep_alive = True
        self._head: ResponseHead | None = None
        self._framing = BodyFraming.NONE
        self._remaining = 0  # bytes left in the body (LENGTH) or in the current chunk
        self._chunk_state = "size"  # size -> data -> data-end -> ... -> trailers
        self._response_done = False

    # -- the request -----------------------------------------------------------------------

    def request_head(
        self, method: bytes, target: bytes, headers: Sequence[tuple[bytes, bytes]]
    ) -> bytes:
        """The request line and headers, validated so nothing can be injected."""
        if self._method:
            raise httpx2.LocalProtocolError("a request is already in progress on this connection")
        if not _TOKEN.fullmatch(method):
            raise httpx2.LocalProtocolError(f"invalid HTTP method {method!r}")
        if not _TARGET.fullmatch(target):
            raise httpx2.LocalProtocolError("invalid request target: it has spaces or controls")
        lines = [method, b" ", target, b" HTTP/1.1\r\n"]
        has_host = False
        for name, value in headers:
            if not _TOKEN.fullmatch(name):
                raise httpx2.LocalProtocolError(f"invalid header name {name!r}")
            if not _FIELD_VALUE.fullmatch(value):
                raise httpx2.LocalProtocolError(
                    f"header {name.decode('ascii')!r} has a line break or NUL in its value"
                )
            lower = name.lower()
            if lower == b"host":
                has_host = True
            elif lower == b"transfer-encoding" and b"chunked" in value.lower():
                self._request_chunked = True
            elif lower == b"connection" and b"close" in _comma_tokens([(name, value)], lower):
                self._keep_alive = False
            lines += (name, b": ", value.strip(b" \t"), b"\r\n")
        if not has_host:
            raise httpx2.LocalProtocolError("an HTTP/1.1 request needs a Host header")
        lines.append(b"\r\n")
        self._method = method.upper()
        return b"".join(lines)

    def request_body(self, chunk: bytes) -> bytes:
        if not chunk:
            return b""
        if self._request_chunked:
            return b"%x\r\n%s\r\n" % (len(chunk), chunk)
        return chunk

    def request_end(self) -> bytes:
        self._request_done = True
        return b"0\r\n\r\n" if self._request_chunked else b""

    # -- the response ----------------------------------------------------------------------

    def receive(self, data: bytes) -> None:
        """Bytes from the server; ``b""`` means it closed its side."""
        if data:
            self._buffer += data
        else:
            self._eof = True

    @property
    def buffered(self) -> int:
        """Bytes received and not yet taken as part of a response."""
        return len(self._buffer)

    def response_head(self) -> ResponseHead | None:
        """The final response's head once it has arrived; None while more data is needed."""
        while self._head is None:
            buffer = self._buffer
            blank_line = _HEAD_END.search(buffer)
            if blank_line is None:
                if len(buffer) > MAX_HEAD_BYTES:
                    raise _protocol_error(f"response headers over {MAX_HEAD_BYTES} bytes")
                if self._eof:
                    if buffer:
                        raise _protocol_error("the connection closed in the middle of the headers")
                    raise httpx2.RemoteProtocolError(
                        "Server disconnected without sending a response."
                    )
                return None
            head = self._parse_head(bytes(buffer[: blank_line.start()]))
            del buffer[: blank_line.end()]
            if 100 <= head.status_code < 200:
                if head.status_code == 101:
                    raise _protocol_error("it switched protocols, which was never asked for")
                continue  # 100 Continue, 103 Early Hints: the real response follows
            self._head = head
            self._choose_framing(head)
        return self._head

    def response_body(self) -> bytes | None:
        """The next piece of the body: bytes, ``b""`` at the end, None while waiting for data."""
        framing = self._framing
        buffer = self._buffer
        if self._response_done:
            return b""
        if framing == BodyFraming.LENGTH:
            if not buffer:
                if self._eof:
                    raise _protocol_error(
                        f"the connection closed with {self._remaining} body bytes still to come"
                    )
                return None
            piece = self._take_remaining()
            if not self._remaining:
                self._response_done = True
            return piece
        if framing == BodyFraming.CHUNKED:
            return self._next_chunk()
        if framing == BodyFraming.UNTIL_CLOSE:
            if buffer:
                piece = bytes(buffer)
                buffer.clear()
                return piece
            if self._eof:
                self._response_done = True
                return b""
            return None
        self._response_done = True
        return b""

    def reusable(self) -> bool:
        """After a complete response: start the next exchange if the connection allows one."""
        if not (self._request_done and self._response_done) or not self._keep_alive:
            return False
        if self._buffer or self._eof:  # bytes the server should not have sent, or it closed
            return False
        self._reset()
        return True

    # -- internals --------------------------------------------------------------------------

    def _parse_head(self, raw: bytes) -> ResponseHead:
        lines = _LINE_BREAK.split(raw)
        match = _STATUS_LINE.fullmatch(lines[0])
        if match is None:
            raise _protocol_error(f"not a status line: {lines[0][:80]!r}")
        headers: list[tuple[bytes, bytes]] = []
        for line in lines[1:]:
            name, colon, value = line.partition(b":")
            if not colon or not _TOKEN.fullmatch(name):
                if line[:1] in (b" ", b"\t"):
                    raise _protocol_error("obsolete line folding in a header")
                raise _protocol_error(f"malformed header line {line[:80]!r}")
            value = value.strip(b" \t")
            if not _FIELD_VALUE.fullmatch(value):
                raise _protocol_error(f"header {name!r} has a control character in its value")
            headers.append((name, value))
        version = b"1." + match.group(1)
        if version == b"1.0" or b"close" in _comma_tokens(headers, b"connection"):
            self._keep_alive = False
        return ResponseHead(int(match.group(2)), match.group(3) or b"", headers, version)

    def _choose_framing(self, head: ResponseHead) -> None:
        """RFC 9112 section 6.3, in its order."""
        if self._method == b"HEAD" or head.status_code in NO_BODY_STATUSES:
            self._framing = BodyFraming.NONE
            return
        codings = _comma_tokens(head.headers, b"transfer-encoding")
        if codings:
            if codings != [b"chunked"]:
                raise _protocol_error(f"unsupported transfer encoding {b', '.join(codings)!r}")
            self._framing = BodyFraming.CHUNKED
            self._keep_alive = self._keep_alive and not any(
                k.lower() == b"content-length" for k, _ in head.headers
            )
            return
        lengths = {v for k, v in head.headers if k.lower() == b"content-length"}
        if lengths:
            values = {part.strip() for v in lengths for part in v.split(b",")}
            if len(values) != 1 or not next(iter(values)).isdigit():
                raise _protocol_error(f"invalid Content-Length {b', '.join(sorted(lengths))!r}")
            self._remaining = int(next(iter(values)))
            self._framing = BodyFraming.LENGTH
            self._response_done = self._remaining == 0
            return
        self._framing = BodyFraming.UNTIL_CLOSE
        self._keep_alive = False

    def _next_chunk(self) -> bytes | None:
        buffer = self._buffer
        while True:
            if self._chunk_state == "data":
                if not buffer:
                    self._fail_if_closed("in the middle of a chunk")
                    return None
                piece = self._take_remaining()
                if not self._remaining:
                    self._chunk_state = "data-end"
                return piece
            end = buffer.find(b"\r\n")
            if end < 0:
                if len(buffer) > _MAX_CHUNK_LINE and self._chunk_state != "trailers":
                    raise _protocol_error("a chunk header line is too long")
                if len(buffer) > MAX_HEAD_BYTES:
                    raise _protocol_error(f"chunked trailers over {MAX_HEAD_BYTES} bytes")
                self._fail_if_closed("between chunks")
                return None
            line = bytes(buffer[:end])
            del buffer[: end + 2]
            if self._chunk_state == "data-end":
                if line:
                    raise _protocol_error("a chunk is longer than its declared size")
                self._chunk_state = "size"
            elif self._chunk_state == "size":
                match = _CHUNK_SIZE.fullmatch(line)
                if match is None:
                    raise _protocol_error(f"invalid chunk size line {line[:40]!r}")
                self._remaining = int(match.group(1), 16)
                self._chunk_state = "data" if self._remaining else "trailers"
            elif not line:  # the blank line after the trailers ends the message
                self._response_done = True
                return b""

    def _take_remaining(self) -> bytes:
        """Up to ``_remaining`` bytes of the buffer: the rest of the body or of a chunk."""
        take = min(self._remaining, len(self._buffer))
        piece = bytes(self._buffer[:take])
        del self._buffer[:take]
        self._remaining -= take
        return piece

    def _fail_if_closed(self, where: str) -> None:
        if self._eof:
            raise _protocol_error(f"the connection closed {where} of a chunked body")
