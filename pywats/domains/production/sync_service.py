"""SyncProductionService: the blocking twin of AsyncProductionService, one line per method."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pywats.sync_service import SyncService

from .models import (
    AssemblyCheck,
    ProductionBatch,
    SerialNumberImport,
    SerialNumberRecord,
    SerialNumberType,
    Unit,
    UnitChange,
    UnitPhase,
    UnitPhaseFlag,
    UnitVerificationGrade,
)
from .service import AsyncProductionService, SerialFileFormat

__all__ = ["SyncProductionService"]


class SyncProductionService(SyncService[AsyncProductionService]):
    """See :class:`AsyncProductionService` for what each method does."""

    def get_unit(self, serial_number: str, part_number: str) -> Unit | None:
        return self._call(AsyncProductionService.get_unit, serial_number, part_number)

    def get_assembly_tree(self, serial_number: str, part_number: str) -> Unit | None:
        return self._call(AsyncProductionService.get_assembly_tree, serial_number, part_number)

    def find_part_numbers(self, serial_number: str) -> list[str]:
        return self._call(AsyncProductionService.find_part_numbers, serial_number)

    def get_parents(self, serial_number: str, part_number: str) -> list[Unit]:
        return self._call(AsyncProductionService.get_parents, serial_number, part_number)

    def save_units(self, units: Sequence[Unit]) -> list[Unit]:
        return self._call(AsyncProductionService.save_units, units)

    def save_unit(self, unit: Unit) -> Unit:
        return self._call(AsyncProductionService.save_unit, unit)

    def get_phases(self, *, force_refresh: bool = False) -> list[UnitPhase]:
        return self._call(AsyncProductionService.get_phases, force_refresh=force_refresh)

    def get_phase(self, phase: UnitPhaseFlag | int | str) -> UnitPhase:
        return self._call(AsyncProductionService.get_phase, phase)

    def set_unit_phase(
        self, serial_number: str, part_number: str, phase: UnitPhaseFlag | int | str
    ) -> None:
        return self._call(AsyncProductionService.set_unit_phase, serial_number, part_number, phase)

    def set_unit_process(self, serial_number: str, part_number: str, process_name: str) -> None:
        return self._call(
            AsyncProductionService.set_unit_process, serial_number, part_number, process_name
        )

    def get_unit_grade(
        self, serial_number: str, part_number: str | None = None
    ) -> UnitVerificationGrade | None:
        return self._call(AsyncProductionService.get_unit_grade, serial_number, part_number)

    def is_unit_passing(self, serial_number: str, part_number: str | None = None) -> bool:
        return self._call(AsyncProductionService.is_unit_passing, serial_number, part_number)

    def get_unit_changes(self, max_count: int = 100) -> list[UnitChange]:
        return self._call(AsyncProductionService.get_unit_changes, max_count)

    def delete_unit_change(self, change_id: int) -> bool:
        return self._call(AsyncProductionService.delete_unit_change, change_id)

    def save_batches(self, batches: Sequence[ProductionBatch]) -> list[ProductionBatch]:
        return self._call(AsyncProductionService.save_batches, batches)

    def save_batch(self, batch_number: str, batch_size: int | None = None) -> ProductionBatch:
        return self._call(AsyncProductionService.save_batch, batch_number, batch_size)

    def add_child_unit(
        self,
        parent_serial_number: str,
        parent_part_number: str,
        child_serial_number: str,
        child_part_number: str,
        *,
        check_part_number: str | None = None,
        check_revision: str | None = None,
    ) -> None:
        return self._call(
            AsyncProductionService.add_child_unit,
            parent_serial_number,
            parent_part_number,
            child_serial_number,
            child_part_number,
            check_part_number=check_part_number,
            check_revision=check_revision,
        )

    def remove_child_unit(
        self,
        parent_serial_number: str,
        parent_part_number: str,
        child_serial_number: str,
        child_part_number: str,
    ) -> None:
        return self._call(
            AsyncProductionService.remove_child_unit,
            parent_serial_number,
            parent_part_number,
            child_serial_number,
            child_part_number,
        )

    def check_child_units(self, serial_number: str, part_number: str) -> AssemblyCheck:
        return self._call(AsyncProductionService.check_child_units, serial_number, part_number)

    def get_serial_number_types(self) -> list[SerialNumberType]:
        return self._call(AsyncProductionService.get_serial_number_types)

    def take_serial_numbers(
        self,
        type_name: str,
        quantity: int = 1,
        *,
        reference_serial_number: str | None = None,
        reference_part_number: str | None = None,
        station_name: str | None = None,
        only_in_sequence: bool = False,
    ) -> list[str]:
        return self._call(
            AsyncProductionService.take_serial_numbers,
            type_name,
            quantity,
            reference_serial_number=reference_serial_number,
            reference_part_number=reference_part_number,
            station_name=station_name,
            only_in_sequence=only_in_sequence,
        )

    def get_serial_numbers_in_range(
        self,
        type_name: str,
        start: str,
        end: str,
        *,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
    ) -> list[SerialNumberRecord]:
        return self._call(
            AsyncProductionService.get_serial_numbers_in_range,
            type_name,
            start,
            end,
            start_date=start_date,
            end_date=end_date,
        )

    def get_serial_numbers_by_reference(
        self,
        type_name: str,
        *,
        reference_serial_number: str | None = None,
        reference_part_number: str | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
    ) -> list[SerialNumberRecord]:
        return self._call(
            AsyncProductionService.get_serial_numbers_by_reference,
            type_name,
            reference_serial_number=reference_serial_number,
            reference_part_number=reference_part_number,
            start_date=start_date,
            end_date=end_date,
        )

    def export_serial_numbers(
        self,
        type_name: str,
        file_format: SerialFileFormat = "csv",
        *,
        start: str | None = None,
        end: str | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
    ) -> bytes:
        return self._call(
            AsyncProductionService.export_serial_numbers,
            type_name,
            file_format,
            start=start,
            end=end,
            start_date=start_date,
            end_date=end_date,
        )

    def import_serial_numbers(
        self,
        type_name: str,
        content: bytes | str,
        file_format: SerialFileFormat = "csv",
        *,
        filename: str | None = None,
    ) -> SerialNumberImport:
        return self._call(
            AsyncProductionService.import_serial_numbers,
            type_name,
            content,
            file_format,
            filename=filename,
        )
