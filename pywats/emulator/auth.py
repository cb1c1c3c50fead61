"""Authentication and the internal-API Referer rule, checked before any route runs."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import error_response

INTERNAL_PREFIX = "/api/internal/"


def token_from_header(value: str | None) -> str | None:
    """The token of an `Authorization: Basic <token>` header, or None."""
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "basic" or not token.strip():
        return None
    return token.strip()


def referer_problem(headers: Headers) -> str | None:
    """Why an internal call's Referer is unacceptable, or None when it is fine.

    The server wants its own base URL there; we check that the Referer is an absolute
    URL naming the host the request was sent to.
    """
    referer = headers.get("referer")
    if not referer:
        return (
            "The Referer header is required for internal API endpoints; send the server base URL."
        )
    shown = referer if len(referer) <= 80 else f"{referer[:77]}..."
    try:
        parts = urlsplit(referer)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return f"The Referer header '{shown}' is not a valid URL."
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"The Referer header '{shown}' is not an absolute http(s) URL."
    host = headers.get("host", "")
    if host and parts.netloc.lower() != host.lower():
        return f"The Referer header must be the server base URL (host '{host}')."
    return None


class AuthMiddleware:
    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        given = token_from_header(headers.get("authorization"))
        # compare_digest: the token is a credential, do not leak it through timing.
        if given is None or not hmac.compare_digest(given.encode(), self.token.encode()):
            response = error_response(
                401,
                "Authorization has been denied for this request.",
                headers={"WWW-Authenticate": 'Basic realm="WATS"'},
            )
            await response(scope, receive, send)
            return
        if scope["path"].startswith(INTERNAL_PREFIX):
            problem = referer_problem(headers)
            if problem is not None:
                await error_response(400, problem, field="Referer")(scope, receive, send)
                return
        await self.app(scope, receive, send)
