"""AsyncProcessService and SyncProcessService against the in-process emulator.

Each behaviour is checked through the async service and its sync twin; the seeded factory
has test (100-190), WIP (300-330), repair (500-520) and untyped (900) processes, with 190 and
520 inactive.
"""

from __future__ import annotations

import uuid

import pytest

from pywats import AsyncWATS, SyncWATS, WATSValidationError
from pywats.domains.process import FailCode, ProcessType


def codes(processes: list) -> list[int]:  # type: ignore[type-arg]
    return sorted(p.code for p in processes)


async def test_get_processes_defaults_are_active_typed_processes(wats: AsyncWATS) -> None:
    processes = await wats.process.get_processes()
    assert 100 in codes(processes) and 500 in codes(processes) and 300 in codes(processes)
    assert all(p.is_active for p in processes)
    assert 190 not in codes(processes) and 520 not in codes(processes)


def test_get_processes_sync_matches_flags(sync_wats: SyncWATS) -> None:
    only_repair = sync_wats.process.get_processes(False, True, False, True)
    typed = [p for p in only_repair if p.is_test_operation or p.is_wip_operation]
    assert typed == []
    repair = [p for p in only_repair if p.is_repair_operation]
    assert codes(repair) == [500, 510, 520]
    assert all(p.repair_operation is not None for p in repair)


async def test_all_processes_include_inactive_and_untyped(wats: AsyncWATS) -> None:
    everything = codes(await wats.process.get_all_processes())
    assert {190, 520, 900} <= set(everything)


def test_all_processes_sync(sync_wats: SyncWATS) -> None:
    assert {190, 520, 900} <= set(codes(sync_wats.process.get_all_processes()))


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (ProcessType.TEST, [100, 110, 120, 130, 140, 150]),
        (ProcessType.WIP, [300, 310, 320, 330]),
        (ProcessType.REPAIR, [500, 510]),
    ],
)
async def test_processes_of_type(wats: AsyncWATS, kind: ProcessType, expected: list[int]) -> None:
    assert codes(await wats.process.get_processes_of_type(kind)) == expected


def test_processes_of_type_sync_with_inactive(sync_wats: SyncWATS) -> None:
    found = sync_wats.process.get_processes_of_type(ProcessType.TEST, include_inactive=True)
    assert 190 in codes(found)


async def test_typed_shortcuts(wats: AsyncWATS) -> None:
    assert codes(await wats.process.get_test_operations())[0] == 100
    assert codes(await wats.process.get_repair_operations(include_inactive=True)) == [500, 510, 520]
    assert codes(await wats.process.get_wip_operations()) == [300, 310, 320, 330]


def test_typed_shortcuts_sync(sync_wats: SyncWATS) -> None:
    assert 110 in codes(sync_wats.process.get_test_operations())
    assert codes(sync_wats.process.get_repair_operations()) == [500, 510]
    assert 330 in codes(sync_wats.process.get_wip_operations())


async def test_levels(wats: AsyncWATS) -> None:
    levels = await wats.process.get_levels()
    assert [level.level_name for level in levels][:2] == ["PCBA", "Module"]
    assert all(isinstance(level.level_id, int) for level in levels)


def test_levels_sync(sync_wats: SyncWATS) -> None:
    assert "Box build" in [level.level_name for level in sync_wats.process.get_levels()]


async def test_get_process_by_code_name_and_either(wats: AsyncWATS) -> None:
    by_code = await wats.process.get_process_by_code(510)
    by_name = await wats.process.get_process_by_name("  rma REPAIR ")
    either = await wats.process.get_process("RMA repair")
    assert by_code is not None and by_code == by_name == either
    assert (await wats.process.get_process(190)) is not None  # inactive ones are found too
    assert await wats.process.get_process(4242) is None
    assert await wats.process.get_process_by_name("no such process") is None


def test_get_process_sync(sync_wats: SyncWATS) -> None:
    process = sync_wats.process.get_process(100)
    assert process is not None and process.name == "End of line test"
    assert sync_wats.process.get_process_by_code(300) is not None
    assert sync_wats.process.get_process_by_name("repair") is not None


@pytest.mark.parametrize("bad", [-1, True, 1.5, "100"])
async def test_bad_process_code_is_refused_before_sending(wats: AsyncWATS, bad: object) -> None:
    with pytest.raises(WATSValidationError) as caught:
        await wats.process.get_process_by_code(bad)  # type: ignore[arg-type]
    assert caught.value.field == "code"


def test_empty_process_name_is_refused_sync(sync_wats: SyncWATS) -> None:
    with pytest.raises(WATSValidationError, match="name"):
        sync_wats.process.get_process_by_name("   ")


async def test_is_valid_operation(wats: AsyncWATS) -> None:
    assert await wats.process.is_valid_operation(100, ProcessType.TEST)
    assert not await wats.process.is_valid_operation(100, ProcessType.REPAIR)
    assert not await wats.process.is_valid_operation(190, ProcessType.TEST)  # inactive


def test_is_valid_operation_sync(sync_wats: SyncWATS) -> None:
    assert sync_wats.process.is_valid_operation(500, ProcessType.REPAIR)
    assert not sync_wats.process.is_valid_operation(9999, ProcessType.WIP)


async def test_default_codes(wats: AsyncWATS) -> None:
    assert await wats.process.get_default_test_code() == 100
    assert await wats.process.get_default_repair_code() == 500


def test_default_codes_sync(sync_wats: SyncWATS) -> None:
    assert sync_wats.process.get_default_test_code() == 100
    assert sync_wats.process.get_default_repair_code() == 500


async def test_repair_operation_and_its_fail_code_tree(wats: AsyncWATS) -> None:
    operation = await wats.process.get_repair_operation(500)
    assert operation is not None
    categories = await wats.process.get_repair_categories(500)
    assert [c.description for c in categories][:2] == ["Component", "Solder"]
    assert all(not c.selectable for c in categories)
    assert "Cold joint" in [code.description for code in categories[1].failcodes]
    assert await wats.process.get_repair_operation(100) is None  # a test operation


def test_repair_operation_sync(sync_wats: SyncWATS) -> None:
    operation = sync_wats.process.get_repair_operation("RMA repair")
    assert operation is not None and operation.categories
    categories = sync_wats.process.get_repair_categories(510)
    assert categories[0].failcodes[0].selectable


async def test_fail_codes_are_selectable_codes_with_their_category(wats: AsyncWATS) -> None:
    fail_codes = await wats.process.get_fail_codes()
    assert FailCode in {type(code) for code in fail_codes}
    solder = [code.code for code in fail_codes if code.category == "Solder"]
    assert solder == ["Cold joint", "Solder bridge", "Insufficient solder"]
    assert all(code.guid is not None and code.category_guid is not None for code in fail_codes)


def test_fail_codes_sync_and_not_a_repair_operation(sync_wats: SyncWATS) -> None:
    assert "No fault found" in [code.code for code in sync_wats.process.get_fail_codes(510)]
    with pytest.raises(WATSValidationError, match="not a repair operation"):
        sync_wats.process.get_fail_codes(100)


async def test_repair_operation_configs_from_internal_api(wats: AsyncWATS) -> None:
    configs = await wats.process.get_repair_operation_configs()
    assert sorted(configs) == [500, 510, 520]
    public = await wats.process.get_repair_operation(500)
    assert public is not None
    assert [c.description for c in configs[500].categories] == [
        c.description for c in public.categories
    ]
    assert configs[500].fail_codes() == public.fail_codes()


def test_repair_operation_configs_sync(sync_wats: SyncWATS) -> None:
    assert 510 in sync_wats.process.get_repair_operation_configs()


async def test_processes_detailed_and_by_id(wats: AsyncWATS) -> None:
    detailed = await wats.process.get_processes_detailed()
    eol = next(p for p in detailed if p.code == 100)
    assert eol.process_id is not None and eol.properties is not None
    assert any(p.code == 300 and p.is_wip_operation for p in detailed)
    assert await wats.process.get_process_detail(eol.process_id) == eol
    assert await wats.process.get_process_detail(uuid.uuid4()) is None


def test_processes_detailed_sync(sync_wats: SyncWATS) -> None:
    detailed = sync_wats.process.get_processes_detailed()
    assert len(detailed) >= 15
    one = sync_wats.process.get_process_detail(str(detailed[0].process_id))
    assert one is not None and one.code == detailed[0].code
    with pytest.raises(WATSValidationError, match="GUID"):
        sync_wats.process.get_process_detail("not-a-guid")


async def test_repair_operation_config_by_process_id(wats: AsyncWATS) -> None:
    detailed = {p.code: p for p in await wats.process.get_processes_detailed()}
    repair_id, test_id = detailed[510].process_id, detailed[100].process_id
    assert repair_id is not None and test_id is not None
    config = await wats.process.get_repair_operation_config(repair_id)
    assert config is not None and config.description == "RMA repair"
    assert await wats.process.get_repair_operation_config(repair_id, 510) == config
    assert await wats.process.get_repair_operation_config(repair_id, 500) is None
    assert await wats.process.get_repair_operation_config(test_id) is None


def test_repair_operation_config_sync(sync_wats: SyncWATS) -> None:
    detailed = {p.code: p for p in sync_wats.process.get_processes_detailed()}
    config = sync_wats.process.get_repair_operation_config(str(detailed[500].process_id))
    assert config is not None and config.fail_codes()
    with pytest.raises(WATSValidationError):
        sync_wats.process.get_repair_operation_config(uuid.uuid4(), -5)
