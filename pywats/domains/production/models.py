"""Production models: units and their assemblies, phases, batches, the change feed, the
verification grade and serial numbers.

Wire names follow the spec: camelCase on the public API, PascalCase for the internal unit
phases. Shapes the spec leaves open (the child-unit check, serial-number records, import
results) are modelled on what the emulator sends, and unknown fields are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from enum import IntEnum

from pydantic import Field

from pywats.domains.product.models import Product, ProductRevision, Tag
from pywats.models import WATSModel

__all__ = [
    "AssemblyCheck",
    "BoxBuildLineCheck",
    "ChildUnitCheck",
    "ProductionBatch",
    "SerialNumberIdentifier",
    "SerialNumberImport",
    "SerialNumberRecord",
    "SerialNumberType",
    "Unit",
    "UnitChange",
    "UnitPhase",
    "UnitPhaseFlag",
    "UnitVerification",
    "UnitVerificationGrade",
]


class UnitPhaseFlag(IntEnum):
    """The server's unit phase ids. A unit is in one phase at a time."""

    UNKNOWN = 1
    UNDER_PRODUCTION = 2
    PRODUCTION_REPAIR = 4
    SERVICE_REPAIR = 8
    FINALIZED = 16
    SCRAPPED = 32
    EXTENDED_TEST = 64
    CUSTOMIZATION = 128
    REPAIRED = 256
    MISSING = 512
    IN_STORAGE = 1024
    SHIPPED = 2048
    UNDER_PRODUCTION_QUEUED = 4098
    PRODUCTION_REPAIR_QUEUED = 4100
    SERVICE_REPAIR_QUEUED = 4104


class SerialNumberIdentifier(IntEnum):
    """What kind of identifier a serial-number type hands out."""

    SERIAL_NUMBER = 0
    MAC_ADDRESS = 1
    IMEI = 2


class Unit(WATSModel):
    """A serialised unit; ``sub_units`` holds the units built into it, recursively."""

    serial_number: str
    part_number: str
    revision: str | None = None
    parent_serial_number: str | None = None
    batch_number: str | None = None
    serial_date: datetime | None = None
    current_location: str | None = None
    xml_data: str | None = None
    unit_phase_id: int | None = None
    unit_phase: str | None = None  # the phase's name; read-only
    process_code: str | None = None
    tags: list[Tag] = Field(default_factory=list)  # read-only: the server derives them
    product_revision: ProductRevision | None = None
    product: Product | None = None
    sub_units: list[Unit] = Field(default_factory=list)

    def walk(self, level: int = 0) -> Iterator[tuple[int, Unit]]:
        """This unit and everything built into it, depth first, with each one's level."""
        yield level, self
        for sub in self.sub_units:
            yield from sub.walk(level + 1)

    def find(self, serial_number: str, part_number: str | None = None) -> Unit | None:
        """The unit in this assembly with that serial (and part) number, if any."""
        for _, unit in self.walk():
            if unit.serial_number.lower() == serial_number.lower() and (
                part_number is None or unit.part_number.lower() == part_number.lower()
            ):
                return unit
        return None

    @property
    def depth(self) -> int:
        """Levels in this assembly: 1 for a unit with nothing built in."""
        return 1 + max((sub.depth for sub in self.sub_units), default=0)


class UnitChange(WATSModel):
    """One entry of the unit change feed: what a unit's parent, part number, revision or
    phase became. Delete it once handled."""

    id: int
    unit_serial_number: str
    new_parent_serial_number: str | None = None
    new_part_number: str | None = None
    new_revision: str | None = None
    new_unit_phase_id: int | None = None


class ProductionBatch(WATSModel):
    batch_number: str
    batch_size: int | None = None


class UnitPhase(WATSModel):
    """A unit phase as the server names it (internal MES endpoint, PascalCase)."""

    unit_phase_id: int = Field(alias="UnitPhaseId")
    code: str = Field(alias="Code")
    name: str = Field(alias="Name")
    description: str | None = Field(default=None, alias="Description")


class UnitVerification(WATSModel):
    """How a unit did in one process of its verification rule."""

    process_code: int | None = None
    process_name: str | None = None
    process_index: int | None = None
    status: str | None = None
    start_utc: datetime | None = None
    station_name: str | None = None
    total_count: int | None = None
    non_passed_count: int | None = None
    repair_count: int | None = None


class UnitVerificationGrade(WATSModel):
    """A unit's verification status and grade, with one result per process."""

    status: str | None = None
    grade: str | None = None
    all_processes_executed_in_correct_order: bool | None = None
    all_processes_passed_first_run: bool | None = None
    all_processes_passed_any_run: bool | None = None
    all_processes_passed_last_run: bool | None = None
    no_repairs: bool | None = None
    results: list[UnitVerification] = Field(default_factory=list)


class BoxBuildLineCheck(WATSModel):
    part_number: str | None = None
    revision_mask: str | None = None
    quantity: int | None = None
    count: int | None = None
    is_valid: bool | None = None
    message: str | None = None


class ChildUnitCheck(WATSModel):
    serial_number: str | None = None
    part_number: str | None = None
    revision: str | None = None
    unit_phase: str | None = None
    is_valid: bool | None = None
    message: str | None = None


class AssemblyCheck(WATSModel):
    """Whether a unit's direct children match its box build (part, revision, quantity, phase)."""

    parent_serial_number: str | None = None
    parent_part_number: str | None = None
    parent_revision: str | None = None
    is_valid: bool | None = None
    box_build: list[BoxBuildLineCheck] = Field(default_factory=list)
    child_units: list[ChildUnitCheck] = Field(default_factory=list)


class SerialNumberType(WATSModel):
    name: str
    description: str | None = None
    format: str | None = None
    reg_ex: str | None = None
    identifier: int | None = None
    identifier_name: str | None = None


class SerialNumberRecord(WATSModel):
    """One serial number of a pool: when it was made, whether and by whom it was taken."""

    serial_number: str
    serial_number_type: str | None = None
    generated: datetime | None = None
    taken: bool | None = None
    taken_date: datetime | None = None
    reference_serial_number: str | None = None
    reference_part_number: str | None = None
    station_name: str | None = None


class SerialNumberImport(WATSModel):
    """What an import did: numbers added, and numbers skipped because they existed."""

    serial_number_type: str | None = None
    imported: int | None = None
    skipped: int | None = None
