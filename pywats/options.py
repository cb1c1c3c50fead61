"""Client options and the HTTP configuration they resolve to, once.

``AsyncWATS``, ``SyncWATS`` and ``AsyncHttpClient`` take the same keyword options
(:class:`ClientOptions`). :func:`resolve_config` turns them, with the environment and the
config file, into one immutable :class:`HttpConfig`: the settings are read, checked, the TLS
context built and the proxy chosen in the caller's thread, so a bad value or a plain-http
warning surfaces at construction and points at the caller's line.
"""

from __future__ import annotations

import ipaddress
import platform
import ssl
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict, Unpack
from urllib.parse import urlsplit

import httpx2
from pydantic import SecretStr

from pywats._version import __version__
from pywats._warnings import warn_caller
from pywats.config import Settings, load_settings
from pywats.errors import ConfigError
from pywats.retry import RetryPolicy

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_TIMEOUT",
    "ClientOptions",
    "HttpConfig",
    "TimeoutTypes",
    "environment_proxy",
    "proxy_address",
    "resolve_config",
]

TimeoutTypes = float | httpx2.Timeout | None

# Factory LAN defaults: analytics and report queries can be slow, pool waits should fail fast.
DEFAULT_TIMEOUT = httpx2.Timeout(connect=10.0, read=60.0, write=60.0, pool=10.0)
DEFAULT_LIMITS = httpx2.Limits(
    max_connections=20, max_keepalive_connections=10, keepalive_expiry=30.0
)
# A whole call, retries included: a server trickling one byte a second cannot hang a station.
DEFAULT_DEADLINE = 300.0
# Real answers (a day of reports, a package listing) are far below this; an endless body is not.
DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024

USER_AGENT = f"pywats/{__version__} python/{platform.python_version()} httpx2/{httpx2.__version__}"


class ClientOptions(TypedDict, total=False):
    """The keyword options every pywats client takes (all optional).

    timeout: seconds for every phase, or an ``httpx2.Timeout`` with connect/read/write/pool.
    deadline: seconds for a whole call, retries included (default 300); None for no limit.
    verify: TLS verification: True (default), False, or an ``ssl.SSLContext``.
    ca_bundle: a PEM file of CA certificates to trust (your factory CA).
    use_os_trust_store: verify against the operating system's store (needs ``truststore``).
    proxy: a proxy URL for every request; else HTTP(S)_PROXY / NO_PROXY when trust_env.
    trust_env: read proxies and SSL_CERT_FILE from the environment (default True).
    max_retries / retry: the retry count, or a whole :class:`RetryPolicy`.
    limits: an ``httpx2.Limits`` for the connection pool.
    max_response_bytes: refuse a response body larger than this (default 256 MiB).
    transport: an httpx2 transport, e.g. ``httpx2.ASGITransport(app)`` for in-process tests.
    config_path: the TOML config file to read instead of the default one.
    queue_path: the offline report queue's file (else ``WATS_QUEUE``, else the user data
        directory); used by ``wats.queue``, not by the HTTP layer.
    """

    timeout: TimeoutTypes
    deadline: float | None
    verify: bool | ssl.SSLContext | None
    ca_bundle: str | None
    use_os_trust_store: bool
    proxy: str | None
    trust_env: bool
    max_retries: int | None
    retry: RetryPolicy | None
    limits: httpx2.Limits | None
    max_response_bytes: int | None
    transport: httpx2.AsyncBaseTransport | None
    config_path: Path | None
    queue_path: str | Path | None


@dataclass(frozen=True)
class HttpConfig:
    """Everything the HTTP client needs, resolved and checked. The token repr shows stars."""

    base_url: str
    token: SecretStr
    timeout: httpx2.Timeout
    deadline: float | None
    tls: ssl.SSLContext | bool
    # The one proxy decision (argument, else environment, else None). Kept out of the repr: a
    # proxy URL may carry a password.
    proxy: str | None = field(repr=False)
    trust_env: bool
    retry: RetryPolicy
    limits: httpx2.Limits
    max_response_bytes: int | None
    transport: httpx2.AsyncBaseTransport | None
    user_agent: str = USER_AGENT


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
    """The TLS verification setting: on by default, with a custom CA or the OS store."""
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


def _retry_policy(retry: RetryPolicy | None, max_retries: int | None) -> RetryPolicy:
    policy = retry or RetryPolicy()
    if max_retries is None:
        return policy
    return RetryPolicy(
        max_retries=max_retries,
        backoff_initial=policy.backoff_initial,
        backoff_max=policy.backoff_max,
        retry_after_cap=policy.retry_after_cap,
        retry_statuses=policy.retry_statuses,
        jitter_source=policy.jitter_source,
    )


def _positive(name: str, value: float | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ConfigError(name, "argument", "must be a positive number (or None for no limit)")
    return value


def _settings(
    base_url: str | None, token: str | SecretStr | None, options: ClientOptions
) -> Settings:
    timeout = options.get("timeout")
    verify = options.get("verify")
    return load_settings(
        url=base_url,
        token=token,
        ca_bundle=options.get("ca_bundle"),
        verify=verify if isinstance(verify, bool) else None,
        timeout=timeout if isinstance(timeout, int | float) else None,
        max_retries=options.get("max_retries"),
        proxy=options.get("proxy"),
        config_path=options.get("config_path"),
    )


def resolve_config(
    base_url: str | None = None,
    token: str | SecretStr | None = None,
    **options: Unpack[ClientOptions],
) -> HttpConfig:
    """Resolve a client's arguments (> environment > config file) into an :class:`HttpConfig`.

    Plain values join that order; an ``httpx2.Timeout`` or an ``ssl.SSLContext`` is used as
    given. Raises :class:`ConfigError` naming the setting and where it came from.
    """
    unknown = sorted(set(options) - set(ClientOptions.__annotations__))
    if unknown:
        raise ConfigError(unknown[0], "argument", "unknown option")
    opts = options
    settings = _settings(base_url, token, opts)
    parts = urlsplit(settings.url)
    if (
        parts.scheme == "http"
        and settings.token.get_secret_value()
        and not _is_loopback(parts.hostname or "")
    ):
        warn_caller(
            f"the WATS token will be sent unencrypted over plain http to {parts.hostname}; "
            "use https"
        )
    timeout = opts.get("timeout")
    if not isinstance(timeout, httpx2.Timeout):
        timeout = DEFAULT_TIMEOUT if settings.timeout is None else httpx2.Timeout(settings.timeout)
    verify = opts.get("verify")
    tls = build_ssl_context(
        verify if isinstance(verify, ssl.SSLContext) else settings.verify,
        settings.ca_bundle,
        bool(opts.get("use_os_trust_store", False)),
    )
    trust_env = bool(opts.get("trust_env", True))
    transport = opts.get("transport")
    if transport is None and not isinstance(tls, ssl.SSLContext):
        # Importing httpcore2 and loading the CA bundle take tens of milliseconds: here, in the
        # caller's thread, not on the event loop at the first request (an http:// server too:
        # the transport's connector takes its context when it opens, whatever the scheme).
        tls = httpx2.create_ssl_context(verify=tls, trust_env=trust_env)
    proxy = settings.proxy
    if proxy is None and trust_env and transport is None:
        proxy = environment_proxy(settings.url)
    max_response = opts.get("max_response_bytes", DEFAULT_MAX_RESPONSE_BYTES)
    if max_response is not None and (
        isinstance(max_response, bool) or not isinstance(max_response, int) or max_response <= 0
    ):
        raise ConfigError("max_response_bytes", "argument", "must be a positive whole number")
    return HttpConfig(
        base_url=settings.url,
        token=settings.token,
        timeout=timeout,
        deadline=_positive("deadline", opts.get("deadline", DEFAULT_DEADLINE)),
        tls=tls,
        proxy=proxy,
        trust_env=trust_env,
        retry=_retry_policy(opts.get("retry"), settings.max_retries),
        limits=opts.get("limits") or DEFAULT_LIMITS,
        max_response_bytes=max_response,
        transport=transport,
    )

