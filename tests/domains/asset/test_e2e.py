"""Assets over real loopback HTTP (uvicorn), async and sync, internal file endpoints included
(issue 14, acceptance 2)."""

from __future__ import annotations

import pytest

from pywats import AsyncWATS, SyncWATS
from pywats.domains.asset import AlarmState
from pywats.emulator.runner import EmulatorServer

pytestmark = pytest.mark.e2e


async def test_assets_over_http(emulator_server: EmulatorServer) -> None:
    async with AsyncWATS(**emulator_server.sdk_kwargs()) as wats:
        alarm = await wats.asset.assets_in_alarm()
        assert [o.asset.serial_number for o in alarm] == ["PSU-E3631-05"]
        assert alarm[0].status.alarm_state is AlarmState.ALARM
        fixture = await wats.asset.require_asset("FX-150-1")
        children = await wats.asset.get_sub_assets(fixture)
        assert [c.serial_number for c in children] == ["DMM-34461-01", "PSU-E3631-04"]
        before = fixture.total_count or 0
        assert (await wats.asset.increment_count(fixture, 2)).total_count == before + 2
        await wats.asset.upload_file("FX-150-1", "drawing.txt", b"rev C")  # needs the Referer
        assert await wats.asset.download_file(fixture, "drawing.txt") == b"rev C"
        dmm = await wats.asset.require_asset("DMM-34461-01")
        assert await wats.asset.list_files(dmm) == [
            f"calibration-{dmm.last_calibration_date:%Y-%m-%d}.txt"
        ]


def test_assets_sync_over_http(emulator_server: EmulatorServer) -> None:
    with SyncWATS(**emulator_server.sdk_kwargs()) as wats:
        due = wats.asset.assets_due(7)
        assert [o.asset.serial_number for o in due] == [
            "PSU-E3631-05",
            "DMM-34461-03",
            "PSU-E3631-03",
        ]
        calibrated = wats.asset.record_calibration("PSU-E3631-05", comment="Back from the lab")
        assert calibrated.running_count == 0
        assert wats.asset.get_status("PSU-E3631-05").alarm_state is AlarmState.OK
