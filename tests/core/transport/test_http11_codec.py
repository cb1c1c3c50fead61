"""ClientCodec, the sans-IO HTTP/1.1 client framing: bytes in, bytes out, no sockets."""

from __future__ import annotations

from collections.abc import Sequence

import h11
import httpx2
import pytest

from pywats.transport.http11 import MAX_HEAD_BYTES, ClientCodec, ResponseHead

HOST = [(b"Host", b"wats.example")]


def sent(codec: ClientCodec, method: bytes = b"GET", target: bytes = b"/") -> None:
    """Put a body-less request on the codec, as the connection does before reading."""
    codec.request_head(method, target, HOST)
    codec.request_end()


def read_body(codec: ClientCodec) -> bytes:
    """The whole body; fails if the codec wants more data than was fed."""
    pieces: list[bytes] = []
    while True:
        piece = codec.response_body()
        assert piece is not None, "the codec is waiting for data that was already fed"
        if not piece:
            return b"".join(pieces)
        pieces.append(piece)


def exchange(
    response: bytes, method: bytes = b"GET", eof: bool = False
) -> tuple[ClientCodec, ResponseHead, bytes]:
    codec = ClientCodec()
    sent(codec, method)
    codec.receive(response)
    if eof:
        codec.receive(b"")
    head = codec.response_head()
    assert head is not None
    return codec, head, read_body(codec)


def fed_bytewise(
    response: bytes, method: bytes = b"GET", eof: bool = False
) -> tuple[ResponseHead, bytes]:
    codec = ClientCodec()
    sent(codec, method)
    head: ResponseHead | None = None
    body = bytearray()
    for i in range(len(response)):
        codec.receive(response[i : i + 1])
        if head is None:
            head = codec.response_head()
        if head is not None:
            while (piece := codec.response_body()) is not None and piece:
                body += piece
    if eof:
        codec.receive(b"")
    if head is None:
        head = codec.response_head()
    assert head is not None
    body += read_body(codec)
    return head, bytes(body)


# -- the request ------------------------------------------------------------------------------


def test_simple_get_head_bytes() -> None:
    codec = ClientCodec()
    head = codec.request_head(
        b"GET", b"/api/App/Version?x=1", [(b"Host", b"wats.example"), (b"Accept", b" */* ")]
    )
    assert head == (
        b"GET /api/App/Version?x=1 HTTP/1.1\r\nHost: wats.example\r\nAccept: */*\r\n\r\n"
    )
    assert codec.request_end() == b""


@pytest.mark.parametrize("bad", [b"a\r\nX-Injected: 1", b"a\nb", b"a\rb", b"a\x00b"])
def test_header_value_with_line_break_or_nul_is_refused(bad: bytes) -> None:
    with pytest.raises(httpx2.LocalProtocolError, match="line break or NUL"):
        ClientCodec().request_head(b"GET", b"/", [*HOST, (b"X-Test", bad)])


@pytest.mark.parametrize("name", [b"Bad Name", b"Bad:Name", b"", b"X-\r\nY", b"caf\xc3\xa9"])
def test_invalid_header_name_is_refused(name: bytes) -> None:
    with pytest.raises(httpx2.LocalProtocolError, match="invalid header name"):
        ClientCodec().request_head(b"GET", b"/", [*HOST, (name, b"v")])


@pytest.mark.parametrize("method", [b"GET /evil", b"", b"G\r\nET", b"P(O)ST"])
def test_invalid_method_is_refused(method: bytes) -> None:
    with pytest.raises(httpx2.LocalProtocolError, match="invalid HTTP method"):
        ClientCodec().request_head(method, b"/", HOST)


@pytest.mark.parametrize("target", [b"/a b", b"/a\r\nHost: x", b"", b"/\x00", b"/tab\there"])
def test_target_with_spaces_or_controls_is_refused(target: bytes) -> None:
    with pytest.raises(httpx2.LocalProtocolError, match="invalid request target"):
        ClientCodec().request_head(b"GET", target, HOST)


def test_missing_host_is_refused() -> None:
    with pytest.raises(httpx2.LocalProtocolError, match="Host header"):
        ClientCodec().request_head(b"GET", b"/", [(b"Accept", b"*/*")])


def test_second_request_before_the_response_is_refused() -> None:
    codec = ClientCodec()
    sent(codec)
    with pytest.raises(httpx2.LocalProtocolError, match="already in progress"):
        codec.request_head(b"GET", b"/", HOST)


def test_chunked_request_body_encoding_and_terminator() -> None:
    codec = ClientCodec()
    head = codec.request_head(b"POST", b"/up", [*HOST, (b"Transfer-Encoding", b"chunked")])
    assert head.endswith(b"Transfer-Encoding: chunked\r\n\r\n")
    out = codec.request_body(b"hello") + codec.request_body(b"") + codec.request_body(b"x" * 26)
    out += codec.request_end()
    assert out == b"5\r\nhello\r\n" + b"1a\r\n" + b"x" * 26 + b"\r\n" + b"0\r\n\r\n"


def test_length_framed_request_body_is_passed_through() -> None:
    codec = ClientCodec()
    codec.request_head(b"POST", b"/up", [*HOST, (b"Content-Length", b"5")])
    assert codec.request_body(b"hello") + codec.request_end() == b"hello"


# -- response framing -------------------------------------------------------------------------


def test_content_length_body() -> None:
    codec, head, body = exchange(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello")
    assert (head.status_code, head.reason, head.http_version) == (200, b"OK", b"1.1")
    assert head.headers == [(b"Content-Length", b"5"), (b"X-A", b"b")]
    assert body == b"hello"
    assert codec.reusable()


def test_content_length_body_does_not_read_past_its_end() -> None:
    codec = ClientCodec()
    sent(codec)
    codec.receive(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcEXTRA")
    assert codec.response_head() is not None
    assert read_body(codec) == b"abc"
    assert not codec.reusable()  # the server sent bytes nobody asked for


def test_chunked_body_with_extensions_and_trailers() -> None:
    raw = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5;name=value\r\nhello\r\n"
        b"7 ; ext\r\n, world\r\n"
        b"0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n"
    )
    codec, head, body = exchange(raw)
    assert head.status_code == 200
    assert body == b"hello, world"
    assert codec.reusable()


def test_until_close_body() -> None:
    codec, _, body = exchange(b"HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nall of this", eof=True)
    assert body == b"all of this"
    assert not codec.reusable()


def test_until_close_body_waits_for_eof() -> None:
    codec = ClientCodec()
    sent(codec)
    codec.receive(b"HTTP/1.1 200 OK\r\n\r\npart")
    assert codec.response_head() is not None
    assert codec.response_body() == b"part"
    assert codec.response_body() is None  # more may come until the server closes
    codec.receive(b"")
    assert codec.response_body() == b""


@pytest.mark.parametrize(
    ("method", "status"), [(b"HEAD", 200), (b"GET", 204), (b"GET", 304), (b"HEAD", 404)]
)
def test_head_204_304_have_no_body(method: bytes, status: int) -> None:
    # A Content-Length here describes the body a GET would have had, not bytes that follow.
    raw = b"HTTP/1.1 %d X\r\nContent-Length: 42\r\n\r\n" % status
    codec, head, body = exchange(raw, method=method)
    assert head.status_code == status
    assert body == b""
    assert codec.reusable()


def test_100_continue_then_200_is_parsed_as_the_200() -> None:
    raw = (
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    )
    codec, head, body = exchange(raw)
    assert head.status_code == 200
    assert head.headers == [(b"Content-Length", b"2")]
    assert body == b"ok"
    assert codec.reusable()


def test_101_switching_protocols_is_refused() -> None:
    codec = ClientCodec()
    sent(codec)
    codec.receive(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")
    with pytest.raises(httpx2.RemoteProtocolError, match="switched protocols"):
        codec.response_head()


# -- keep-alive ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", id="http-1.0"),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", id="close"
        ),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nConnection: Keep-Alive, CLOSE\r\nContent-Length: 2\r\n\r\nok",
            id="close-in-a-list",
        ),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n"
            b"2\r\nok\r\n0\r\n\r\n",
            id="te-and-cl",
        ),
    ],
)
def test_responses_that_end_the_connection(raw: bytes) -> None:
    codec, _, body = exchange(raw)
    assert body == b"ok"  # the body itself is still read correctly
    assert not codec.reusable()


def test_request_with_connection_close_is_not_reusable() -> None:
    codec = ClientCodec()
    codec.request_head(b"GET", b"/", [*HOST, (b"Connection", b"close")])
    codec.request_end()
    codec.receive(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    assert codec.response_head() is not None
    assert read_body(codec) == b""
    assert not codec.reusable()


def test_keep_alive_response_readies_the_codec_for_the_next_request() -> None:
    codec = ClientCodec()
    for n in range(3):
        sent(codec, target=b"/%d" % n)
        codec.receive(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n%d" % n)
        head = codec.response_head()
        assert head is not None and head.status_code == 200
        assert read_body(codec) == b"%d" % n
        assert codec.reusable()


def test_not_reusable_before_the_response_is_complete() -> None:
    codec = ClientCodec()
    sent(codec)
    codec.receive(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab")
    assert codec.response_head() is not None
    assert codec.response_body() == b"ab"
    assert not codec.reusable()


def test_not_reusable_before_the_request_was_ended() -> None:
    codec = ClientCodec()
    codec.request_head(b"POST", b"/", [*HOST, (b"Content-Length", b"10")])
    codec.receive(b"HTTP/1.1 413 Too Large\r\nContent-Length: 0\r\n\r\n")
    assert codec.response_head() is not None
    assert read_body(codec) == b""
    assert not codec.reusable()  # half a request body went out; the connection is poisoned


# -- malformed responses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", "invalid Content-Length"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "invalid Content-Length"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "Content-Length"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\n", "invalid Content-Length"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "unsupported transfer encoding"),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            "unsupported transfer encoding",
        ),
        (b"HTTP/1.1 200 OK\r\nX-A: 1\r\n  continued\r\n\r\n", "obsolete line folding"),
        (b"HTTP/1.1 OK\r\n\r\n", "not a status line"),
        (b"HTTP/2 200 OK\r\n\r\n", "not a status line"),
        (b"ICY 200 OK\r\n\r\n", "not a status line"),
        (b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "malformed header line"),
        (b"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "malformed header line"),
    ],
)
def test_malformed_heads_are_refused_with_the_problem_named(raw: bytes, message: str) -> None:
    codec = ClientCodec()
    sent(codec)
    codec.receive(raw)
    with pytest.raises(httpx2.RemoteProtocolError, match=message):
        codec.response_head()


def test_repeated_identical_content_length_is_accepted() -> None:
    _, _, body = exchange(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok")
    assert body == b"ok"


def test_head_growing_without_end_is_refused_once_over_the_limit() -> None:
    codec = ClientCodec()
    sent(codec)
    codec.receive(b"HTTP/1.1 200 OK\r\n")
    filler = b"X-Filler: " + b"a" * 1000 + b"\r\n"
    fed = 0
    with pytest.raises(httpx2.RemoteProtocolError, match=f"over {MAX_HEAD_BYTES} bytes"):
        while fed <= 2 * MAX_HEAD_BYTES:  # bounded: a codec that buffers forever fails here
            assert codec.response_head() is None
            codec.receive(filler)
            fed += len(filler)
    assert fed <= MAX_HEAD_BYTES + len(filler)


def test_oversized_head_error_message() -> None:
    codec = ClientCodec()
    sent(codec)
    codec.receive(b"HTTP/1.1 200 OK\r\n" + b"X: y\r\n" * (MAX_HEAD_BYTES // 6 + 10))
    with pytest.raises(httpx2.RemoteProtocolError, match="response headers over"):
        codec.response_head()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"5\r\nhello\r\nZZ\r\n", "invalid chunk size"),
        (b"3\r\nhello\r\n", "longer than its declared size"),
        (b"1" * 2000, "chunk header line is too long"),
    ],
)
def test_malformed_chunks_are_refused(raw: bytes, message: str) -> None:
    codec = ClientCodec()
    sent(codec)
    codec.receive(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + raw)
    assert codec.response_head() is not None
    with pytest.raises(httpx2.RemoteProtocolError, match=message):
        read_body(codec)


# -- the server closing early ----------------------------------------------------------------------


def test_eof_before_any_byte() -> None:
    codec = ClientCodec()
    sent(codec)
    assert codec.response_head() is None and codec.buffered == 0  # waiting, nothing received
    codec.receive(b"")
    with pytest.raises(
        httpx2.RemoteProtocolError, match=r"^Server disconnected without sending a response\.$"
    ):
        codec.response_head()


def test_eof_mid_head() -> None:
    codec = ClientCodec()
    sent(codec)
    codec.receive(b"HTTP/1.1 200 OK\r\nContent-Le")
    assert codec.response_head() is None
    codec.receive(b"")
    with pytest.raises(httpx2.RemoteProtocolError, match="in the middle of the headers"):
        codec.response_head()


def test_eof_mid_length_body() -> None:
    codec = ClientCodec()
    sent(codec)
    codec.receive(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
    assert codec.response_head() is not None
    assert codec.response_body() == b"abc"
    codec.receive(b"")
    with pytest.raises(httpx2.RemoteProtocolError, match="7 body bytes still to come"):
        codec.response_body()


@pytest.mark.parametrize(
    ("tail", "where"),
    [
        (b"5\r\nhel", "in the middle of a chunk"),
        (b"5\r\nhello\r\n", "between chunks"),
        (b"5\r\nhello\r\n0\r\nX-Trailer: 1\r\n", "between chunks"),
        (b"5", "between chunks"),
    ],
)
def test_eof_mid_chunked_body(tail: bytes, where: str) -> None:
    codec = ClientCodec()
    sent(codec)
    codec.receive(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + tail)
    codec.receive(b"")
    assert codec.response_head() is not None
    with pytest.raises(httpx2.RemoteProtocolError, match=where):
        read_body(codec)


# -- incremental parsing and the differential test against h11 -------------------------------

CORPUS: list[tuple[str, bytes, bytes, bool]] = [
    # (id, method, response bytes, server closes after it)
    ("cl", b"GET", b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", False),
    ("cl-zero", b"GET", b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", False),
    (
        "cl-json-many-headers",
        b"GET",
        b"HTTP/1.1 201 Created\r\nContent-Type: application/json; charset=utf-8\r\n"
        b"Server: Kestrel\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Empty:\r\n"
        b'Date: Thu, 26 Nov 2026 09:00:00 GMT\r\nContent-Length: 11\r\n\r\n{"a": [1]}\n',
        False,
    ),
    (
        "chunked",
        b"GET",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"4\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n",
        False,
    ),
    (
        "chunked-ext-trailers",
        b"GET",
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n"
        b"3;a=b\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n",
        False,
    ),
    (
        "chunked-empty",
        b"GET",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        False,
    ),
    ("until-close", b"GET", b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nto the end", True),
    ("http10-cl", b"GET", b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", False),
    ("http10-until-close", b"GET", b"HTTP/1.0 200 OK\r\n\r\nold school", True),
    (
        "connection-close",
        b"GET",
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\nbye",
        False,
    ),
    ("head", b"HEAD", b"HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", False),
    ("204", b"DELETE", b"HTTP/1.1 204 No Content\r\n\r\n", False),
    ("304", b"GET", b'HTTP/1.1 304 Not Modified\r\nETag: "x"\r\n\r\n', False),
    (
        "100-continue",
        b"POST",
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone",
        False,
    ),
    (
        "404-no-reason-odd-spacing",
        b"GET",
        b"HTTP/1.1 404 \r\nX-Spaces:   padded value  \r\nContent-Length: 9\r\n\r\nnot found",
        False,
    ),
    (
        "500-keep-alive-header",
        b"GET",
        b"HTTP/1.1 500 Internal Server Error\r\nConnection: keep-alive\r\n"
        b"Content-Length: 4\r\n\r\noops",
        False,
    ),
    (
        "binary",
        b"GET",
        b"HTTP/1.1 200 OK\r\nContent-Length: 256\r\n\r\n" + bytes(range(256)),
        False,
    ),
    (
        "bare-lf-line-endings",
        b"GET",
        b"HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 8\n\nbody\r\n\r\n",
        False,
    ),
    (
        "mixed-line-endings",
        b"GET",
        b"HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 2\r\n\nok",
        False,
    ),
]


def normalized(headers: Sequence[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Names lower-cased; h11 also lower-cases Transfer-Encoding values, which are
    case-insensitive tokens."""
    return [
        (name.lower(), value.lower() if name.lower() == b"transfer-encoding" else value)
        for name, value in headers
    ]


def h11_exchange(
    method: bytes, raw: bytes, closes: bool
) -> tuple[int, list[tuple[bytes, bytes]], bytes, bool]:
    """What h11 makes of the same exchange: status, headers, body, connection reusable."""
    conn = h11.Connection(h11.CLIENT)
    conn.send(h11.Request(method=method, target=b"/", headers=HOST))
    conn.send(h11.EndOfMessage())
    conn.receive_data(raw)
    if closes:
        conn.receive_data(b"")
    status = 0
    headers: list[tuple[bytes, bytes]] = []
    body = bytearray()
    while True:
        event = conn.next_event()
        if isinstance(event, h11.Response):
            status = event.status_code
            headers = normalized(event.headers.raw_items())
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage):
            break
        elif isinstance(event, h11.InformationalResponse):
            continue
        else:  # pragma: no cover
            raise AssertionError(f"h11 wanted more data or closed: {event!r}")
    if closes:  # h11 reports the close as its own event, after the end of the message
        assert isinstance(conn.next_event(), h11.ConnectionClosed)
    reusable = conn.our_state is h11.DONE and conn.their_state is h11.DONE
    return status, headers, bytes(body), reusable


@pytest.mark.parametrize(
    ("method", "raw", "closes"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS]
)
def test_agrees_with_h11(method: bytes, raw: bytes, closes: bool) -> None:
    codec, head, body = exchange(raw, method=method, eof=closes)
    ours = (
        head.status_code,
        normalized(head.headers),
        body,
        codec.reusable(),
    )
    assert ours == h11_exchange(method, raw, closes)


@pytest.mark.parametrize(
    ("method", "raw", "closes"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS]
)
def test_one_byte_at_a_time_gives_the_same_result(method: bytes, raw: bytes, closes: bool) -> None:
    _, whole_head, whole_body = exchange(raw, method=method, eof=closes)
    assert fed_bytewise(raw, method=method, eof=closes) == (whole_head, whole_body)


def _names(headers: Sequence[tuple[bytes, bytes]]) -> list[bytes]:
    return [name for name, _ in headers]


def test_header_order_and_case_are_kept() -> None:
    _, head, _ = exchange(
        b"HTTP/1.1 200 OK\r\nX-B: 1\r\nx-a: 2\r\nSet-Cookie: a\r\nSet-Cookie: b\r\n"
        b"Content-Length: 0\r\n\r\n"
    )
    assert _names(head.headers) == [b"X-B", b"x-a", b"Set-Cookie", b"Set-Cookie", b"Content-Length"]
