"""Production endpoints (``/api/Production``) and the internal unit-phase list
(``/api/internal/Mes/GetUnitPhases``). Paths, parameters and JSON; no business rules.

404 means "no such unit" for the unit look-ups, "no such change" for a change delete, and
"no free serial numbers left" for a take; each is turned into the answer callers expect.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any
from urllib.parse import quote

from pywats.domains._wire import expect_list, expect_object
from pywats.errors import WATSNotFoundError, WATSUnexpectedResponseError
from pywats.http import AsyncHttpClient

from .models import (
    AssemblyCheck,
    ProductionBatch,
    SerialNumberImport,
    SerialNumberRecord,
    SerialNumberType,
    Unit,
    UnitChange,
    UnitPhase,
    UnitVerificationGrade,
)

__all__ = ["ProductionRepository"]

_P = "/api/Production"
_MEDIA_TYPES = {"csv": "text/csv", "xml": "application/xml"}


def _segment(value: str) -> str:
    return quote(value, safe="")


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def parse_taken(text: str, path: str) -> list[str]:
    """The serial numbers of a take answer: ``<SerialNumbers><SN id=.../>``, CSV, or JSON."""
    stripped = text.strip()
    if not stripped:
        return []
    if stripped.startswith("<"):
        try:
            root = ET.fromstring(stripped)  # noqa: S314 - a small answer from the WATS server
        except ET.ParseError as exc:
            raise WATSUnexpectedResponseError(
                f"POST {path} answered with XML that does not parse: {exc}",
                status_code=200,
                method="POST",
                path=path,
                body_excerpt=stripped[:200],
            ) from None
        return [sn.get("id", "") for sn in root.iter("SN") if sn.get("id")]
    if stripped.startswith(("[", '"')):
        value = json.loads(stripped)
        if isinstance(value, str):  # XML inside a JSON string, as some versions send
            return parse_taken(value, path)
        return [str(item) for item in value]
    lines = [line.strip() for line in stripped.splitlines() if line.strip()]
    return lines[1:] if lines and lines[0].lower() == "serialnumber" else lines


class ProductionRepository:
    def __init__(self, http: AsyncHttpClient) -> None:
        self._http = http

    # -- units ------------------------------------------------------------------------------

    async def get_unit(self, serial_number: str, part_number: str) -> Unit | None:
        path = f"{_P}/Unit/{_segment(serial_number)}/{_segment(part_number)}"
        try:
            body = expect_object(await self._http.get_json(path), path)
        except WATSNotFoundError:
            return None
        return None if body is None else Unit.model_validate(body)

    async def put_units(self, units: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``PUT /api/Production/Units``; the server answers with the saved units (or a
        summary object on some versions, which yields an empty list)."""
        path = f"{_P}/Units"
        body = await self._http.send_json("PUT", path, units)
        return [item for item in body if isinstance(item, dict)] if isinstance(body, list) else []

    async def set_unit_phase(self, serial_number: str, part_number: str, phase: int) -> None:
        params: dict[str, str | int] = {
            "serialNumber": serial_number,
            "partNumber": part_number,
            "phase": phase,
        }
        await self._http.request("PUT", f"{_P}/SetUnitPhase", params=params)

    async def set_unit_process(
        self, serial_number: str, part_number: str, process_name: str
    ) -> None:
        params = {
            "serialNumber": serial_number,
            "partNumber": part_number,
            "processName": process_name,
        }
        await self._http.request("PUT", f"{_P}/SetUnitProcess", params=params)

    async def get_unit_verification(
        self, serial_number: str, part_number: str | None
    ) -> UnitVerificationGrade | None:
        path = f"{_P}/UnitVerification"
        params = {"serialNumber": serial_number, "partNumber": part_number}
        try:
            body = expect_object(await self._http.get_json(path, params=params), path)
        except WATSNotFoundError:
            return None
        return None if body is None else UnitVerificationGrade.model_validate(body)

    async def get_unit_changes(self, max_count: int) -> list[UnitChange]:
        path = f"{_P}/Units/Changes"
        body = await self._http.get_json(path, params={"maxCount": max_count})
        return [UnitChange.model_validate(item) for item in expect_list(body, path)]

    async def delete_unit_change(self, change_id: int) -> bool:
        try:
            await self._http.request("DELETE", f"{_P}/Units/Changes/{change_id}")
        except WATSNotFoundError:
            return False
        return True

    async def put_batches(self, batches: list[dict[str, Any]]) -> list[ProductionBatch]:
        path = f"{_P}/Batches"
        body = await self._http.send_json("PUT", path, batches)
        if not isinstance(body, list):  # a summary object: echo what was sent
            return [ProductionBatch.model_validate(item) for item in batches]
        return [ProductionBatch.model_validate(item) for item in body]

    async def get_unit_phases(self) -> list[UnitPhase]:
        path = "/api/internal/Mes/GetUnitPhases"
        body = await self._http.get_json(path)
        return [UnitPhase.model_validate(item) for item in expect_list(body, path)]

    # -- assemblies -------------------------------------------------------------------------

    async def add_child_unit(self, params: dict[str, str]) -> None:
        await self._http.request("POST", f"{_P}/AddChildUnit", params=params)

    async def remove_child_unit(self, params: dict[str, str]) -> None:
        await self._http.request("POST", f"{_P}/RemoveChildUnit", params=params)

    async def check_child_units(self, serial_number: str, part_number: str) -> AssemblyCheck:
        path = f"{_P}/CheckChildUnits"
        params = {"parentSerialNumber": serial_number, "parentPartNumber": part_number}
        body = expect_object(await self._http.get_json(path, params=params), path)
        return AssemblyCheck.model_validate(body or {})

    # -- serial numbers ---------------------------------------------------------------------

    async def get_serial_number_types(self) -> list[SerialNumberType]:
        path = f"{_P}/SerialNumbers/Types"
        body = await self._http.get_json(path)
        return [SerialNumberType.model_validate(item) for item in expect_list(body, path)]

    async def take_serial_numbers(self, params: dict[str, Any]) -> list[str]:
        """The taken numbers; an empty list when the pool has none left (404)."""
        path = f"{_P}/SerialNumbers/Take"
        try:
            response = await self._http.request(
                "POST", path, params={**params, "format": "xml"}, headers={"Accept": "*/*"}
            )
        except WATSNotFoundError:
            return []
        return parse_taken(response.text, path)

    async def _records(self, path: str, params: dict[str, Any]) -> list[SerialNumberRecord]:
        body = await self._http.get_json(path, params=params)
        return [SerialNumberRecord.model_validate(item) for item in expect_list(body, path)]

    async def serial_numbers_by_range(
        self,
        type_name: str,
        start: str,
        end: str,
        start_date: datetime | None,
        end_date: datetime | None,
    ) -> list[SerialNumberRecord]:
        params = {
            "serialNumberType": type_name,
            "startAddress": start,
            "endAddress": end,
            "startDate": _iso(start_date),
            "endDate": _iso(end_date),
        }
        return await self._records(f"{_P}/SerialNumbers/ByRange", params)

    async def serial_numbers_by_reference(
        self,
        type_name: str,
        reference_serial_number: str | None,
        reference_part_number: str | None,
        start_date: datetime | None,
        end_date: datetime | None,
    ) -> list[SerialNumberRecord]:
        params = {
            "serialNumberType": type_name,
            "refSN": reference_serial_number,
            "refPN": reference_part_number,
            "startDate": _iso(start_date),
            "endDate": _iso(end_date),
        }
        return await self._records(f"{_P}/SerialNumbers/ByReference", params)

    async def export_serial_numbers(
        self,
        type_name: str,
        file_format: str,
        start: str | None,
        end: str | None,
        start_date: datetime | None,
        end_date: datetime | None,
    ) -> bytes:
        params = {
            "serialNumberType": type_name,
            "format": file_format,
            "startAddress": start,
            "endAddress": end,
            "startDate": _iso(start_date),
            "endDate": _iso(end_date),
        }
        response = await self._http.request(
            "GET", f"{_P}/SerialNumbers", params=params, headers={"Accept": "*/*"}
        )
        return response.content

    async def import_serial_numbers(
        self, type_name: str, file_format: str, content: bytes, filename: str
    ) -> SerialNumberImport:
        path = f"{_P}/SerialNumbers"
        response = await self._http.request(
            "PUT",
            path,
            params={"serialNumberType": type_name, "format": file_format},
            files={"file": (filename, content, _MEDIA_TYPES[file_format])},
        )
        body = expect_object(self._http.decode_json(response), path, "PUT")
        return SerialNumberImport.model_validate(body or {})
