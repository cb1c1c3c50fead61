"""AsyncWATS: the asynchronous entry point, one connection pool and the domain services."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import httpx2
from pydantic import SecretStr

from pywats.config import Settings, load_settings
from pywats.domains.process import AsyncProcessService, ProcessRepository
from pywats.domains.product import AsyncProductService, ProductRepository
from pywats.domains.production import AsyncProductionService, ProductionRepository
from pywats.domains.report.repository import ReportRepository
from pywats.domains.report.service import AsyncReportService
from pywats.errors import WATSConnectionError, WATSStatusError, WATSUnexpectedResponseError
from pywats.http import AsyncHttpClient, TimeoutTypes
from pywats.retry import RetryPolicy

__all__ = ["AsyncWATS", "client_settings"]


def client_settings(
    base_url: str | None,
    token: str | SecretStr | None,
    *,
    timeout: TimeoutTypes,
    verify: bool | ssl.SSLContext | None,
    ca_bundle: str | None,
    max_retries: int | None,
    proxy: str | None,
    config_path: Path | None,
) -> Settings:
    """Settings from a client's arguments (the same for AsyncWATS and SyncWATS).

    Plain values join the argument > environment > file order; an ``httpx2.Timeout`` or an
    ``ssl.SSLContext`` is not a setting and is used by the client as given.
    """
    return load_settings(
        url=base_url,
        token=token,
        ca_bundle=ca_bundle,
        verify=verify if isinstance(verify, bool) else None,
        timeout=timeout if isinstance(timeout, int | float) else None,
        max_retries=max_retries,
        proxy=proxy,
        config_path=config_path,
    )


class AsyncWATS:
    """Asynchronous client for a WATS server.

    Settings come from the arguments, then the environment (``WATS_URL``, ``WATS_TOKEN``,
    ``WATS_CA_BUNDLE``, ``WATS_VERIFY``, ``WATS_TIMEOUT``, ``WATS_MAX_RETRIES``, ``WATS_PROXY``),
    then the config file. Create one client and reuse it; use it as ``async with`` or call
    :meth:`close`.

    Each domain is an attribute holding its async service (``wats.product``, ``wats.report``...).
    """

    process: AsyncProcessService
    product: AsyncProductService
    production: AsyncProductionService
    report: AsyncReportService

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
        extra: dict[str, Any] = {}
        if limits is not None:
            extra["limits"] = limits
        self.http = AsyncHttpClient(
            settings.url,
            settings.token,
            timeout=timeout if isinstance(timeout, httpx2.Timeout) else settings.timeout,
            deadline=deadline,
            verify=verify if isinstance(verify, ssl.SSLContext) else settings.verify,
            ca_bundle=settings.ca_bundle,
            use_os_trust_store=use_os_trust_store,
            proxy=settings.proxy,
            trust_env=trust_env,
            retry=retry,
            max_retries=settings.max_retries,
            transport=transport,
            **extra,
        )
        self._attach_domains()

    def _attach_domains(self) -> None:
        """Build each domain's repository and service on this client's one HTTP pool."""
        # Domain services are attached here as each domain lands (see pywats/domains/).
        self.process = AsyncProcessService(ProcessRepository(self.http))
        self.product = AsyncProductService(ProductRepository(self.http))
        self.production = AsyncProductionService(
            ProductionRepository(self.http), ReportRepository(self.http)
        )
        self.report = AsyncReportService(ReportRepository(self.http))

    @property
    def base_url(self) -> str:
        return self.http.base_url

    def __repr__(self) -> str:
        return f"AsyncWATS(base_url={self.base_url!r})"

    async def close(self) -> None:
        """Close the connection pool. Safe to call more than once."""
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

        Never raises for network or server problems; use :meth:`get_version` to see why.
        """
        try:
            return await self.get_version() is not None
        except (WATSConnectionError, WATSStatusError, WATSUnexpectedResponseError):
            return False
