"""AsyncHttpClient: the one place that talks HTTP to a WATS server.

It owns one ``httpx2.AsyncClient`` (one connection pool), adds authentication, the user agent
and the ``Referer`` that ``/api/internal/`` endpoints need, applies the retry policy, and turns
every failure into a :mod:`pywats.errors` exception. Repositories call it; nothing else does.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import platform
import re
import ssl
import time
import urllib.request
import warnings
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx2
from pydantic import SecretStr

from pywats._version import __version__
from pywats.errors import (
    ClientClosedError,
    ConfigError,
    WATSConnectionError,
    WATSStatusError,
    WATSTimeoutError,
    WATSUnexpectedResponseError,
    status_error_class,
)
from pywats.retry import RetryPolicy, parse_retry_after
from pywats.transport import AsyncioTransport

__all__ = ["DEFAULT_TIMEOUT", "AsyncHttpClient", "TimeoutTypes"]

logger = logging.getLogger("pywats.http")

# Factory LAN defaults: analytics and report queries can be slow, pool waits should fail fast.
DEFAULT_TIMEOUT = httpx2.Timeout(connect=10.0, read=60.0, write=60.0, pool=10.0)
DEFAULT_LIMITS = httpx2.Limits(
    max_connections=20, max_keepalive_connections=10, keepalive_expiry=30.0
)

TimeoutTypes = float | httpx2.Timeout | None
QueryParams = Mapping[str, str | int | float | bool | None]
USER_AGENT = f"pywats/{__version__} python/{platform.python_version()} httpx/{httpx2.__version__}"

_MESSAGE_KEYS = ("message", "Message", "errorMessage", "ErrorMessage", "error", "detail", "title")
_HTML_RE = re.compile(rb"^\s*(<!doctype html|<html)", re.IGNORECASE)


def _is_loopback(host: str) -> bool:
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def environment_proxy(base_url: str) -> str | None:
    """The proxy that HTTP(S)_PROXY / ALL_PROXY (or the OS proxy settings) give for this
    server; None when there is none or NO_PROXY exempts the server."""
    proxies = urllib.request.getproxies()
    parts = urlsplit(base_url)
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return proxy


def proxy_address(proxy: str) -> str:
    """``host:port`` of a proxy URL, for messages: a proxy URL may carry a user and password."""
    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    try:
        port = parts.port
    except ValueError:  # not a number: show the host alone
        port = None
    host = parts.hostname or "(no host)"
    return f"{host}:{port}" if port else host


def build_ssl_context(
    verify: bool | ssl.SSLContext, ca_bundle: str | None, use_os_trust_store: bool
) -> ssl.SSLContext | bool:
    """The TLS verification setting for httpx: on by default, with a custom CA or the OS store."""
    if isinstance(verify, ssl.SSLContext):
        return verify
    if not verify:
        return False
    if use_os_trust_store:
        try:
            import truststore  # optional: only when asked for
        except ImportError:
            raise ConfigError(
                "use_os_trust_store",
                "argument",
                "needs the 'truststore' package: pip install truststore",
            ) from None
        ctx: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        if ca_bundle:
            ctx.load_verify_locations(cafile=ca_bundle)
        return ctx
    if ca_bundle:
        try:
            return ssl.create_default_context(cafile=ca_bundle)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(
                "ca_bundle", "argument", f"cannot load {ca_bundle!r}: {exc}"
            ) from None
    return True


def server_message(body: Any, text: str) -> str:
    """The human part of an error response: a JSON message field, or a short plain-text excerpt."""
    if isinstance(body, dict):
        for key in _MESSAGE_KEYS:
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
        errors = body.get("errors")
        if errors:
            return json.dumps(errors)[:300]
        return ""
    if isinstance(body, str):
        return body[:300]
    stripped = text.strip()
    if _HTML_RE.match(stripped.encode()):
        return "the server answered with an HTML page"
    return stripped[:300]


def _excerpt(content: bytes) -> str:
    return content[:200].decode("utf-8", errors="replace")


def _describe_body(response: httpx2.Response) -> str:
    content_type = response.headers.get("content-type", "no content-type")
    if _HTML_RE.match(response.content[:100]):
        return (
            f"an HTML page ({content_type}); is the URL the WATS server, not a login or proxy page?"
        )
    return f"{len(response.content)} bytes of {content_type}"


class AsyncHttpClient:
    """HTTP to one WATS server over one connection pool. Use it as ``async with`` or call aclose().

    Args:
        base_url: the server root, e.g. ``https://acme.wats.com``.
        token: the WATS API token (base64 of ``user:secret``) sent as ``Basic <token>``.
        timeout: seconds for every phase, or an ``httpx2.Timeout`` with connect/read/write/pool.
        deadline: optional limit in seconds for a whole call, all retries included.
        verify: TLS verification: True (default), False, or an ``ssl.SSLContext``.
        ca_bundle: path to a PEM file of CA certificates to trust instead of certifi's.
        use_os_trust_store: verify against the operating system's store (needs ``truststore``).
        proxy: proxy URL for every request.
        retry: the retry policy; ``max_retries`` overrides its count.
        transport: an httpx transport, e.g. ``httpx2.ASGITransport(app)`` for in-process tests.
    """

    def __init__(
        self,
        base_url: str,
        token: str | SecretStr | None = None,
        *,
        timeout: TimeoutTypes = None,
        deadline: float | None = None,
        verify: bool | ssl.SSLContext = True,
        ca_bundle: str | None = None,
        use_os_trust_store: bool = False,
        proxy: str | None = None,
        trust_env: bool = True,
        retry: RetryPolicy | None = None,
        max_retries: int | None = None,
        limits: httpx2.Limits = DEFAULT_LIMITS,
        transport: httpx2.AsyncBaseTransport | None = None,
        user_agent: str | None = None,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError("base_url", "argument", f"{base_url!r} is not an http(s) URL")
        self.base_url = base_url.rstrip("/")
        self._token = token if isinstance(token, SecretStr) else SecretStr(token or "")
        if (
            parts.scheme == "http"
            and self._token.get_secret_value()
            and not _is_loopback(parts.hostname or "")
        ):
            warnings.warn(
                f"the WATS token will be sent unencrypted over plain http to {parts.hostname}; "
                "use https",
                stacklevel=3,
            )
        policy = retry or RetryPolicy()
        if max_retries is not None:
            policy = RetryPolicy(
                max_retries=max_retries,
                backoff_initial=policy.backoff_initial,
                backoff_max=policy.backoff_max,
                retry_after_cap=policy.retry_after_cap,
                retry_statuses=policy.retry_statuses,
                jitter_source=policy.jitter_source,
            )
        self.retry = policy
        self.deadline = deadline
        self._sleep = sleep
        headers = {"User-Agent": user_agent or USER_AGENT, "Accept": "application/json"}
        token_value = self._token.get_secret_value()
        if token_value:
            headers["Authorization"] = f"Basic {token_value}"
        tls = build_ssl_context(verify, ca_bundle, use_os_trust_store)
        # httpx reads HTTP(S)_PROXY only when it is given no transport.
        env_proxy = environment_proxy(self.base_url) if trust_env and transport is None else None
        via = proxy or env_proxy
        self._via_proxy = proxy_address(via) if via else None
        if transport is None and env_proxy is None:
            # Direct connections. A proxy= argument still wins through httpx's proxy mounts;
            # with a proxy from the environment httpx's default transport carries everything.
            transport = AsyncioTransport(verify=tls, limits=limits, trust_env=trust_env)
        self._client = httpx2.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
            verify=tls,
            proxy=proxy,
            trust_env=trust_env,
            limits=limits,
            transport=transport,
            # A redirect would turn a POST into a GET; a WATS API call never legitimately redirects.
            follow_redirects=False,
        )
        self._closed = False

    def __repr__(self) -> str:
        return f"AsyncHttpClient(base_url={self.base_url!r}, token=SecretStr('**********'))"

    @property
    def closed(self) -> bool:
        return self._closed

    async def aclose(self) -> None:
        """Close the connection pool. Safe to call more than once."""
        if not self._closed:
            self._closed = True
            await self._client.aclose()

    async def __aenter__(self) -> AsyncHttpClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- the request path -------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        json_body: Any = None,
        content: bytes | str | None = None,
        files: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes = None,
        deadline: float | None = None,
        idempotent: bool | None = None,
    ) -> httpx2.Response:
        """Send one API call (with retries) and return the successful response.

        ``idempotent=True`` lets a POST be retried after the server answered, for endpoints
        whose payload carries an id the server deduplicates.
        Raises a :class:`WATSStatusError` subclass for an error status, and
        :class:`WATSConnectionError` / :class:`WATSTimeoutError` when the server is not reached.
        """
        if self._closed:
            raise ClientClosedError("WATS HTTP client")
        method = method.upper()
        limit = deadline if deadline is not None else self.deadline
        if limit is None:
            return await self._send_with_retries(
                method, path, params, json_body, content, files, headers, timeout, idempotent
            )
        try:
            with anyio.fail_after(limit):
                return await self._send_with_retries(
                    method, path, params, json_body, content, files, headers, timeout, idempotent
                )
        except TimeoutError:
            raise WATSTimeoutError(
                f"{method} {path} did not finish within its {limit:g} s deadline, retries included",
                method=method,
                path=path,
                phase="deadline",
            ) from None

    async def _send_with_retries(
        self,
        method: str,
        path: str,
        params: QueryParams | None,
        json_body: Any,
        content: bytes | str | None,
        files: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        timeout: TimeoutTypes,
        idempotent: bool | None,
    ) -> httpx2.Response:
        request = self._build_request(
            method, path, params, json_body, content, files, headers, timeout
        )
        retry_method = "PUT" if idempotent else method  # PUT stands for "safe to resend"
        attempt = 0
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
                response = await self._client.send(request)
            except httpx2.HTTPError as exc:
                if attempt <= self.retry.max_retries and self.retry.should_retry_exception(
                    retry_method, exc
                ):
                    await self._wait_before_retry(method, path, attempt, type(exc).__name__, None)
                    request = self._rebuild(request)
                    continue
                raise self._transport_error(method, path, exc, attempt) from exc
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug(
                    "%s %s -> %d in %.1f ms (attempt %d)",
                    method,
                    path,
                    response.status_code,
                    (time.perf_counter() - started) * 1000,
                    attempt,
                )
            if response.is_success:
                return response
            retry_after = parse_retry_after(response.headers)
            # A Retry-After beyond the cap is not slept on: the caller gets the error instead.
            wait_ok = retry_after is None or retry_after <= self.retry.retry_after_cap
            if (
                wait_ok
                and attempt <= self.retry.max_retries
                and self.retry.should_retry_status(
                    retry_method, response.status_code, retry_after is not None
                )
            ):
                await response.aclose()
                await self._wait_before_retry(
                    method, path, attempt, f"status {response.status_code}", retry_after
                )
                request = self._rebuild(request)
                continue
            raise self._status_error(method, path, response, retry_after)

    def _build_request(
        self,
        method: str,
        path: str,
        params: QueryParams | None,
        json_body: Any,
        content: bytes | str | None,
        files: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        timeout: TimeoutTypes,
    ) -> httpx2.Request:
        extra = dict(headers or {})
        if path.lower().startswith("/api/internal/"):
            # The server refuses internal endpoints without a Referer naming itself.
            extra.setdefault("Referer", self.base_url)
        clean_params = {k: v for k, v in (params or {}).items() if v is not None}
        return self._client.build_request(
            method,
            path,
            params=clean_params or None,
            json=json_body,
            content=content,
            files=files,
            headers=extra or None,
            timeout=timeout if timeout is not None else httpx2.USE_CLIENT_DEFAULT,
        )

    @staticmethod
    def _rebuild(request: httpx2.Request) -> httpx2.Request:
        # A sent request's stream may be consumed; a fresh copy resends the same bytes.
        return httpx2.Request(
            request.method,
            request.url,
            headers=request.headers,
            content=request.content,
            extensions=request.extensions,
        )

    async def _wait_before_retry(
        self, method: str, path: str, attempt: int, reason: str, retry_after: float | None
    ) -> None:
        delay = retry_after if retry_after is not None else self.retry.backoff(attempt)
        logger.info(
            "retrying %s %s after %s: attempt %d of %d in %.2f s",
            method,
            path,
            reason,
            attempt + 1,
            self.retry.max_retries + 1,
            delay,
        )
        await self._sleep(delay)

    def _transport_error(
        self, method: str, path: str, exc: httpx2.HTTPError, attempts: int
    ) -> WATSConnectionError:
        tried = f" after {attempts} attempts" if attempts > 1 else ""
        host = urlsplit(self.base_url).netloc
        if isinstance(exc, httpx2.TimeoutException):
            phase = {
                httpx2.ConnectTimeout: "connect",
                httpx2.ReadTimeout: "read",
                httpx2.WriteTimeout: "write",
                httpx2.PoolTimeout: "pool",
            }.get(type(exc), "unknown")
            advice = {
                "connect": "the server did not accept a connection; check the URL and network",
                "read": "the server is slow to answer; raise the read timeout for big queries",
                "write": "sending took too long; check the network or raise the write timeout",
                "pool": "all connections were busy; lower concurrency or raise pool limits",
            }.get(phase, "check the network")
            return WATSTimeoutError(
                f"{method} {path} timed out ({phase}){tried}: {advice}",
                method=method,
                path=path,
                phase=phase,
            )
        if isinstance(exc, httpx2.ConnectError):
            detail = str(exc) or type(exc).__name__
            if self._via_proxy:
                message = (
                    f"cannot connect to {host} through the proxy {self._via_proxy}{tried} "
                    f"({detail}); check the proxy setting (proxy=, HTTP(S)_PROXY) and the "
                    "server URL"
                )
            else:
                message = (
                    f"cannot connect to {host}{tried} ({detail}); check that the server URL is "
                    "right and the server is running"
                )
        else:
            message = (
                f"{method} {path} failed{tried}: the connection broke ({type(exc).__name__}: {exc})"
            )
        return WATSConnectionError(message, method=method, path=path)

    def _status_error(
        self, method: str, path: str, response: httpx2.Response, retry_after: float | None
    ) -> WATSStatusError:
        body: Any = None
        text = response.text
        if text:
            try:
                body = response.json()
            except ValueError:
                body = None
        return status_error_class(response.status_code)(
            status_code=response.status_code,
            method=method,
            path=path,
            server_message=server_message(body, text),
            body=body,
            retry_after=retry_after,
        )

    # -- JSON helpers that repositories use ---------------------------------------------------

    @staticmethod
    def decode_json(response: httpx2.Response) -> Any:
        """The JSON body of a successful response; None for an empty body.

        A body that is not JSON (an HTML login page, a truncated answer) raises
        :class:`WATSUnexpectedResponseError` instead of a JSON traceback.
        """
        content = response.content
        if not content.strip():
            return None
        try:
            return json.loads(content)
        except ValueError as exc:
            method = response.request.method
            path = response.request.url.path
            raise WATSUnexpectedResponseError(
                f"unexpected response from {method} {path}: expected JSON, got "
                f"{_describe_body(response)} ({exc.__class__.__name__}: {exc})",
                status_code=response.status_code,
                method=method,
                path=path,
                body_excerpt=_excerpt(content),
            ) from None

    async def get_json(self, path: str, *, params: QueryParams | None = None, **kwargs: Any) -> Any:
        return self.decode_json(await self.request("GET", path, params=params, **kwargs))

    async def send_json(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        params: QueryParams | None = None,
        **kwargs: Any,
    ) -> Any:
        response = await self.request(method, path, params=params, json_body=body, **kwargs)
        return self.decode_json(response)
