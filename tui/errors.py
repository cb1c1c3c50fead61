"""Turn an exception from a server call into a notification a technician can act on.

The SDK's messages are precise but written for developers ("401 from GET /api/...");
here each pywats error type becomes a short title plus one or two sentences that say what
happened and what to try. Tokens never appear: the SDK keeps them out of every message.
"""

from __future__ import annotations

from dataclasses import dataclass

from pywats.errors import (
    ConfigError,
    WATSAuthenticationError,
    WATSBadRequestError,
    WATSConflictError,
    WATSConnectionError,
    WATSError,
    WATSNotFoundError,
    WATSPermissionError,
    WATSRateLimitError,
    WATSRedirectError,
    WATSServerError,
    WATSStatusError,
    WATSTimeoutError,
    WATSUnexpectedResponseError,
    WATSValidationError,
)

__all__ = [
    "VERSION_PATH",
    "FriendlyError",
    "describe_error",
    "is_connection_problem",
    "is_not_wats",
]

#: The endpoint every WATS server answers; the app checks a server with it.
VERSION_PATH = "/api/App/Version"


@dataclass(frozen=True)
class FriendlyError:
    title: str
    message: str


def _server_says(exc: WATSStatusError) -> str:
    return f" The server said: {exc.server_message}" if exc.server_message else ""


def describe_error(exc: BaseException) -> FriendlyError:
    """A title and message for ``exc``; unknown exceptions keep their type name for support."""
    # Order matters: subclasses before their bases.
    if isinstance(exc, WATSTimeoutError):
        return FriendlyError(
            "Server too slow",
            f"The server did not answer in time ({exc.phase}). The network or the server may be "
            "busy; try again.",
        )
    if isinstance(exc, WATSConnectionError):
        return FriendlyError(
            "Server unreachable",
            f"Could not reach the WATS server: {exc}. Check the network, or the server URL "
            "on the connection screen (F2).",
        )
    if isinstance(exc, WATSAuthenticationError):
        return FriendlyError(
            "Token rejected",
            "The server did not accept the token. Enter a valid token on the connection "
            "screen (F2).",
        )
    if isinstance(exc, WATSPermissionError):
        return FriendlyError(
            "Not allowed",
            "Your WATS user lacks permission for this." + _server_says(exc),
        )
    if isinstance(exc, WATSNotFoundError):
        return FriendlyError("Not found", "The server has no such item." + _server_says(exc))
    if isinstance(exc, WATSRateLimitError):
        wait = f" Wait {exc.retry_after:.0f} s and" if exc.retry_after else ""
        return FriendlyError("Server busy", f"The server is limiting requests.{wait} try again.")
    if isinstance(exc, WATSServerError):
        return FriendlyError(
            f"Server error ({exc.status_code})",
            "The WATS server failed to answer this request. Try again; if it keeps failing, "
            "ask the WATS administrator." + _server_says(exc),
        )
    if isinstance(exc, WATSBadRequestError):
        return FriendlyError(
            "Request rejected", "The server rejected the request." + _server_says(exc)
        )
    if isinstance(exc, WATSConflictError):
        return FriendlyError(
            "Conflict", "The server's data changed in a way that conflicts." + _server_says(exc)
        )
    if isinstance(exc, WATSStatusError):
        return FriendlyError(f"Server answered {exc.status_code}", str(exc))
    if isinstance(exc, WATSUnexpectedResponseError):
        return FriendlyError(
            "Unexpected answer",
            f"The server's answer was not what WATS sends: {exc}",
        )
    if isinstance(exc, WATSValidationError):
        return FriendlyError("Invalid input", str(exc))
    if isinstance(exc, ConfigError):
        return FriendlyError("Configuration problem", str(exc))
    if isinstance(exc, WATSError):
        return FriendlyError("WATS error", str(exc))
    return FriendlyError("Unexpected error", f"{type(exc).__name__}: {exc}")


def is_not_wats(exc: BaseException) -> bool:
    """True when the answer says this URL is not a WATS server's API: a redirect (a login
    page, a portal), an answer that is not WATS JSON (an HTML page, garbage), or an error
    status for the version endpoint that every WATS server answers (a wrong base path: 404)."""
    if isinstance(exc, WATSRedirectError | WATSUnexpectedResponseError):
        return True
    usable_but_refused = (
        WATSAuthenticationError | WATSPermissionError | WATSRateLimitError | WATSServerError
    )
    return (
        isinstance(exc, WATSStatusError)
        and not isinstance(exc, usable_but_refused)
        and exc.path.rstrip("/").lower() == VERSION_PATH.lower()
    )


def is_connection_problem(exc: BaseException) -> bool:
    """True when the error says the server (or our token) is unusable, not this one request."""
    return isinstance(exc, WATSConnectionError | WATSAuthenticationError) or is_not_wats(exc)
