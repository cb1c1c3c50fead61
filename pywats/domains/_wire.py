"""Checks on the shape of a decoded JSON body, shared by the domain repositories.

A WATS server answers "nothing" in several ways (204, ``null``, an empty string); a list
endpoint then means "no items". Any other wrong shape is a :class:`WATSUnexpectedResponseError`
that names the endpoint, instead of a pydantic error deep inside a model.
"""

from __future__ import annotations

import json
from typing import Any

from pywats.errors import WATSUnexpectedResponseError

__all__ = ["expect_list", "expect_object", "is_empty"]


def is_empty(body: Any) -> bool:
    return body is None or body == "" or body == {} or body == []


def _wrong(body: Any, expected: str, method: str, path: str) -> WATSUnexpectedResponseError:
    return WATSUnexpectedResponseError(
        f"{method} {path} should answer with {expected}, got {type(body).__name__}",
        status_code=200,
        method=method,
        path=path,
        body_excerpt=json.dumps(body, default=str)[:200],
    )


def expect_list(body: Any, path: str, method: str = "GET") -> list[Any]:
    """The body as a list; an empty body is an empty list."""
    if body is None or body == "":
        return []
    if not isinstance(body, list):
        raise _wrong(body, "a JSON array", method, path)
    return body


def expect_object(body: Any, path: str, method: str = "GET") -> dict[str, Any] | None:
    """The body as an object; an empty body is None."""
    if body is None or body == "":
        return None
    if not isinstance(body, dict):
        raise _wrong(body, "a JSON object", method, path)
    return body
