"""Serial numbers through the SDK: types, take, look-ups, export and import."""

from __future__ import annotations

import pytest

from pywats import AsyncWATS, SyncWATS, WATSValidationError
from pywats.domains.production import SerialNumberIdentifier
from pywats.emulator.testing import InProcessEmulator
from pywats.errors import WATSBadRequestError


def free_boards(emulator: InProcessEmulator) -> int:
    return int(
        emulator.store.scalar(
            "SELECT COUNT(*) FROM production_sn WHERE type_name = 'BoardSN' AND taken_utc IS NULL"
        )
    )


async def test_types(wats: AsyncWATS) -> None:
    types = {t.name: t for t in await wats.production.get_serial_number_types()}
    assert types["EthernetMAC"].identifier == SerialNumberIdentifier.MAC_ADDRESS
    assert types["BoardSN"].reg_ex


def test_types_sync(sync_wats: SyncWATS) -> None:
    assert "SystemSN" in {t.name for t in sync_wats.production.get_serial_number_types()}


async def test_take_with_reference_then_find_by_reference(wats: AsyncWATS) -> None:
    taken = await wats.production.take_serial_numbers(
        "EthernetMAC",
        2,
        reference_serial_number="CM-NEW",
        reference_part_number="MOD-4100",
        station_name="FCT-09",
    )
    assert len(taken) == 2 and all(sn.count(":") == 5 for sn in taken)
    records = await wats.production.get_serial_numbers_by_reference(
        "EthernetMAC", reference_serial_number="CM-NEW"
    )
    assert [r.serial_number for r in records] == taken
    assert all(r.taken and r.station_name == "FCT-09" for r in records)


def test_take_in_sequence_sync(sync_wats: SyncWATS) -> None:
    taken = sync_wats.production.take_serial_numbers("BoardSN", 8, only_in_sequence=True)
    numbers = [int(sn.removeprefix("BRD-")) for sn in taken]
    assert numbers == list(range(numbers[0], numbers[0] + 8))


async def test_take_of_an_unknown_type_is_clear_and_changes_nothing(
    wats: AsyncWATS, emulator: InProcessEmulator
) -> None:
    before = free_boards(emulator)
    with pytest.raises(WATSBadRequestError, match="'NoSuchType' does not exist"):
        await wats.production.take_serial_numbers("NoSuchType", 5)
    with pytest.raises(WATSValidationError) as caught:
        await wats.production.take_serial_numbers("BoardSN", 0)
    assert caught.value.field == "quantity"
    assert free_boards(emulator) == before


async def test_take_from_an_empty_pool_gives_nothing(wats: AsyncWATS) -> None:
    everything = await wats.production.take_serial_numbers("SystemSN", 10_000)
    assert everything
    assert await wats.production.take_serial_numbers("SystemSN", 1) == []


async def test_range(wats: AsyncWATS) -> None:
    records = await wats.production.get_serial_numbers_in_range(
        "BoardSN", "BRD-000029", "BRD-000032"
    )
    assert [(r.serial_number, r.taken) for r in records] == [
        ("BRD-000029", True),
        ("BRD-000030", True),
        ("BRD-000031", False),
        ("BRD-000032", False),
    ]


def test_range_and_reference_sync(sync_wats: SyncWATS) -> None:
    assert (
        len(sync_wats.production.get_serial_numbers_in_range("BoardSN", "BRD-000001", "BRD-000005"))
        == 5
    )
    with pytest.raises(WATSValidationError):
        sync_wats.production.get_serial_numbers_by_reference("BoardSN")
    records = sync_wats.production.get_serial_numbers_by_reference(
        "SystemSN", reference_part_number="SYS-9000"
    )
    assert records and all(r.reference_part_number == "SYS-9000" for r in records)


async def test_export_and_import(wats: AsyncWATS) -> None:
    csv_file = await wats.production.export_serial_numbers(
        "BoardSN", start="BRD-000001", end="BRD-000003"
    )
    assert csv_file.decode().splitlines()[0].startswith("SerialNumber,")
    xml_file = await wats.production.export_serial_numbers("BoardSN", "xml", end="BRD-000002")
    assert xml_file.count(b"<SN ") == 2
    result = await wats.production.import_serial_numbers(
        "BoardSN", "SerialNumber\nBRD-800001\nBRD-800002\nBRD-000001\n"
    )
    assert (result.imported, result.skipped) == (2, 1)
    again = await wats.production.import_serial_numbers("BoardSN", xml_file, "xml")
    assert again.skipped == 2


def test_export_and_import_sync(sync_wats: SyncWATS) -> None:
    data = sync_wats.production.export_serial_numbers(
        "SystemSN", "csv", start="SY-00001", end="SY-00002"
    )
    assert sync_wats.production.import_serial_numbers("SystemSN", data).skipped == 2


async def test_malformed_csv_is_refused_and_nothing_is_added(
    wats: AsyncWATS, emulator: InProcessEmulator
) -> None:
    before = free_boards(emulator)
    bad = "SerialNumber,Taken\nBRD-800001,false\nBRD-800002\n"
    with pytest.raises(WATSBadRequestError, match="Line 3"):
        await wats.production.import_serial_numbers("BoardSN", bad)
    assert free_boards(emulator) == before
    with pytest.raises(WATSValidationError, match="empty"):
        await wats.production.import_serial_numbers("BoardSN", b"  ")
    with pytest.raises(WATSValidationError) as caught:
        await wats.production.import_serial_numbers("BoardSN", "x", "json")  # type: ignore[arg-type]
    assert caught.value.field == "file_format"
