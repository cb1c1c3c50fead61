"""AsyncAssetService against the in-process emulator: every operation (issue 14, acceptance 2)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from pywats import AsyncWATS
from pywats.domains.asset import (
    AlarmState,
    Asset,
    AssetLogType,
    AssetState,
    AssetType,
)
from pywats.domains.report import UUTBuilder
from pywats.errors import WATSBadRequestError, WATSNotFoundError, WATSValidationError
from pywats.odata import F

from .conftest import NOW


async def _type(wats: AsyncWATS, name: str = "Bench fixture") -> AssetType:
    return await wats.asset.create_type(
        name,
        running_count_limit=100,
        total_count_limit=1000,
        calibration_interval=365,
        maintenance_interval=90,
        warning_threshold=80,
        alarm_threshold=100,
    )


async def test_get_assets_get_asset_and_none(wats: AsyncWATS) -> None:
    psus = await wats.asset.get_assets(F("serialNumber").startswith("PSU-"), orderby="serialNumber")
    assert [a.serial_number for a in psus][:2] == ["PSU-E3631-01", "PSU-E3631-02"]
    by_serial = await wats.asset.get_asset("PSU-E3631-01")
    assert by_serial is not None and by_serial.asset_type is not None
    assert by_serial.asset_type.type_name == "DC power supply"
    assert by_serial.parent_serial_number == "FX-110-1"
    by_id = await wats.asset.get_asset(uuid.UUID(str(by_serial.asset_id)))
    assert by_id is not None and by_id.serial_number == "PSU-E3631-01"
    assert await wats.asset.get_asset("NO-SUCH-ASSET") is None
    assert (await wats.asset.get_assets(top=3)).__len__() == 3


async def test_status_has_alarm_state_and_reasons(wats: AsyncWATS) -> None:
    status = await wats.asset.get_status("PSU-E3631-05")
    assert status.alarm_state is AlarmState.ALARM
    assert status.in_alarm and not status.in_warning
    assert status.reasons[0].type == "calibration"
    assert status.message == "Calibration overdue by 7 days"
    assert status.days_left() == pytest.approx(-7, abs=0.5)
    ok = await wats.asset.get_status("FX-110-1")
    assert ok.alarm_state is AlarmState.OK and ok.reasons == []
    assert ok.running_count is not None and ok.running_count_limit is not None


async def test_assets_in_alarm_warning_and_due_come_from_the_status(wats: AsyncWATS) -> None:
    alarm = await wats.asset.assets_in_alarm()
    assert [o.asset.serial_number for o in alarm] == ["PSU-E3631-05"]
    # Its AssetState is "in operation": the alarm is computed, not set.
    assert alarm[0].asset.state == AssetState.IN_OPERATION
    warning = {o.asset.serial_number for o in await wats.asset.assets_in_warning()}
    assert {"DMM-34461-02", "DMM-34461-03", "PSU-E3631-03", "PRB-110-3"} <= warning
    assert "PSU-E3631-05" not in warning
    due = await wats.asset.assets_due(7)
    assert [o.asset.serial_number for o in due] == ["PSU-E3631-05", "DMM-34461-03", "PSU-E3631-03"]
    assert len(await wats.asset.assets_due(30)) > len(due)
    with pytest.raises(WATSValidationError):
        await wats.asset.assets_due(-1)


async def test_create_update_delete(wats: AsyncWATS) -> None:
    kind = await _type(wats)
    assert kind.type_id is not None
    parent = await wats.asset.create_asset(
        "BENCH-1", kind.type_id, asset_name="Bench", location="Lab"
    )
    child = await wats.asset.create_asset("BENCH-1-DMM", kind.type_id, parent="BENCH-1")
    assert child.parent_asset_id == parent.asset_id
    assert child.state == AssetState.IN_OPERATION
    parent.location = "Line 3"
    saved = await wats.asset.save_asset(parent)
    assert saved.location == "Line 3"
    await wats.asset.delete_asset("BENCH-1")
    assert await wats.asset.get_asset("BENCH-1") is None
    moved = await wats.asset.get_asset("BENCH-1-DMM")
    assert moved is not None and moved.parent_asset_id is None
    with pytest.raises(WATSValidationError, match="type_id"):
        await wats.asset.save_asset(Asset(serial_number="NO-TYPE"))
    with pytest.raises(WATSValidationError):
        await wats.asset.create_asset("", kind.type_id)
    with pytest.raises(WATSNotFoundError):
        await wats.asset.delete_asset("BENCH-1")


async def test_state_counts_reset_calibration_maintenance(wats: AsyncWATS) -> None:
    kind = await _type(wats)
    assert kind.type_id is not None
    await wats.asset.create_asset("RIG-1", kind.type_id)
    await wats.asset.create_asset("RIG-1-PROBE", kind.type_id, parent="RIG-1")
    counted = await wats.asset.increment_count("RIG-1", 85, increment_children=True)
    assert (counted.running_count, counted.total_count) == (85, 85)
    child = await wats.asset.get_asset("RIG-1-PROBE")
    assert child is not None and child.total_count == 85
    assert (await wats.asset.get_status("RIG-1")).alarm_state is AlarmState.WARNING
    raised = await wats.asset.count_to_total("RIG-1", 90)
    assert raised.total_count == 90
    reset = await wats.asset.reset_running_count("RIG-1", "Probes replaced")
    assert (reset.running_count, reset.total_count) == (0, 90)
    state = await wats.asset.set_state("RIG-1", AssetState.IN_CALIBRATION)
    assert state.state == AssetState.IN_CALIBRATION
    await wats.asset.increment_count("RIG-1", 5)
    calibrated = await wats.asset.record_calibration("RIG-1", NOW - timedelta(days=3), "Cert 1")
    assert calibrated.running_count == 0
    assert calibrated.last_calibration_date == NOW - timedelta(days=3)
    assert calibrated.next_calibration_date == NOW + timedelta(days=362)
    maintained = await wats.asset.record_maintenance("RIG-1")
    assert maintained.last_maintenance_date == NOW
    with pytest.raises(WATSValidationError):
        await wats.asset.increment_count("RIG-1", -1)
    with pytest.raises(WATSValidationError):
        await wats.asset.set_state("RIG-1", 42)
    with pytest.raises(WATSBadRequestError):
        await wats.asset.count_to_total("RIG-1", 1)  # counts only go up


async def test_log_and_messages(wats: AsyncWATS) -> None:
    kind = await _type(wats)
    assert kind.type_id is not None
    await wats.asset.create_asset("LOGGED-1", kind.type_id)
    logged = await wats.asset.add_message("LOGGED-1", "Dropped during move; checked, fine")
    assert logged.type == AssetLogType.MESSAGE
    await wats.asset.record_maintenance("LOGGED-1", comment="Cleaned")
    log = await wats.asset.get_log("LOGGED-1")
    assert [entry.kind for entry in log] == ["Maintenance", "Message", "Register"]
    assert log[1].comment == "Dropped during move; checked, fine"
    messages = await wats.asset.get_log("LOGGED-1", types=[AssetLogType.MESSAGE])
    assert len(messages) == 1
    seeded = await wats.asset.get_log(types=[AssetLogType.CALIBRATION], top=5)
    assert seeded and all(entry.type == 4 for entry in seeded)
    with pytest.raises(WATSValidationError):
        await wats.asset.add_message("LOGGED-1", "   ")


async def test_types(wats: AsyncWATS) -> None:
    kind = await _type(wats, "Oscilloscope")
    assert (await wats.asset.get_type("oscilloscope")) == kind
    assert kind.type_id is not None
    assert (await wats.asset.get_type(kind.type_id)) == kind
    kind.calibration_interval = 730
    assert (await wats.asset.save_type(kind)).calibration_interval == 730
    names = [t.type_name for t in await wats.asset.get_types()]
    assert names == sorted(names, key=str.lower) and "Pogo probe set" in names
    assert await wats.asset.get_type("No such type") is None
    with pytest.raises(WATSValidationError, match="warning_threshold"):
        await wats.asset.create_type("Bad", warning_threshold=90, alarm_threshold=80)


async def test_sub_assets(wats: AsyncWATS) -> None:
    kind = await _type(wats)
    assert kind.type_id is not None
    for serial, parent in (("S0", None), ("S1", "S0"), ("S2", "S1")):
        await wats.asset.create_asset(serial, kind.type_id, parent=parent)
    await wats.asset.create_asset("LOOSE", kind.type_id)
    assert [a.serial_number for a in await wats.asset.get_sub_assets("S0", level=1)] == ["S1"]
    await wats.asset.add_child_asset("S2", "LOOSE")
    assert [a.serial_number for a in await wats.asset.get_sub_assets("S0")] == ["S1", "S2", "LOOSE"]
    with pytest.raises(WATSBadRequestError):
        await wats.asset.add_child_asset("LOOSE", "S0")  # a loop


async def test_files(wats: AsyncWATS) -> None:
    kind = await _type(wats)
    assert kind.type_id is not None
    await wats.asset.create_asset("FILED-1", kind.type_id)
    content = b"%PDF-1.4\n" + bytes(range(256))
    await wats.asset.upload_file("FILED-1", "certificate.pdf", content)
    await wats.asset.upload_file("FILED-1", "notes.txt", b"ok")
    assert await wats.asset.list_files("FILED-1") == ["certificate.pdf", "notes.txt"]
    assert await wats.asset.download_file("FILED-1", "certificate.pdf") == content
    await wats.asset.delete_files("FILED-1", ["notes.txt"])
    assert await wats.asset.list_files("FILED-1") == ["certificate.pdf"]
    with pytest.raises(WATSNotFoundError):
        await wats.asset.download_file("FILED-1", "notes.txt")
    with pytest.raises(WATSValidationError):
        await wats.asset.upload_file("FILED-1", "../x", b"")
    with pytest.raises(WATSValidationError):
        await wats.asset.delete_files("FILED-1", [])


async def test_a_report_built_with_the_sdk_counts_its_assets(wats: AsyncWATS) -> None:
    before = await wats.asset.require_asset("FX-110-1")
    report = UUTBuilder(
        part_number="PCB-1001",
        revision="A",
        serial_number="AST-0001",
        process_code=110,
        station="ICT-01",
        location="Line 1",
        purpose="Production",
        operator="ola",
        start=NOW - timedelta(minutes=5),
    )
    report.asset("FX-110-1", usage_count=2).asset("PRB-110-1")
    with report.sequence("Power") as power:
        power.pass_fail("Fuse intact", True)
    report_id = await wats.report.submit(report.build())
    after = await wats.asset.require_asset("FX-110-1")
    assert after.total_count == (before.total_count or 0) + 2
    assert after.running_count == (before.running_count or 0) + 2
    fetched = await wats.report.get_report(report_id)
    assert fetched is not None and fetched.asset_stats is not None
    assert fetched.asset_stats[0].asset_sn == "FX-110-1"
