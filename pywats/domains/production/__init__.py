"""The production domain: units, phases, assemblies, batches and serial numbers."""

from .models import (
    AssemblyCheck,
    BoxBuildLineCheck,
    ChildUnitCheck,
    ProductionBatch,
    SerialNumberIdentifier,
    SerialNumberImport,
    SerialNumberRecord,
    SerialNumberType,
    Unit,
    UnitChange,
    UnitPhase,
    UnitPhaseFlag,
    UnitVerification,
    UnitVerificationGrade,
)
from .repository import ProductionRepository
from .service import MAX_TAKE, AsyncProductionService, SerialFileFormat
from .sync_service import SyncProductionService

__all__ = [
    "MAX_TAKE",
    "AssemblyCheck",
    "AsyncProductionService",
    "BoxBuildLineCheck",
    "ChildUnitCheck",
    "ProductionBatch",
    "ProductionRepository",
    "SerialFileFormat",
    "SerialNumberIdentifier",
    "SerialNumberImport",
    "SerialNumberRecord",
    "SerialNumberType",
    "SyncProductionService",
    "Unit",
    "UnitChange",
    "UnitPhase",
    "UnitPhaseFlag",
    "UnitVerification",
    "UnitVerificationGrade",
]
