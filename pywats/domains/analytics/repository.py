"""/api/App analytics endpoints: paths, methods, parameters and JSON; no business rules.

GET or POST as the spec says. The GET variants send what the spec requires: ``days``,
``productGroupId`` and ``levelId`` (an empty value for "any"), and TopFailed also
``partNumber``, ``processCode`` and ``count``. Analytics POSTs only read, so they are safe to
resend (``idempotent=True``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pywats.domains._wire import expect_list, expect_object
from pywats.http import AsyncHttpClient

__all__ = ["AnalyticsRepository"]

_BASE = "/api/App"

Params = Mapping[str, str | int | float | bool | None]


class AnalyticsRepository:
    def __init__(self, http: AsyncHttpClient) -> None:
        self._http = http

    async def post_list(
        self, operation: str, body: dict[str, Any], params: Params | None = None
    ) -> list[Any]:
        path = f"{_BASE}/{operation}"
        answer = await self._http.send_json(
            "POST", path, body, params=_clean(params), idempotent=True
        )
        if isinstance(answer, dict):
            return [answer]  # a single object where a list was expected: one row
        return expect_list(answer, path, "POST")

    async def post_object(
        self, operation: str, body: dict[str, Any], params: Params | None = None
    ) -> dict[str, Any] | None:
        path = f"{_BASE}/{operation}"
        answer = await self._http.send_json(
            "POST", path, body, params=_clean(params), idempotent=True
        )
        if isinstance(answer, list):
            answer = answer[0] if answer else None
        return expect_object(answer, path, "POST")

    async def get_list(self, operation: str, params: Params) -> list[Any]:
        path = f"{_BASE}/{operation}"
        answer = await self._http.get_json(path, params=_clean(params))
        if isinstance(answer, dict):
            return [answer]
        return expect_list(answer, path)


def _clean(params: Params | None) -> dict[str, str | int | float | bool] | None:
    """None means "leave it out"; required parameters are passed as "" instead."""
    if params is None:
        return None
    return {key: value for key, value in params.items() if value is not None}
