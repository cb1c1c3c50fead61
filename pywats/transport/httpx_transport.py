"""AsyncioTransport: the httpx transport pywats uses for direct connections to a WATS server.

httpx's own async transport goes through httpcore and anyio: a lock, a cancel scope and a
connection-pool rescan per request. For a client that talks HTTP/1.1 to one server and is
called from a sync wrapper on every line of a test script, that machinery was most of the
time a call took. This transport does the same job with asyncio's protocol callbacks, a lean
HTTP/1.1 codec and a pool whose bookkeeping cannot be interrupted by cancellation.

Proxies are not handled here: when a proxy is configured (argument or environment), httpx
routes those requests through its own proxy transports, as it always does.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator

import httpx2

from pywats.transport.connection import HTTP11Connection, Origin
from pywats.transport.pool import ConnectionPool

__all__ = ["AsyncioTransport"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


class AsyncioTransport(httpx2.AsyncBaseTransport):
    """HTTP/1.1 over asyncio, with TLS and a bounded keep-alive pool.

    Args:
        verify: TLS verification: True (certifi's CAs), False, or an ``ssl.SSLContext``.
        limits: connection limits, as for ``httpx2.AsyncClient``.
        trust_env: let ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` choose the CAs, as httpx does.
    """

    def __init__(
        self,
        *,
        verify: ssl.SSLContext | bool = True,
        limits: httpx2.Limits | None = None,
        trust_env: bool = True,
    ) -> None:
        limits = limits or httpx2.Limits()
        self._verify = verify
        self._trust_env = trust_env
        self._ssl_context: ssl.SSLContext | None = None
        self._pool = ConnectionPool(
            self._open_connection,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
        )

    def __repr__(self) -> str:
        return f"AsyncioTransport({self._pool!r})"

    @property
    def pool(self) -> ConnectionPool:
        return self._pool

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        url = request.url
        scheme = url.scheme
        if scheme not in _DEFAULT_PORTS:
            raise httpx2.UnsupportedProtocol(f"{scheme!r} URLs are not supported; use http(s)")
        if not url.host:
            raise httpx2.UnsupportedProtocol(f"the URL {url} has no host")
        # The ASCII (punycode) host: what DNS and TLS SNI expect for an internationalised name.
        host = url.raw_host.decode("ascii")
        origin: Origin = (scheme, host, url.port or _DEFAULT_PORTS[scheme])
        timeouts = request.extensions.get("timeout", {})
        connection = await self._pool.acquire(origin, timeouts.get("pool"), timeouts.get("connect"))
        read_timeout = timeouts.get("read")
        try:
            head = await connection.send_request(request, timeouts.get("write"), read_timeout)
        except BaseException:
            self._pool.release(connection, reusable=False)
            raise
        return httpx2.Response(
            status_code=head.status_code,
            headers=head.headers,
            stream=_ResponseBody(self._pool, connection, read_timeout),
            extensions={"http_version": b"HTTP/" + head.http_version, "reason_phrase": head.reason},
        )

    async def aclose(self) -> None:
        await self._pool.aclose()

    async def _open_connection(self, origin: Origin, timeout: float | None) -> HTTP11Connection:
        scheme, host, port = origin
        secure = scheme == "https"
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                _, connection = await loop.create_connection(
                    lambda: HTTP11Connection(origin),
                    host,
                    port,
                    ssl=self._tls_context() if secure else None,
                    server_hostname=host if secure else None,
                )
        except TimeoutError:
            raise httpx2.ConnectTimeout(
                f"no connection to {host}:{port} within {timeout:g} s"
            ) from None
        except ssl.SSLCertVerificationError as exc:
            raise httpx2.ConnectError(
                f"the TLS certificate of {host} was not accepted ({exc.verify_message}); "
                "set ca_bundle to your company's CA file if it signs the server's certificate"
            ) from exc
        except (OSError, ssl.SSLError) as exc:
            raise httpx2.ConnectError(str(exc) or type(exc).__name__) from exc
        return connection

    def _tls_context(self) -> ssl.SSLContext:
        # Built on first https use: loading the CA file costs tens of milliseconds.
        if self._ssl_context is None:
            self._ssl_context = httpx2.create_ssl_context(
                verify=self._verify, trust_env=self._trust_env
            )
        return self._ssl_context


class _ResponseBody(httpx2.AsyncByteStream):
    """The body of one response; gives the connection back to the pool exactly once."""

    def __init__(
        self, pool: ConnectionPool, connection: HTTP11Connection, read_timeout: float | None
    ) -> None:
        self._pool = pool
        self._connection: HTTP11Connection | None = connection
        self._read_timeout = read_timeout

    async def __aiter__(self) -> AsyncIterator[bytes]:
        connection = self._connection
        if connection is None:
            raise httpx2.StreamClosed()
        try:
            async for chunk in connection.receive_body(self._read_timeout):
                yield chunk
        except BaseException:
            self._give_back(reusable=False)
            raise
        self._give_back(reusable=connection.finish())

    async def aclose(self) -> None:
        # Closed before the end (an error, a break out of aiter_bytes): the connection is
        # mid-message and cannot carry another request.
        self._give_back(reusable=False)

    def _give_back(self, reusable: bool) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            self._pool.release(connection, reusable)
