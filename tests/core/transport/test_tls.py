"""TLS through AiohttpTransport, AsyncHttpClient and AsyncWATS, against a loopback server
whose certificate a private CA (trustme) signed."""

from __future__ import annotations

import asyncio
import ssl
import time
from pathlib import Path

import httpx2
import pytest
import trustme

from pywats import AsyncWATS
from pywats.errors import WATSConnectionError
from pywats.http import AsyncHttpClient
from pywats.options import resolve_config
from pywats.transport import AiohttpTransport
from tests.support.raw_http_server import RawServer, Request, answering, read_request, response

TOKEN = "dXNlcjpzM2NyZXQtdG9rZW4="


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def server_context_for(ca: trustme.CA, *names: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    return context


@pytest.fixture(scope="module")
def server_context(ca: trustme.CA) -> ssl.SSLContext:
    return server_context_for(ca, "127.0.0.1", "localhost")


@pytest.fixture
def ca_pem(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "company-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


async def version_answer(request: Request) -> bytes:
    if request.target != "/api/App/Version":
        return response(404, b'{"message": "no such thing"}')
    return response(200, b'"24.1.0"', [("Content-Type", "application/json")])


def trusting(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


async def test_verify_with_a_context_trusting_the_ca(
    ca: trustme.CA, server_context: ssl.SSLContext
) -> None:
    transport = AiohttpTransport(verify=trusting(ca), trust_env=False)
    async with (
        RawServer(answering(version_answer), server_context) as server,
        httpx2.AsyncClient(transport=transport, base_url=server.url) as client,
    ):
        for _ in range(3):
            resp = await client.get("/api/App/Version")
            assert resp.json() == "24.1.0"
        assert server.connections == 1  # keep-alive works over TLS too
        assert transport.in_flight == 0


async def test_ca_bundle_through_async_wats(
    server_context: ssl.SSLContext, ca_pem: str, no_config: Path
) -> None:
    requests: list[Request] = []
    async with (
        RawServer(answering(version_answer, requests), server_context) as server,
        AsyncWATS(
            server.url, TOKEN, ca_bundle=ca_pem, trust_env=False, config_path=no_config
        ) as wats,
    ):
        assert await wats.get_version() == "24.1.0"
    assert requests[0].headers["authorization"] == f"Basic {TOKEN}"


async def test_a_certificate_for_another_host_is_refused_and_says_so(
    ca: trustme.CA, ca_pem: str, no_config: Path
) -> None:
    elsewhere = server_context_for(ca, "wats.example.com")
    async with RawServer(answering(version_answer), elsewhere) as server:
        transport = AiohttpTransport(verify=trusting(ca), trust_env=False)
        async with httpx2.AsyncClient(transport=transport, base_url=server.url) as client:
            with pytest.raises(httpx2.ConnectError) as direct:
                await client.get("/api/App/Version")
        assert transport.in_flight == 0
        async with AsyncHttpClient.create(
            server.url,
            TOKEN,
            ca_bundle=ca_pem,
            trust_env=False,
            config_path=no_config,
            max_retries=0,
        ) as http:
            with pytest.raises(WATSConnectionError) as caught:
                await http.get_json("/api/App/Version")
        assert server.connections == 0  # refused at the handshake, before any request
    for message in (str(direct.value), str(caught.value)):
        assert "certificate" in message
        assert "mismatch" in message.lower()
        assert "127.0.0.1" in message  # the name it was not valid for
        assert "host name the certificate was issued for" in message  # the fix: the URL
        assert "ca_bundle" not in message  # the CA is trusted: a CA file would not help
    assert TOKEN not in str(caught.value)


async def test_default_verification_refuses_an_unknown_ca(server_context: ssl.SSLContext) -> None:
    transport = AiohttpTransport(trust_env=False)
    async with (
        RawServer(answering(version_answer), server_context) as server,
        httpx2.AsyncClient(transport=transport, base_url=server.url) as client,
    ):
        with pytest.raises(httpx2.ConnectError) as caught:
            await client.get("/api/App/Version")
    message = str(caught.value)
    assert "certificate" in message
    assert "ca_bundle" in message  # it says how to fix it
    assert transport.in_flight == 0


async def test_an_unknown_ca_through_async_wats_names_the_certificate_not_the_token(
    server_context: ssl.SSLContext, no_config: Path
) -> None:
    async with RawServer(answering(version_answer), server_context) as server:
        async with AsyncWATS(
            server.url, TOKEN, trust_env=False, config_path=no_config, max_retries=0
        ) as wats:
            with pytest.raises(WATSConnectionError) as caught:
                await wats.get_version()
        assert server.connections == 0
    error = caught.value
    assert "certificate" in str(error)
    assert "ca_bundle" in str(error)
    for text in (str(error), repr(error), str(error.__cause__), repr(error.__cause__)):
        assert TOKEN not in text


async def test_verify_false_accepts_any_certificate(server_context: ssl.SSLContext) -> None:
    transport = AiohttpTransport(verify=False, trust_env=False)
    async with (
        RawServer(answering(version_answer), server_context) as server,
        httpx2.AsyncClient(transport=transport, base_url=server.url) as client,
    ):
        assert (await client.get("/api/App/Version")).json() == "24.1.0"


async def test_plain_http_to_a_tls_port_is_an_error_not_a_hang(
    server_context: ssl.SSLContext,
) -> None:
    transport = AiohttpTransport(trust_env=False)
    async with RawServer(answering(version_answer), server_context) as server:
        url = server.url.replace("https://", "http://")
        async with httpx2.AsyncClient(transport=transport, timeout=10.0) as client:
            started = time.perf_counter()
            with pytest.raises(httpx2.TransportError):
                await client.get(f"{url}/api/App/Version")
            assert time.perf_counter() - started < 3.0  # not a read timeout
    assert transport.in_flight == 0


@pytest.mark.parametrize("client_side", ["caller's context offering h2", "ca_bundle"])
async def test_alpn_ends_in_http_1_1_when_the_server_prefers_h2(
    client_side: str, ca: trustme.CA, ca_pem: str, no_config: Path
) -> None:
    context = server_context_for(ca, "127.0.0.1")
    context.set_alpn_protocols(["h2", "http/1.1"])  # the server's preference: h2 first
    chosen: list[str | None] = []

    async def record_alpn(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        chosen.append(writer.get_extra_info("ssl_object").selected_alpn_protocol())
        while (request := await read_request(reader)) is not None:
            writer.write(await version_answer(request))
            await writer.drain()

    if client_side == "ca_bundle":
        options: dict[str, object] = {"ca_bundle": ca_pem}
    else:
        offering_h2 = trusting(ca)
        offering_h2.set_alpn_protocols(["h2", "http/1.1"])
        options = {"verify": offering_h2}
    async with (
        RawServer(record_alpn, context) as server,
        AsyncHttpClient.create(
            server.url, TOKEN, trust_env=False, config_path=no_config, **options
        ) as http,
    ):
        assert await http.get_json("/api/App/Version") == "24.1.0"
    assert chosen == ["http/1.1"]


@pytest.mark.parametrize("trust_env", [True, False])
async def test_ssl_cert_file_from_the_environment_is_trusted_only_with_trust_env(
    trust_env: bool, server_context: ssl.SSLContext, ca_pem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", ca_pem)
    transport = AiohttpTransport(trust_env=trust_env)
    async with (
        RawServer(answering(version_answer), server_context) as server,
        httpx2.AsyncClient(transport=transport, base_url=server.url) as client,
    ):
        if trust_env:
            assert (await client.get("/api/App/Version")).json() == "24.1.0"
        else:
            with pytest.raises(httpx2.ConnectError, match="certificate"):
                await client.get("/api/App/Version")


async def test_a_refused_certificate_is_not_retried(
    server_context: ssl.SSLContext, no_config: Path
) -> None:
    """Trying the same certificate again cannot help: one handshake, no backoff, at once."""
    handshakes = 0

    def counting_handshake(*args: object) -> None:
        nonlocal handshakes
        handshakes += 1

    server_context.set_servername_callback(counting_handshake)  # type: ignore[arg-type]
    try:
        async with (
            RawServer(answering(version_answer), server_context) as server,
            AsyncWATS(
                server.url, TOKEN, trust_env=False, config_path=no_config, max_retries=3
            ) as wats,
        ):
            started = time.monotonic()
            with pytest.raises(WATSConnectionError, match="certificate") as caught:
                await wats.get_version()
            elapsed = time.monotonic() - started
    finally:
        server_context.set_servername_callback(None)
    assert handshakes == 1
    assert "attempts" not in str(caught.value)
    assert elapsed < 1.0  # no backoff sleeps (0.5 s, then 1 s, then 2 s)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9", "https://wats.example.com"])
def test_the_tls_context_is_built_in_the_callers_thread_for_any_scheme(url: str) -> None:
    # Importing httpcore2 and loading the CA bundle on the event loop at the first request
    # stalled the TUI's first call by about 60 ms (an http:// demo server included).
    assert isinstance(resolve_config(url, "dG9rZW4=", trust_env=False).tls, ssl.SSLContext)


async def test_a_transport_given_a_context_builds_none_on_the_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    context = ssl.create_default_context()

    def refuse(**_: object) -> ssl.SSLContext:
        raise AssertionError("a TLS context was built on the event loop")

    monkeypatch.setattr(httpx2, "create_ssl_context", refuse)
    transport = AiohttpTransport(verify=context, trust_env=False)
    try:
        transport._open_session()
    finally:
        await transport.aclose()
