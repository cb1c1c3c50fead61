"""Building and taking apart assemblies through the SDK, and the refusals a user meets."""

from __future__ import annotations

import pytest

from pywats import AsyncWATS, SyncWATS, WATSValidationError
from pywats.domains.production import Unit, UnitPhaseFlag
from pywats.errors import WATSBadRequestError, WATSNotFoundError

SYSTEM = ("SY-00001", "SYS-9000")


async def _finalized_board(wats: AsyncWATS, serial: str, revision: str = "A") -> None:
    await wats.production.save_unit(
        Unit(
            serial_number=serial,
            part_number="PCB-1001",
            revision=revision,
            unit_phase_id=UnitPhaseFlag.FINALIZED,
        )
    )


async def test_add_check_and_remove_a_child(wats: AsyncWATS) -> None:
    await wats.production.save_unit(
        Unit(serial_number="M-1", part_number="MOD-4100", revision="1.0")
    )
    await _finalized_board(wats, "B-1")
    await wats.production.add_child_unit("M-1", "MOD-4100", "B-1", "PCB-1001")
    tree = await wats.production.get_assembly_tree("M-1", "MOD-4100")
    assert tree is not None and [s.serial_number for s in tree.sub_units] == ["B-1"]
    check = await wats.production.check_child_units("M-1", "MOD-4100")
    assert check.is_valid is False
    assert {line.part_number: line.count for line in check.box_build} == {
        "PCB-1001": 1,
        "PCB-1002": 0,
    }
    await wats.production.remove_child_unit("M-1", "MOD-4100", "B-1", "PCB-1001")
    child = await wats.production.get_unit("B-1", "PCB-1001")
    assert child is not None and child.parent_serial_number is None


def test_add_and_remove_child_sync(sync_wats: SyncWATS) -> None:
    sync_wats.production.save_unit(
        Unit(
            serial_number="SB-X",
            part_number="PCB-3001",
            revision="1.0",
            unit_phase_id=UnitPhaseFlag.FINALIZED,
        )
    )
    sync_wats.production.add_child_unit(
        *SYSTEM, "SB-X", "PCB-3001", check_part_number="PCB-3001", check_revision="1.%"
    )
    assert sync_wats.production.check_child_units(*SYSTEM).is_valid is False
    sync_wats.production.remove_child_unit(*SYSTEM, "SB-X", "PCB-3001")
    assert sync_wats.production.check_child_units(*SYSTEM).is_valid is True


async def test_a_cycle_is_refused_and_the_tree_is_unchanged(wats: AsyncWATS) -> None:
    before = await wats.production.get_assembly_tree(*SYSTEM)
    with pytest.raises(WATSBadRequestError, match="would create a loop") as caught:
        await wats.production.add_child_unit(
            "MB-00001", "PCB-1001", *SYSTEM, check_part_number="SYS-9000"
        )
    assert caught.value.status_code == 400
    assert await wats.production.get_assembly_tree(*SYSTEM) == before


def test_a_unit_cannot_be_its_own_child_sync(sync_wats: SyncWATS) -> None:
    with pytest.raises(WATSValidationError, match="own child"):
        sync_wats.production.add_child_unit(*SYSTEM, *SYSTEM)


async def test_add_child_refusals_carry_the_server_reason(wats: AsyncWATS) -> None:
    await _finalized_board(wats, "B-C", revision="C")
    await wats.production.save_unit(
        Unit(serial_number="M-2", part_number="MOD-4100", revision="1.0")
    )
    with pytest.raises(WATSBadRequestError, match="revision mask"):
        await wats.production.add_child_unit("M-2", "MOD-4100", "B-C", "PCB-1001")
    with pytest.raises(WATSNotFoundError, match="NOPE"):
        await wats.production.add_child_unit("M-2", "MOD-4100", "NOPE", "PCB-1001")
    with pytest.raises(WATSValidationError, match="check_part_number"):
        await wats.production.add_child_unit(
            "M-2", "MOD-4100", "B-C", "PCB-1001", check_revision="C"
        )


async def test_removing_a_unit_that_is_not_a_child(wats: AsyncWATS) -> None:
    with pytest.raises(WATSBadRequestError, match="is not a child"):
        await wats.production.remove_child_unit(*SYSTEM, "MB-00001", "PCB-1001")
