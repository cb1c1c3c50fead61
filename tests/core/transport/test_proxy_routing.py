"""Proxies: the ``proxy=`` argument and HTTP(S)_PROXY / NO_PROXY from the environment, all
through the one AiohttpTransport (https is tunnelled with CONNECT)."""

from __future__ import annotations

import base64
import ssl
from pathlib import Path

import pytest
import trustme

from pywats.errors import WATSConnectionError
from pywats.http import AsyncHttpClient
from pywats.options import environment_proxy, proxy_address
from pywats.transport import AiohttpTransport
from tests.support.connect_proxy import ConnectProxy
from tests.support.loopback_server import free_port
from tests.support.raw_http_server import RawServer, Request, answering, response

# Proxy tests name made-up servers over plain http, on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:the WATS token will be sent unencrypted")


async def as_proxy(request: Request) -> bytes:
    return response(200, b'"via proxy"', [("Content-Type", "application/json")])


async def as_server(request: Request) -> bytes:
    return response(200, b'"direct"', [("Content-Type", "application/json")])


def client(url: str, config: Path, **options: object) -> AsyncHttpClient:
    options.setdefault("max_retries", 0)
    return AsyncHttpClient.create(url, "tok", config_path=config, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def tls_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def ca_pem(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "company-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


async def test_proxy_argument_sends_the_request_to_the_proxy(no_config: Path) -> None:
    seen: list[Request] = []
    async with (
        RawServer(answering(as_proxy, seen)) as proxy,
        client("http://wats.invalid:8080", no_config, proxy=proxy.url, trust_env=False) as http,
    ):
        assert await http.get_json("/api/App/Version", params={"a": "1"}) == "via proxy"
        assert isinstance(http.transport, AiohttpTransport)
        assert f"proxy=127.0.0.1:{proxy.port}" in repr(http.transport)
    assert [(r.method, r.target) for r in seen] == [
        ("GET", "http://wats.invalid:8080/api/App/Version?a=1")  # absolute form
    ]
    assert seen[0].headers["host"] == "wats.invalid:8080"
    assert seen[0].headers["authorization"] == "Basic tok"


async def test_proxy_credentials_go_to_the_proxy_only(no_config: Path) -> None:
    seen: list[Request] = []
    async with RawServer(answering(as_proxy, seen)) as proxy:
        with_login = proxy.url.replace("http://", "http://station:s3cr3t@")
        async with client(
            "http://wats.invalid", no_config, proxy=with_login, trust_env=False
        ) as http:
            assert await http.get_json("/api/App/Version") == "via proxy"
            assert "s3cr3t" not in repr(http.transport)
    expected = "Basic " + base64.b64encode(b"station:s3cr3t").decode()
    assert seen[0].headers["proxy-authorization"] == expected


async def test_http_proxy_from_the_environment_is_honoured(
    monkeypatch: pytest.MonkeyPatch, no_config: Path
) -> None:
    seen: list[Request] = []
    async with RawServer(answering(as_proxy, seen)) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        async with client("http://wats.invalid", no_config, trust_env=True, timeout=2.0) as http:
            assert await http.get_json("/api/App/Version") == "via proxy"
    assert [r.target for r in seen] == ["http://wats.invalid/api/App/Version"]


async def test_https_through_a_connect_tunnel_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tls_context: ssl.SSLContext, ca_pem: str, no_config: Path
) -> None:
    at_server: list[Request] = []
    async with (
        RawServer(answering(as_server, at_server), tls_context) as server,
        ConnectProxy() as proxy,
    ):
        monkeypatch.setenv("HTTPS_PROXY", proxy.url.replace("http://", "http://station:pw@"))
        monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:1")  # for http only: not used here
        async with client(server.url, no_config, ca_bundle=ca_pem, trust_env=True) as http:
            for _ in range(3):
                assert await http.get_json("/api/App/Version") == "direct"
        assert server.connections == 1  # one tunnel, kept alive
    assert [t.target for t in proxy.tunnels] == [f"127.0.0.1:{server.port}"]
    tunnel = proxy.tunnels[0]
    assert tunnel.proxy_authorization == "Basic " + base64.b64encode(b"station:pw").decode()
    assert tunnel.bytes_up > 0 and tunnel.bytes_down > 0  # TLS went through the tunnel
    # Inside the tunnel the server sees an ordinary request, without the proxy's login.
    assert [r.target for r in at_server] == ["/api/App/Version"] * 3
    assert "proxy-authorization" not in at_server[0].headers
    assert at_server[0].headers["authorization"] == "Basic tok"


async def test_a_tunnel_the_proxy_refuses_is_a_connection_error_naming_the_proxy(
    monkeypatch: pytest.MonkeyPatch, no_config: Path
) -> None:
    async with ConnectProxy() as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        async with client("https://wats.invalid", no_config, trust_env=True) as http:
            with pytest.raises(WATSConnectionError) as caught:
                await http.get_json("/api/App/Version")
    assert proxy.refused == ["CONNECT wats.invalid:443 HTTP/1.1"]
    message = str(caught.value)
    assert f"through the proxy 127.0.0.1:{proxy.port}" in message
    assert "403" in message


async def test_no_proxy_exempts_the_server_from_the_environment_proxy(
    monkeypatch: pytest.MonkeyPatch, no_config: Path
) -> None:
    at_proxy: list[Request] = []
    at_server: list[Request] = []
    async with (
        RawServer(answering(as_proxy, at_proxy)) as proxy,
        RawServer(answering(as_server, at_server)) as server,
    ):
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
        async with client(server.url, no_config, trust_env=True) as http:
            assert await http.get_json("/api/App/Version") == "direct"
            assert "proxy=" not in repr(http.transport)
    assert at_proxy == []
    assert [r.target for r in at_server] == ["/api/App/Version"]


async def test_no_proxy_exempts_an_https_server_from_the_tunnel(
    monkeypatch: pytest.MonkeyPatch, tls_context: ssl.SSLContext, ca_pem: str, no_config: Path
) -> None:
    async with (
        RawServer(answering(as_server), tls_context) as server,
        ConnectProxy() as proxy,
    ):
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        async with client(server.url, no_config, ca_bundle=ca_pem, trust_env=True) as http:
            assert await http.get_json("/api/App/Version") == "direct"
    assert proxy.tunnels == [] and proxy.refused == []


async def test_trust_env_false_ignores_the_environment_proxy(
    monkeypatch: pytest.MonkeyPatch, no_config: Path
) -> None:
    at_proxy: list[Request] = []
    async with (
        RawServer(answering(as_proxy, at_proxy)) as proxy,
        RawServer(answering(as_server)) as server,
    ):
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        async with client(server.url, no_config, trust_env=False) as http:
            assert await http.get_json("/api/App/Version") == "direct"
    assert at_proxy == []


def test_which_servers_an_environment_proxy_applies_to(monkeypatch: pytest.MonkeyPatch) -> None:
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
    source: str, monkeypatch: pytest.MonkeyPatch, no_config: Path
) -> None:
    port = free_port()
    proxy = f"http://station:s3cr3t@127.0.0.1:{port}"
    if source == "environment":
        monkeypatch.setenv("HTTP_PROXY", proxy)
    async with client(
        "http://wats.invalid",
        no_config,
        proxy=proxy if source == "argument" else None,
        trust_env=source == "environment",
    ) as http:
        with pytest.raises(WATSConnectionError) as caught:
            await http.get_json("/api/App/Version")
    message = str(caught.value)
    assert f"cannot connect to wats.invalid through the proxy 127.0.0.1:{port}" in message
    assert "HTTP(S)_PROXY" in message
    for text in (message, repr(caught.value), str(caught.value.__cause__)):
        assert "s3cr3t" not in text and "station" not in text


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


async def test_without_a_proxy_the_request_goes_direct(no_config: Path) -> None:
    seen: list[Request] = []
    async with (
        RawServer(answering(as_server, seen)) as server,
        client(server.url, no_config, trust_env=False) as http,
    ):
        assert await http.get_json("/api/App/Version") == "direct"
    assert [r.target for r in seen] == ["/api/App/Version"]  # origin form: no proxy involved
    assert server.connections == 1
