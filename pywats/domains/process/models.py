"""Process models: test, repair and WIP operations, and a repair operation's fail codes.

The public ``/api/App/Processes`` speaks camelCase; the internal ``/api/internal/Process``
endpoints speak PascalCase (``ProcessID``, ``IsWIPOperation``, ``GUID``). Repair-operation
models accept both spellings, so one class serves both endpoints.
"""

from __future__ import annotations

import uuid
from enum import IntEnum, StrEnum
from typing import Any

from pydantic import AliasChoices, AliasGenerator, ConfigDict, Field
from pydantic.alias_generators import to_camel, to_pascal

from pywats.models import WATSModel

__all__ = [
    "Binding",
    "FailCode",
    "Level",
    "ProcessDetail",
    "ProcessInfo",
    "ProcessState",
    "ProcessType",
    "RepairCategory",
    "RepairOperation",
]


class ProcessState(IntEnum):
    INACTIVE = 0
    ACTIVE = 1


class ProcessType(StrEnum):
    """The kinds of operation a process can be; a process may be more than one."""

    TEST = "test"
    REPAIR = "repair"
    WIP = "wip"


class Binding(IntEnum):
    """Whether a repair must name the UUT, a BOM item or a vendor (the spec's *Binding values)."""

    REQUIRED = 0
    OPTIONAL = 1
    NEVER = 2


def _either_case(name: str) -> AliasChoices:
    return AliasChoices(to_camel(name), to_pascal(name))


class _BothCasesModel(WATSModel):
    """Reads camelCase (public) or PascalCase (internal); writes camelCase."""

    model_config = ConfigDict(
        alias_generator=AliasGenerator(validation_alias=_either_case, serialization_alias=to_camel)
    )


class RepairCategory(_BothCasesModel):
    """A node of a repair operation's fail-code tree: a category, or a fail code inside one.

    Only ``selectable`` nodes can be chosen as the fail code of a repair.
    """

    guid: uuid.UUID | None = Field(default=None, validation_alias=AliasChoices("guid", "GUID"))
    description: str = ""
    selectable: bool = True
    sort_order: int | None = None
    failure_type: int | None = None
    image_constraint: str | int | None = None
    status: int | None = None
    failcodes: list[RepairCategory] = Field(
        default_factory=list, validation_alias=AliasChoices("failcodes", "Failcodes", "failCodes")
    )


class FailCode(WATSModel):
    """A selectable fail code, flattened out of the tree with the category it sits in."""

    code: str
    guid: uuid.UUID | None = None
    category: str
    category_guid: uuid.UUID | None = None
    failure_type: int | None = None


class RepairOperation(_BothCasesModel):
    """How a repair operation is configured: what a repair must name, and its fail codes."""

    description: str = ""
    uut_required: int | None = Field(
        default=None, validation_alias=AliasChoices("uutRequired", "UUTRequired", "uutBinding")
    )
    bom_required: int | None = Field(
        default=None, validation_alias=AliasChoices("bomRequired", "BOMRequired", "bomBinding")
    )
    vendor_required: int | None = Field(
        default=None,
        validation_alias=AliasChoices("vendorRequired", "VendorRequired", "vendorBinding"),
    )
    comp_ref_mask: str | None = None
    comp_ref_mask_description: str | None = None
    bom_constraint: str | None = None
    categories: list[RepairCategory] = Field(default_factory=list)
    misc_infos: list[dict[str, Any]] = Field(default_factory=list)

    def fail_codes(self) -> list[FailCode]:
        """Every selectable fail code, in sort order, with the category it belongs to."""
        codes: list[FailCode] = []
        for category in sorted(self.categories, key=_sort_key):
            for node in sorted(category.failcodes, key=_sort_key):
                if node.selectable:
                    codes.append(
                        FailCode(
                            code=node.description,
                            guid=node.guid,
                            category=category.description,
                            category_guid=category.guid,
                            failure_type=node.failure_type,
                        )
                    )
        return codes


def _sort_key(node: RepairCategory) -> tuple[int, str]:
    return (node.sort_order if node.sort_order is not None else 1 << 30, node.description)


class ProcessInfo(WATSModel):
    """A process (operation) as ``/api/App/Processes`` lists it.

    By WATS convention code 100 is the default test operation and 500 the default repair.
    """

    code: int
    name: str = ""
    description: str | None = None
    is_test_operation: bool = False
    is_repair_operation: bool = False
    is_wip_operation: bool = False
    process_index: int | None = None
    state: int = ProcessState.ACTIVE
    repair_operation: RepairOperation | None = None

    @property
    def is_active(self) -> bool:
        return self.state == ProcessState.ACTIVE

    def is_type(self, kind: ProcessType) -> bool:
        """True if this process is of ``kind``; a process can be of several kinds."""
        if kind is ProcessType.TEST:
            return self.is_test_operation
        if kind is ProcessType.REPAIR:
            return self.is_repair_operation
        return self.is_wip_operation


class ProcessDetail(WATSModel):
    """A process from the internal API: adds its GUID and its properties XML."""

    model_config = ConfigDict(alias_generator=to_pascal)

    code: int
    process_id: uuid.UUID | None = Field(default=None, alias="ProcessID")
    name: str = ""
    description: str | None = None
    process_index: int | None = None
    state: int = ProcessState.ACTIVE
    properties: str | None = None
    is_test_operation: bool = False
    is_repair_operation: bool = False
    is_wip_operation: bool = Field(default=False, alias="IsWIPOperation")

    @property
    def is_active(self) -> bool:
        return self.state == ProcessState.ACTIVE


class Level(WATSModel):
    """A level (client group) from ``/api/App/Levels``."""

    level_id: int
    level_name: str = ""
