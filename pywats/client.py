"""AsyncWATS: the asynchronous entry point, one connection pool and the domain services."""

from __future__ import annotations

import os
from typing import Unpack

from pydantic import SecretStr

from pywats.domains.analytics import AnalyticsRepository, AsyncAnalyticsService
from pywats.domains.asset import AssetRepository, AsyncAssetService
from pywats.domains.process import AsyncProcessService, ProcessRepository
from pywats.domains.product import AsyncProductService, ProductRepository
from pywats.domains.production import AsyncProductionService, ProductionRepository
from pywats.domains.report.repository import ReportRepository
from pywats.domains.report.service import AsyncReportService
from pywats.domains.rootcause import AsyncRootCauseService, RootCauseRepository
from pywats.domains.scim import AsyncScimService, ScimRepository
from pywats.domains.software import AsyncSoftwareService, SoftwareRepository
from pywats.errors import (
    WATSConnectionError,
    WATSResponseTooLargeError,
    WATSStatusError,
    WATSUnexpectedResponseError,
)
from pywats.http import AsyncHttpClient
from pywats.options import ClientOptions, HttpConfig, resolve_config
from pywats.queue import AsyncReportQueue

__all__ = ["TEST_CONNECTION_DEADLINE", "AsyncWATS"]

# test_connection() is a yes/no question a UI asks while a person waits: it never hangs.
TEST_CONNECTION_DEADLINE = 15.0


class AsyncWATS:
    """Asynchronous client for a WATS server.

    Settings come from the arguments, then the environment (``WATS_URL``, ``WATS_TOKEN``,
    ``WATS_CA_BUNDLE``, ``WATS_VERIFY``, ``WATS_TIMEOUT``, ``WATS_MAX_RETRIES``, ``WATS_PROXY``),
    then the config file; the keyword options are :class:`~pywats.options.ClientOptions`.
    Create one client and reuse it; use it as ``async with`` or call :meth:`close`.

    Each domain is an attribute holding its async service (``wats.product``, ``wats.report``...).
    """

    analytics: AsyncAnalyticsService
    asset: AsyncAssetService
    process: AsyncProcessService
    product: AsyncProductService
    production: AsyncProductionService
    queue: AsyncReportQueue
    report: AsyncReportService
    rootcause: AsyncRootCauseService
    scim: AsyncScimService
    software: AsyncSoftwareService

    def __init__(
        self,
        base_url: str | None = None,
        token: str | SecretStr | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        self._setup(resolve_config(base_url, token, **options), options.get("queue_path"))

    @classmethod
    def from_config(
        cls, config: HttpConfig, *, queue_path: str | os.PathLike[str] | None = None
    ) -> AsyncWATS:
        """A client for an already resolved configuration (what SyncWATS builds on its loop)."""
        client = cls.__new__(cls)
        client._setup(config, queue_path)
        return client

    def _setup(self, config: HttpConfig, queue_path: str | os.PathLike[str] | None) -> None:
        self.http = AsyncHttpClient(config)
        self._queue_path = queue_path
        self._attach_domains()

    def _attach_domains(self) -> None:
        """Build each domain's repository and service on this client's one HTTP pool."""
        # Domain services are attached here as each domain lands (see pywats/domains/).
        self.analytics = AsyncAnalyticsService(AnalyticsRepository(self.http))
        self.asset = AsyncAssetService(AssetRepository(self.http))
        self.process = AsyncProcessService(ProcessRepository(self.http))
        self.product = AsyncProductService(ProductRepository(self.http))
        self.production = AsyncProductionService(
            ProductionRepository(self.http), ReportRepository(self.http)
        )
        self.queue = AsyncReportQueue(ReportRepository(self.http), path=self._queue_path)
        self.report = AsyncReportService(ReportRepository(self.http), self.queue)
        self.rootcause = AsyncRootCauseService(RootCauseRepository(self.http))
        self.scim = AsyncScimService(ScimRepository(self.http))
        self.software = AsyncSoftwareService(SoftwareRepository(self.http))

    @property
    def base_url(self) -> str:
        return self.http.base_url

    def __repr__(self) -> str:
        return f"AsyncWATS(base_url={self.base_url!r})"

    async def close(self) -> None:
        """Stop the queue's sender (queued reports stay on disk), then close the connection
        pool. Safe to call more than once."""
        await self.queue.aclose()
        await self.http.aclose()

    async def __aenter__(self) -> AsyncWATS:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def get_version(self) -> str | None:
        """The server's version string, e.g. ``"24.1.0"``; None if the server sends none."""
        value = await self.http.get_json("/api/App/Version")
        if value is None or value == "":
            return None
        if isinstance(value, dict):
            # Some server versions wrap it in an object.
            for key in ("version", "Version"):
                if isinstance(value.get(key), str):
                    return str(value[key])
        return str(value)

    async def test_connection(self) -> bool:
        """True if the server answers ``/api/App/Version`` with this token, else False.

        Answers within 15 s whatever the server does, and never raises for network or server
        problems; use :meth:`get_version` to see why.
        """
        try:
            own = self.http.deadline
            bound = TEST_CONNECTION_DEADLINE if own is None else min(own, TEST_CONNECTION_DEADLINE)
            value = await self.http.get_json("/api/App/Version", deadline=bound)
        except (
            WATSConnectionError,
            WATSStatusError,
            WATSUnexpectedResponseError,
            WATSResponseTooLargeError,
        ):
            return False
        return value not in (None, "")
