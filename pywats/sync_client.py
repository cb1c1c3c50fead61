"""SyncWATS: the blocking entry point for plain scripts. No asyncio in sight.

It owns a :class:`~pywats.runner.SyncRunner` (one background event loop thread) and builds an
:class:`~pywats.client.AsyncWATS` on that loop; every call runs there, so all threads share one
connection pool.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import httpx2
from pydantic import SecretStr

from pywats.client import AsyncWATS, client_settings
from pywats.domains.process import SyncProcessService
from pywats.domains.product import SyncProductService
from pywats.domains.production import SyncProductionService
from pywats.domains.report.sync_service import SyncReportService
from pywats.errors import ClientClosedError
from pywats.http import TimeoutTypes
from pywats.retry import RetryPolicy
from pywats.runner import SyncRunner

__all__ = ["SyncWATS"]


class SyncWATS:
    """Synchronous client for a WATS server; takes the same arguments as :class:`AsyncWATS`.

    Safe to share between threads. Use it as a context manager or call :meth:`close`.
    """

    process: SyncProcessService
    product: SyncProductService
    production: SyncProductionService
    report: SyncReportService

    def __init__(
        self,
        base_url: str | None = None,
        token: str | SecretStr | None = None,
        *,
        timeout: TimeoutTypes = None,
        deadline: float | None = None,
        verify: bool | ssl.SSLContext | None = None,
        ca_bundle: str | None = None,
        use_os_trust_store: bool = False,
        proxy: str | None = None,
        trust_env: bool = True,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        limits: httpx2.Limits | None = None,
        transport: httpx2.AsyncBaseTransport | None = None,
        config_path: Path | None = None,
    ) -> None:
        # Resolve settings now so a bad value fails here, in the caller's thread.
        settings = client_settings(
            base_url,
            token,
            timeout=timeout,
            verify=verify,
            ca_bundle=ca_bundle,
            max_retries=max_retries,
            proxy=proxy,
            config_path=config_path,
        )
        self._base_url = settings.url
        # The async client gets the settings resolved here, as explicit arguments, so it uses
        # exactly what this client reports even if the environment or the file change later.
        self._kwargs: dict[str, Any] = {
            "base_url": settings.url,
            "token": settings.token,
            "timeout": timeout if isinstance(timeout, httpx2.Timeout) else settings.timeout,
            "deadline": deadline,
            "verify": verify if isinstance(verify, ssl.SSLContext) else settings.verify,
            "ca_bundle": settings.ca_bundle,
            "use_os_trust_store": use_os_trust_store,
            "proxy": settings.proxy,
            "trust_env": trust_env,
            "max_retries": settings.max_retries,
            "retry": retry,
            "limits": limits,
            "transport": transport,
            "config_path": config_path,
        }
        self._async: AsyncWATS | None = None
        self._runner = SyncRunner(name="pywats-sync", on_start=self._start, on_close=self._stop)
        self._attach_domains()

    def _attach_domains(self) -> None:
        """The sync twin of each domain service (see pywats/domains/)."""
        # Sync domain services are attached here as each domain lands.
        self.process = SyncProcessService(self, "process")
        self.product = SyncProductService(self, "product")
        self.production = SyncProductionService(self, "production")
        self.report = SyncReportService(self, "report")

    async def _start(self) -> None:
        # Built on the runner's loop, so its pool, locks and events belong to that loop.
        self._async = AsyncWATS(**self._kwargs)

    async def _stop(self) -> None:
        if self._async is not None:
            await self._async.close()

    def _async_client(self) -> AsyncWATS:
        """The AsyncWATS living on the runner's loop; only valid inside a runner call."""
        if self._async is None:
            raise ClientClosedError("sync WATS client")
        return self._async

    @property
    def base_url(self) -> str:
        return self._base_url

    def __repr__(self) -> str:
        return f"SyncWATS(base_url={self._base_url!r})"

    def close(self) -> None:
        """Close the connection pool and stop the background thread. Safe to call twice."""
        self._runner.close()

    def __enter__(self) -> SyncWATS:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def get_version(self) -> str | None:
        """The server's version string; see :meth:`AsyncWATS.get_version`."""
        return self._runner.run(lambda: self._async_client().get_version())

    def test_connection(self) -> bool:
        """True if the server answers with this token; see :meth:`AsyncWATS.test_connection`."""
        return self._runner.run(lambda: self._async_client().test_connection())
