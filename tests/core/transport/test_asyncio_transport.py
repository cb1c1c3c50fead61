"""AsyncioTransport under httpx2.AsyncClient, against loopback servers scripted at byte level."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import NoReturn

import httpx2
import pytest

from pywats.http import AsyncHttpClient
from pywats.transport import AsyncioTransport
from pywats.transport.connection import HTTP11Connection, Origin
from tests.support.loopback_server import free_port
from tests.support.raw_http_server import RawServer, Request, answering, read_request, response


async def echo_target(request: Request) -> bytes:
    return response(200, request.target.encode())


def echo_after(delay: float) -> Callable[[Request], Awaitable[bytes]]:
    """``echo_target`` answering after ``delay`` seconds: requests overlap at the server."""

    async def slow(request: Request) -> bytes:
        await asyncio.sleep(delay)
        return await echo_target(request)

    return slow


@asynccontextmanager
async def client_for(
    server: RawServer | None = None, **limits: float | None
) -> AsyncIterator[tuple[httpx2.AsyncClient, AsyncioTransport]]:
    transport = AsyncioTransport(limits=httpx2.Limits(**limits), trust_env=False)  # type: ignore[arg-type]
    base_url = server.url if server is not None else ""
    async with httpx2.AsyncClient(
        transport=transport, base_url=base_url, timeout=5.0, trust_env=False
    ) as client:
        yield client, transport


def record_connections(transport: AsyncioTransport) -> list[HTTP11Connection]:
    """The connections the pool opens from now on (observed, not replaced)."""
    opened: list[HTTP11Connection] = []
    pool = transport.pool
    connect: Callable[[Origin, float | None], Awaitable[HTTP11Connection]] = pool._connect

    async def recording(origin: Origin, timeout: float | None) -> HTTP11Connection:
        connection = await connect(origin, timeout)
        opened.append(connection)
        return connection

    pool._connect = recording
    return opened


async def test_sequential_requests_reuse_one_connection() -> None:
    async with RawServer(answering(echo_target)) as server, client_for(server) as (client, t):
        for n in range(20):
            resp = await client.get(f"/n/{n}")
            assert (resp.status_code, resp.text) == (200, f"/n/{n}")
        assert server.connections == 1
        assert (t.pool.open_connections, t.pool.idle_connections) == (1, 1)


async def test_head_204_and_chunked_responses_keep_the_connection() -> None:
    async def mixed(request: Request) -> bytes:
        if request.target == "/204":
            return response(204)
        if request.target == "/chunked":
            return response(
                200,
                b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nX-T: 1\r\n\r\n",
                [("Transfer-Encoding", "chunked")],
            )
        if request.method == "HEAD":  # the head a GET would get, without its body
            return response(200, b"", [("Content-Length", "12")])
        return response(200, b"twelve bytes")

    async with RawServer(answering(mixed)) as server, client_for(server) as (client, _):
        head = await client.head("/")
        assert (head.status_code, head.content, head.headers["content-length"]) == (200, b"", "12")
        assert (await client.get("/204")).status_code == 204
        assert (await client.get("/chunked")).content == b"abcde"
        assert (await client.get("/")).content == b"twelve bytes"
        assert server.connections == 1


async def test_connection_close_from_the_server_is_honoured() -> None:
    async def closing(request: Request) -> bytes:
        return response(200, b"ok", [("Connection", "close")])

    async with RawServer(answering(closing)) as server, client_for(server) as (client, t):
        for _ in range(3):
            assert (await client.get("/")).text == "ok"
        assert server.connections == 3
        assert t.pool.open_connections == 0


async def test_max_connections_bounds_concurrent_requests() -> None:
    async with (
        RawServer(answering(echo_after(0.03))) as server,
        client_for(server, max_connections=2, max_keepalive_connections=2) as (client, t),
    ):
        responses = await asyncio.gather(*(client.get(f"/{n}") for n in range(10)))
        assert [r.text for r in responses] == [f"/{n}" for n in range(10)]
        assert server.max_active <= 2
        assert server.connections == 2
        assert t.pool.open_connections == 2


async def test_pool_timeout_when_every_connection_is_lent() -> None:
    async with (
        RawServer(answering(echo_target)) as server,
        client_for(server, max_connections=1) as (client, t),
    ):
        async with client.stream("GET", "/held") as held:
            assert held.status_code == 200  # its body unread: the one connection is lent out
            started = time.perf_counter()
            with pytest.raises(httpx2.PoolTimeout, match="no connection became free"):
                await client.get("/", timeout=httpx2.Timeout(5.0, pool=0.1))
            assert 0.09 < time.perf_counter() - started < 1.0
        assert (await client.get("/after")).text == "/after"  # the slot came back
        assert t.pool.open_connections == 1


async def test_a_waiter_gets_the_connection_when_it_is_given_back() -> None:
    async with (
        RawServer(answering(echo_target)) as server,
        client_for(server, max_connections=1) as (client, _),
    ):
        async with client.stream("GET", "/first") as first:
            waiting = asyncio.create_task(client.get("/second"))
            await asyncio.sleep(0.05)
            assert not waiting.done()
            assert await first.aread() == b"/first"
        assert (await asyncio.wait_for(waiting, 2)).text == "/second"
        assert server.connections == 1


async def test_a_waiter_cancelled_after_being_woken_passes_its_turn_on() -> None:
    async with (
        RawServer(answering(echo_target)) as server,
        client_for(server, max_connections=1) as (client, t),
    ):
        async with client.stream("GET", "/held") as held:
            first = asyncio.create_task(client.get("/first"))
            second = asyncio.create_task(client.get("/second"))
            await asyncio.sleep(0.05)  # both queue for the one connection
            await held.aread()  # gives the connection back and wakes `first`...
            first.cancel()  # ...which is cancelled before it runs
        assert (await asyncio.wait_for(second, 2)).text == "/second"
        with pytest.raises(asyncio.CancelledError):
            await first
        assert t.pool.open_connections == t.pool.idle_connections == 1
        assert server.connections == 1


async def test_keep_alive_limit_closes_the_surplus_idle_connections() -> None:
    async with (
        RawServer(answering(echo_after(0.03))) as server,
        client_for(server, max_connections=5, max_keepalive_connections=1) as (client, t),
    ):
        responses = await asyncio.gather(*(client.get(f"/{n}") for n in range(3)))
        assert [r.status_code for r in responses] == [200] * 3
        assert server.connections == 3
        assert (t.pool.open_connections, t.pool.idle_connections) == (1, 1)
        await server.wait_idle_count(1)  # the server saw the two surplus ones closed


async def test_a_full_pool_closes_an_idle_connection_to_another_origin() -> None:
    async with (
        RawServer(answering(echo_target)) as first,
        RawServer(answering(echo_target)) as second,
        client_for(max_connections=1) as (client, t),
    ):
        assert (await client.get(f"{first.url}/a")).text == "/a"
        pool_timeout = httpx2.Timeout(5.0, pool=0.5)
        assert (await client.get(f"{second.url}/b", timeout=pool_timeout)).text == "/b"
        await first.wait_idle()  # its idle connection was closed to make room
        assert t.pool.open_connections == 1
        assert (await client.get(f"{second.url}/c")).text == "/c"
        assert second.connections == 1


async def test_an_answer_sent_before_the_server_stopped_reading_an_upload_is_returned() -> None:
    async def refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader, read_body=False)
        writer.write(response(413, b"too big", [("Connection", "close")]))
        await writer.drain()

    async with RawServer(refuse) as server, client_for(server) as (client, t):
        resp = await client.post("/upload", content=bytes(32 * 1024 * 1024))
        assert (resp.status_code, resp.text) == (413, "too big")
        assert t.pool.open_connections == 0


async def test_waiters_are_served_before_later_requests() -> None:
    async with (
        RawServer(answering(echo_after(0.002))) as server,
        client_for(server, max_connections=1) as (
            client,
            _,
        ),
    ):
        busy_done = 0

        async def busy() -> None:
            nonlocal busy_done
            for n in range(30):
                await client.get(f"/busy/{n}")
                busy_done += 1

        busy_task = asyncio.create_task(busy())
        await asyncio.sleep(0.001)  # the busy task holds the connection now
        assert (await client.get("/waiter")).text == "/waiter"
        waiter_served_after = busy_done
        await busy_task
        # FIFO: the waiter queued during the busy task's first request, before its second.
        assert waiter_served_after <= 2


async def test_read_timeout_when_the_server_does_not_answer() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(30)

    async with RawServer(silent) as server, client_for(server) as (client, t):
        started = time.perf_counter()
        with pytest.raises(httpx2.ReadTimeout, match=r"within 0\.2 s"):
            await client.get("/", timeout=httpx2.Timeout(5.0, read=0.2))
        assert time.perf_counter() - started < 1.5
        assert t.pool.open_connections == 0


async def test_read_timeout_in_the_middle_of_a_body_frees_the_slot() -> None:
    async def stalls(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        await writer.drain()
        await asyncio.sleep(30)

    async with RawServer(stalls) as server, client_for(server, max_connections=1) as (client, t):
        with pytest.raises(httpx2.ReadTimeout):
            await client.get("/", timeout=httpx2.Timeout(5.0, read=0.2))
        assert t.pool.open_connections == 0
        with pytest.raises(httpx2.ReadTimeout):  # a PoolTimeout here would mean a leaked slot
            await client.get("/", timeout=httpx2.Timeout(5.0, read=0.1, pool=0.5))
        assert server.connections == 2


async def test_server_closing_during_an_upload_without_answering() -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader, read_body=False)

    async with RawServer(hang_up) as server, client_for(server) as (client, t):
        with pytest.raises(httpx2.TransportError):
            await client.post("/upload", content=bytes(32 * 1024 * 1024))
        assert t.pool.open_connections == 0
        assert server.connections == 1


async def test_bytes_after_a_complete_response_stop_the_connection_being_reused() -> None:
    async def chatty(request: Request) -> bytes:
        return response(200, b"ok") + b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstray"

    async with RawServer(answering(chatty)) as server, client_for(server) as (client, _):
        assert (await client.get("/1")).text == "ok"
        assert (await client.get("/2")).text == "ok"  # not "stray": a fresh connection
        assert server.connections == 2


async def test_write_timeout_when_the_server_does_not_read() -> None:
    async def deaf(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader, read_body=False)
        await asyncio.sleep(30)

    # Far more than loopback socket buffers hold, so the write must block.
    body = bytes(48 * 1024 * 1024)
    async with RawServer(deaf) as server, client_for(server) as (client, t):
        with pytest.raises(httpx2.WriteTimeout):
            await client.post("/", content=body, timeout=httpx2.Timeout(5.0, write=0.2))
        assert t.pool.open_connections == 0


async def test_refused_port_is_a_connect_error_naming_the_address() -> None:
    port = free_port()
    async with client_for() as (client, t):
        with pytest.raises(httpx2.ConnectError) as caught:
            await client.get(f"http://127.0.0.1:{port}/")
        assert str(port) in str(caught.value)
        assert t.pool.open_connections == 0


async def test_server_closing_an_idle_connection_means_a_fresh_one_next_time() -> None:
    async def one_then_close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await read_request(reader)
        assert request is not None
        writer.write(response(200, b"first"))  # keep-alive by the headers, closed anyway
        await writer.drain()

    async with RawServer(one_then_close) as server, client_for(server) as (client, t):
        assert (await client.get("/")).text == "first"
        await server.wait_idle()
        await asyncio.sleep(0.05)  # the FIN reaches the client's idle connection
        assert (await client.get("/")).text == "first"
        assert server.connections == 2
        assert t.pool.open_connections == 1


async def test_a_close_right_after_the_response_is_noticed_before_reuse() -> None:
    async def one_then_close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if await read_request(reader) is not None:
            writer.write(response(200, b"ok"))  # keep-alive by the headers, then closed
            await writer.drain()

    async with RawServer(one_then_close) as server, client_for(server) as (client, _):
        for _ in range(30):
            assert (await client.get("/")).text == "ok"
        assert server.connections == 30


async def test_server_disconnecting_without_a_response() -> None:
    requests: list[Request] = []

    async def drop(request: Request) -> bytes | None:
        return None if request.target == "/drop" else await echo_target(request)

    async with RawServer(answering(drop, requests)) as server, client_for(server) as (client, t):
        with pytest.raises(httpx2.RemoteProtocolError, match="without sending a response"):
            await client.get("/drop")
        assert t.pool.open_connections == 0
        assert (await client.get("/ok")).text == "/ok"
        assert server.connections == 2


async def test_server_closing_mid_body_is_an_error_and_frees_the_slot() -> None:
    async def truncated(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await read_request(reader)
        assert request is not None
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000)
        await writer.drain()

    async with (
        RawServer(truncated) as server,
        client_for(server, max_connections=1) as (
            client,
            t,
        ),
    ):
        with pytest.raises(httpx2.RemoteProtocolError, match="body bytes still to come"):
            await client.get("/")
        assert t.pool.open_connections == 0
        # With max_connections=1 a leaked slot would make this a PoolTimeout.
        with pytest.raises(httpx2.RemoteProtocolError):
            await client.get("/", timeout=httpx2.Timeout(5.0, pool=0.5))
        assert server.connections == 2
        assert t.pool.open_connections == 0


async def test_abandoning_a_stream_mid_body_does_not_reuse_the_connection() -> None:
    async def big(request: Request) -> bytes:
        return response(200, b"y" * 1_000_000)

    async with RawServer(answering(big)) as server, client_for(server) as (client, t):
        async with client.stream("GET", "/") as resp:
            async for chunk in resp.aiter_raw():
                assert chunk
                break
        assert t.pool.open_connections == 0
        assert len((await client.get("/")).content) == 1_000_000
        assert server.connections == 2


async def test_cancellation_storm_leaks_no_pool_slot() -> None:
    # encode/httpcore#830: requests cancelled at unlucky moments lose pool slots for good,
    # and with a small pool every later request waits forever.
    rng = random.Random(830)

    async def jittery(request: Request) -> bytes:
        await asyncio.sleep(rng.uniform(0, 0.004))
        return await echo_target(request)

    async with (
        RawServer(answering(jittery)) as server,
        client_for(server, max_connections=2, max_keepalive_connections=2) as (client, t),
    ):

        async def doomed(n: int) -> str:
            if n % 4 == 0:  # cancelled from outside at a random point
                task = asyncio.create_task(client.get(f"/c/{n}"))
                await asyncio.sleep(rng.uniform(0, 0.01))
                task.cancel()
                return (await task).text
            return (await asyncio.wait_for(client.get(f"/w/{n}"), rng.uniform(0, 0.01))).text

        outcomes: list[str | BaseException] = []
        for wave in range(20):  # waves of 10: cancellations land in every phase, not just waits
            outcomes += await asyncio.gather(
                *(doomed(wave * 10 + n) for n in range(10)), return_exceptions=True
            )
        cancelled = [o for o in outcomes if isinstance(o, asyncio.CancelledError | TimeoutError)]
        unexpected = [o for o in outcomes if isinstance(o, BaseException) and o not in cancelled]
        assert not unexpected
        assert len(cancelled) > 50  # the storm really cancelled requests mid-flight

        after = await asyncio.wait_for(
            asyncio.gather(*(client.get(f"/after/{n}") for n in range(10))), 5
        )
        assert [r.text for r in after] == [f"/after/{n}" for n in range(10)]
        assert t.pool.open_connections <= 2
        # Nothing is lent any more: every open connection must be idle in the pool.
        assert t.pool.open_connections == t.pool.idle_connections
        assert server.connections >= 2


async def test_large_download_streams_intact_with_reading_paused() -> None:
    payload = os.urandom(8 * 1024 * 1024)

    async def big(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while await read_request(reader) is not None:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(payload))
            view = memoryview(payload)
            for start in range(0, len(payload), 64 * 1024):
                writer.write(view[start : start + 64 * 1024])
                await writer.drain()

    async with RawServer(big) as server, client_for(server) as (client, transport):
        opened = record_connections(transport)
        digest = hashlib.sha256()
        size = 0
        most_buffered = 0
        paused_seen = False
        async with client.stream("GET", "/big") as resp:
            connection = opened[0]
            async for n, chunk in _enumerate(resp.aiter_raw()):
                digest.update(chunk)
                size += len(chunk)
                if n < 4:  # a slow consumer at first: the server keeps sending meanwhile
                    for _tick in range(5):
                        await asyncio.sleep(0.01)
                        most_buffered = max(most_buffered, connection._codec.buffered)
                        paused_seen = paused_seen or connection._reading_paused
        assert size == len(payload)
        assert digest.hexdigest() == hashlib.sha256(payload).hexdigest()
        assert paused_seen
        # The high-water mark plus at most one socket read (asyncio reads 256 KiB at a time).
        assert most_buffered <= 512 * 1024
        assert server.connections == 1


async def _enumerate(chunks: AsyncIterator[bytes]) -> AsyncIterator[tuple[int, bytes]]:
    n = 0
    async for chunk in chunks:
        yield n, chunk
        n += 1


async def test_large_upload_arrives_intact() -> None:
    payload = os.urandom(8 * 1024 * 1024)

    async def digest_of_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while (request := await read_request(reader, read_body=False)) is not None:
            await asyncio.sleep(0.1)  # the client's writes back up meanwhile
            body = await reader.readexactly(int(request.headers["content-length"]))
            writer.write(response(200, hashlib.sha256(body).hexdigest().encode()))
            await writer.drain()

    async with RawServer(digest_of_body) as server, client_for(server) as (client, _):
        resp = await client.post("/upload", content=payload)
        assert resp.text == hashlib.sha256(payload).hexdigest()
        assert (await client.post("/upload", content=b"small")).text == hashlib.sha256(
            b"small"
        ).hexdigest()
        assert server.connections == 1


async def test_chunked_upload_from_an_async_generator() -> None:
    pieces = [os.urandom(random.randint(1, 70_000)) for _ in range(40)]
    requests: list[Request] = []

    async def digest(request: Request) -> bytes:
        return response(200, hashlib.sha256(request.body).hexdigest().encode())

    async def generate() -> AsyncIterator[bytes]:
        for piece in pieces:
            await asyncio.sleep(0)
            yield piece

    async with RawServer(answering(digest, requests)) as server, client_for(server) as (client, _):
        resp = await client.post("/upload", content=generate())
        assert resp.text == hashlib.sha256(b"".join(pieces)).hexdigest()
        assert requests[0].headers["transfer-encoding"] == "chunked"
        assert "content-length" not in requests[0].headers
        assert (await client.get("/next")).status_code == 200
        assert server.connections == 1


async def test_idle_connection_older_than_keepalive_expiry_is_not_reused() -> None:
    async with (
        RawServer(answering(echo_target)) as server,
        client_for(server, keepalive_expiry=0.3) as (client, t),
    ):
        await client.get("/1")
        await client.get("/2")
        assert server.connections == 1  # within the expiry: reused
        await asyncio.sleep(0.45)
        assert (await client.get("/3")).text == "/3"
        assert server.connections == 2
        assert t.pool.open_connections == 1  # the expired one was closed, not kept


async def test_async_http_client_uses_the_asyncio_transport_by_default() -> None:
    requests: list[Request] = []

    async def version(request: Request) -> bytes:
        return response(200, b'"24.1.0"', [("Content-Type", "application/json")])

    async with RawServer(answering(version, requests)) as server:
        async with AsyncHttpClient(server.url, "tok", trust_env=False) as http:
            assert isinstance(http._client._transport, AsyncioTransport)
            for _ in range(5):
                assert await http.get_json("/api/App/Version") == "24.1.0"
        assert server.connections == 1
        assert [r.headers["authorization"] for r in requests] == ["Basic tok"] * 5


async def test_an_internationalised_host_is_reached_by_its_ascii_name() -> None:
    """DNS and TLS SNI want the punycode form of a name like münchen.example."""
    transport = AsyncioTransport()
    origins: list[tuple[str, str, int]] = []

    async def record(origin: tuple[str, str, int], timeout: float | None) -> NoReturn:
        origins.append(origin)
        raise httpx2.ConnectError("recorded; no network needed")

    transport.pool._connect = record  # type: ignore[method-assign]
    with pytest.raises(httpx2.ConnectError, match="recorded"):
        await transport.handle_async_request(httpx2.Request("GET", "https://münchen.example/x"))
    assert origins == [("https", "xn--mnchen-3ya.example", 443)]
    assert transport.pool.open_connections == 0


async def test_connections_opening_and_closing_are_logged_with_the_reason(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """At DEBUG, an operator can see why connections come and go (never what they carried)."""
    caplog.set_level(logging.DEBUG, logger="pywats.transport")
    async with (
        RawServer(answering(echo_target)) as server,
        client_for(server, max_keepalive_connections=0) as (client, _),
    ):
        assert (await client.get("/once")).text == "/once"
    messages = [r.getMessage() for r in caplog.records if r.name == "pywats.transport"]
    assert len(messages) == 2
    assert messages[0].startswith(f"opened HTTP11Connection(http://127.0.0.1:{server.port}")
    assert messages[1].endswith("over the keep-alive limit (0 open)")
