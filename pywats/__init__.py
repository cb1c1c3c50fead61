"""pywats: an async-first Python SDK for the WATS test-data server.

    from pywats import SyncWATS
    with SyncWATS("https://acme.wats.com", token="...") as wats:
        print(wats.get_version())

Or, in async code, ``async with AsyncWATS(...) as wats: await wats.get_version()``.

The names below are imported on first use (PEP 562), so ``import pywats.emulator`` or
``import pywats.errors`` does not load the HTTP stack and every domain.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pywats._version import __version__

if TYPE_CHECKING:
    from pywats.client import AsyncWATS
    from pywats.domains.report import (
        UURBuilder,
        UURReport,
        UUTBuilder,
        UUTReport,
        dump_wsjf,
        dump_wsxf,
        load_wsjf,
        load_wsxf,
    )
    from pywats.errors import (
        ClientClosedError,
        ConfigError,
        ReportFormatError,
        UsageError,
        WATSAuthenticationError,
        WATSBadRequestError,
        WATSConflictError,
        WATSConnectionError,
        WATSError,
        WATSNotFoundError,
        WATSPermissionError,
        WATSRateLimitError,
        WATSRedirectError,
        WATSResponseTooLargeError,
        WATSServerError,
        WATSStatusError,
        WATSTimeoutError,
        WATSUnexpectedResponseError,
        WATSValidationError,
    )
    from pywats.odata import F, Filter
    from pywats.queue import QueueError, QueuePausedError, QueueStorageError
    from pywats.retry import RetryEvent, RetryPolicy, observe_retries
    from pywats.sync_client import SyncWATS

# module -> the public names it defines
_MODULES: dict[str, tuple[str, ...]] = {
    "pywats.client": ("AsyncWATS",),
    "pywats.sync_client": ("SyncWATS",),
    "pywats.retry": ("RetryEvent", "RetryPolicy", "observe_retries"),
    "pywats.odata": ("F", "Filter"),
    "pywats.domains.report": (
        "UURBuilder",
        "UURReport",
        "UUTBuilder",
        "UUTReport",
        "dump_wsjf",
        "dump_wsxf",
        "load_wsjf",
        "load_wsxf",
    ),
    "pywats.queue": ("QueueError", "QueuePausedError", "QueueStorageError"),
    "pywats.errors": (
        "ClientClosedError",
        "ConfigError",
        "ReportFormatError",
        "UsageError",
        "WATSAuthenticationError",
        "WATSBadRequestError",
        "WATSConflictError",
        "WATSConnectionError",
        "WATSError",
        "WATSNotFoundError",
        "WATSPermissionError",
        "WATSRateLimitError",
        "WATSRedirectError",
        "WATSResponseTooLargeError",
        "WATSServerError",
        "WATSStatusError",
        "WATSTimeoutError",
        "WATSUnexpectedResponseError",
        "WATSValidationError",
    ),
}
_LAZY = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [
    "AsyncWATS",
    "ClientClosedError",
    "ConfigError",
    "F",
    "Filter",
    "QueueError",
    "QueuePausedError",
    "QueueStorageError",
    "ReportFormatError",
    "RetryEvent",
    "RetryPolicy",
    "SyncWATS",
    "UURBuilder",
    "UURReport",
    "UUTBuilder",
    "UUTReport",
    "UsageError",
    "WATSAuthenticationError",
    "WATSBadRequestError",
    "WATSConflictError",
    "WATSConnectionError",
    "WATSError",
    "WATSNotFoundError",
    "WATSPermissionError",
    "WATSRateLimitError",
    "WATSRedirectError",
    "WATSResponseTooLargeError",
    "WATSServerError",
    "WATSStatusError",
    "WATSTimeoutError",
    "WATSUnexpectedResponseError",
    "WATSValidationError",
    "__version__",
    "dump_wsjf",
    "dump_wsxf",
    "load_wsjf",
    "load_wsxf",
    "observe_retries",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pywats' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return __all__
