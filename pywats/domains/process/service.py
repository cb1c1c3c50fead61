"""AsyncProcessService: the operations a station runs (test, repair, WIP) and their fail codes."""

from __future__ import annotations

import uuid

from pywats.errors import WATSValidationError

from .models import (
    FailCode,
    Level,
    ProcessDetail,
    ProcessInfo,
    ProcessType,
    RepairCategory,
    RepairOperation,
)
from .repository import ProcessRepository

__all__ = ["DEFAULT_REPAIR_CODE", "DEFAULT_TEST_CODE", "AsyncProcessService"]

DEFAULT_TEST_CODE = 100
DEFAULT_REPAIR_CODE = 500


def _check_code(code: int, field: str = "code") -> int:
    if isinstance(code, bool) or not isinstance(code, int):
        raise WATSValidationError(
            f"{field} must be a process code (an integer), got {code!r}", field=field
        )
    if code < 0:
        raise WATSValidationError(f"{field} must not be negative, got {code}", field=field)
    return code


def _check_name(name: str, field: str = "name") -> str:
    if not isinstance(name, str) or not name.strip():
        raise WATSValidationError(f"{field} must be a non-empty process name", field=field)
    return name.strip()


class AsyncProcessService:
    """Processes (operations) of the server, looked up by code or by name."""

    def __init__(self, repository: ProcessRepository) -> None:
        self._repo = repository

    # -- lists ------------------------------------------------------------------------------

    async def get_processes(
        self,
        include_test_operations: bool | None = None,
        include_repair_operations: bool | None = None,
        include_wip_operations: bool | None = None,
        include_inactive_processes: bool | None = None,
    ) -> list[ProcessInfo]:
        """Processes, filtered by the server. A flag left as None takes the server's default:
        active test, repair and WIP operations."""
        return await self._repo.list_processes(
            include_test_operations=include_test_operations,
            include_repair_operations=include_repair_operations,
            include_wip_operations=include_wip_operations,
            include_inactive_processes=include_inactive_processes,
        )

    async def get_all_processes(self) -> list[ProcessInfo]:
        """Every process of every type, active or not."""
        return await self.get_processes(True, True, True, True)

    async def get_processes_of_type(
        self, kind: ProcessType, *, include_inactive: bool = False
    ) -> list[ProcessInfo]:
        """The processes of one type (a process may have several types)."""
        kind = ProcessType(kind)
        processes = await self.get_processes(
            include_test_operations=kind is ProcessType.TEST,
            include_repair_operations=kind is ProcessType.REPAIR,
            include_wip_operations=kind is ProcessType.WIP,
            include_inactive_processes=include_inactive,
        )
        # The server includes a process if any requested flag matches; keep only this type.
        return [p for p in processes if p.is_type(kind)]

    async def get_test_operations(self, *, include_inactive: bool = False) -> list[ProcessInfo]:
        return await self.get_processes_of_type(ProcessType.TEST, include_inactive=include_inactive)

    async def get_repair_operations(self, *, include_inactive: bool = False) -> list[ProcessInfo]:
        return await self.get_processes_of_type(
            ProcessType.REPAIR, include_inactive=include_inactive
        )

    async def get_wip_operations(self, *, include_inactive: bool = False) -> list[ProcessInfo]:
        return await self.get_processes_of_type(ProcessType.WIP, include_inactive=include_inactive)

    async def get_levels(self) -> list[Level]:
        """The levels (client groups) defined on the server."""
        return await self._repo.list_levels()

    # -- lookups ----------------------------------------------------------------------------

    async def get_process(self, identifier: int | str) -> ProcessInfo | None:
        """The process with this code (int) or name (str, any case); None if there is none.

        Inactive processes are found too; check ``is_active`` where that matters.
        """
        if isinstance(identifier, str):
            return await self.get_process_by_name(identifier)
        return await self.get_process_by_code(identifier)

    async def get_process_by_code(self, code: int) -> ProcessInfo | None:
        code = _check_code(code)
        for process in await self.get_all_processes():
            if process.code == code:
                return process
        return None

    async def get_process_by_name(self, name: str) -> ProcessInfo | None:
        wanted = _check_name(name).casefold()
        for process in await self.get_all_processes():
            if process.name.strip().casefold() == wanted:
                return process
        return None

    async def is_valid_operation(self, code: int, kind: ProcessType) -> bool:
        """True if ``code`` is an active process of type ``kind``."""
        process = await self.get_process_by_code(code)
        return process is not None and process.is_active and process.is_type(ProcessType(kind))

    async def get_default_test_code(self) -> int:
        """100 if it is an active test operation, else the first active one, else 100."""
        return await self._default_code(ProcessType.TEST, DEFAULT_TEST_CODE)

    async def get_default_repair_code(self) -> int:
        """500 if it is an active repair operation, else the first active one, else 500."""
        return await self._default_code(ProcessType.REPAIR, DEFAULT_REPAIR_CODE)

    async def _default_code(self, kind: ProcessType, preferred: int) -> int:
        processes = await self.get_processes_of_type(kind)
        codes = [p.code for p in processes]
        if preferred in codes or not codes:
            return preferred
        return codes[0]

    # -- repair operations ------------------------------------------------------------------

    async def get_repair_operation(self, identifier: int | str) -> RepairOperation | None:
        """The configuration (categories and fail codes) of a repair operation, by code or
        name; None if there is no such repair operation."""
        process = await self.get_process(identifier)
        if process is None or not process.is_repair_operation:
            return None
        if process.repair_operation is not None:
            return process.repair_operation
        # Servers that leave it out of the public list still have it on the internal API.
        return (await self._repo.repair_operations()).get(process.code)

    async def get_repair_categories(
        self, identifier: int | str = DEFAULT_REPAIR_CODE
    ) -> list[RepairCategory]:
        """A repair operation's fail-code tree: categories, each with its fail codes."""
        operation = await self._require_repair_operation(identifier)
        return operation.categories

    async def get_fail_codes(self, identifier: int | str = DEFAULT_REPAIR_CODE) -> list[FailCode]:
        """The fail codes a repair can choose, each with its category."""
        operation = await self._require_repair_operation(identifier)
        return operation.fail_codes()

    async def _require_repair_operation(self, identifier: int | str) -> RepairOperation:
        operation = await self.get_repair_operation(identifier)
        if operation is None:
            raise WATSValidationError(
                f"{identifier!r} is not a repair operation on this server", field="identifier"
            )
        return operation

    async def get_repair_operation_configs(self) -> dict[int, RepairOperation]:
        """Every repair operation's configuration, keyed by process code (internal API)."""
        return await self._repo.repair_operations()

    async def get_repair_operation_config(
        self, process_id: uuid.UUID | str, process_code: int | None = None
    ) -> RepairOperation | None:
        """A repair operation's configuration by process GUID (internal API); None if that
        process is not a repair operation (or not the one with ``process_code``)."""
        if process_code is not None:
            _check_code(process_code, "process_code")
        return await self._repo.repair_operation(_check_uuid(process_id), process_code)

    # -- internal details -------------------------------------------------------------------

    async def get_processes_detailed(self) -> list[ProcessDetail]:
        """Every process with its GUID and properties XML (internal API)."""
        return await self._repo.list_process_details()

    async def get_process_detail(self, process_id: uuid.UUID | str) -> ProcessDetail | None:
        """One process by its GUID (internal API); None if there is none."""
        return await self._repo.get_process_detail(_check_uuid(process_id))


def _check_uuid(value: uuid.UUID | str, field: str = "process_id") -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise WATSValidationError(f"{field} must be a GUID, got {value!r}", field=field) from None
