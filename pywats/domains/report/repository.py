"""Report endpoints (``/api/Report``): paths, parameters and JSON; no business rules."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from pywats.domains._wire import expect_list
from pywats.errors import WATSNotFoundError, WATSUnexpectedResponseError
from pywats.http import AsyncHttpClient

from .query import MiscInfoHeader, ReportHeader
from .reports import UURReport, UUTReport
from .wsjf import load_wsjf

__all__ = ["DownloadedFile", "ReportRepository"]

_FILENAME = re.compile(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', re.IGNORECASE)


@dataclass(frozen=True)
class DownloadedFile:
    """An attachment (or a zip of them) as the server sent it."""

    name: str | None
    content_type: str | None
    content: bytes


class ReportRepository:
    def __init__(self, http: AsyncHttpClient) -> None:
        self._http = http

    @property
    def closed(self) -> bool:
        """True once the client this repository talks through is closed."""
        return bool(self._http.closed)

    @property
    def token(self) -> str:
        """The client's token (for the queue's pause fingerprint; never logged)."""
        return str(self._http.config.token.get_secret_value())

    async def post_wsjf(self, wsjf_text: str) -> str:
        """``POST /api/Report/WSJF``; returns the stored report's id.

        The report carries its own id and the server replaces a report posted again with the
        same id, so resending after a lost answer is safe (``idempotent=True``).
        """
        path = "/api/Report/WSJF"
        response = await self._http.request(
            "POST",
            path,
            content=wsjf_text.encode("utf-8"),
            headers={"Content-Type": "application/json"},
            idempotent=True,
        )
        body = self._http.decode_json(response)
        if isinstance(body, list) and body:
            body = body[0]  # some server versions wrap the result in a list
        if isinstance(body, dict):
            for key in ("ID", "id", "uuid"):
                if isinstance(body.get(key), str) and body[key]:
                    return str(body[key])
        if isinstance(body, str) and body:
            return body
        raise WATSUnexpectedResponseError(
            f"POST {path} should answer with the report id (InsertReportResult)",
            status_code=response.status_code,
            method="POST",
            path=path,
            body_excerpt=json.dumps(body, default=str)[:200],
        )

    async def post_wsxf(self, wsxf: bytes) -> str:
        """``POST /api/Report/WSXF`` (XML body); returns the stored report's id. Idempotent for
        the same reason as :meth:`post_wsjf`: the report carries its id."""
        path = "/api/Report/WSXF"
        response = await self._http.request(
            "POST",
            path,
            content=wsxf,
            headers={"Content-Type": "application/xml"},
            idempotent=True,
        )
        return self._insert_result(response, path)

    def _insert_result(self, response: Any, path: str) -> str:
        body = self._http.decode_json(response)
        if isinstance(body, list) and body:
            body = body[0]
        if isinstance(body, dict):
            for key in ("ID", "id", "uuid"):
                if isinstance(body.get(key), str) and body[key]:
                    return str(body[key])
        if isinstance(body, str) and body:
            return body
        raise WATSUnexpectedResponseError(
            f"POST {path} should answer with the report id (InsertReportResult)",
            status_code=response.status_code,
            method="POST",
            path=path,
            body_excerpt=json.dumps(body, default=str)[:200],
        )

    async def get_wsxf(
        self,
        report_id: str,
        *,
        detail_level: int | None = None,
        include_chart_data: bool | None = None,
        include_attachments: bool | None = None,
        include_indexes: bool | None = None,
    ) -> bytes | None:
        """``GET /api/Report/Wsxf/{id}``: the report as WSXF bytes; None when unknown."""
        path = f"/api/Report/Wsxf/{quote(report_id, safe='')}"
        params = {
            "detailLevel": detail_level,
            "includeChartdata": include_chart_data,
            "includeAttachments": include_attachments,
            "includeIndexes": include_indexes,
        }
        downloaded = await self._download(path, params)
        if downloaded is None or not downloaded.content.strip():
            return None
        return downloaded.content

    async def get_certificate(self, report_id: str) -> DownloadedFile | None:
        """``GET /api/Report/Certificate/{id}``: the report's certificate document."""
        return await self._download(f"/api/Report/Certificate/{quote(report_id, safe='')}", {})

    async def get_wsjf(
        self,
        report_id: str,
        *,
        detail_level: int | None = None,
        include_chart_data: bool | None = None,
        include_attachments: bool | None = None,
    ) -> UUTReport | UURReport | None:
        """``GET /api/Report/Wsjf/{id}``; None when there is no such report."""
        path = f"/api/Report/Wsjf/{quote(report_id, safe='')}"
        params = {
            "detailLevel": detail_level,
            "includeChartdata": include_chart_data,
            "includeAttachments": include_attachments,
        }
        try:
            response = await self._http.request("GET", path, params=params)
        except WATSNotFoundError:
            return None
        if not response.content.strip():
            return None
        return load_wsjf(response.content)

    async def query_headers(
        self,
        *,
        filter: str | None = None,
        top: int | None = None,
        skip: int | None = None,
        orderby: str | None = None,
        expand: str | None = None,
    ) -> list[ReportHeader]:
        """``GET /api/Report/Query/Header``: a bare JSON array of headers. Without ``$top`` the
        server returns 10, newest first."""
        path = "/api/Report/Query/Header"
        params = {"$filter": filter, "$top": top, "$skip": skip, "$orderby": orderby,
                  "$expand": expand}  # fmt: skip
        body = await self._http.get_json(path, params=params)
        return [ReportHeader.model_validate(item) for item in expect_list(body, path)]

    async def headers_by_misc_info(
        self,
        *,
        description: str | None,
        data: str | None,
        serial_number: str | None = None,
        process_code: int | None = None,
    ) -> list[MiscInfoHeader]:
        path = "/api/Report/Query/HeaderByMiscInfo"
        params: dict[str, Any] = {
            "description": description,
            "data": data,
            "serialNumber": serial_number,
            "processCode": process_code,
        }
        body = await self._http.get_json(path, params=params)
        return [MiscInfoHeader.model_validate(item) for item in expect_list(body, path)]

    async def get_attachment(
        self, report_id: str, *, step_id: int | None = None, attachment_id: str | None = None
    ) -> DownloadedFile | None:
        """``GET /api/Report/Attachment``: raw bytes; None when there is no such attachment."""
        params = {"reportId": report_id, "stepId": step_id, "attachmentId": attachment_id}
        return await self._download("/api/Report/Attachment", params)

    async def get_attachments_zip(self, report_id: str) -> DownloadedFile | None:
        """``GET /api/Report/Attachments/{id}``: every attachment of a report in one zip."""
        return await self._download(f"/api/Report/Attachments/{quote(report_id, safe='')}", {})

    async def _download(self, path: str, params: dict[str, Any]) -> DownloadedFile | None:
        try:
            response = await self._http.request("GET", path, params=params)
        except WATSNotFoundError:
            return None
        disposition = response.headers.get("content-disposition", "")
        match = _FILENAME.search(disposition)
        content_type = response.headers.get("content-type")
        return DownloadedFile(
            name=match.group(1) if match else None,
            content_type=content_type.split(";")[0].strip() if content_type else None,
            content=response.content,
        )
