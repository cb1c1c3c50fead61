"""The process domain: test, repair and WIP operations, levels, repair fail codes."""

from .models import (
    Binding,
    FailCode,
    Level,
    ProcessDetail,
    ProcessInfo,
    ProcessState,
    ProcessType,
    RepairCategory,
    RepairOperation,
)
from .repository import ProcessRepository
from .service import DEFAULT_REPAIR_CODE, DEFAULT_TEST_CODE, AsyncProcessService
from .sync_service import SyncProcessService

__all__ = [
    "DEFAULT_REPAIR_CODE",
    "DEFAULT_TEST_CODE",
    "AsyncProcessService",
    "Binding",
    "FailCode",
    "Level",
    "ProcessDetail",
    "ProcessInfo",
    "ProcessRepository",
    "ProcessState",
    "ProcessType",
    "RepairCategory",
    "RepairOperation",
    "SyncProcessService",
]
