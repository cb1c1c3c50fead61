"""SCIM endpoints (``/api/SCIM/v2``): paths, parameters and JSON; no business rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from pywats.domains._wire import expect_object
from pywats.errors import WATSNotFoundError, WATSUnexpectedResponseError
from pywats.http import AsyncHttpClient

from .models import PATCH_OP_SCHEMA, ScimListResponse, ScimPatchOperation, ScimToken, ScimUser

__all__ = ["ScimRepository"]

_BASE = "/api/SCIM/v2"


def _required(body: Any, path: str, method: str) -> dict[str, Any]:
    found = expect_object(body, path, method)
    if found is None:
        raise WATSUnexpectedResponseError(
            f"{method} {path} should answer with a SCIM object, got an empty body",
            status_code=200,
            method=method,
            path=path,
            body_excerpt="",
        )
    return found


class ScimRepository:
    def __init__(self, http: AsyncHttpClient) -> None:
        self._http = http

    async def list_users(
        self, *, filter: str | None, start_index: int | None, count: int | None
    ) -> ScimListResponse:
        path = f"{_BASE}/Users"
        params = {"filter": filter, "startIndex": start_index, "count": count}
        body = await self._http.get_json(path, params=params)
        return ScimListResponse.model_validate(_required(body, path, "GET"))

    async def get_user(self, user_id: str) -> ScimUser | None:
        """``GET /Users/{id}``; None for a 404 (no such user, or deleted) or an empty body."""
        path = f"{_BASE}/Users/{quote(user_id, safe='')}"
        try:
            body = expect_object(await self._http.get_json(path), path)
        except WATSNotFoundError:
            return None
        return None if body is None else ScimUser.model_validate(body)

    async def get_user_by_name(self, user_name: str) -> ScimUser | None:
        """``GET /Users/userName={userName}``: the name is a path segment, so it is escaped."""
        path = f"{_BASE}/Users/userName={quote(user_name, safe='@.-_~')}"
        try:
            body = expect_object(await self._http.get_json(path), path)
        except WATSNotFoundError:
            return None
        return None if body is None else ScimUser.model_validate(body)

    async def create_user(self, body: dict[str, Any]) -> ScimUser:
        path = f"{_BASE}/Users"
        answer = await self._http.send_json("POST", path, body)
        return ScimUser.model_validate(_required(answer, path, "POST"))

    async def patch_user(self, user_id: str, operations: Sequence[ScimPatchOperation]) -> ScimUser:
        path = f"{_BASE}/Users/{quote(user_id, safe='')}"
        body = {
            "schemas": [PATCH_OP_SCHEMA],
            "Operations": [op.model_dump(mode="json", exclude_none=True) for op in operations],
        }
        answer = await self._http.send_json("PATCH", path, body)
        return ScimUser.model_validate(_required(answer, path, "PATCH"))

    async def delete_user(self, user_id: str) -> None:
        """``DELETE /Users/{id}``; whatever body comes back (none, ``{}``) is ignored."""
        await self._http.request("DELETE", f"{_BASE}/Users/{quote(user_id, safe='')}")

    async def get_token(self, duration_days: int | None) -> ScimToken:
        path = f"{_BASE}/Token"
        body = await self._http.get_json(path, params={"duration": duration_days})
        return ScimToken.model_validate(_required(body, path, "GET"))
