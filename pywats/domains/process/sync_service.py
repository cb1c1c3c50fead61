"""SyncProcessService: the blocking twin of AsyncProcessService, one line per method."""

from __future__ import annotations

import uuid

from pywats.sync_service import SyncService

from .models import (
    FailCode,
    Level,
    ProcessDetail,
    ProcessInfo,
    ProcessType,
    RepairCategory,
    RepairOperation,
)
from .service import DEFAULT_REPAIR_CODE, AsyncProcessService

__all__ = ["SyncProcessService"]


class SyncProcessService(SyncService[AsyncProcessService]):
    """See :class:`AsyncProcessService` for what each method does."""

    def get_processes(
        self,
        include_test_operations: bool | None = None,
        include_repair_operations: bool | None = None,
        include_wip_operations: bool | None = None,
        include_inactive_processes: bool | None = None,
    ) -> list[ProcessInfo]:
        return self._call(
            AsyncProcessService.get_processes,
            include_test_operations,
            include_repair_operations,
            include_wip_operations,
            include_inactive_processes,
        )

    def get_all_processes(self) -> list[ProcessInfo]:
        return self._call(AsyncProcessService.get_all_processes)

    def get_processes_of_type(
        self, kind: ProcessType, *, include_inactive: bool = False
    ) -> list[ProcessInfo]:
        return self._call(
            AsyncProcessService.get_processes_of_type, kind, include_inactive=include_inactive
        )

    def get_test_operations(self, *, include_inactive: bool = False) -> list[ProcessInfo]:
        return self._call(
            AsyncProcessService.get_test_operations, include_inactive=include_inactive
        )

    def get_repair_operations(self, *, include_inactive: bool = False) -> list[ProcessInfo]:
        return self._call(
            AsyncProcessService.get_repair_operations, include_inactive=include_inactive
        )

    def get_wip_operations(self, *, include_inactive: bool = False) -> list[ProcessInfo]:
        return self._call(AsyncProcessService.get_wip_operations, include_inactive=include_inactive)

    def get_levels(self) -> list[Level]:
        return self._call(AsyncProcessService.get_levels)

    def get_process(self, identifier: int | str) -> ProcessInfo | None:
        return self._call(AsyncProcessService.get_process, identifier)

    def get_process_by_code(self, code: int) -> ProcessInfo | None:
        return self._call(AsyncProcessService.get_process_by_code, code)

    def get_process_by_name(self, name: str) -> ProcessInfo | None:
        return self._call(AsyncProcessService.get_process_by_name, name)

    def is_valid_operation(self, code: int, kind: ProcessType) -> bool:
        return self._call(AsyncProcessService.is_valid_operation, code, kind)

    def get_default_test_code(self) -> int:
        return self._call(AsyncProcessService.get_default_test_code)

    def get_default_repair_code(self) -> int:
        return self._call(AsyncProcessService.get_default_repair_code)

    def get_repair_operation(self, identifier: int | str) -> RepairOperation | None:
        return self._call(AsyncProcessService.get_repair_operation, identifier)

    def get_repair_categories(
        self, identifier: int | str = DEFAULT_REPAIR_CODE
    ) -> list[RepairCategory]:
        return self._call(AsyncProcessService.get_repair_categories, identifier)

    def get_fail_codes(self, identifier: int | str = DEFAULT_REPAIR_CODE) -> list[FailCode]:
        return self._call(AsyncProcessService.get_fail_codes, identifier)

    def get_repair_operation_configs(self) -> dict[int, RepairOperation]:
        return self._call(AsyncProcessService.get_repair_operation_configs)

    def get_repair_operation_config(
        self, process_id: uuid.UUID | str, process_code: int | None = None
    ) -> RepairOperation | None:
        return self._call(AsyncProcessService.get_repair_operation_config, process_id, process_code)

    def get_processes_detailed(self) -> list[ProcessDetail]:
        return self._call(AsyncProcessService.get_processes_detailed)

    def get_process_detail(self, process_id: uuid.UUID | str) -> ProcessDetail | None:
        return self._call(AsyncProcessService.get_process_detail, process_id)
