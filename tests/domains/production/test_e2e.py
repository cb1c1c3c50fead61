"""The production domain end to end over real loopback HTTP (uvicorn), async and sync."""

from __future__ import annotations

import pytest

from pywats import AsyncWATS, SyncWATS
from pywats.domains.production import Unit, UnitPhaseFlag
from pywats.emulator import EmulatorServer

pytestmark = pytest.mark.e2e


async def test_a_station_day_over_loopback(emulator_server: EmulatorServer) -> None:
    async with AsyncWATS(emulator_server.url, emulator_server.token) as wats:
        [serial] = await wats.production.take_serial_numbers("BoardSN", 1, station_name="ICT-01")
        await wats.production.save_unit(
            Unit(serial_number=serial, part_number="PCB-1002", revision="B")
        )
        await wats.production.set_unit_phase(serial, "PCB-1002", UnitPhaseFlag.FINALIZED)
        await wats.production.save_unit(
            Unit(serial_number="CM-E2E", part_number="MOD-4100", revision="1.1")
        )
        await wats.production.add_child_unit("CM-E2E", "MOD-4100", serial, "PCB-1002")
        tree = await wats.production.get_assembly_tree("CM-E2E", "MOD-4100")
        assert tree is not None and tree.find(serial) is not None
        unit = await wats.production.get_unit(serial, "PCB-1002")
        assert unit is not None and unit.parent_serial_number == "CM-E2E"


def test_sync_client_over_loopback(emulator_server: EmulatorServer) -> None:
    with SyncWATS(emulator_server.url, emulator_server.token) as wats:
        wats.production.set_unit_phase("SY-00001", "SYS-9000", "Shipped")
        tree = wats.production.get_assembly_tree("SY-00001", "SYS-9000")
        assert tree is not None and tree.unit_phase == "Shipped" and tree.depth == 3
