"""Processes over real loopback HTTP (uvicorn): public and internal endpoints, async and sync."""

from __future__ import annotations

import pytest

from pywats import AsyncWATS, SyncWATS
from pywats.domains.process import ProcessType
from pywats.emulator.runner import EmulatorServer

pytestmark = pytest.mark.e2e


async def test_processes_over_http(emulator_server: EmulatorServer) -> None:
    async with AsyncWATS(**emulator_server.sdk_kwargs()) as wats:
        repair = await wats.process.get_processes_of_type(ProcessType.REPAIR)
        assert [p.code for p in repair] == [500, 510]
        codes = await wats.process.get_fail_codes("RMA repair")
        assert "Cold joint" in [code.code for code in codes]
        detailed = await wats.process.get_processes_detailed()  # internal: needs the Referer
        assert await wats.process.get_process_detail(detailed[0].process_id) == detailed[0]
        levels = await wats.process.get_levels()
        assert levels[0].level_name == "PCBA"


def test_processes_sync_over_http(emulator_server: EmulatorServer) -> None:
    with SyncWATS(**emulator_server.sdk_kwargs()) as wats:
        assert wats.process.get_default_test_code() == 100
        assert sorted(wats.process.get_repair_operation_configs()) == [500, 510, 520]
