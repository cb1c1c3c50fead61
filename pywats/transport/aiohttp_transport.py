"""AiohttpTransport: an httpx2 transport that hands the HTTP work to aiohttp.

The parser, the connection pool, happy eyeballs, TLS and proxies (CONNECT included) are
aiohttp's. What is ours is the mapping between the two libraries:

- request and response objects, streamed both ways;
- timeouts: httpx2's connect/read/write/pool onto aiohttp's, plus a write timeout that aiohttp
  lacks (an upload that stops moving);
- errors, each mapped onto the httpx2 exception that says whether the request may have
  reached the server. That distinction drives pywats' retries, so it is made here, precisely:
  refused, unresolvable and connect timeouts are "never sent"; a disconnect or a timeout once
  the request started is "maybe sent".

Request framing always comes from the body itself: a caller's Content-Length or
Transfer-Encoding cannot make the body spill into a second request, nor cut it short. A
stream whose length was declared must deliver exactly that many bytes, or the request fails
before the server holds a complete one.
"""

from __future__ import annotations

import asyncio
import base64
import ssl
from collections.abc import AsyncIterator, Iterable
from typing import Any

import aiohttp
import httpx2
from multidict import CIMultiDict
from yarl import URL

__all__ = ["AiohttpTransport", "CertificateRejected", "map_aiohttp_error"]

# Bodies up to this size go to aiohttp as one bytes object; larger ones are streamed in
# pieces of this size, so an upload that stops moving is caught by the write timeout.
_STREAM_THRESHOLD = 64 * 1024
_READ_CHUNK = 64 * 1024
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding"})
# OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH and X509_V_ERR_IP_ADDRESS_MISMATCH.
_NAME_MISMATCH = frozenset({62, 64})


class CertificateRejected(httpx2.ConnectError):
    """The server's TLS certificate was not accepted: never sent, and trying again cannot help."""


def map_aiohttp_error(exc: BaseException, *, writing: bool = False) -> httpx2.TransportError:
    """The httpx2 exception for an aiohttp failure; its type tells whether it was sent.

    ``writing``: the failure came while the request was still being sent, so a broken
    connection is a write error rather than a read error (both are "maybe sent").
    """
    detail = str(exc) or type(exc).__name__
    # Never sent: the connection was not made (the connector errors come first: some of
    # them are also OSErrors).
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        reason = getattr(exc.certificate_error, "verify_message", None) or exc.certificate_error
        if getattr(exc.certificate_error, "verify_code", None) in _NAME_MISMATCH:
            # A trusted certificate, issued for another name: a CA file would not help.
            return CertificateRejected(
                f"the TLS certificate of {exc.host} was not accepted ({reason}); use the host "
                "name the certificate was issued for in the server URL"
            )
        return CertificateRejected(
            f"the TLS certificate of {exc.host} was not accepted ({reason}); set ca_bundle to "
            "your company's CA file if it signs the server's certificate"
        )
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        return httpx2.ConnectError(f"cannot reach the proxy: {detail}")
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        return httpx2.ConnectError(f"the proxy refused the tunnel: {exc.status} {exc.message}")
    if isinstance(exc, aiohttp.ClientConnectorError):  # refused, DNS, TLS handshake
        return httpx2.ConnectError(detail)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx2.ConnectTimeout(detail)
    # Maybe sent: the request had started when it failed.
    if isinstance(exc, aiohttp.SocketTimeoutError | aiohttp.ServerTimeoutError):
        return httpx2.ReadTimeout(detail)
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return httpx2.RemoteProtocolError(f"the server closed the connection ({detail})")
    if isinstance(exc, aiohttp.ClientPayloadError):
        return httpx2.RemoteProtocolError(f"the response body was cut short or malformed: {detail}")
    if isinstance(exc, aiohttp.ClientResponseError):  # an unparsable response head
        return httpx2.RemoteProtocolError(f"the server's response is not valid HTTP: {exc.message}")
    if isinstance(exc, aiohttp.InvalidURL):
        return httpx2.UnsupportedProtocol(f"invalid URL: {detail}")
    if isinstance(exc, aiohttp.ClientConnectionError | OSError):
        return (httpx2.WriteError if writing else httpx2.ReadError)(detail)
    return httpx2.RemoteProtocolError(f"{type(exc).__name__}: {detail}")


class _WriteClock:
    """A write timeout for aiohttp, which has none: it cancels the request when a piece of
    the body takes longer than ``timeout`` to go out."""

    def __init__(self, timeout: float | None) -> None:
        self.timeout = timeout
        self.fired = False
        self.finished_body = False  # the whole body has been handed to the socket
        # The body did not match its own Content-Length (a caller's header on a stream).
        self.body_error: httpx2.LocalProtocolError | None = None
        self._task = asyncio.current_task()
        self._loop = asyncio.get_running_loop()
        self._handle: asyncio.TimerHandle | None = None

    def wind(self) -> None:
        self.stop()
        if self.timeout is not None and self._task is not None:
            self._handle = self._loop.call_later(self.timeout, self._fire)

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def finish(self) -> None:
        """The request is over (answered or failed): the body writer may outlive it."""
        self.stop()
        self._task = None

    def _fire(self) -> None:
        if self._task is not None:
            self.fired = True
            self._task.cancel()


class AiohttpTransport(httpx2.AsyncBaseTransport):
    """HTTP/1.1 through one ``aiohttp.ClientSession``, created on first use on the running loop.

    Args:
        verify: TLS verification: True (the system's CAs through httpx2's default context),
            False, or an ``ssl.SSLContext`` (its ALPN offer is set to http/1.1 only, so a
            server cannot choose h2, which this transport does not speak).
        limits: ``max_connections`` and ``keepalive_expiry`` as for ``httpx2.AsyncClient``.
        proxy: every request goes through this proxy (``http://[user:password@]host:port``);
            https targets are tunnelled with CONNECT. None: direct connections.
        trust_env: let ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` choose the CAs, as httpx2 does.
            The proxy decision is the caller's (see :func:`pywats.options.environment_proxy`).
        resolver: an ``aiohttp`` resolver, for name resolution of your own.
    """

    def __init__(
        self,
        *,
        verify: ssl.SSLContext | bool = True,
        limits: httpx2.Limits | None = None,
        proxy: str | None = None,
        trust_env: bool = True,
        resolver: aiohttp.abc.AbstractResolver | None = None,
    ) -> None:
        limits = limits or httpx2.Limits()
        self._verify = verify
        self._trust_env = trust_env
        self._limit = limits.max_connections or 0
        self._keepalive = limits.keepalive_expiry
        self._resolver = resolver
        self._proxy: URL | None = None
        # The proxy's login, as a header: aiohttp 3.14 deprecates BasicAuth and proxy_auth.
        self._proxy_headers: dict[str, str] | None = None
        if proxy:
            url = URL(proxy if "://" in proxy else f"http://{proxy}")
            if url.user is not None:
                login = f"{url.user}:{url.password or ''}".encode()
                self._proxy_headers = {
                    "Proxy-Authorization": "Basic " + base64.b64encode(login).decode("ascii")
                }
            self._proxy = url.with_user(None)
        self._session: aiohttp.ClientSession | None = None
        self._in_flight = 0

    def __repr__(self) -> str:
        via = f", proxy={self._proxy.host}:{self._proxy.port}" if self._proxy else ""
        return f"AiohttpTransport(max_connections={self._limit}{via})"

    @property
    def in_flight(self) -> int:
        """Requests holding a connection (sent, or with a body not yet read to the end)."""
        return self._in_flight

    def _open_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            ssl_context = (
                self._verify
                if isinstance(self._verify, ssl.SSLContext)
                else httpx2.create_ssl_context(verify=self._verify, trust_env=self._trust_env)
            )
            # pywats speaks HTTP/1.1: a server must not pick h2 from a context that offers it.
            ssl_context.set_alpn_protocols(["http/1.1"])
            connector = aiohttp.TCPConnector(
                limit=self._limit,
                limit_per_host=0,
                keepalive_timeout=self._keepalive,
                ssl=ssl_context,
                resolver=self._resolver,
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                # httpx2 decodes Content-Encoding itself and owns redirects and cookies.
                auto_decompress=False,
                cookie_jar=aiohttp.DummyCookieJar(),
                timeout=aiohttp.ClientTimeout(total=None),
                trust_env=False,
            )
            # aiohttp resends an idempotent request once by itself after a disconnect; pywats'
            # retry policy is the one place that decides, so attempts never multiply. (No
            # public switch exists; aiohttp's own test client sets the same attribute.)
            self._session._retry_connection = False
        return self._session

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.url.scheme not in ("http", "https"):
            raise httpx2.UnsupportedProtocol(
                f"{request.url.scheme!r} URLs are not supported; use http(s)"
            )
        session = self._open_session()
        timeouts: dict[str, float | None] = request.extensions.get("timeout", {})
        pool_wait = timeouts.get("pool")
        connect = timeouts.get("connect")
        # aiohttp's "connect" covers waiting for a free connection and opening a new one.
        acquire = None if pool_wait is None or connect is None else pool_wait + connect
        timeout = aiohttp.ClientTimeout(
            total=None, connect=acquire, sock_connect=connect, sock_read=timeouts.get("read")
        )
        pool_was_full = bool(self._limit) and self._in_flight >= self._limit
        clock = _WriteClock(timeouts.get("write"))
        body, length = await self._body(request, clock)
        # One turn of the loop first: a pooled connection whose server closed it right after
        # its last response is then seen closed, instead of being reused and failing as
        # "maybe sent" (aiohttp resends only idempotent methods after that).
        await asyncio.sleep(0)
        loop = asyncio.get_running_loop()
        started = loop.time()
        self._in_flight += 1
        try:
            headers = _request_headers(request.headers.raw, length)
            proxy_headers = self._proxy_headers
            if proxy_headers and request.url.scheme == "http":
                # No tunnel: the request itself goes to the proxy and carries its login
                # (aiohttp sends proxy_headers only with a CONNECT).
                headers.update(proxy_headers)
                proxy_headers = None
            response = await session.request(
                request.method,
                URL(str(request.url), encoded=True),
                headers=headers,
                data=body,
                allow_redirects=False,
                timeout=timeout,
                proxy=self._proxy,
                proxy_headers=proxy_headers,
            )
        except asyncio.CancelledError:
            self._in_flight -= 1
            if clock.body_error is not None:
                raise clock.body_error from None
            if clock.fired and _uncancel():
                raise httpx2.WriteTimeout(
                    f"the request body did not go out within {clock.timeout:g} s"
                ) from None
            raise
        except aiohttp.ConnectionTimeoutError as exc:
            self._in_flight -= 1
            # aiohttp raises the same error whether the wait for a free connection ran out
            # (after pool + connect) or opening one did (after connect): the time tells
            # (give or take a coarse clock: Windows' ticks are 15.6 ms).
            waited = loop.time() - started
            if pool_was_full and acquire is not None and waited >= acquire - 0.02:
                raise httpx2.PoolTimeout(
                    f"no free connection within {acquire:g} s (all {self._limit} busy)"
                ) from exc
            raise httpx2.ConnectTimeout(str(exc)) from exc
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            self._in_flight -= 1
            if clock.body_error is not None:
                raise clock.body_error from exc
            raise map_aiohttp_error(exc, writing=not clock.finished_body) from exc
        except Exception as exc:  # e.g. aiohttp refusing a header value: nothing was sent
            self._in_flight -= 1
            raise httpx2.LocalProtocolError(f"{type(exc).__name__}: {exc}") from exc
        finally:
            clock.finish()
        version = response.version or aiohttp.HttpVersion11
        return httpx2.Response(
            status_code=response.status,
            headers=list(response.raw_headers),
            stream=_ResponseBody(response, self._release),
            extensions={
                "http_version": f"HTTP/{version.major}.{version.minor}".encode(),
                "reason_phrase": (response.reason or "").encode("latin-1", "replace"),
            },
        )

    async def _body(
        self, request: httpx2.Request, clock: _WriteClock
    ) -> tuple[bytes | AsyncIterator[bytes], int | None]:
        """The request body as aiohttp takes it (bytes, or an async iterator of pieces) and
        the Content-Length to send with it (None: aiohttp frames it, chunked for a stream).

        Bytes in hand are always framed by their real length, whatever a header says; a
        stream with a declared length must deliver exactly that many bytes."""
        stream = request.stream
        if isinstance(stream, httpx2.ByteStream):
            content = request.content  # read when the request was built
        else:
            declared = request.headers.get("content-length", "")
            length = int(declared) if declared.isdigit() and len(declared) < 19 else None
            if length is None or length > _STREAM_THRESHOLD:
                if not isinstance(stream, httpx2.AsyncByteStream):
                    raise httpx2.UnsupportedProtocol("an async client needs an async request body")
                return _timed_pieces(_async_pieces(stream), clock, length), length
            content = await request.aread()
        if len(content) > _STREAM_THRESHOLD:
            return _timed_pieces(_split(content), clock, len(content)), len(content)
        clock.finished_body = True
        return content, None

    def _release(self) -> None:
        self._in_flight -= 1

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _uncancel() -> bool:
    """Take back the cancellation the write clock sent; False if someone else cancelled too."""
    task = asyncio.current_task()
    return task is not None and task.uncancel() == 0


def _request_headers(raw: Iterable[tuple[bytes, bytes]], length: int | None) -> CIMultiDict[str]:
    # Framing is never taken from the request's headers: a bytes body is framed by aiohttp
    # from its real length, a stream by the length _body checked it against, else chunked.
    headers: CIMultiDict[str] = CIMultiDict()
    for name, value in raw:
        key = name.decode("latin-1")
        if key.lower() in _FRAMING_HEADERS:
            continue
        headers.add(key, value.decode("latin-1"))
    if length is not None:
        headers["Content-Length"] = str(length)
    return headers


async def _async_pieces(stream: httpx2.AsyncByteStream) -> AsyncIterator[bytes]:
    async for piece in stream:
        yield piece


async def _split(content: bytes) -> AsyncIterator[bytes]:
    view = memoryview(content)
    for start in range(0, len(content), _STREAM_THRESHOLD):
        yield bytes(view[start : start + _STREAM_THRESHOLD])


async def _timed_pieces(
    pieces: AsyncIterator[bytes], clock: _WriteClock, length: int | None
) -> AsyncIterator[bytes]:
    # aiohttp asks for the next piece once the previous one is written: the clock runs while
    # a piece is on its way out, not while the caller's stream produces the next one.
    checked = _exactly(pieces, length, clock) if length is not None else pieces
    async for piece in checked:
        clock.wind()
        yield piece
        clock.stop()
    clock.finished_body = True


async def _exactly(
    pieces: AsyncIterator[bytes], length: int, clock: _WriteClock
) -> AsyncIterator[bytes]:
    """The pieces of a body that must be ``length`` bytes long; a body that is not fails
    before the server has that many bytes, so it never sees a complete, wrong request.

    Each piece is held back until the next one shows whether the body goes on."""
    sent = 0
    held: bytes | None = None
    async for piece in pieces:
        if not piece:
            continue
        if held is not None:
            yield held
            sent += len(held)
        held = piece
        total = sent + len(held)
        if total > length or (total == length and not await _ended(pieces)):
            clock.body_error = httpx2.LocalProtocolError(
                f"the request body is longer than its Content-Length ({length} bytes)"
            )
            raise clock.body_error
        if total == length:
            yield held
            return
    total = sent + len(held or b"")
    if total != length:  # the body ended short
        clock.body_error = httpx2.LocalProtocolError(
            f"the request body ended after {total} of its {length} declared bytes"
        )
        raise clock.body_error


async def _ended(pieces: AsyncIterator[bytes]) -> bool:
    """True if the iterator has nothing left but empty pieces."""
    async for piece in pieces:
        if piece:
            return False
    return True


class _ResponseBody(httpx2.AsyncByteStream):
    """A response body read from aiohttp; gives its connection back exactly once."""

    def __init__(self, response: aiohttp.ClientResponse, on_done: Any) -> None:
        self._response: aiohttp.ClientResponse | None = response
        self._on_done = on_done

    async def __aiter__(self) -> AsyncIterator[bytes]:
        response = self._response
        if response is None:
            raise httpx2.StreamClosed()
        try:
            async for chunk in response.content.iter_chunked(_READ_CHUNK):
                yield chunk
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            self._finish(reusable=False)
            raise map_aiohttp_error(exc) from exc
        except BaseException:
            self._finish(reusable=False)
            raise
        self._finish(reusable=True)

    async def aclose(self) -> None:
        # Closed before the end (an error, a size limit, a break): the connection is
        # mid-message and cannot carry another request.
        self._finish(reusable=False)

    def _finish(self, *, reusable: bool) -> None:
        response, self._response = self._response, None
        if response is None:
            return
        if reusable and response.content.at_eof():
            response.release()
        else:
            response.close()
        self._on_done()
