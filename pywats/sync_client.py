"""SyncWATS: the blocking entry point for plain scripts. No asyncio in sight.

It owns a :class:`~pywats.runner.SyncRunner` (one background event loop thread) and builds an
:class:`~pywats.client.AsyncWATS` on that loop; every call runs there, so all threads share one
connection pool.
"""

from __future__ import annotations

from typing import Unpack

from pydantic import SecretStr

from pywats.client import AsyncWATS
from pywats.domains.analytics import SyncAnalyticsService
from pywats.domains.asset import SyncAssetService
from pywats.domains.process import SyncProcessService
from pywats.domains.product import SyncProductService
from pywats.domains.production import SyncProductionService
from pywats.domains.report.sync_service import SyncReportService
from pywats.domains.rootcause import SyncRootCauseService
from pywats.domains.scim import SyncScimService
from pywats.domains.software import SyncSoftwareService
from pywats.errors import ClientClosedError
from pywats.options import ClientOptions, resolve_config
from pywats.queue import SyncReportQueue
from pywats.runner import SyncRunner, abandon_after_fork

__all__ = ["SyncWATS"]


class SyncWATS:
    """Synchronous client for a WATS server; takes the same arguments as :class:`AsyncWATS`.

    Safe to share between threads. Use it as a context manager or call :meth:`close`.
    """

    analytics: SyncAnalyticsService
    asset: SyncAssetService
    process: SyncProcessService
    product: SyncProductService
    production: SyncProductionService
    queue: SyncReportQueue
    report: SyncReportService
    rootcause: SyncRootCauseService
    scim: SyncScimService
    software: SyncSoftwareService

    def __init__(
        self,
        base_url: str | None = None,
        token: str | SecretStr | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        # Resolved once, here in the caller's thread: a bad value, an unreadable CA bundle or
        # the plain-http warning surface at this line; the loop thread builds on the result.
        self._config = resolve_config(base_url, token, **options)
        self._queue_path = options.get("queue_path")
        self._async: AsyncWATS | None = None
        self._runner = SyncRunner(name="pywats-sync", on_start=self._start, on_close=self._stop)
        self._attach_domains()

    def _attach_domains(self) -> None:
        """The sync twin of each domain service (see pywats/domains/)."""
        # Sync domain services are attached here as each domain lands.
        self.analytics = SyncAnalyticsService(self, "analytics")
        self.asset = SyncAssetService(self, "asset")
        self.process = SyncProcessService(self, "process")
        self.product = SyncProductService(self, "product")
        self.production = SyncProductionService(self, "production")
        self.queue = SyncReportQueue(self, self._queue_path)
        self.report = SyncReportService(self, "report")
        self.rootcause = SyncRootCauseService(self, "rootcause")
        self.scim = SyncScimService(self, "scim")
        self.software = SyncSoftwareService(self, "software")

    async def _start(self) -> None:
        if self._async is not None:
            # A forked child starts its own loop: the parent's client must never be closed here.
            abandon_after_fork(self._async)
        # Built on the runner's loop, so its pool, locks and events belong to that loop.
        self._async = AsyncWATS.from_config(self._config, queue_path=self._queue_path)

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
        return self._config.base_url

    def __repr__(self) -> str:
        return f"SyncWATS(base_url={self.base_url!r})"

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
