"""AsyncProductionService / SyncProductionService units, phases, grades, changes, batches.

The seeded factory has SY-00001 (SYS-9000): a control system holding a controller module
(with a main and an I/O board) and two power supplies (each with a power board).
"""

from __future__ import annotations

import pytest

from pywats import AsyncWATS, SyncWATS, WATSValidationError
from pywats.domains.production import ProductionBatch, Unit, UnitPhaseFlag
from pywats.errors import WATSBadRequestError

SYSTEM = ("SY-00001", "SYS-9000")


async def test_get_unit_returns_the_unit_with_its_sub_units(wats: AsyncWATS) -> None:
    unit = await wats.production.get_unit(*SYSTEM)
    assert unit is not None
    assert (unit.serial_number, unit.part_number) == SYSTEM
    assert unit.product is not None and unit.product.part_number == "SYS-9000"
    assert {sub.part_number for sub in unit.sub_units} == {"MOD-4100", "PSU-200"}
    assert unit.depth == 3


def test_get_unit_sync(sync_wats: SyncWATS) -> None:
    unit = sync_wats.production.get_unit("CM-00001", "MOD-4100")
    assert unit is not None and unit.parent_serial_number == "SY-00001"


async def test_unknown_unit_is_none_not_an_exception(wats: AsyncWATS) -> None:
    assert await wats.production.get_unit("NO-SUCH-UNIT", "SYS-9000") is None
    assert await wats.production.get_assembly_tree("NO-SUCH-UNIT", "SYS-9000") is None


def test_unknown_unit_sync(sync_wats: SyncWATS) -> None:
    assert sync_wats.production.get_unit("NO-SUCH-UNIT", "SYS-9000") is None


@pytest.mark.parametrize(
    ("serial", "part", "field"),
    [
        ("", "SYS-9000", "serial_number"),
        ("A/B", "SYS-9000", "serial_number"),
        ("SY-1", " ", "part_number"),
        ("SY-1", "X" * 101, "part_number"),
    ],
)
async def test_get_unit_checks_input_before_sending(
    wats: AsyncWATS, serial: str, part: str, field: str
) -> None:
    with pytest.raises(WATSValidationError) as caught:
        await wats.production.get_unit(serial, part)
    assert caught.value.field == field


async def test_assembly_tree_has_three_levels(wats: AsyncWATS) -> None:
    tree = await wats.production.get_assembly_tree(*SYSTEM)
    assert tree is not None
    levels = [(level, unit.part_number) for level, unit in tree.walk()]
    assert (2, "PCB-1001") in levels and (2, "PCB-2001") in levels
    assert tree.find("MB-00001") is not None


def test_assembly_tree_sync(sync_wats: SyncWATS) -> None:
    tree = sync_wats.production.get_assembly_tree("CM-00001", "MOD-4100")
    assert tree is not None and tree.depth == 2


async def test_save_units_adds_and_updates(wats: AsyncWATS) -> None:
    await wats.production.save_batch("LOT-1", 10)
    saved = await wats.production.save_units(
        [
            Unit(serial_number="N-1", part_number="PCB-1001", revision="A", batch_number="LOT-1"),
            Unit(serial_number="N-2", part_number="PCB-1002", revision="B"),
        ]
    )
    assert [u.unit_phase_id for u in saved] == [UnitPhaseFlag.UNDER_PRODUCTION] * 2
    unit = await wats.production.get_unit("N-1", "PCB-1001")
    assert unit is not None and unit.batch_number == "LOT-1"
    # Read, modify, write back: read-only fields and the (empty) tree are not sent.
    unit.current_location = "Bench 4"
    updated = await wats.production.save_unit(unit)
    assert updated.current_location == "Bench 4"


def test_save_unit_sync(sync_wats: SyncWATS) -> None:
    saved = sync_wats.production.save_unit(
        Unit(serial_number="N-3", part_number="PCB-3001", revision="1.1")
    )
    assert saved.revision == "1.1"
    both = sync_wats.production.save_units(
        [
            saved.model_copy(update={"current_location": "Rack 2"}),
            Unit(serial_number="N-4", part_number="PCB-3001", revision="1.0"),
        ]
    )
    assert [u.current_location for u in both] == ["Rack 2", None]


async def test_save_units_bad_input(wats: AsyncWATS) -> None:
    with pytest.raises(WATSValidationError, match="at least one"):
        await wats.production.save_units([])
    twice = Unit(serial_number="N-1", part_number="PCB-1001", revision="A")
    with pytest.raises(WATSValidationError, match="twice"):
        await wats.production.save_units([twice, twice])
    with pytest.raises(WATSBadRequestError, match="revision 'Z'"):
        await wats.production.save_units(
            [twice, Unit(serial_number="N-9", part_number="PCB-1001", revision="Z")]
        )
    assert await wats.production.get_unit("N-1", "PCB-1001") is None  # all or nothing


@pytest.mark.parametrize(
    "phase", [UnitPhaseFlag.PRODUCTION_REPAIR, 4, "production repair", "Production_Repair"]
)
async def test_set_unit_phase_by_flag_id_name_or_code(
    wats: AsyncWATS, phase: UnitPhaseFlag | int | str
) -> None:
    await wats.production.set_unit_phase("CM-00001", "MOD-4100", phase)
    unit = await wats.production.get_unit("CM-00001", "MOD-4100")
    assert unit is not None and unit.unit_phase_id == UnitPhaseFlag.PRODUCTION_REPAIR


def test_set_unit_phase_sync(sync_wats: SyncWATS) -> None:
    sync_wats.production.set_unit_phase(*SYSTEM, "Finalized")
    unit = sync_wats.production.get_unit(*SYSTEM)
    assert unit is not None and unit.unit_phase == "Finalized"


async def test_set_unit_phase_unknown_phase_lists_the_real_ones(wats: AsyncWATS) -> None:
    with pytest.raises(WATSValidationError, match="Finalized") as caught:
        await wats.production.set_unit_phase(*SYSTEM, "Teleported")
    assert caught.value.field == "phase"
    with pytest.raises(WATSValidationError):
        await wats.production.set_unit_phase(*SYSTEM, 3)


async def test_phases_are_read_once(wats: AsyncWATS) -> None:
    first = await wats.production.get_phases()
    assert first == await wats.production.get_phases()
    assert (await wats.production.get_phase("in storage")).unit_phase_id == 1024
    assert len(await wats.production.get_phases(force_refresh=True)) == len(first)


def test_phases_sync(sync_wats: SyncWATS) -> None:
    assert sync_wats.production.get_phase(2048).name == "Shipped"
    assert len(sync_wats.production.get_phases()) == 15


async def test_set_unit_process(wats: AsyncWATS) -> None:
    await wats.production.set_unit_process("CM-00001", "MOD-4100", "Burn-in test")
    unit = await wats.production.get_unit("CM-00001", "MOD-4100")
    assert unit is not None and unit.process_code == "130"
    with pytest.raises(WATSValidationError):
        await wats.production.set_unit_process("CM-00001", "MOD-4100", "  ")


def test_set_unit_process_sync(sync_wats: SyncWATS) -> None:
    with pytest.raises(WATSBadRequestError, match="no process named"):
        sync_wats.production.set_unit_process("CM-00001", "MOD-4100", "Teleport")


async def test_grade_and_passing(wats: AsyncWATS) -> None:
    grade = await wats.production.get_unit_grade(*SYSTEM)
    assert grade is not None and grade.grade in {"A", "B", "C"}
    assert [r.process_code for r in grade.results] == [100, 140]
    assert await wats.production.is_unit_passing(SYSTEM[0]) is True
    assert await wats.production.get_unit_grade("NOPE") is None
    assert await wats.production.is_unit_passing("NOPE") is False


def test_grade_sync(sync_wats: SyncWATS) -> None:
    grade = sync_wats.production.get_unit_grade("SY-00001", "SYS-9000")
    assert grade is not None and grade.results
    assert sync_wats.production.is_unit_passing("SY-00001", "SYS-9000") is True


async def test_change_feed(wats: AsyncWATS) -> None:
    await wats.production.set_unit_phase(*SYSTEM, UnitPhaseFlag.SCRAPPED)
    changes = await wats.production.get_unit_changes(1000)
    last = changes[-1]
    assert (last.unit_serial_number, last.new_unit_phase_id) == ("SY-00001", 32)
    assert await wats.production.delete_unit_change(last.id) is True
    assert await wats.production.delete_unit_change(last.id) is False
    with pytest.raises(WATSValidationError):
        await wats.production.get_unit_changes(0)


def test_change_feed_sync(sync_wats: SyncWATS) -> None:
    changes = sync_wats.production.get_unit_changes(2)
    assert len(changes) == 2
    assert sync_wats.production.delete_unit_change(changes[0].id) is True


async def test_batches(wats: AsyncWATS) -> None:
    saved = await wats.production.save_batches(
        [ProductionBatch(batch_number="LOT-A", batch_size=5), ProductionBatch(batch_number="LOT-B")]
    )
    assert [b.batch_number for b in saved] == ["LOT-A", "LOT-B"]
    with pytest.raises(WATSValidationError):
        await wats.production.save_batches([ProductionBatch(batch_number=" ")])
    with pytest.raises(WATSValidationError):
        await wats.production.save_batch("LOT-C", -1)


def test_batches_sync(sync_wats: SyncWATS) -> None:
    assert sync_wats.production.save_batch("LOT-S", 3).batch_size == 3
    assert len(sync_wats.production.save_batches([ProductionBatch(batch_number="LOT-T")])) == 1


async def test_find_part_numbers_from_reports(wats: AsyncWATS) -> None:
    assert await wats.production.find_part_numbers("MB-00001") == ["PCB-1001"]
    assert await wats.production.find_part_numbers("NEVER-TESTED") == []
    with pytest.raises(WATSValidationError):
        await wats.production.find_part_numbers("")


async def test_parents_up_to_the_top_assembly(wats: AsyncWATS) -> None:
    chain = await wats.production.get_parents("MB-00001", "PCB-1001")
    assert [(u.serial_number, u.part_number) for u in chain] == [
        ("CM-00001", "MOD-4100"),
        SYSTEM,
    ]
    assert await wats.production.get_parents(*SYSTEM) == []
    assert await wats.production.get_parents("NOPE", "PCB-1001") == []


def test_parents_and_part_numbers_sync(sync_wats: SyncWATS) -> None:
    assert sync_wats.production.find_part_numbers("CM-00001") == ["MOD-4100"]
    chain = sync_wats.production.get_parents("PB-00001", "PCB-2001")
    assert [u.serial_number for u in chain] == ["PS-00001", "SY-00001"]
