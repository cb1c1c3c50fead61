"""TLS through AsyncioTransport and AsyncWATS, against a loopback server with a private CA."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
import trustme

from pywats import AsyncWATS
from pywats.config import ENV_VARS
from pywats.errors import WATSConnectionError
from pywats.transport import AsyncioTransport
from tests.support.raw_http_server import RawServer, Request, answering, response

TOKEN = "dXNlcjpzM2NyZXQtdG9rZW4="


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def ca_pem(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "company-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def no_wats_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """No WATS_* variables and no config file: only the test's arguments count."""
    for name in ENV_VARS.values():
        monkeypatch.delenv(name, raising=False)
    yield tmp_path / "no-config.toml"


async def version_answer(request: Request) -> bytes:
    if request.target != "/api/App/Version":
        return response(404, b'{"message": "no such thing"}')
    return response(200, b'"24.1.0"', [("Content-Type", "application/json")])


async def test_verify_with_a_context_trusting_the_ca(
    ca: trustme.CA, server_context: ssl.SSLContext
) -> None:
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    transport = AsyncioTransport(verify=client_context, trust_env=False)
    async with (
        RawServer(answering(version_answer), server_context) as server,
        httpx2.AsyncClient(transport=transport, base_url=server.url) as client,
    ):
        for _ in range(3):
            resp = await client.get("/api/App/Version")
            assert resp.json() == "24.1.0"
        assert server.connections == 1  # keep-alive works over TLS too


async def test_default_verification_refuses_an_unknown_ca(server_context: ssl.SSLContext) -> None:
    transport = AsyncioTransport(trust_env=False)
    async with (
        RawServer(answering(version_answer), server_context) as server,
        httpx2.AsyncClient(transport=transport, base_url=server.url) as client,
    ):
        with pytest.raises(httpx2.ConnectError) as caught:
            await client.get("/api/App/Version")
    message = str(caught.value)
    assert "certificate" in message
    assert "ca_bundle" in message  # it says how to fix it
    assert transport.pool.open_connections == 0


async def test_verify_false_accepts_any_certificate(server_context: ssl.SSLContext) -> None:
    transport = AsyncioTransport(verify=False, trust_env=False)
    async with (
        RawServer(answering(version_answer), server_context) as server,
        httpx2.AsyncClient(transport=transport, base_url=server.url) as client,
    ):
        assert (await client.get("/api/App/Version")).json() == "24.1.0"


async def test_plain_http_to_a_tls_port_is_an_error_not_a_hang(
    server_context: ssl.SSLContext,
) -> None:
    transport = AsyncioTransport(trust_env=False)
    async with RawServer(answering(version_answer), server_context) as server:
        url = server.url.replace("https://", "http://")
        async with httpx2.AsyncClient(transport=transport, timeout=5.0) as client:
            with pytest.raises(httpx2.TransportError):
                await client.get(f"{url}/api/App/Version")
    assert transport.pool.open_connections == 0


async def test_async_wats_with_ca_bundle(
    server_context: ssl.SSLContext, ca_pem: str, no_wats_env: Path
) -> None:
    requests: list[Request] = []
    async with (
        RawServer(answering(version_answer, requests), server_context) as server,
        AsyncWATS(
            server.url, TOKEN, ca_bundle=ca_pem, trust_env=False, config_path=no_wats_env
        ) as wats,
    ):
        assert await wats.get_version() == "24.1.0"
    assert requests[0].headers["authorization"] == f"Basic {TOKEN}"


async def test_async_wats_without_ca_bundle_names_the_certificate_not_the_token(
    server_context: ssl.SSLContext, no_wats_env: Path
) -> None:
    async with RawServer(answering(version_answer), server_context) as server:
        async with AsyncWATS(
            server.url, TOKEN, trust_env=False, config_path=no_wats_env, max_retries=0
        ) as wats:
            with pytest.raises(WATSConnectionError) as caught:
                await wats.get_version()
        assert server.connections == 0  # refused at the handshake, before any request
    error = caught.value
    assert "certificate" in str(error)
    assert "ca_bundle" in str(error)
    for text in (str(error), repr(error), str(error.__cause__)):
        assert TOKEN not in text
