"""Error responses shaped like the WATS server's (ASP.NET Web API: a JSON `Message`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

_STATUS_MESSAGES = {
    404: "No HTTP resource was found that matches the request URI.",
    405: "The requested resource does not support this HTTP method.",
}


class ApiError(Exception):
    """Raise from a handler to answer with `status` and a JSON message.

    `field` names the offending parameter or body field so that 400s say what to fix.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        field: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.headers = headers


class BadRequest(ApiError):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(400, message, field=field)


class NotFound(ApiError):
    def __init__(self, message: str) -> None:
        super().__init__(404, message)


class Conflict(ApiError):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(409, message, field=field)


def error_body(message: str, field: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"Message": message}
    if field is not None:
        # ASP.NET reports per-field problems in ModelState; clients may read either.
        body["ModelState"] = {field: [message]}
    return body


def error_response(
    status: int,
    message: str,
    *,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(error_body(message, field), status_code=status, headers=headers)


async def handle_api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message, field=exc.field, headers=exc.headers)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = _STATUS_MESSAGES.get(exc.status_code, exc.detail)
    if exc.status_code == 404:
        message = f"No HTTP resource was found that matches the request URI '{request.url.path}'."
    elif exc.status_code == 405:
        message = f"The requested resource does not support http method '{request.method}'."
    return error_response(exc.status_code, message, headers=exc.headers)


async def handle_overflow(request: Request, exc: Exception) -> Response:
    # A backstop behind `params`: a number from the request that overflowed a date or a
    # 64-bit column on its way in is the client's, so a 400 (handlers should name the field).
    return error_response(400, f"A number in the request is out of range: {exc}.")


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    # Starlette re-raises after this, so in-process tests still see the traceback.
    return error_response(500, "An error has occurred.")


EXCEPTION_HANDLERS = {
    ApiError: handle_api_error,
    HTTPException: handle_http_exception,
    OverflowError: handle_overflow,
    Exception: handle_unexpected,
}
