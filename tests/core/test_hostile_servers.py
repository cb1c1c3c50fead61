"""Servers that misbehave on purpose, over real loopback sockets: nothing they do can hang a
script, exhaust its memory, smuggle a request or escape as anything but a WATSError."""

from __future__ import annotations

import asyncio
import time
import tracemalloc

import httpx2
import pytest

from pywats import AsyncWATS
from pywats.errors import (
    WATSConnectionError,
    WATSError,
    WATSRedirectError,
    WATSResponseTooLargeError,
    WATSServerError,
    WATSTimeoutError,
    WATSUnexpectedResponseError,
    WATSValidationError,
)
from pywats.http import AsyncHttpClient
from pywats.transport import AiohttpTransport
from tests.support.raw_http_server import RawServer, Request, answering, read_request, response

TOKEN = "ZW11bGF0b3I6c2VjcmV0LXZhbHVl"  # base64("emulator:secret-value")


def client(url: str, **options: object) -> AsyncHttpClient:
    return AsyncHttpClient.create(url, TOKEN, max_retries=0, trust_env=False, **options)  # type: ignore[arg-type]


async def endless_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answers 200 with a chunked body that never ends (until the client goes away)."""
    await read_request(reader)
    writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    piece = b"[" * 65536
    chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    while True:
        writer.write(chunk)
        await writer.drain()


async def test_an_endless_body_stops_at_max_response_bytes_with_bounded_memory() -> None:
    limit = 2 * 1024 * 1024
    async with (
        RawServer(endless_body) as server,
        client(server.url, max_response_bytes=limit) as http,
    ):
        tracemalloc.start()
        try:
            with pytest.raises(WATSResponseTooLargeError) as caught:
                await http.get_json("/api/App/Version")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert caught.value.limit == limit
    assert "max_response_bytes" in str(caught.value) and "2,097,152" in str(caught.value)
    # What was read is held once (plus a chunk or two in flight), never the endless stream.
    assert peak < 3 * limit, f"peak {peak:,} bytes for a {limit:,} byte limit"


async def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    async def huge(request: Request) -> bytes:
        return b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n" + b"{" * 1000

    async with (
        RawServer(answering(huge)) as server,
        client(server.url, max_response_bytes=4096) as http,
    ):
        with pytest.raises(WATSResponseTooLargeError, match="announces 99,999,999,999 bytes"):
            await http.get_json("/x")


async def test_a_trickling_server_ends_within_the_deadline() -> None:
    async def trickle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
        while True:  # one byte at a time, each well inside the read timeout
            writer.write(b" ")
            await writer.drain()
            await asyncio.sleep(0.05)

    async with RawServer(trickle) as server, client(server.url, deadline=1.0) as http:
        started = time.monotonic()
        with pytest.raises(WATSTimeoutError) as caught:
            await http.get_json("/api/App/Version")
        elapsed = time.monotonic() - started
    assert caught.value.phase == "deadline"
    assert elapsed < 3.0


async def test_an_upload_is_not_cut_off_by_the_interactive_deadline() -> None:
    # The TUI's calls end after 30 s; a package upload on a slow line takes longer than that.
    async def slow_to_take(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(1.0)  # longer than the deadline below
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()

    async with RawServer(slow_to_take) as server, client(server.url, deadline=0.3) as http:
        response = await http.request("POST", "/upload", files={"file": ("a.zip", b"PK", "x")})
        assert response.status_code == 200
        with pytest.raises(WATSTimeoutError) as caught:  # an upload can still be given one
            await http.request(
                "POST", "/upload", files={"file": ("a.zip", b"PK", "x")}, deadline=0.3
            )
        assert caught.value.phase == "deadline"


def test_every_call_has_a_finite_deadline_unless_the_caller_asks_for_none() -> None:
    assert client("http://127.0.0.1:9").deadline == 300.0
    assert client("http://127.0.0.1:9", deadline=None).deadline is None


async def test_test_connection_returns_within_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that accepts and never answers: test_connection still says False in time."""
    import pywats.client

    assert pywats.client.TEST_CONNECTION_DEADLINE <= 15.0
    monkeypatch.setattr(pywats.client, "TEST_CONNECTION_DEADLINE", 0.5)

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(60)

    async with RawServer(silent) as server, AsyncWATS(server.url, TOKEN, trust_env=False) as wats:
        started = time.monotonic()
        assert await wats.test_connection() is False
        assert time.monotonic() - started < 2.0


async def test_caller_framing_headers_cannot_smuggle_a_second_request() -> None:
    seen: list[Request] = []

    async def ok(request: Request) -> bytes:
        return response(200, b'"ok"')

    hidden = b"x" * 5 + b"DELETE /api/Product/PCB-1001 HTTP/1.1\r\nHost: x\r\n\r\n"
    async with RawServer(answering(ok, seen)) as server:
        async with client(server.url) as http:
            for header in ("Content-Length", "transfer-encoding"):
                with pytest.raises(WATSValidationError, match="set by the HTTP stack"):
                    await http.request("POST", "/api/x", content=hidden, headers={header: "5"})
        assert seen == []  # refused before anything was sent
        # Below the SDK, the transport frames from the body whatever a raw request says.
        async with httpx2.AsyncClient(transport=AiohttpTransport(), base_url=server.url) as raw:
            request = raw.build_request("POST", "/api/x", content=hidden)
            request.headers["Content-Length"] = "5"
            assert (await raw.send(request)).status_code == 200
            assert (await raw.get("/after")).status_code == 200
    assert [(r.method, r.target) for r in seen] == [("POST", "/api/x"), ("GET", "/after")]
    assert seen[0].body == hidden


async def test_a_redirect_is_not_followed_and_says_where_it_points() -> None:
    async def moved(request: Request) -> bytes:
        return response(302, b"", [("Location", "https://wats.example.com/login?user=a:b@c")])

    async with RawServer(answering(moved)) as server, client(server.url) as http:
        with pytest.raises(WATSRedirectError) as caught:
            await http.get_json("/api/App/Version")
    assert caught.value.status_code == 302
    assert "https://wats.example.com/login" in str(caught.value)


@pytest.mark.parametrize(
    ("body", "what"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"1" * 5000, "digits"),
        (b'"\xff\xfe broken utf-8"', "utf-8"),
        (b"<html><body>Login</body></html>", "HTML page"),
        (b'{"truncated": ', "Expecting value"),
    ],
)
async def test_garbage_json_is_an_unexpected_response(body: bytes, what: str) -> None:
    async def garbage(request: Request) -> bytes:
        return response(200, body, [("Content-Type", "application/json")])

    async with RawServer(answering(garbage)) as server, client(server.url) as http:
        with pytest.raises(WATSUnexpectedResponseError) as caught:
            await http.get_json("/api/App/Version")
    assert what.lower() in str(caught.value).lower()


async def test_an_error_body_nested_too_deeply_is_still_a_status_error() -> None:
    async def deep_500(request: Request) -> bytes:
        return response(500, b"[" * 100_000, [("Content-Type", "application/json")])

    async with RawServer(answering(deep_500)) as server, client(server.url) as http:
        with pytest.raises(WATSServerError):
            await http.get_json("/api/App/Version")


async def test_server_text_quoted_in_an_error_has_the_token_and_credentials_redacted() -> None:
    async def echoing(request: Request) -> bytes:
        auth = request.headers["authorization"]
        text = (
            f'{{"message": "denied for {auth}; user emulator:secret-value; token {TOKEN}; '
            f'proxy http://ops:hunter2@proxy.local:3128"}}'
        )
        return response(401, text.encode(), [("Content-Type", "application/json")])

    async with RawServer(answering(echoing)) as server, client(server.url) as http:
        with pytest.raises(WATSError) as caught:
            await http.get_json("/api/App/Version")
    shown = f"{caught.value} {caught.value.__dict__}"
    for secret in (TOKEN, "secret-value", "hunter2"):
        assert secret not in shown
    assert "***" in shown


@pytest.mark.parametrize("where", ["path", "param", "body"])
async def test_a_lone_surrogate_is_a_validation_error_naming_the_argument(where: str) -> None:
    async def ok(request: Request) -> bytes:
        return response(200)

    async with RawServer(answering(ok)) as server, client(server.url) as http:
        with pytest.raises(WATSValidationError) as caught:
            if where == "path":
                await http.request("GET", "/api/Unit/\udcff")
            elif where == "param":
                await http.request("GET", "/api/x", params={"serialNumber": "SN\udcff"})
            else:
                await http.request("POST", "/api/x", json_body={"unit": {"sn": ["\udcff"]}})
    expected = {"path": "path", "param": "serialNumber", "body": "body.unit.sn[0]"}[where]
    assert caught.value.field == expected


async def test_a_lone_surrogate_in_a_service_argument_names_it(emulator: object) -> None:
    async with AsyncWATS(**emulator.sdk_kwargs()) as wats:  # type: ignore[attr-defined]
        with pytest.raises(WATSValidationError) as caught:
            await wats.production.get_unit("SN-\udcff", "PCB-1001")
    assert caught.value.field == "serial_number"


class DroppingRelay:
    """A TCP relay to a real server that drops the first ``drop`` answers: each such request
    reaches the server and is processed, then the client's connection is closed before any
    byte of the answer arrives (a lost answer: the case where resending can duplicate)."""

    def __init__(self, upstream_port: int, drop: int) -> None:
        self.upstream_port = upstream_port
        self.drop = drop
        self.requests = 0
        self.port = 0
        self._server: asyncio.Server | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        try:
            while (request := await read_request(reader)) is not None:
                self.requests += 1
                head = f"{request.method} {request.target} HTTP/1.1\r\n" + "".join(
                    f"{k}: {v}\r\n"
                    for k, v in request.headers.items()
                    if k not in ("content-length", "transfer-encoding", "connection")
                )
                head += f"Content-Length: {len(request.body)}\r\nConnection: close\r\n\r\n"
                up_writer.write(head.encode("latin-1") + request.body)
                await up_writer.drain()
                answer = await up_reader.read()  # the server's whole answer, then it closes
                if self.drop > 0:
                    self.drop -= 1
                    return  # processed upstream; the client never hears back
                writer.write(answer)
                await writer.drain()
                return
        finally:
            up_writer.close()
            writer.close()

    async def __aenter__(self) -> DroppingRelay:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()


def _report(serial: str) -> object:
    from pywats import UUTBuilder

    builder = UUTBuilder(
        part_number="PCB-1001", revision="A", serial_number=serial, process_code=100,
        station="ICT-01", location="Line 1", purpose="Production", operator="ola",
    )  # fmt: skip
    with builder.sequence("Power") as power:
        power.numeric("VCC 3V3", 3.31, "V", low=3.2, high=3.4)
    return builder.build()


async def _headers_for(server: object, serial: str) -> int:
    async with AsyncWATS(server.url, server.token, trust_env=False) as wats:  # type: ignore[attr-defined]
        return len(await wats.report.find_headers(serial_number=serial))


async def test_a_post_whose_answer_was_lost_is_not_resent(emulator_server: object) -> None:
    from pywats import dump_wsjf

    port = int(emulator_server.url.rsplit(":", 1)[1])  # type: ignore[attr-defined]
    async with DroppingRelay(port, drop=1) as relay:
        url = f"http://127.0.0.1:{relay.port}"
        http = AsyncHttpClient.create(url, emulator_server.token, trust_env=False)  # type: ignore[attr-defined]
        async with http:
            with pytest.raises(WATSConnectionError, match="may or may not have processed"):
                await http.request(
                    "POST",
                    "/api/Report/WSJF",
                    content=dump_wsjf(_report("DUP-0001")),  # type: ignore[arg-type]
                    headers={"Content-Type": "application/json"},
                )
    assert relay.requests == 1  # maybe sent: a plain POST is never resent
    assert await _headers_for(emulator_server, "DUP-0001") == 1


async def test_an_idempotent_report_submit_is_resent_and_stored_once(
    emulator_server: object,
) -> None:
    port = int(emulator_server.url.rsplit(":", 1)[1])  # type: ignore[attr-defined]
    report = _report("DUP-0002")
    async with DroppingRelay(port, drop=1) as relay:
        url = f"http://127.0.0.1:{relay.port}"
        async with AsyncWATS(url, emulator_server.token, trust_env=False) as wats:  # type: ignore[attr-defined]
            wats.http._sleep = lambda _s: asyncio.sleep(0)  # no backoff wait in the test
            report_id = await wats.report.submit(report)  # type: ignore[arg-type]
    assert relay.requests == 2  # the lost answer, then the resend
    assert report_id == str(report.id)  # type: ignore[attr-defined]
    assert await _headers_for(emulator_server, "DUP-0002") == 1  # the resend replaced it


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"json_body": {"value": float("nan")}}, "request"),  # httpx2 refuses NaN in JSON
        ({"json_body": {"tags": {1, 2}}}, "request"),  # not JSON at all
        ({"headers": {"X-Note": "a\r\nX-Evil: 1"}}, "header X-Note"),
        ({"headers": {"X-Note": "bell\x07"}}, "header X-Note"),
    ],
)
async def test_input_that_cannot_be_sent_is_a_validation_error(
    kwargs: dict[str, object], field: str
) -> None:
    seen: list[Request] = []

    async def ok(request: Request) -> bytes:
        return response(200)

    async with RawServer(answering(ok, seen)) as server, client(server.url) as http:
        with pytest.raises(WATSValidationError) as caught:
            await http.request("POST", "/api/x", **kwargs)  # type: ignore[arg-type]
        assert http.transport.in_flight == 0  # type: ignore[attr-defined]
    assert caught.value.field == field
    assert seen == []


async def test_an_error_body_too_deep_to_redact_is_still_a_status_error() -> None:
    async def deep_400(request: Request) -> bytes:
        return response(400, b"[" * 800 + b"]" * 800, [("Content-Type", "application/json")])

    async with RawServer(answering(deep_400)) as server, client(server.url) as http:
        with pytest.raises(WATSError) as caught:
            await http.get_json("/api/App/Version")
    assert caught.value.status_code == 400  # type: ignore[attr-defined]
