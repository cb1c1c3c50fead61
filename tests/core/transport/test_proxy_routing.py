"""Proxied requests bypass AsyncioTransport: httpx's proxy mounts still route them."""

from __future__ import annotations

import pytest

from pywats.errors import WATSConnectionError
from pywats.http import AsyncHttpClient, environment_proxy, proxy_address
from pywats.transport import AsyncioTransport
from tests.support.loopback_server import free_port
from tests.support.raw_http_server import RawServer, Request, answering, response

PROXY_VARS = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
)


async def as_proxy(request: Request) -> bytes:
    return response(200, b'"via proxy"', [("Content-Type", "application/json")])


def direct_transport(http: AsyncHttpClient) -> AsyncioTransport:
    transport = http._client._transport
    assert isinstance(transport, AsyncioTransport)
    return transport


async def test_proxy_argument_sends_the_request_to_the_proxy() -> None:
    seen: list[Request] = []
    async with (
        RawServer(answering(as_proxy, seen)) as proxy,
        AsyncHttpClient("http://wats.invalid:8080", proxy=proxy.url, trust_env=False) as http,
    ):
        assert await http.get_json("/api/App/Version", params={"a": "1"}) == "via proxy"
        assert direct_transport(http).pool.open_connections == 0  # never used
    assert [(r.method, r.target) for r in seen] == [
        ("GET", "http://wats.invalid:8080/api/App/Version?a=1")  # absolute form
    ]
    assert seen[0].headers["host"] == "wats.invalid:8080"


async def test_proxy_from_the_environment_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    seen: list[Request] = []
    async with RawServer(answering(as_proxy, seen)) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        async with AsyncHttpClient(
            "http://wats.invalid", trust_env=True, max_retries=0, timeout=2.0
        ) as http:
            assert await http.get_json("/api/App/Version") == "via proxy"
    assert [r.target for r in seen] == ["http://wats.invalid/api/App/Version"]


async def test_no_proxy_exempts_the_server_from_the_environment_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    at_proxy: list[Request] = []
    at_server: list[Request] = []
    async with (
        RawServer(answering(as_proxy, at_proxy)) as proxy,
        RawServer(answering(as_proxy, at_server)) as server,
    ):
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
        async with AsyncHttpClient(server.url, trust_env=True, max_retries=0) as http:
            assert await http.get_json("/api/App/Version") == "via proxy"
            assert direct_transport(http).pool.open_connections == 1
    assert at_proxy == []
    assert [r.target for r in at_server] == ["/api/App/Version"]


def test_which_servers_an_environment_proxy_applies_to(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    assert environment_proxy("https://wats.example.com") is None
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.com:3128")
    assert environment_proxy("https://wats.example.com") == "http://proxy.example.com:3128"
    assert environment_proxy("http://wats.example.com") is None  # only https is proxied
    monkeypatch.setenv("NO_PROXY", ".example.com")
    assert environment_proxy("https://wats.example.com") is None
    monkeypatch.setenv("ALL_PROXY", "http://proxy.example.com:3128")
    monkeypatch.setenv("NO_PROXY", "other.example.org")
    assert environment_proxy("http://wats.example.com") is not None


@pytest.mark.parametrize("source", ["argument", "environment"])
async def test_an_unreachable_proxy_is_named_without_its_password(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    port = free_port()
    proxy = f"http://station:s3cr3t@127.0.0.1:{port}"
    if source == "environment":
        monkeypatch.setenv("HTTP_PROXY", proxy)
    async with AsyncHttpClient(
        "http://wats.invalid",
        proxy=proxy if source == "argument" else None,
        trust_env=source == "environment",
        max_retries=0,
    ) as http:
        with pytest.raises(WATSConnectionError) as caught:
            await http.get_json("/api/App/Version")
    message = str(caught.value)
    assert f"cannot connect to wats.invalid through the proxy 127.0.0.1:{port}" in message
    assert "HTTP(S)_PROXY" in message
    assert "s3cr3t" not in message and "station" not in message


@pytest.mark.parametrize(
    ("proxy", "shown"),
    [
        ("http://user:pw@proxy.example.com:3128", "proxy.example.com:3128"),
        ("proxy.example.com:8080", "proxy.example.com:8080"),
        ("http://proxy.example.com", "proxy.example.com"),
        ("http://proxy.example.com:notaport", "proxy.example.com"),
        ("garbage", "garbage"),
        ("http://", "(no host)"),
    ],
)
def test_proxy_address_shows_where_not_who(proxy: str, shown: str) -> None:
    assert proxy_address(proxy) == shown


async def test_without_a_proxy_the_request_goes_direct() -> None:
    seen: list[Request] = []
    async with (
        RawServer(answering(as_proxy, seen)) as server,
        AsyncHttpClient(server.url, trust_env=False) as http,
    ):
        assert await http.get_json("/api/App/Version") == "via proxy"
        assert direct_transport(http).pool.open_connections == 1
    assert [r.target for r in seen] == ["/api/App/Version"]  # origin form: no proxy involved
