"""Asset endpoints: the public ``/api/Asset`` family and the internal asset files under
``/api/internal/Blob`` (the HTTP layer adds the Referer those need). Paths, parameters and
JSON; no business rules."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any
from urllib.parse import quote

from pywats.domains._wire import expect_list, expect_object
from pywats.errors import WATSNotFoundError, WATSUnexpectedResponseError
from pywats.http import AsyncHttpClient

from .models import Asset, AssetLog, AssetStatus, AssetType

__all__ = ["AssetKey", "AssetRepository"]

_A = "/api/Asset"
_BLOB = "/api/internal/Blob"

#: How the query-parameter endpoints name an asset: {"id": ...} or {"serialNumber": ...}.
AssetKey = dict[str, str]


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


class AssetRepository:
    def __init__(self, http: AsyncHttpClient) -> None:
        self._http = http

    # -- assets -----------------------------------------------------------------------------

    async def list_assets(
        self,
        *,
        filter: str | None = None,
        orderby: str | None = None,
        top: int | None = None,
        skip: int | None = None,
    ) -> list[Asset]:
        params = {"$filter": filter, "$orderby": orderby, "$top": top, "$skip": skip}
        body = await self._http.get_json(_A, params=params)
        return [Asset.model_validate(item) for item in expect_list(body, _A)]

    async def get_asset(self, id_or_serial: str) -> Asset | None:
        """``GET /api/Asset/{assetIdOrSerialNumber}``; None on 404 or an empty answer."""
        path = f"{_A}/{quote(id_or_serial, safe='')}"
        try:
            body = expect_object(await self._http.get_json(path), path)
        except WATSNotFoundError:
            return None
        return None if not body else Asset.model_validate(body)

    async def put_asset(self, asset: dict[str, Any]) -> Asset:
        body = expect_object(await self._http.send_json("PUT", _A, asset), _A, "PUT")
        return Asset.model_validate(body or asset)

    async def delete_asset(self, key: AssetKey) -> None:
        await self._http.request("DELETE", _A, params=key)

    async def status(self, key: AssetKey, *, translate: bool | None = None,
                     culture_code: str | None = None) -> AssetStatus:
        path = f"{_A}/Status"
        params: dict[str, Any] = {**key, "translate": translate, "cultureCode": culture_code}
        body = expect_object(await self._http.get_json(path, params=params), path) or {}
        return AssetStatus.model_validate(body)

    async def _asset_call(self, method: str, path: str, params: dict[str, Any]) -> Asset | None:
        body = expect_object(await self._http.send_json(method, path, params=params), path,
                             method)
        return Asset.model_validate(body) if body and "serialNumber" in body else None

    async def set_state(self, key: AssetKey, state: int) -> Asset | None:
        return await self._asset_call("PUT", f"{_A}/State", {**key, "state": state})

    async def count(self, key: AssetKey, *, increment_by: int | None = None,
                    total_count: int | None = None,
                    increment_children: bool | None = None) -> Asset | None:
        params = {**key, "incrementBy": increment_by, "totalCount": total_count,
                  "incrementChildren": increment_children}
        return await self._asset_call("PUT", f"{_A}/Count", params)

    async def reset_running_count(self, key: AssetKey, comment: str | None) -> Asset | None:
        return await self._asset_call("POST", f"{_A}/ResetRunningCount",
                                      {**key, "comment": comment})

    async def record_service(self, kind: str, key: AssetKey, when: datetime | None,
                             comment: str | None) -> Asset | None:
        """``POST /api/Asset/Calibration`` or ``/Maintenance`` (`kind`)."""
        return await self._asset_call("POST", f"{_A}/{kind}",
                                      {**key, "dateTime": _time(when), "comment": comment})

    async def log(self, *, filter: str | None = None, orderby: str | None = None,
                  top: int | None = None, skip: int | None = None) -> list[AssetLog]:
        path = f"{_A}/Log"
        params = {"$filter": filter, "$orderby": orderby, "$top": top, "$skip": skip}
        body = await self._http.get_json(path, params=params)
        return [AssetLog.model_validate(item) for item in expect_list(body, path)]

    async def message(self, key: AssetKey, content: str, user: str | None) -> AssetLog | None:
        path = f"{_A}/Message"
        body: dict[str, Any] = {"content": content}
        if user:
            body["user"] = user
        answer = await self._http.send_json("POST", path, body, params=key)
        answer = expect_object(answer, path, "POST")
        return AssetLog.model_validate(answer) if answer else None

    async def types(self, *, filter: str | None = None, top: int | None = None) -> list[AssetType]:
        path = f"{_A}/Types"
        body = await self._http.get_json(path, params={"$filter": filter, "$top": top})
        return [AssetType.model_validate(item) for item in expect_list(body, path)]

    async def put_type(self, asset_type: dict[str, Any]) -> AssetType:
        path = f"{_A}/Types"
        body = expect_object(await self._http.send_json("PUT", path, asset_type), path, "PUT")
        return AssetType.model_validate(body or asset_type)

    async def sub_assets(self, key: AssetKey, level: int | None) -> list[Asset]:
        path = f"{_A}/SubAssets"
        body = await self._http.get_json(path, params={**key, "level": level})
        return [Asset.model_validate(item) for item in expect_list(body, path)]

    # -- files (internal) -------------------------------------------------------------------

    async def upload_file(self, asset_id: str, filename: str, content: bytes) -> None:
        await self._http.request(
            "POST", f"{_BLOB}/Asset", params={"assetId": asset_id, "filename": filename},
            content=content, headers={"Content-Type": "application/octet-stream"},
        )

    async def download_file(self, asset_id: str, filename: str) -> bytes:
        """The file's bytes, whether the server answers raw bytes or ``{"content": base64}``."""
        path = f"{_BLOB}/Asset"
        response = await self._http.request(
            "GET", path, params={"assetId": asset_id, "filename": filename}
        )
        if "json" not in response.headers.get("content-type", ""):
            return response.content
        body = self._http.decode_json(response)
        if isinstance(body, dict):
            encoded = body.get("content", body.get("Content"))
            if isinstance(encoded, str):
                try:
                    return base64.b64decode(encoded, validate=True)
                except (binascii.Error, ValueError):
                    pass
        raise WATSUnexpectedResponseError(
            f"GET {path} should answer with the file or {{\"content\": <base64>}}",
            status_code=response.status_code, method="GET", path=path,
            body_excerpt=response.text[:200],
        )

    async def list_files(self, asset_id: str) -> list[str]:
        path = f"{_BLOB}/Asset/List/{quote(asset_id, safe='')}"
        body = await self._http.get_json(path)
        return [str(name) for name in expect_list(body, path)]

    async def delete_files(self, asset_id: str, filenames: list[str]) -> None:
        await self._http.send_json(
            "DELETE", f"{_BLOB}/Assets", filenames, params={"assetId": asset_id}
        )
