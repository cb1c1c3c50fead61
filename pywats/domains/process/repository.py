"""Process endpoints: the public ``/api/App`` lists and the internal ``/api/internal/Process``.

The internal endpoints are used only for what the public API lacks: process GUIDs, their
properties XML, and repair configurations by process id.
"""

from __future__ import annotations

import uuid

from pywats.domains._wire import expect_list, expect_object
from pywats.errors import WATSNotFoundError
from pywats.http import AsyncHttpClient

from .models import Level, ProcessDetail, ProcessInfo, RepairOperation

__all__ = ["ProcessRepository"]

_INTERNAL = "/api/internal/Process"


class ProcessRepository:
    def __init__(self, http: AsyncHttpClient) -> None:
        self._http = http

    async def list_processes(
        self,
        *,
        include_test_operations: bool | None = None,
        include_repair_operations: bool | None = None,
        include_wip_operations: bool | None = None,
        include_inactive_processes: bool | None = None,
    ) -> list[ProcessInfo]:
        """``GET /api/App/Processes``; a flag left as None means the server's default."""
        path = "/api/App/Processes"
        params = {
            "includeTestOperations": include_test_operations,
            "includeRepairOperations": include_repair_operations,
            "includeWipOperations": include_wip_operations,
            "includeInactiveProcesses": include_inactive_processes,
        }
        body = await self._http.get_json(path, params=params)
        return [ProcessInfo.model_validate(item) for item in expect_list(body, path)]

    async def list_levels(self) -> list[Level]:
        path = "/api/App/Levels"
        body = await self._http.get_json(path)
        return [Level.model_validate(item) for item in expect_list(body, path)]

    async def list_process_details(self) -> list[ProcessDetail]:
        """``GET /api/internal/Process/GetProcesses``: every process, active or not."""
        path = f"{_INTERNAL}/GetProcesses"
        body = await self._http.get_json(path)
        return [ProcessDetail.model_validate(item) for item in expect_list(body, path)]

    async def get_process_detail(self, process_id: uuid.UUID) -> ProcessDetail | None:
        """One process by GUID; None when the server answers 404 or nothing."""
        path = f"{_INTERNAL}/GetProcess/{process_id}"
        try:
            body = expect_object(await self._http.get_json(path), path)
        except WATSNotFoundError:
            return None
        return None if body is None else ProcessDetail.model_validate(body)

    async def repair_operations(self) -> dict[int, RepairOperation]:
        """``GET /api/internal/Process/GetRepairOperations``: configs keyed by process code."""
        path = f"{_INTERNAL}/GetRepairOperations"
        body = expect_object(await self._http.get_json(path), path) or {}
        return {int(code): RepairOperation.model_validate(item) for code, item in body.items()}

    async def repair_operation(
        self, process_id: uuid.UUID, process_code: int | None = None
    ) -> RepairOperation | None:
        path = f"{_INTERNAL}/GetRepairOperation/{process_id}"
        try:
            body = expect_object(
                await self._http.get_json(path, params={"processCode": process_code}), path
            )
        except WATSNotFoundError:
            return None
        return None if body is None else RepairOperation.model_validate(body)
