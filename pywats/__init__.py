"""pywats: an async-first Python SDK for the WATS test-data server.

    from pywats import SyncWATS
    with SyncWATS("https://acme.wats.com", token="...") as wats:
        print(wats.get_version())

Or, in async code, ``async with AsyncWATS(...) as wats: await wats.get_version()``.
"""

from pywats._version import __version__
from pywats.client import AsyncWATS
from pywats.domains.report import (
    UURBuilder,
    UURReport,
    UUTBuilder,
    UUTReport,
    dump_wsjf,
    load_wsjf,
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
    WATSServerError,
    WATSStatusError,
    WATSTimeoutError,
    WATSUnexpectedResponseError,
    WATSValidationError,
)
from pywats.odata import F, Filter
from pywats.retry import RetryPolicy
from pywats.sync_client import SyncWATS

__all__ = [
    "AsyncWATS",
    "ClientClosedError",
    "ConfigError",
    "F",
    "Filter",
    "ReportFormatError",
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
    "WATSServerError",
    "WATSStatusError",
    "WATSTimeoutError",
    "WATSUnexpectedResponseError",
    "WATSValidationError",
    "__version__",
    "dump_wsjf",
    "load_wsjf",
]
