"""The exceptions pywats raises.

Every exception derives from :class:`WATSError`. Messages say what went wrong and, where it is
knowable, what to do next. No message ever contains the token or request headers.
"""

from __future__ import annotations

from typing import Any

__all__ = [
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
]


class WATSError(Exception):
    """Base class of every error raised by pywats."""


class UsageError(WATSError):
    """The SDK was used in a way that cannot work (for example re-entering the sync runner)."""


class ClientClosedError(UsageError):
    """A call was made on a client after ``close()``."""

    def __init__(self, what: str = "client") -> None:
        super().__init__(
            f"this {what} is closed; create a new one (or use it as a context manager "
            "so it stays open for the whole block)"
        )


class ConfigError(WATSError):
    """A configuration value is missing or invalid. Names the setting and where it came from."""

    def __init__(self, setting: str, source: str, problem: str) -> None:
        self.setting = setting
        self.source = source
        self.problem = problem
        super().__init__(f"{setting} (from {source}): {problem}")


class WATSValidationError(WATSError, ValueError):
    """Input was rejected before any request was sent."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)


class ReportFormatError(WATSValidationError):
    """A WSJF report could not be read or is not a valid report."""


class WATSConnectionError(WATSError):
    """The server could not be reached, or the connection broke mid-request."""

    def __init__(self, message: str, *, method: str, path: str) -> None:
        self.method = method
        self.path = path
        super().__init__(message)


class WATSTimeoutError(WATSConnectionError):
    """A request, or a whole operation including retries, took too long."""

    def __init__(self, message: str, *, method: str, path: str, phase: str) -> None:
        self.phase = phase
        super().__init__(message, method=method, path=path)


class WATSUnexpectedResponseError(WATSError):
    """The server answered with something that is not the JSON the API promises."""

    def __init__(
        self, message: str, *, status_code: int, method: str, path: str, body_excerpt: str
    ) -> None:
        self.status_code = status_code
        self.method = method
        self.path = path
        self.body_excerpt = body_excerpt
        super().__init__(message)


class WATSResponseTooLargeError(WATSError):
    """A response body was larger than ``max_response_bytes``; reading stopped there."""

    def __init__(self, message: str, *, method: str, path: str, limit: int) -> None:
        self.method = method
        self.path = path
        self.limit = limit
        super().__init__(message)


class WATSStatusError(WATSError):
    """The server answered with an error status.

    Carries ``status_code``, ``method``, ``path`` (never the query string, which may hold
    secrets), the server's ``server_message`` and the parsed ``body`` if it was JSON.
    """

    hint = ""

    def __init__(
        self,
        *,
        status_code: int,
        method: str,
        path: str,
        server_message: str,
        body: Any = None,
        retry_after: float | None = None,
    ) -> None:
        self.status_code = status_code
        self.method = method
        self.path = path
        self.server_message = server_message
        self.body = body
        self.retry_after = retry_after
        text = f"{status_code} from {method} {path}"
        if server_message:
            text += f": {server_message}"
        if self.hint:
            text += f" ({self.hint})"
        super().__init__(text)


class WATSRedirectError(WATSStatusError):
    hint = (
        "redirects are not followed; set the server URL to where it points (often https, "
        "or a different path)"
    )


class WATSBadRequestError(WATSStatusError):
    hint = "the server rejected the request's parameters or body"


class WATSAuthenticationError(WATSStatusError):
    hint = "the server rejected the token; check WATS_TOKEN or the token in your config file"


class WATSPermissionError(WATSStatusError):
    hint = "the token is valid but its user lacks permission for this operation"


class WATSNotFoundError(WATSStatusError):
    hint = "no such resource on this server"


class WATSConflictError(WATSStatusError):
    hint = "the request conflicts with the server's current state"


class WATSRateLimitError(WATSStatusError):
    hint = "the server is rate limiting; slow down or retry later"


class WATSServerError(WATSStatusError):
    hint = "the server failed; retry later or ask the WATS administrator to check its logs"


_BY_STATUS: dict[int, type[WATSStatusError]] = {
    400: WATSBadRequestError,
    401: WATSAuthenticationError,
    403: WATSPermissionError,
    404: WATSNotFoundError,
    409: WATSConflictError,
    429: WATSRateLimitError,
}


def status_error_class(status_code: int) -> type[WATSStatusError]:
    """The exception class for an HTTP error status."""
    if status_code >= 500:
        return WATSServerError
    if 300 <= status_code < 400:
        return WATSRedirectError
    return _BY_STATUS.get(status_code, WATSStatusError)
