"""AiohttpTransport under httpx2.AsyncClient and AsyncHttpClient, over real loopback sockets.

Everything is observed from outside: the server counts connections and requests, and the
transport reports how many requests hold a connection (``in_flight``). Nothing here looks
into aiohttp's pool.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import aiohttp
import httpx2
import pytest

from pywats.errors import WATSConnectionError, WATSTimeoutError
from pywats.http import AsyncHttpClient
from pywats.transport import AiohttpTransport
from tests.support.loopback_server import free_port
from tests.support.raw_http_server import RawServer, Request, answering, read_request, response

# -- helpers ---------------------------------------------------------------------------------


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
    server: RawServer | None = None,
    *,
    resolver: aiohttp.abc.AbstractResolver | None = None,
    **limits: float | None,
) -> AsyncIterator[tuple[httpx2.AsyncClient, AiohttpTransport]]:
    transport = AiohttpTransport(
        limits=httpx2.Limits(**limits),  # type: ignore[arg-type]
        trust_env=False,
        resolver=resolver,
    )
    base_url = server.url if server is not None else ""
    async with httpx2.AsyncClient(
        transport=transport, base_url=base_url, timeout=5.0, trust_env=False
    ) as client:
        yield client, transport


async def no_sleep(seconds: float) -> None:
    """AsyncHttpClient's backoff, skipped: retries happen at once."""


def http_client(url: str, config: Path, **options: Any) -> AsyncHttpClient:
    options.setdefault("max_retries", 0)
    return AsyncHttpClient.create(
        url, "tok", sleep=no_sleep, trust_env=False, config_path=config, **options
    )


@contextmanager
def dead_address(host: str = "127.0.0.2") -> Iterator[tuple[str, int]]:
    """A loopback address and port where a connection attempt is never answered.

    A listening socket with a backlog of 0 whose accept queue is already full (one
    connection, never accepted): Linux then drops further SYNs, so a connect hangs until
    the caller gives up, as with a host that is down, not one that refuses.
    """
    listener = socket.socket()
    filler = socket.socket()
    probe = socket.socket()
    try:
        try:
            listener.bind((host, 0))
            listener.listen(0)
            port = listener.getsockname()[1]
            filler.settimeout(2)
            filler.connect((host, port))
            probe.settimeout(0.1)
            probe.connect((host, port))
        except TimeoutError:
            pass  # what we want: the probe's SYN went unanswered
        except OSError as exc:  # e.g. no 127.0.0.2 on this system
            pytest.skip(f"cannot make an unanswering address here: {exc}")
        else:
            pytest.skip("this kernel answers connects beyond the accept queue")
        finally:
            probe.close()
        yield host, port
    finally:
        filler.close()
        listener.close()


class StaticResolver(aiohttp.abc.AbstractResolver):
    """Resolves every name to the given addresses, in order, and records what it was asked."""

    def __init__(self, *addresses: tuple[str, int]) -> None:
        self.addresses = addresses
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[aiohttp.abc.ResolveResult]:
        self.asked.append(host)
        return [
            {
                "hostname": host,
                "host": address,
                "port": address_port,
                "family": socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
            for address, address_port in self.addresses
        ]

    async def close(self) -> None:
        pass


# -- the pool --------------------------------------------------------------------------------


async def test_sequential_requests_reuse_one_connection() -> None:
    async with RawServer(answering(echo_target)) as server, client_for(server) as (client, t):
        for n in range(20):
            resp = await client.get(f"/n/{n}")
            assert (resp.status_code, resp.text) == (200, f"/n/{n}")
            assert t.in_flight == 0
        assert server.connections == 1


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

    async with RawServer(answering(mixed)) as server, client_for(server) as (client, t):
        head = await client.head("/")
        assert (head.status_code, head.content, head.headers["content-length"]) == (200, b"", "12")
        assert (await client.get("/204")).status_code == 204
        assert (await client.get("/chunked")).content == b"abcde"
        assert (await client.get("/")).content == b"twelve bytes"
        assert server.connections == 1
        assert t.in_flight == 0


async def test_connection_close_from_the_server_is_honoured() -> None:
    async def closing(request: Request) -> bytes:
        return response(200, b"ok", [("Connection", "close")])

    async with RawServer(answering(closing)) as server, client_for(server) as (client, _):
        for _ in range(3):
            assert (await client.get("/")).text == "ok"
        assert server.connections == 3
        await server.wait_idle()  # the client closed its side each time too


async def test_max_connections_bounds_concurrent_requests() -> None:
    async with (
        RawServer(answering(echo_after(0.03))) as server,
        client_for(server, max_connections=2) as (client, t),
    ):
        responses = await asyncio.gather(*(client.get(f"/{n}") for n in range(10)))
        assert [r.text for r in responses] == [f"/{n}" for n in range(10)]
        assert server.max_active <= 2
        assert server.connections <= 2
        assert t.in_flight == 0


class Holding:
    """Echoes each request's target, except that ``/held`` answers with a body cut in two:
    the first part at once, the rest when the test sets ``release``. Until then that
    response's connection is busy (aiohttp lends a connection until its body has arrived)."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.targets: list[str] = []

    async def __call__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while (request := await read_request(reader)) is not None:
            self.targets.append(request.target)
            if request.target == "/held":
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhe")
                await writer.drain()
                await self.release.wait()
                writer.write(b"ld")
                writer.write(b"!!")
            else:
                writer.write(await echo_target(request))
            await writer.drain()


async def test_pool_timeout_when_every_connection_is_lent() -> None:
    holding = Holding()
    async with (
        RawServer(holding) as server,
        client_for(server, max_connections=1) as (client, t),
    ):
        async with client.stream("GET", "/held") as held:
            assert held.status_code == 200  # its body not all there: the one connection is lent
            assert t.in_flight == 1
            started = time.perf_counter()
            with pytest.raises(httpx2.PoolTimeout, match="no free connection"):
                # The wait for a connection is bounded by pool + connect (aiohttp's connect).
                await client.get("/", timeout=httpx2.Timeout(0.2, pool=0.1))
            assert 0.25 < time.perf_counter() - started < 2.0
            assert t.in_flight == 1
            holding.release.set()
            assert await held.aread() == b"held!!"
        assert t.in_flight == 0
        assert (await client.get("/after")).text == "/after"  # the slot came back
        assert server.connections == 1
        assert holding.targets == ["/held", "/after"]


async def test_a_waiter_gets_the_connection_when_it_is_given_back() -> None:
    holding = Holding()
    async with (
        RawServer(holding) as server,
        client_for(server, max_connections=1) as (client, t),
    ):
        async with client.stream("GET", "/held") as first:
            waiting = asyncio.create_task(client.get("/second"))
            await asyncio.sleep(0.05)
            assert not waiting.done()
            assert t.in_flight == 2
            holding.release.set()
            assert await first.aread() == b"held!!"
        assert (await asyncio.wait_for(waiting, 2)).text == "/second"
        assert server.connections == 1
        assert t.in_flight == 0


async def test_a_waiter_cancelled_while_waiting_passes_its_turn_on() -> None:
    holding = Holding()
    async with (
        RawServer(holding) as server,
        client_for(server, max_connections=1) as (client, t),
    ):
        async with client.stream("GET", "/held") as held:
            first = asyncio.create_task(client.get("/first"))
            await asyncio.sleep(0.02)
            second = asyncio.create_task(client.get("/second"))
            await asyncio.sleep(0.05)  # both queue for the one connection
            first.cancel()
            with pytest.raises(asyncio.CancelledError):
                await first
            holding.release.set()
            await held.aread()
        assert (await asyncio.wait_for(second, 2)).text == "/second"
        assert t.in_flight == 0
        assert server.connections == 1
        assert holding.targets == ["/held", "/second"]  # the cancelled one never went out


async def test_queued_waiters_are_served_in_the_order_they_came() -> None:
    holding = Holding()
    async with (
        RawServer(holding) as server,
        client_for(server, max_connections=1) as (client, t),
    ):
        async with client.stream("GET", "/held") as held:
            waiters = []
            for n in range(5):
                waiters.append(asyncio.create_task(client.get(f"/w/{n}")))
                await asyncio.sleep(0.01)  # each queues behind the one before
            assert t.in_flight == 6
            holding.release.set()
            await held.aread()
        answers = await asyncio.wait_for(asyncio.gather(*waiters), 5)
        assert [r.text for r in answers] == [f"/w/{n}" for n in range(5)]
        assert holding.targets == ["/held"] + [f"/w/{n}" for n in range(5)]
        assert server.connections == 1
        assert t.in_flight == 0


async def test_a_waiter_is_not_overtaken_by_a_task_asking_again_and_again() -> None:
    """A connection given back goes to the request already waiting, not to the task that
    gave it back and asks at once for the next one (which would starve the waiter)."""
    async with (
        RawServer(answering(echo_after(0.002))) as server,
        client_for(server, max_connections=1) as (client, t),
    ):
        busy_done = 0

        async def busy() -> None:
            nonlocal busy_done
            for n in range(30):
                await client.get(f"/busy/{n}")
                busy_done += 1

        busy_task = asyncio.create_task(busy())
        await asyncio.sleep(0.001)  # the busy task holds the connection now
        assert (await asyncio.wait_for(client.get("/waiter"), 2)).text == "/waiter"
        waiter_served_after = busy_done
        await busy_task
        # The waiter queued during the busy task's first request, before its second.
        assert waiter_served_after <= 2
        assert server.connections == 1
        assert t.in_flight == 0


async def test_an_idle_connection_to_another_origin_does_not_block_a_full_pool() -> None:
    async with (
        RawServer(answering(echo_target)) as first,
        RawServer(answering(echo_target)) as second,
        client_for(max_connections=1) as (client, t),
    ):
        assert (await client.get(f"{first.url}/a")).text == "/a"
        pool_timeout = httpx2.Timeout(2.0, pool=0.5)
        assert (await client.get(f"{second.url}/b", timeout=pool_timeout)).text == "/b"
        assert (await client.get(f"{second.url}/c")).text == "/c"
        assert (await client.get(f"{first.url}/d")).text == "/d"
        assert (first.connections, second.connections) == (1, 1)
        assert t.in_flight == 0


async def test_idle_connection_older_than_keepalive_expiry_is_not_reused() -> None:
    async with (
        RawServer(answering(echo_target)) as server,
        client_for(server, keepalive_expiry=0.3) as (client, _),
    ):
        await client.get("/1")
        await client.get("/2")
        assert server.connections == 1  # within the expiry: reused
        await asyncio.sleep(0.6)
        assert (await client.get("/3")).text == "/3"
        assert server.connections == 2
        await server.wait_idle_count(1)  # the expired one was closed, not kept


async def test_async_http_client_uses_the_aiohttp_transport_by_default(no_config: Path) -> None:
    requests: list[Request] = []

    async def version(request: Request) -> bytes:
        return response(200, b'"24.1.0"', [("Content-Type", "application/json")])

    async with RawServer(answering(version, requests)) as server:
        async with http_client(server.url, no_config) as http:
            assert isinstance(http.transport, AiohttpTransport)
            for _ in range(5):
                assert await http.get_json("/api/App/Version") == "24.1.0"
            assert http.transport.in_flight == 0
        assert server.connections == 1
        assert [r.headers["authorization"] for r in requests] == ["Basic tok"] * 5


# -- timeouts --------------------------------------------------------------------------------


async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Reads the request, never answers."""
    await read_request(reader)
    await asyncio.sleep(30)


async def deaf(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Reads the request head, never its body, never answers."""
    await read_request(reader, read_body=False)
    await asyncio.sleep(30)


# Far more than loopback socket buffers hold, so writing it must block on a deaf server.
STUCK_UPLOAD = bytes(48 * 1024 * 1024)


async def test_connect_timeout_when_the_host_never_answers() -> None:
    with dead_address() as (host, port):
        async with client_for() as (client, t):
            started = time.perf_counter()
            with pytest.raises(httpx2.ConnectTimeout):
                await client.get(f"http://{host}:{port}/", timeout=httpx2.Timeout(5.0, connect=0.3))
            assert time.perf_counter() - started < 2.0
            assert t.in_flight == 0


@pytest.mark.parametrize("pool", [None, 2.0])
async def test_a_connect_timeout_while_requests_are_outstanding_is_not_a_pool_timeout(
    pool: float | None,
) -> None:
    """A response whose body has arrived but is unread counts in ``in_flight`` while aiohttp
    has its connection back: a connect that then times out is a connect timeout."""
    async with RawServer(answering(echo_target)) as server:
        with dead_address() as (host, port):
            async with client_for(max_connections=1) as (client, t):
                async with client.stream("GET", f"{server.url}/unread") as unread:
                    await asyncio.sleep(0.05)  # its whole body is in by now
                    assert t.in_flight == 1
                    started = time.perf_counter()
                    with pytest.raises(httpx2.ConnectTimeout):
                        await client.get(
                            f"http://{host}:{port}/",
                            timeout=httpx2.Timeout(5, connect=0.3, pool=pool),
                        )
                    assert time.perf_counter() - started < 1.5
                    assert await unread.aread() == b"/unread"
                assert t.in_flight == 0


async def test_read_timeout_when_the_server_does_not_answer() -> None:
    async with RawServer(silent) as server, client_for(server) as (client, t):
        started = time.perf_counter()
        with pytest.raises(httpx2.ReadTimeout):
            await client.get("/", timeout=httpx2.Timeout(5.0, read=0.2))
        assert time.perf_counter() - started < 2.0
        assert t.in_flight == 0


async def test_read_timeout_in_the_middle_of_a_body_frees_the_slot() -> None:
    async def stalls(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        await writer.drain()
        await asyncio.sleep(30)

    async with RawServer(stalls) as server, client_for(server, max_connections=1) as (client, t):
        with pytest.raises(httpx2.ReadTimeout):
            await client.get("/", timeout=httpx2.Timeout(5.0, read=0.2))
        assert t.in_flight == 0
        with pytest.raises(httpx2.ReadTimeout):  # a PoolTimeout here would mean a leaked slot
            await client.get("/", timeout=httpx2.Timeout(5.0, read=0.2, pool=0.5))
        assert server.connections == 2


async def test_write_timeout_when_the_server_does_not_read() -> None:
    async with RawServer(deaf) as server, client_for(server) as (client, t):
        started = time.perf_counter()
        with pytest.raises(httpx2.WriteTimeout):
            await client.post("/", content=STUCK_UPLOAD, timeout=httpx2.Timeout(5.0, write=0.2))
        assert time.perf_counter() - started < 3.0
        assert t.in_flight == 0


async def test_write_timeout_for_a_streamed_upload() -> None:
    async def endless() -> AsyncIterator[bytes]:
        piece = bytes(1024 * 1024)
        for _ in range(64):
            yield piece

    async with RawServer(deaf) as server, client_for(server) as (client, t):
        with pytest.raises(httpx2.WriteTimeout):
            await client.post("/", content=endless(), timeout=httpx2.Timeout(5.0, write=0.2))
        assert t.in_flight == 0


@pytest.mark.parametrize("declared", [False, True])
async def test_a_slow_producer_is_not_a_write_timeout(declared: bool) -> None:
    """The write timeout is for a network that does not take the bytes, not for a body
    generator that takes its time to produce them (httpx2's own semantics)."""
    requests: list[Request] = []

    async def slowly() -> AsyncIterator[bytes]:
        for _ in range(4):
            await asyncio.sleep(0.3)
            yield b"z" * 100_000

    async with RawServer(answering(echo_target, requests)) as server, client_for(server) as (c, t):
        request = c.build_request(
            "POST", "/slowly", content=slowly(), timeout=httpx2.Timeout(5.0, write=0.2)
        )
        if declared:
            request.headers["Content-Length"] = "400000"
            request.headers.pop("Transfer-Encoding", None)
        assert (await c.send(request)).text == "/slowly"
        assert t.in_flight == 0
    assert requests[0].body == b"z" * 400_000


async def test_async_http_client_timeouts_name_their_phase(no_config: Path) -> None:
    async def slow_or_silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await read_request(reader, read_body=False)
        assert request is not None
        if request.target == "/slow":
            await asyncio.sleep(1.0)
            writer.write(response(200, b"{}", [("Content-Type", "application/json")]))
            await writer.drain()
        await asyncio.sleep(30)

    phases: dict[str, str] = {}
    short = httpx2.Timeout(0.3, pool=0.1)
    with dead_address() as (host, port):
        async with http_client(f"http://{host}:{port}", no_config) as http:
            with pytest.raises(WATSTimeoutError) as caught:
                await http.get_json("/api/App/Version", timeout=short)
            phases["connect"] = caught.value.phase
    async with (
        RawServer(slow_or_silent) as server,
        http_client(server.url, no_config, limits=httpx2.Limits(max_connections=1)) as http,
    ):
        with pytest.raises(WATSTimeoutError) as caught:
            await http.get_json("/api/App/Version", timeout=short)
        phases["read"] = caught.value.phase
        with pytest.raises(WATSTimeoutError) as caught:
            await http.request("POST", "/upload", content=STUCK_UPLOAD, timeout=short)
        phases["write"] = caught.value.phase
        holder = asyncio.create_task(http.get_json("/slow", timeout=5.0))
        await asyncio.sleep(0.1)
        assert http.transport.in_flight == 1  # type: ignore[attr-defined]
        with pytest.raises(WATSTimeoutError) as caught:
            await http.get_json("/api/App/Version", timeout=short)
        phases["pool"] = caught.value.phase
        assert await holder == {}
        assert http.transport.in_flight == 0  # type: ignore[attr-defined]
    assert phases == {"connect": "connect", "read": "read", "write": "write", "pool": "pool"}


# -- broken servers: what was sent, what is resent -------------------------------------------


class Counting:
    """A server that counts the requests it received (heads read), then misbehaves."""

    def __init__(self, misbehave: Callable[[asyncio.StreamWriter], Awaitable[None]]) -> None:
        self.misbehave = misbehave
        self.received: list[str] = []

    async def __call__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while (request := await read_request(reader, read_body=False)) is not None:
            self.received.append(f"{request.method} {request.target}")
            if request.target == "/ok":
                await read_body_of(reader, request)
                writer.write(response(200, b"{}", [("Content-Type", "application/json")]))
                await writer.drain()
                continue
            await self.misbehave(writer)
            return


async def read_body_of(reader: asyncio.StreamReader, request: Request) -> None:
    length = int(request.headers.get("content-length", "0"))
    if length:
        await reader.readexactly(length)


async def close_at_once(writer: asyncio.StreamWriter) -> None:
    pass  # the handler returns: the server closes the connection without a word


async def close_mid_body(writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000)
    await writer.drain()


async def garbage_status_line(writer: asyncio.StreamWriter) -> None:
    writer.write(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
    await writer.drain()


async def never_answer(writer: asyncio.StreamWriter) -> None:
    await asyncio.sleep(30)


# Each way a server can fail once it has the request: every one is "maybe sent".
# (the server's misbehaviour, the error, the body: an upload the server never reads for
# the write timeout, a small JSON document otherwise)
# A close the client sees as a FIN (RemoteProtocolError) or, had bytes been left unread at
# the server, as a reset (ReadError).
CLOSED = (httpx2.RemoteProtocolError, httpx2.ReadError)
Misbehave = Callable[[asyncio.StreamWriter], Awaitable[None]]
MAYBE_SENT: dict[str, tuple[Misbehave, type | tuple[type, ...], bytes]] = {
    "disconnect without response": (close_at_once, CLOSED, b"{}"),
    "close mid-body": (close_mid_body, httpx2.RemoteProtocolError, b"{}"),
    "garbage status line": (garbage_status_line, httpx2.RemoteProtocolError, b"{}"),
    "read timeout": (never_answer, httpx2.ReadTimeout, b"{}"),
    "write timeout": (never_answer, httpx2.WriteTimeout, STUCK_UPLOAD),
}
MAYBE_SENT_TIMEOUT = httpx2.Timeout(5.0, read=0.3, write=0.3)
PHASES = {"read timeout": "read", "write timeout": "write"}
MAYBE_SENT_TYPES = (
    httpx2.ReadError,
    httpx2.WriteError,
    httpx2.RemoteProtocolError,
    httpx2.ReadTimeout,
    httpx2.WriteTimeout,
)
NEVER_SENT_TYPES = (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout)


@pytest.mark.parametrize("mode", list(MAYBE_SENT))
async def test_a_failure_after_the_request_went_out_is_maybe_sent(mode: str) -> None:
    misbehave, expected, body = MAYBE_SENT[mode]
    counting = Counting(misbehave)
    async with RawServer(counting) as server, client_for(server, max_connections=1) as (c, t):
        with pytest.raises(expected) as caught:
            await c.post("/report", content=body, timeout=MAYBE_SENT_TIMEOUT)
        assert isinstance(caught.value, MAYBE_SENT_TYPES)
        assert not isinstance(caught.value, NEVER_SENT_TYPES)
        assert counting.received == ["POST /report"]  # it did reach the server, once
        assert t.in_flight == 0
        # The broken connection was not kept: the next request works on a fresh one.
        assert (await c.get("/ok", timeout=httpx2.Timeout(5.0, pool=0.5))).status_code == 200
        assert server.connections == 2


@pytest.mark.parametrize("mode", list(MAYBE_SENT))
async def test_async_http_client_does_not_resend_a_post_that_may_have_arrived(
    mode: str, no_config: Path
) -> None:
    misbehave, _, body = MAYBE_SENT[mode]
    counting = Counting(misbehave)
    async with (
        RawServer(counting) as server,
        http_client(server.url, no_config, max_retries=3, timeout=MAYBE_SENT_TIMEOUT) as http,
    ):
        with pytest.raises(WATSConnectionError) as caught:
            await http.request("POST", "/api/Report/WSJF", content=body)
        assert counting.received == ["POST /api/Report/WSJF"]  # once, for all 3 retries allowed
        if mode in PHASES:
            assert isinstance(caught.value, WATSTimeoutError)
            assert caught.value.phase == PHASES[mode]
        else:
            assert "may or may not have processed it" in str(caught.value)
        assert http.transport.in_flight == 0  # type: ignore[attr-defined]


MALFORMED_HEADS = {
    "a 5,000-digit Content-Length": b"HTTP/1.1 200 OK\r\nContent-Length: "
    + b"9" * 5000
    + b"\r\n\r\nabc",
    "a negative Content-Length": b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
    "two Content-Lengths": b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
    b"Content-Length: 5\r\n\r\nabcde",
    "a 100 kB header": b"HTTP/1.1 200 OK\r\nX-A: " + b"a" * 100_000 + b"\r\n\r\n",
    "a bad chunk size": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n",
    "an HTTP/2 preface": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
}


@pytest.mark.parametrize("what", list(MALFORMED_HEADS))
async def test_a_malformed_response_is_a_protocol_error_not_a_crash(what: str) -> None:
    async def answer(writer: asyncio.StreamWriter) -> None:
        writer.write(MALFORMED_HEADS[what])
        await writer.drain()
        await asyncio.sleep(5)  # the client must not wait for more

    counting = Counting(answer)
    async with RawServer(counting) as server, client_for(server) as (client, t):
        with pytest.raises(httpx2.RemoteProtocolError, match="not valid HTTP"):
            await client.post("/report", content=b"{}")
        assert counting.received == ["POST /report"]
        assert t.in_flight == 0


async def test_async_http_client_resends_a_get_that_timed_out(no_config: Path) -> None:
    counting = Counting(never_answer)
    async with (
        RawServer(counting) as server,
        http_client(
            server.url, no_config, max_retries=2, timeout=httpx2.Timeout(5.0, read=0.2)
        ) as http,
    ):
        with pytest.raises(WATSTimeoutError, match="after 3 attempts"):
            await http.get_json("/api/App/Version")
    assert counting.received == ["GET /api/App/Version"] * 3


async def test_only_the_retry_policy_resends_a_dropped_request(no_config: Path) -> None:
    """aiohttp would resend an idempotent request once by itself after a disconnect; the
    transport turns that off, so a dropped GET reaches the server once per policy attempt."""
    counting = Counting(close_at_once)
    async with RawServer(counting) as server:
        async with client_for(server) as (client, _):
            with pytest.raises(httpx2.RemoteProtocolError):
                await client.get("/unit")
            with pytest.raises(httpx2.RemoteProtocolError):
                await client.post("/report", content=b"{}")
        assert counting.received == ["GET /unit", "POST /report"]
        counting.received.clear()
        async with http_client(server.url, no_config, max_retries=1) as http:
            with pytest.raises(WATSConnectionError, match="after 2 attempts"):
                await http.get_json("/unit")
            with pytest.raises(WATSConnectionError, match="may or may not have processed it"):
                await http.send_json("POST", "/report", {})
        assert counting.received == ["GET /unit"] * 2 + ["POST /report"]


async def test_a_post_whose_upload_the_server_cut_short_is_maybe_sent(no_config: Path) -> None:
    counting = Counting(close_at_once)  # reads the head, hangs up during the body
    async with RawServer(counting) as server:
        async with client_for(server) as (client, t):
            with pytest.raises(MAYBE_SENT_TYPES):
                await client.post("/upload", content=STUCK_UPLOAD)
            assert t.in_flight == 0
        async with http_client(server.url, no_config, max_retries=3) as http:
            with pytest.raises(WATSConnectionError):
                await http.request("POST", "/upload", content=STUCK_UPLOAD)
    assert counting.received == ["POST /upload"] * 2  # once each: never resent


async def test_never_sent_failures_are_resent_even_for_a_post(no_config: Path) -> None:
    port = free_port()
    async with http_client(f"http://127.0.0.1:{port}", no_config, max_retries=2) as http:
        with pytest.raises(WATSConnectionError, match="after 3 attempts") as caught:
            await http.send_json("POST", "/api/Report/WSJF", {"id": "r-1"})
        assert str(port) in str(caught.value)
    with dead_address() as (host, port):
        async with http_client(
            f"http://{host}:{port}",
            no_config,
            max_retries=1,
            timeout=httpx2.Timeout(5, connect=0.2),
        ) as http:
            with pytest.raises(WATSTimeoutError, match="after 2 attempts") as timed_out:
                await http.send_json("POST", "/api/Report/WSJF", {"id": "r-1"})
            assert timed_out.value.phase == "connect"


async def test_a_post_waiting_for_a_busy_pool_is_resent_and_never_reaches_the_server(
    no_config: Path,
) -> None:
    requests: list[Request] = []
    async with (
        RawServer(answering(echo_after(1.5), requests)) as server,
        http_client(
            server.url, no_config, max_retries=1, limits=httpx2.Limits(max_connections=1)
        ) as http,
    ):
        holder = asyncio.create_task(http.request("GET", "/slow"))
        await asyncio.sleep(0.1)
        with pytest.raises(WATSTimeoutError, match="after 2 attempts") as caught:
            await http.send_json(
                "POST", "/api/Report/WSJF", {"id": "r-1"}, timeout=httpx2.Timeout(0.2, pool=0.1)
            )
        assert caught.value.phase == "pool"
        assert (await holder).text == "/slow"
    assert [r.target for r in requests] == ["/slow"]


async def test_refused_port_is_a_connect_error_naming_the_address() -> None:
    port = free_port()
    async with client_for() as (client, t):
        with pytest.raises(httpx2.ConnectError) as caught:
            await client.get(f"http://127.0.0.1:{port}/")
        assert str(port) in str(caught.value)
        assert t.in_flight == 0


class FailingResolver(StaticResolver):
    """A resolver that cannot find any name, as when DNS has no answer (no network needed)."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[aiohttp.abc.ResolveResult]:
        self.asked.append(host)
        raise OSError(socket.EAI_NONAME, "Name or service not known")


async def test_an_unresolvable_name_is_a_connect_error_and_is_resent_for_a_post(
    no_config: Path,
) -> None:
    resolver = FailingResolver()
    async with client_for(resolver=resolver) as (client, t):
        with pytest.raises(httpx2.ConnectError, match=r"wats\.example\.test"):
            await client.post("http://wats.example.test/api/x", content=b"{}")
        assert t.in_flight == 0
    assert resolver.asked == ["wats.example.test"]
    # Never sent, so AsyncHttpClient may resend even a POST.
    transport = AiohttpTransport(resolver=resolver, trust_env=False)
    async with http_client(
        "https://wats.example.test", no_config, max_retries=2, transport=transport
    ) as http:
        with pytest.raises(WATSConnectionError, match="after 3 attempts"):
            await http.send_json("POST", "/api/Report/WSJF", {"id": "r-1"})
    assert resolver.asked == ["wats.example.test"] * 4


async def test_bytes_after_a_complete_response_stop_the_connection_being_reused() -> None:
    async def chatty(request: Request) -> bytes:
        return response(200, b"ok") + b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstray"

    async with RawServer(answering(chatty)) as server, client_for(server) as (client, t):
        assert (await client.get("/1")).text == "ok"
        assert (await client.get("/2")).text == "ok"  # not "stray"
        assert server.connections == 2  # the connection with bytes left over was dropped
        assert t.in_flight == 0


async def test_an_answer_sent_before_the_server_stopped_reading_an_upload_is_returned() -> None:
    async def refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader, read_body=False)
        writer.write(response(413, b"too big", [("Connection", "close")]))
        await writer.drain()
        await asyncio.sleep(0.5)  # the answer is read before the connection goes

    async with RawServer(refuse) as server, client_for(server) as (client, t):
        resp = await client.post("/upload", content=STUCK_UPLOAD)
        assert (resp.status_code, resp.text) == (413, "too big")
        assert t.in_flight == 0


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
        assert (await client.post("/", content=b"x")).text == "first"
        assert server.connections == 2
        assert t.in_flight == 0


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_close_right_after_each_response_is_noticed_before_reuse(method: str) -> None:
    """The server closes each connection right after answering (without Connection: close):
    the next request must not go out on it, or a POST would fail as "maybe sent"."""
    received: list[str] = []

    async def one_then_close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if (request := await read_request(reader)) is not None:
            received.append(request.target)
            writer.write(response(200, b"ok"))  # keep-alive by the headers, then closed
            await writer.drain()

    async with RawServer(one_then_close) as server, client_for(server) as (client, t):
        for n in range(30):
            assert (await client.request(method, f"/{n}", content=b"x")).text == "ok"
        assert received == [f"/{n}" for n in range(30)]  # each once
        assert server.connections == 30
        assert t.in_flight == 0


async def test_abandoning_a_stream_mid_body_does_not_reuse_the_connection() -> None:
    async def big(request: Request) -> bytes:
        return response(200, b"y" * 1_000_000)

    async with RawServer(answering(big)) as server, client_for(server) as (client, t):
        async with client.stream("GET", "/") as resp:
            async for chunk in resp.aiter_raw():
                assert chunk
                break
        assert t.in_flight == 0
        assert len((await client.get("/")).content) == 1_000_000
        assert server.connections == 2


# -- request framing -------------------------------------------------------------------------


SMUGGLED = b"DELETE /api/Product/PCB-1001 HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.mark.parametrize("declared", ["5", "999999"])
async def test_a_callers_content_length_on_a_large_body_cannot_change_its_framing(
    declared: str,
) -> None:
    seen: list[Request] = []
    body = b"x" * 200_000 + SMUGGLED  # large enough to be streamed to aiohttp in pieces
    async with RawServer(answering(echo_target, seen)) as server, client_for(server) as (c, t):
        request = c.build_request("POST", "/api/x", content=body)
        request.headers["Content-Length"] = declared
        request.headers["Transfer-Encoding"] = "chunked"
        resp = await c.send(
            request,
        )
        assert resp.status_code == 200
        assert (await c.get("/after")).text == "/after"
        assert t.in_flight == 0
    assert [(r.method, r.target) for r in seen] == [("POST", "/api/x"), ("GET", "/after")]
    assert seen[0].body == body
    assert seen[0].headers["content-length"] == str(len(body))


async def pieces_of(total: int, size: int = 50_000) -> AsyncIterator[bytes]:
    for start in range(0, total, size):
        await asyncio.sleep(0)
        yield b"y" * min(size, total - start)


@pytest.mark.parametrize(
    ("actual", "declared", "smuggle", "message"),
    [
        (300_000, 100_000, False, "longer than its Content-Length"),
        # The declared length ends exactly where a second request would begin.
        (100_000, 100_000, True, "longer than its Content-Length"),
        (100_000, 300_000, False, "ended after 100000 of its 300000"),
    ],
)
async def test_a_stream_that_breaks_its_declared_length_fails_before_it_is_complete(
    actual: int, declared: int, smuggle: bool, message: str
) -> None:
    seen: list[Request] = []

    async def body() -> AsyncIterator[bytes]:
        async for piece in pieces_of(actual):
            yield piece
        if smuggle:
            yield SMUGGLED

    async with (
        RawServer(answering(echo_target, seen)) as server,
        client_for(server, max_connections=1) as (client, t),
    ):
        request = client.build_request("POST", "/api/x", content=body())
        request.headers["Content-Length"] = str(declared)
        request.headers.pop("Transfer-Encoding", None)
        started = time.perf_counter()
        with pytest.raises(httpx2.LocalProtocolError, match=message):
            await client.send(request)
        assert time.perf_counter() - started < 2.0  # not a read timeout
        assert t.in_flight == 0
        assert (await client.get("/after", timeout=httpx2.Timeout(5.0, pool=0.5))).text == "/after"
    # The server never had a complete request with the wrong body.
    assert [(r.method, r.target) for r in seen] == [("GET", "/after")]
    assert server.connections == 2


async def test_a_streamed_body_of_the_declared_length_goes_out_whole() -> None:
    seen: list[Request] = []
    async with RawServer(answering(echo_target, seen)) as server, client_for(server) as (c, _):
        request = c.build_request("POST", "/api/x", content=pieces_of(300_000))
        request.headers["Content-Length"] = "300000"
        request.headers.pop("Transfer-Encoding", None)
        assert (await c.send(request)).status_code == 200
    assert seen[0].body == b"y" * 300_000
    assert "transfer-encoding" not in seen[0].headers


async def test_a_large_multipart_upload_arrives_intact() -> None:
    payload = random.Random(3).randbytes(600_000)
    seen: list[Request] = []
    async with RawServer(answering(echo_target, seen)) as server, client_for(server) as (c, t):
        resp = await c.post(
            "/api/files", files={"file": ("units.csv", payload, "text/csv")}, data={"kind": "sn"}
        )
        assert resp.status_code == 200
        assert t.in_flight == 0
    assert payload in seen[0].body
    assert b'name="kind"' in seen[0].body
    assert int(seen[0].headers["content-length"]) == len(seen[0].body)


# -- cancellation ----------------------------------------------------------------------------


async def test_cancellation_storm_leaks_no_pool_slot() -> None:
    # encode/httpcore#830: requests cancelled at unlucky moments lose pool slots for good,
    # and with a small pool every later request waits forever.
    rng = random.Random(830)

    async def jittery(request: Request) -> bytes:
        await asyncio.sleep(rng.uniform(0, 0.004))
        return response(200, request.target.encode() * rng.randint(1, 20_000))

    async with (
        RawServer(answering(jittery)) as server,
        client_for(server, max_connections=2) as (client, t),
    ):

        async def doomed(n: int) -> str:
            if n % 3 == 0:  # cancelled from outside at a random point
                task = asyncio.create_task(client.get(f"/c/{n}"))
                await asyncio.sleep(rng.uniform(0, 0.01))
                task.cancel()
                return (await task).text
            if n % 3 == 1:  # a streamed body abandoned part way
                async with client.stream("GET", f"/s/{n}") as resp:
                    async for _chunk in resp.aiter_raw():
                        if rng.random() < 0.5:
                            break
                return "abandoned"
            return (await asyncio.wait_for(client.get(f"/w/{n}"), rng.uniform(0, 0.01))).text

        outcomes: list[str | BaseException] = []
        for wave in range(30):  # waves of 10: cancellations land in every phase, not just waits
            outcomes += await asyncio.gather(
                *(doomed(wave * 10 + n) for n in range(10)), return_exceptions=True
            )
        cancelled = [o for o in outcomes if isinstance(o, asyncio.CancelledError | TimeoutError)]
        unexpected = [o for o in outcomes if isinstance(o, BaseException) and o not in cancelled]
        assert not unexpected
        assert len(cancelled) > 50  # the storm really cancelled requests mid-flight
        assert t.in_flight == 0

        after = await asyncio.wait_for(
            asyncio.gather(*(client.get(f"/after/{n}") for n in range(10))), 5
        )
        assert [r.text.startswith(f"/after/{n}") for n, r in enumerate(after)] == [True] * 10
        assert t.in_flight == 0
        assert server.connections >= 2


# -- big bodies ------------------------------------------------------------------------------


async def test_large_download_streams_intact() -> None:
    payload = os.urandom(8 * 1024 * 1024)

    async def big(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while await read_request(reader) is not None:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(payload))
            view = memoryview(payload)
            for start in range(0, len(payload), 64 * 1024):
                writer.write(view[start : start + 64 * 1024])
                await writer.drain()

    async with RawServer(big) as server, client_for(server) as (client, t):
        digest = hashlib.sha256()
        size = 0
        async with client.stream("GET", "/big") as resp:
            async for n, chunk in _enumerate(resp.aiter_raw()):
                digest.update(chunk)
                size += len(chunk)
                if n < 4:  # a slow consumer at first: the server has to wait meanwhile
                    await asyncio.sleep(0.05)
        assert size == len(payload)
        assert digest.hexdigest() == hashlib.sha256(payload).hexdigest()
        assert t.in_flight == 0
        assert hashlib.sha256((await client.get("/big")).content).digest() == (
            hashlib.sha256(payload).digest()
        )
        assert server.connections == 1


async def test_a_slow_reader_holds_the_server_back_instead_of_buffering_the_body() -> None:
    """Back-pressure: while the caller does not read, the transport stops reading too, so
    the server's writes block; the body is not piled up in memory."""
    total = 256 * 1024 * 1024
    written = 0
    piece = bytes(256 * 1024)

    async def endless(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal written
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % total)
        while written < total:
            writer.write(piece)
            await writer.drain()
            written += len(piece)

    async with RawServer(endless) as server, client_for(server) as (client, t):
        async with client.stream("GET", "/big") as resp:
            first = await resp.aiter_raw().__anext__()
            assert first
            await asyncio.sleep(0.5)  # a slow consumer: the server keeps trying meanwhile
            stalled_at = written
            await asyncio.sleep(0.2)
            # Socket buffers and aiohttp's small read buffer hold a few MB at most.
            assert written < 24 * 1024 * 1024
            assert written == stalled_at  # the server is blocked, not trickling on
        assert t.in_flight == 0  # closed unread: the connection was dropped


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

    async with RawServer(digest_of_body) as server, client_for(server) as (client, t):
        resp = await client.post("/upload", content=payload)
        assert resp.text == hashlib.sha256(payload).hexdigest()
        small = await client.post("/upload", content=b"small")
        assert small.text == hashlib.sha256(b"small").hexdigest()
        assert server.connections == 1
        assert t.in_flight == 0


async def test_chunked_upload_from_an_async_generator() -> None:
    rng = random.Random(7)
    pieces = [rng.randbytes(rng.randint(1, 70_000)) for _ in range(40)]
    requests: list[Request] = []

    async def digest(request: Request) -> bytes:
        return response(200, hashlib.sha256(request.body).hexdigest().encode())

    async def generate() -> AsyncIterator[bytes]:
        for piece in pieces:
            await asyncio.sleep(0)
            yield piece

    async with RawServer(answering(digest, requests)) as server, client_for(server) as (client, t):
        resp = await client.post("/upload", content=generate())
        assert resp.text == hashlib.sha256(b"".join(pieces)).hexdigest()
        assert requests[0].headers["transfer-encoding"] == "chunked"
        assert "content-length" not in requests[0].headers
        assert (await client.get("/next")).status_code == 200
        assert server.connections == 1
        assert t.in_flight == 0


# -- names and addresses ---------------------------------------------------------------------


async def test_a_dead_first_address_falls_over_to_the_next_quickly() -> None:
    """Happy eyeballs: the second address is tried while the first still hangs."""
    async with RawServer(answering(echo_target)) as server:
        with dead_address() as dead:
            resolver = StaticResolver(dead, ("127.0.0.1", server.port))
            async with client_for(resolver=resolver) as (client, t):
                started = time.perf_counter()
                url = f"http://wats.station.test:{server.port}/up"
                resp = await client.get(url, timeout=httpx2.Timeout(5.0, connect=5.0))
                elapsed = time.perf_counter() - started
                assert resp.text == "/up"
                assert elapsed < 2.5  # far within the 5 s connect timeout
                assert resolver.asked == ["wats.station.test"]
                assert t.in_flight == 0


async def test_an_internationalised_host_is_reached_by_its_ascii_name() -> None:
    """DNS and the Host header want the punycode form of a name like münchen.example."""
    requests: list[Request] = []
    async with RawServer(answering(echo_target, requests)) as server:
        resolver = StaticResolver(("127.0.0.1", server.port))
        async with client_for(resolver=resolver) as (client, _):
            resp = await client.get(f"http://münchen.example:{server.port}/x")
    assert resp.text == "/x"
    assert resolver.asked == ["xn--mnchen-3ya.example"]
    assert requests[0].headers["host"] == f"xn--mnchen-3ya.example:{server.port}"
