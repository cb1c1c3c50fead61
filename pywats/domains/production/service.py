"""AsyncProductionService: units, phases, assemblies, batches and serial numbers.

Every argument is checked before a request leaves, so a typo never half-writes on the
server; what only the server can know (an unknown unit, a box-build rule, a loop in an
assembly) comes back as the server's own message.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

import anyio

from pywats.domains.product.validation import check_identifier
from pywats.domains.product.validation import check_part_number as valid_part_number
from pywats.domains.report.repository import ReportRepository
from pywats.errors import WATSValidationError
from pywats.odata import F

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
from .repository import ProductionRepository

__all__ = ["MAX_TAKE", "AsyncProductionService", "SerialFileFormat"]

SERIAL_NUMBER_MAX = 100
MAX_TAKE = 10_000
MAX_CHANGES = 10_000
SerialFileFormat = Literal["csv", "xml"]
# Fields the server derives or sets through other endpoints: never sent on a save.
_READ_ONLY = {
    "unit_phase",
    "tags",
    "product",
    "product_revision",
    "sub_units",
    "parent_serial_number",
}
_TREE_FETCH_LIMIT = 8
_MAX_LEVELS = 32  # deeper than any real assembly; stops a corrupt parent loop
_REPORTS_SEARCHED = 100


def check_serial_number(value: object, field: str = "serial_number") -> str:
    return check_identifier(value, field, "serial number", SERIAL_NUMBER_MAX)


def _check_name(value: object, field: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise WATSValidationError(f"{what} must be a non-empty string", field=field)
    return value.strip()


def _check_count(value: object, field: str, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise WATSValidationError(
            f"must be a whole number from 1 to {maximum}, got {value!r}", field=field
        )
    return value


def _check_format(value: object) -> SerialFileFormat:
    lowered = value.lower() if isinstance(value, str) else value
    if lowered == "csv":
        return "csv"
    if lowered == "xml":
        return "xml"
    raise WATSValidationError(f"must be 'csv' or 'xml', got {value!r}", field="file_format")


class AsyncProductionService:
    """Production on a WATS server: look up units, move them on, build assemblies, hand out
    serial numbers. Reached as ``wats.production``."""

    def __init__(self, repository: ProductionRepository, reports: ReportRepository) -> None:
        self._repository = repository
        # Report headers are where a bare serial number's part number can be found.
        self._reports = reports
        self._phases: list[UnitPhase] | None = None

    # -- units ------------------------------------------------------------------------------

    async def get_unit(self, serial_number: str, part_number: str) -> Unit | None:
        """The unit with its sub-units, or None when the server has no such unit."""
        check_serial_number(serial_number)
        valid_part_number(part_number)
        return await self._repository.get_unit(serial_number, part_number)

    async def get_assembly_tree(self, serial_number: str, part_number: str) -> Unit | None:
        """The unit with everything built into it, to the last level.

        A server that nests sub-units all the way down answers in one call; when the answer
        stops after one level, the children are fetched (a few at a time) until the leaves.
        """
        unit = await self.get_unit(serial_number, part_number)
        if unit is not None:
            await self._expand(unit)
        return unit

    async def _expand(self, unit: Unit) -> None:
        if not unit.sub_units or any(sub.sub_units for sub in unit.sub_units):
            return  # a leaf, or the server already nested the next level: trust it all the way
        limiter = anyio.CapacityLimiter(_TREE_FETCH_LIMIT)

        async def fill(index: int, sub: Unit) -> None:
            async with limiter:
                full = await self._repository.get_unit(sub.serial_number, sub.part_number)
            if full is not None:
                unit.sub_units[index] = full
                await self._expand(full)

        async with anyio.create_task_group() as group:
            for index, sub in enumerate(list(unit.sub_units)):
                group.start_soon(fill, index, sub)

    async def find_part_numbers(self, serial_number: str) -> list[str]:
        """The part numbers a serial number has test or repair reports under, newest first.

        A scanned label often carries only the serial number; one answer means the unit is
        ``get_unit(serial_number, answer)``. Units never tested give an empty list.
        """
        check_serial_number(serial_number)
        headers = await self._reports.query_headers(
            filter=str(F("serialNumber") == serial_number),
            top=_REPORTS_SEARCHED,
            orderby="start desc",
        )
        found: list[str] = []
        for header in headers:
            if header.part_number and header.part_number not in found:
                found.append(header.part_number)
        return found

    async def get_parents(self, serial_number: str, part_number: str) -> list[Unit]:
        """The units this one is built into: its parent first, the top assembly last.

        The server names a parent by serial number only; its part number is found from its
        reports (see :meth:`find_part_numbers`) and confirmed by the parent listing this unit
        among its sub-units. The chain stops early at a parent that cannot be identified that
        way; that unit's ``parent_serial_number`` still says who it is.
        """
        unit = await self.get_unit(serial_number, part_number)
        if unit is None:
            return []
        chain: list[Unit] = []
        seen = {(unit.serial_number.lower(), unit.part_number.lower())}
        while unit.parent_serial_number and len(chain) < _MAX_LEVELS:
            parent = await self._find_parent(unit)
            if parent is None:
                break
            key = (parent.serial_number.lower(), parent.part_number.lower())
            if key in seen:
                break
            seen.add(key)
            chain.append(parent)
            unit = parent
        return chain

    async def _find_parent(self, unit: Unit) -> Unit | None:
        parent_serial = unit.parent_serial_number
        assert parent_serial is not None
        for candidate in await self.find_part_numbers(parent_serial):
            parent = await self._repository.get_unit(parent_serial, candidate)
            if parent is not None and any(
                sub.serial_number.lower() == unit.serial_number.lower()
                and sub.part_number.lower() == unit.part_number.lower()
                for sub in parent.sub_units
            ):
                return parent
        return None

    async def save_units(self, units: Sequence[Unit]) -> list[Unit]:
        """Add or update units (by serial and part number) in one call; all or nothing.

        New units need a revision. Phase, parent and part number changes have their own
        methods; read-only fields of a unit read from the server are not sent back.
        """
        if not units:
            raise WATSValidationError("give at least one unit", field="units")
        bodies: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for index, unit in enumerate(units):
            field = f"units[{index}]"
            if not isinstance(unit, Unit):
                raise WATSValidationError(f"must be a Unit, got {type(unit).__name__}", field=field)
            check_serial_number(unit.serial_number, f"{field}.serial_number")
            valid_part_number(unit.part_number, f"{field}.part_number")
            if unit.revision is not None:
                check_identifier(unit.revision, f"{field}.revision", "revision", 100)
            key = (unit.serial_number.lower(), unit.part_number.lower())
            if key in seen:
                raise WATSValidationError(
                    f"unit {unit.serial_number} ({unit.part_number}) is given twice", field=field
                )
            seen.add(key)
            body = unit.model_dump(
                mode="json", by_alias=True, exclude_unset=True, exclude=_READ_ONLY
            )
            body.update(serialNumber=unit.serial_number, partNumber=unit.part_number)
            bodies.append(body)
        saved = await self._repository.put_units(bodies)
        if not saved:  # a server that answers with a summary: hand back what was sent
            return [unit.model_copy() for unit in units]
        return [Unit.model_validate(item) for item in saved]

    async def save_unit(self, unit: Unit) -> Unit:
        """Add or update one unit; see :meth:`save_units`."""
        return (await self.save_units([unit]))[0]

    async def get_phases(self, *, force_refresh: bool = False) -> list[UnitPhase]:
        """The server's unit phases (read once, then kept; ``force_refresh`` reads again)."""
        if self._phases is None or force_refresh:
            self._phases = await self._repository.get_unit_phases()
        return list(self._phases)

    async def get_phase(self, phase: UnitPhaseFlag | int | str) -> UnitPhase:
        """A phase by id, code or name (any case), e.g. 16, "Finalized", "under production"."""
        phases = await self.get_phases()
        if isinstance(phase, int) and not isinstance(phase, bool):
            match = next((p for p in phases if p.unit_phase_id == int(phase)), None)
        elif isinstance(phase, str) and phase.strip():
            wanted = phase.strip().lower()
            match = next((p for p in phases if wanted in (p.name.lower(), p.code.lower())), None)
        else:
            raise WATSValidationError(
                f"must be a phase id, code or name, got {phase!r}", field="phase"
            )
        if match is None:
            known = ", ".join(f"{p.name} ({p.unit_phase_id})" for p in phases)
            raise WATSValidationError(
                f"{phase!r} is not a unit phase; use one of {known}", field="phase"
            )
        return match

    async def set_unit_phase(
        self, serial_number: str, part_number: str, phase: UnitPhaseFlag | int | str
    ) -> None:
        """Move a unit to a phase, given by id, :class:`UnitPhaseFlag`, code or name."""
        check_serial_number(serial_number)
        valid_part_number(part_number)
        if isinstance(phase, UnitPhaseFlag):
            phase_id = int(phase)
        else:
            phase_id = (await self.get_phase(phase)).unit_phase_id
        await self._repository.set_unit_phase(serial_number, part_number, phase_id)

    async def set_unit_process(
        self, serial_number: str, part_number: str, process_name: str
    ) -> None:
        """Record the process (test or WIP operation, by name) the unit is at."""
        check_serial_number(serial_number)
        valid_part_number(part_number)
        name = _check_name(process_name, "process_name", "process name")
        await self._repository.set_unit_process(serial_number, part_number, name)

    # -- verification -------------------------------------------------------------------------

    async def get_unit_grade(
        self, serial_number: str, part_number: str | None = None
    ) -> UnitVerificationGrade | None:
        """The unit's verification status and grade per its process rule; None for no unit.

        Without a part number the serial number must be unique across products.
        """
        check_serial_number(serial_number)
        if part_number is not None:
            valid_part_number(part_number)
        return await self._repository.get_unit_verification(serial_number, part_number)

    async def is_unit_passing(self, serial_number: str, part_number: str | None = None) -> bool:
        """True when the unit's last run in every process of its rule passed."""
        grade = await self.get_unit_grade(serial_number, part_number)
        return bool(grade and grade.all_processes_passed_last_run)

    # -- the change feed ----------------------------------------------------------------------

    async def get_unit_changes(self, max_count: int = 100) -> list[UnitChange]:
        """The oldest unhandled unit changes; delete each once handled."""
        _check_count(max_count, "max_count", MAX_CHANGES)
        return await self._repository.get_unit_changes(max_count)

    async def delete_unit_change(self, change_id: int) -> bool:
        """Mark a change handled; False if it was already gone."""
        if isinstance(change_id, bool) or not isinstance(change_id, int) or change_id < 0:
            raise WATSValidationError(f"must be a change id, got {change_id!r}", field="change_id")
        return await self._repository.delete_unit_change(change_id)

    # -- batches ------------------------------------------------------------------------------

    async def save_batches(self, batches: Sequence[ProductionBatch]) -> list[ProductionBatch]:
        """Add or update production batches in one call; all or nothing."""
        if not batches:
            raise WATSValidationError("give at least one batch", field="batches")
        for index, batch in enumerate(batches):
            field = f"batches[{index}]"
            if not isinstance(batch, ProductionBatch):
                raise WATSValidationError(
                    f"must be a ProductionBatch, got {type(batch).__name__}", field=field
                )
            _check_name(batch.batch_number, f"{field}.batch_number", "batch number")
            if batch.batch_size is not None and batch.batch_size < 0:
                raise WATSValidationError("must not be negative", field=f"{field}.batch_size")
        return await self._repository.put_batches([b.to_wire() for b in batches])

    async def save_batch(self, batch_number: str, batch_size: int | None = None) -> ProductionBatch:
        """Add or update one batch."""
        batch = ProductionBatch(batch_number=batch_number, batch_size=batch_size)
        return (await self.save_batches([batch]))[0]

    # -- assemblies ---------------------------------------------------------------------------

    def _relation(
        self, parent_serial: str, parent_part: str, child_serial: str, child_part: str
    ) -> dict[str, str]:
        check_serial_number(parent_serial, "parent_serial_number")
        valid_part_number(parent_part, "parent_part_number")
        check_serial_number(child_serial, "child_serial_number")
        valid_part_number(child_part, "child_part_number")
        if (parent_serial.lower(), parent_part.lower()) == (
            child_serial.lower(),
            child_part.lower(),
        ):
            raise WATSValidationError("a unit cannot be its own child", field="child_serial_number")
        return {
            "parentSerialNumber": parent_serial,
            "parentPartNumber": parent_part,
            "childSerialNumber": child_serial,
            "childPartNumber": child_part,
        }

    async def add_child_unit(
        self,
        parent_serial_number: str,
        parent_part_number: str,
        child_serial_number: str,
        child_part_number: str,
        *,
        check_part_number: str | None = None,
        check_revision: str | None = None,
    ) -> None:
        """Build a child unit into a parent.

        The server checks the child against the parent's box build (or against
        ``check_part_number``/``check_revision`` when given), that the child is finalized and
        has no parent yet, and that no loop forms; a refusal raises with its reason.
        """
        params = self._relation(
            parent_serial_number, parent_part_number, child_serial_number, child_part_number
        )
        if check_revision is not None and check_part_number is None:
            raise WATSValidationError(
                "give check_part_number together with check_revision", field="check_revision"
            )
        # The spec requires both parameters; blank means "use the parent's box build".
        params["checkPartNumber"] = check_part_number or ""
        params["checkRevision"] = check_revision or ""
        await self._repository.add_child_unit(params)

    async def remove_child_unit(
        self,
        parent_serial_number: str,
        parent_part_number: str,
        child_serial_number: str,
        child_part_number: str,
    ) -> None:
        """Take a child unit out of its parent (the relation must exist)."""
        await self._repository.remove_child_unit(
            self._relation(
                parent_serial_number, parent_part_number, child_serial_number, child_part_number
            )
        )

    async def check_child_units(self, serial_number: str, part_number: str) -> AssemblyCheck:
        """Whether the unit's direct children match its box build."""
        check_serial_number(serial_number)
        valid_part_number(part_number)
        return await self._repository.check_child_units(serial_number, part_number)

    # -- serial numbers -----------------------------------------------------------------------

    async def get_serial_number_types(self) -> list[SerialNumberType]:
        return await self._repository.get_serial_number_types()

    async def take_serial_numbers(
        self,
        type_name: str,
        quantity: int = 1,
        *,
        reference_serial_number: str | None = None,
        reference_part_number: str | None = None,
        station_name: str | None = None,
        only_in_sequence: bool = False,
    ) -> list[str]:
        """Take free serial numbers of a type; they are marked taken with the references.

        Fewer than ``quantity`` come back when the pool runs low, none when it is empty.
        ``only_in_sequence`` takes a run without gaps or fails.
        """
        params: dict[str, Any] = {
            "serialNumberType": _check_name(type_name, "type_name", "serial number type"),
            "quantity": _check_count(quantity, "quantity", MAX_TAKE),
            "refSN": reference_serial_number or None,
            "refPN": reference_part_number or None,
            "stationName": station_name or None,
            "onlyInSequence": "true" if only_in_sequence else None,
        }
        return await self._repository.take_serial_numbers(params)

    async def get_serial_numbers_in_range(
        self,
        type_name: str,
        start: str,
        end: str,
        *,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
    ) -> list[SerialNumberRecord]:
        """Every serial number of a type from ``start`` to ``end``, taken or free."""
        return await self._repository.serial_numbers_by_range(
            _check_name(type_name, "type_name", "serial number type"),
            _check_name(start, "start", "first serial number"),
            _check_name(end, "end", "last serial number"),
            start_date,
            end_date,
        )

    async def get_serial_numbers_by_reference(
        self,
        type_name: str,
        *,
        reference_serial_number: str | None = None,
        reference_part_number: str | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
    ) -> list[SerialNumberRecord]:
        """Serial numbers taken for a reference unit and/or part number."""
        if not reference_serial_number and not reference_part_number:
            raise WATSValidationError(
                "give reference_serial_number, reference_part_number or both",
                field="reference_serial_number",
            )
        return await self._repository.serial_numbers_by_reference(
            _check_name(type_name, "type_name", "serial number type"),
            reference_serial_number or None,
            reference_part_number or None,
            start_date,
            end_date,
        )

    async def export_serial_numbers(
        self,
        type_name: str,
        file_format: SerialFileFormat = "csv",
        *,
        start: str | None = None,
        end: str | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
    ) -> bytes:
        """A CSV or XML file of a type's serial numbers (optionally a range or period)."""
        return await self._repository.export_serial_numbers(
            _check_name(type_name, "type_name", "serial number type"),
            _check_format(file_format),
            start or None,
            end or None,
            start_date,
            end_date,
        )

    async def import_serial_numbers(
        self,
        type_name: str,
        content: bytes | str,
        file_format: SerialFileFormat = "csv",
        *,
        filename: str | None = None,
    ) -> SerialNumberImport:
        """Upload a CSV or XML file of serial numbers into a type's pool.

        The server checks the whole file first: one malformed line rejects it all and adds
        nothing. Numbers already in the pool are skipped.
        """
        name = _check_name(type_name, "type_name", "serial number type")
        fmt = _check_format(file_format)
        data = content.encode("utf-8") if isinstance(content, str) else content
        if not isinstance(data, bytes) or not data.strip():
            raise WATSValidationError("the file is empty", field="content")
        return await self._repository.import_serial_numbers(
            name, fmt, data, filename or f"serial-numbers.{fmt}"
        )
