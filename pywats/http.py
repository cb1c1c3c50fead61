"""AsyncHttpClient: the one place that talks HTTP to a WATS server.

It owns one ``httpx2.AsyncClient`` over one :class:`~pywats.transport.AiohttpTransport`
(one connection pool), adds authentication, the user agent and the ``Referer`` that
``/api/internal/`` endpoints need, applies the retry policy, the deadline and the response
size limit, and turns every failure into a :mod:`pywats.errors` exception. Repositories call
it; nothing else does.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Unpack
from urllib.parse import urlsplit

import anyio
import httpx2
from pydantic import SecretStr

from pywats.errors import (
    ClientClosedError,
    WATSConnectionError,
    WATSResponseTooLargeError,
    WATSStatusError,
    WATSTimeoutError,
    WATSUnexpectedResponseError,
    WATSValidationError,
    status_error_class,
)
from pywats.options import (
    DEFAULT_TIMEOUT,
    ClientOptions,
    HttpConfig,
    TimeoutTypes,
    proxy_address,
    resolve_config,
)
from pywats.redaction import Redactor
from pywats.retry import RetryEvent, RetryPolicy, notify_retry, parse_retry_after
from pywats.transport import AiohttpTransport

__all__ = ["DEFAULT_TIMEOUT", "AsyncHttpClient", "CallSpec", "TimeoutTypes"]

logger = logging.getLogger("pywats.http")

QueryParams = Mapping[str, str | int | float | bool | None]

_MESSAGE_KEYS = ("message", "Message", "errorMessage", "ErrorMessage", "error", "detail", "title")
_HTML_RE = re.compile(rb"^\s*(<!doctype html|<html)", re.IGNORECASE)
# Framing is the HTTP stack's job: a caller's value could make a body spill into a second
# request on the same connection.
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "host", "connection"})
_HEADER_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_UNSET: Any = object()


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ is ~4x slower per call
class CallSpec:
    """One API call's inputs; each attempt builds a fresh request from them."""

    method: str
    path: str
    params: QueryParams | None = None
    json_body: Any = None
    content: bytes | str | None = None
    files: Mapping[str, Any] | None = None
    headers: Mapping[str, str] | None = None
    timeout: TimeoutTypes = None
    idempotent: bool | None = None


def _surrogate_in(value: Any, where: str) -> str | None:
    """Where (a field path) a lone surrogate hides in a JSON-able value; None if nowhere."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            found = _surrogate_in(key, where) or _surrogate_in(item, f"{where}.{key}")
            if found:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _surrogate_in(item, f"{where}[{index}]")
            if found:
                return found
    return None


def check_call(spec: CallSpec) -> None:
    """Refuse what must not be sent: framing headers, text that is not valid Unicode."""
    # Most calls are an ASCII path and nothing else, which can hold neither: skip the walk.
    plain = spec.path.isascii() and (not isinstance(spec.content, str) or spec.content.isascii())
    has_more = bool(spec.params or spec.headers) or spec.json_body is not None
    if has_more or not plain:
        _check_text(spec)


def _check_text(spec: CallSpec) -> None:
    for name, value in (spec.headers or {}).items():
        if name.lower() in _FRAMING_HEADERS:
            raise WATSValidationError(
                f"{name} is set by the HTTP stack from the body and cannot be given",
                field="headers",
            )
        if _HEADER_CONTROL.search(f"{name}{value}"):
            raise WATSValidationError(
                "holds a line break or another control character, which would end the header",
                field=f"header {name}",
            )
    candidates: list[tuple[Any, str]] = [(spec.path, "path")]
    candidates += [(value, name) for name, value in (spec.params or {}).items()]
    candidates += [(value, f"header {name}") for name, value in (spec.headers or {}).items()]
    if spec.json_body is not None:
        candidates.append((spec.json_body, "body"))
    if isinstance(spec.content, str):
        candidates.append((spec.content, "body"))
    for value, where in candidates:
        found = _surrogate_in(value, where)
        if found:
            raise WATSValidationError(
                "holds a lone surrogate (text that is not valid Unicode, often from a "
                "mis-decoded file name or scan); fix the input",
                field=found,
            )


def server_message(body: Any, text: str) -> str:
    """The human part of an error response: a JSON message field, or a short plain-text excerpt."""
    if isinstance(body, dict):
        for key in _MESSAGE_KEYS:
            value = body.get(key)
            if isinstance(value, str) and value:
                return value[:300]
        errors = body.get("errors")
        if errors:
            return json.dumps(errors)[:300]
        return ""
    if isinstance(body, str):
        return body[:300]
    stripped = text.strip()
    if _HTML_RE.match(stripped.encode("utf-8", "replace")):
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


def parse_json(content: bytes) -> Any:
    """``json.loads`` whose every failure is a ValueError (deep nesting included)."""
    try:
        return json.loads(content)
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None


class AsyncHttpClient:
    """HTTP to one WATS server over one connection pool. Use it as ``async with`` or call aclose().

    Build it from a resolved configuration (``AsyncHttpClient(resolve_config(url, token, ...))``)
    or with :meth:`create`, which takes the same options as ``AsyncWATS``.
    """

    def __init__(
        self, config: HttpConfig, *, sleep: Callable[[float], Awaitable[None]] = anyio.sleep
    ) -> None:
        self.config = config
        self.base_url = config.base_url
        self.retry: RetryPolicy = config.retry
        self.deadline = config.deadline
        self._sleep = sleep
        self._redact = Redactor.for_token(config.token.get_secret_value())
        headers = {"User-Agent": config.user_agent, "Accept": "application/json"}
        token_value = config.token.get_secret_value()
        if token_value:
            headers["Authorization"] = f"Basic {token_value}"
        self._via_proxy = proxy_address(config.proxy) if config.proxy else None
        transport = config.transport or AiohttpTransport(
            verify=config.tls, limits=config.limits, proxy=config.proxy, trust_env=config.trust_env
        )
        self._client = httpx2.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            timeout=config.timeout,
            transport=transport,
            # The proxy decision was made once, in resolve_config: httpx2 must not mount its own.
            trust_env=False,
            # A redirect would turn a POST into a GET; a WATS API call never legitimately redirects.
            follow_redirects=False,
        )
        self._closed = False

    @classmethod
    def create(
        cls,
        base_url: str | None = None,
        token: str | SecretStr | None = None,
        *,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        **options: Unpack[ClientOptions],
    ) -> AsyncHttpClient:
        return cls(resolve_config(base_url, token, **options), sleep=sleep)

    def __repr__(self) -> str:
        return f"AsyncHttpClient(base_url={self.base_url!r}, token=SecretStr('**********'))"

    @property
    def transport(self) -> httpx2.AsyncBaseTransport:
        return self._client._transport

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
        deadline: float | None = _UNSET,
        idempotent: bool | None = None,
    ) -> httpx2.Response:
        """Send one API call (with retries) and return the successful response, body read.

        ``idempotent=True`` lets a POST be retried after the server answered, for endpoints
        whose payload carries an id the server deduplicates. ``deadline`` overrides the
        client's for this call (None: no limit). An upload (``files``) has no deadline unless
        one is given: its size over the link, not the server, sets how long it takes, and the
        write timeout still ends one that stalls (a 30 s interactive deadline cut off a 50 MB
        package on a slow line).
        Raises a :class:`WATSStatusError` subclass for an error status,
        :class:`WATSConnectionError` / :class:`WATSTimeoutError` when the server is not
        reached, and :class:`WATSValidationError` for input that cannot be sent.
        """
        if self._closed:
            raise ClientClosedError("WATS HTTP client")
        spec = CallSpec(
            method.upper(), path, params, json_body, content, files, headers, timeout, idempotent
        )
        check_call(spec)
        default = None if files is not None else self.deadline  # uploads: see above
        limit = default if deadline is _UNSET else deadline
        if limit is None:
            return await self._send_with_retries(spec, None)
        ends_at = asyncio.get_running_loop().time() + limit
        try:
            # asyncio's own timeout: anyio's cancel scope cost ~0.1 ms a call under load.
            async with asyncio.timeout_at(ends_at):
                return await self._send_with_retries(spec, ends_at)
        except TimeoutError:
            raise WATSTimeoutError(
                f"{spec.method} {path} did not finish within its {limit:g} s deadline, "
                "retries included",
                method=spec.method,
                path=path,
                phase="deadline",
            ) from None

    async def _send_with_retries(self, spec: CallSpec, ends_at: float | None) -> httpx2.Response:
        retry_method = "PUT" if spec.idempotent else spec.method  # PUT: "safe to resend"
        attempt = 0
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
                request = self._build_request(spec)
            except (TypeError, ValueError, RecursionError, OSError) as exc:
                # NaN or a set in a JSON body, a header httpx2 cannot encode, a file that
                # cannot be rewound: nothing was sent.
                raise WATSValidationError(
                    f"cannot be sent: {type(exc).__name__}: {exc}", field="request"
                ) from None
            try:
                response = await self._client.send(request, stream=True)
                await self._read_body(spec, response)
            except httpx2.HTTPError as exc:
                if attempt <= self.retry.max_retries and self.retry.should_retry_exception(
                    retry_method, exc
                ):
                    await self._wait_before_retry(spec, attempt, type(exc).__name__, None)
                    continue
                raise self._transport_error(spec, exc, attempt) from exc
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug(
                    "%s %s -> %d in %.1f ms (attempt %d)",
                    spec.method,
                    spec.path,
                    response.status_code,
                    (time.perf_counter() - started) * 1000,
                    attempt,
                )
            if response.is_success:
                return response
            retry_after = parse_retry_after(response.headers)
            # A Retry-After beyond the cap, or beyond the call's deadline, is not slept on: the
            # caller gets the error with retry_after set instead of a bare deadline timeout.
            wait_ok = retry_after is None or (
                retry_after <= self.retry.retry_after_cap
                and (ends_at is None or asyncio.get_running_loop().time() + retry_after < ends_at)
            )
            if (
                wait_ok
                and attempt <= self.retry.max_retries
                and self.retry.should_retry_status(
                    retry_method, response.status_code, retry_after is not None
                )
            ):
                await self._wait_before_retry(
                    spec, attempt, f"status {response.status_code}", retry_after
                )
                continue
            raise self._status_error(spec, response, retry_after)

    async def _read_body(self, spec: CallSpec, response: httpx2.Response) -> None:
        """Read the body into ``response.content``, refusing one over ``max_response_bytes``."""
        limit = self.config.max_response_bytes
        try:
            if limit is None:
                await response.aread()
                return
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and len(declared) < 20:
                if int(declared) > limit:
                    raise self._too_large(spec, limit, f"it announces {int(declared):,} bytes")
                if response.headers.get("content-encoding", "identity") == "identity":
                    # The transport reads exactly the announced length: already bounded.
                    await response.aread()
                    return
            received = bytearray()
            async for chunk in response.aiter_bytes():  # decoded: a gzip bomb counts in full
                received += chunk
                if len(received) > limit:
                    raise self._too_large(spec, limit, "it went on past that")
            response._content = bytes(received)  # what aread() stores, read under the limit
        except (httpx2.DecodingError, httpx2.StreamError) as exc:
            raise WATSUnexpectedResponseError(
                f"unexpected response from {spec.method} {spec.path}: the body cannot be "
                f"decoded ({exc})",
                status_code=response.status_code,
                method=spec.method,
                path=spec.path,
                body_excerpt="",
            ) from None
        finally:
            await response.aclose()

    @staticmethod
    def _too_large(spec: CallSpec, limit: int, why: str) -> WATSResponseTooLargeError:
        return WATSResponseTooLargeError(
            f"the response to {spec.method} {spec.path} is larger than max_response_bytes "
            f"({limit:,} bytes): {why}; raise max_response_bytes if the answer is genuine",
            method=spec.method,
            path=spec.path,
            limit=limit,
        )

    def _build_request(self, spec: CallSpec) -> httpx2.Request:
        extra = dict(spec.headers or {})
        if spec.path.lower().startswith("/api/internal/"):
            # The server refuses internal endpoints without a Referer naming itself.
            extra.setdefault("Referer", self.base_url)
        clean_params = {k: v for k, v in (spec.params or {}).items() if v is not None}
        for value in (spec.files or {}).values():
            # A file object sent by an earlier attempt is read again from its start.
            handle = value[1] if isinstance(value, tuple) and len(value) > 1 else value
            if hasattr(handle, "seek"):
                handle.seek(0)
        return self._client.build_request(
            spec.method,
            spec.path,
            params=clean_params or None,
            json=spec.json_body,
            content=spec.content,
            files=spec.files,
            headers=extra or None,
            timeout=spec.timeout if spec.timeout is not None else httpx2.USE_CLIENT_DEFAULT,
        )

    async def _wait_before_retry(
        self, spec: CallSpec, attempt: int, reason: str, retry_after: float | None
    ) -> None:
        delay = retry_after if retry_after is not None else self.retry.backoff(attempt)
        event = RetryEvent(
            spec.method, spec.path, attempt + 1, self.retry.max_retries + 1, reason, delay
        )
        logger.info(
            "retrying %s %s after %s: attempt %d of %d in %.2f s",
            event.method,
            event.path,
            event.reason,
            event.attempt,
            event.attempts,
            event.delay,
        )
        notify_retry(event)
        await self._sleep(delay)

    def _transport_error(
        self, spec: CallSpec, exc: httpx2.HTTPError, attempts: int
    ) -> WATSConnectionError:
        method, path = spec.method, spec.path
        tried = f" after {attempts} attempts" if attempts > 1 else ""
        host = urlsplit(self.base_url).netloc
        detail = self._redact(str(exc) or type(exc).__name__)
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
        if isinstance(exc, httpx2.ConnectError | httpx2.UnsupportedProtocol):
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
                f"{method} {path} failed{tried}: the connection broke ({type(exc).__name__}: "
                f"{detail}); the server may or may not have processed it"
            )
        return WATSConnectionError(message, method=method, path=path)

    def _status_error(
        self, spec: CallSpec, response: httpx2.Response, retry_after: float | None
    ) -> WATSStatusError:
        body: Any = None
        text = response.text
        if text:
            try:
                body = self._redact.value(parse_json(response.content))
            except (ValueError, RecursionError):  # not JSON, or nested too deeply to walk
                body = None
        message = self._redact(server_message(body, text))
        if 300 <= response.status_code < 400:
            location = self._redact(response.headers.get("location", "(no Location header)"))
            message = f"redirected to {location[:300]}" + (f"; {message}" if message else "")
        return status_error_class(response.status_code)(
            status_code=response.status_code,
            method=spec.method,
            path=spec.path,
            server_message=message,
            body=body,
            retry_after=retry_after,
        )

    # -- JSON helpers that repositories use ---------------------------------------------------

    def decode_json(self, response: httpx2.Response) -> Any:
        """The JSON body of a successful response; None for an empty body.

        A body that is not JSON (an HTML login page, a truncated answer, nesting too deep,
        invalid UTF-8) raises :class:`WATSUnexpectedResponseError` instead of a traceback.
        """
        content = response.content
        if not content.strip():
            return None
        try:
            return parse_json(content)
        except ValueError as exc:
            method = response.request.method
            path = response.request.url.path
            raise WATSUnexpectedResponseError(
                f"unexpected response from {method} {path}: expected JSON, got "
                f"{_describe_body(response)} ({exc.__class__.__name__}: {str(exc)[:200]})",
                status_code=response.status_code,
                method=method,
                path=path,
                body_excerpt=self._redact(_excerpt(content)),
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
