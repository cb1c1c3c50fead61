"""Analytics over real loopback HTTP (uvicorn): one test per family of operations."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pywats import AsyncWATS, SyncWATS, UUTBuilder
from pywats.domains.analytics import Dimension, WATSFilter
from pywats.emulator import EmulatorServer

pytestmark = pytest.mark.e2e

SINCE = datetime(2020, 1, 1, tzinfo=UTC)


async def test_yield_moves_when_a_report_is_submitted(emulator_server: EmulatorServer) -> None:
    async with AsyncWATS(emulator_server.url, emulator_server.token) as wats:
        flt = WATSFilter(part_number="PCB-1001", date_from=SINCE,
                         dimensions=[Dimension.PART_NUMBER])  # fmt: skip
        [before] = await wats.analytics.get_dynamic_yield(flt)
        report = UUTBuilder(
            part_number="PCB-1001",
            revision="A",
            serial_number="E2E-0001",
            process_code=110,
            station="ICT-01",
            location="Line 1",
            purpose="Production",
            start=datetime(2025, 12, 31, 10, tzinfo=UTC),
        )
        with report.sequence("Power") as power:
            power.numeric("VCC 3V3", 3.0, "V", low=3.2, high=3.4)
        await wats.report.submit(report.build())
        [after] = await wats.analytics.get_dynamic_yield(flt)
        assert after.unit_count == (before.unit_count or 0) + 1
        assert after.fp_count == before.fp_count  # it failed


async def test_failures_and_steps(emulator_server: EmulatorServer) -> None:
    async with AsyncWATS(emulator_server.url, emulator_server.token) as wats:
        steps = await wats.analytics.get_top_failed(days=400, count=5)
        assert len(steps) == 5 and all((s.fail_count or 0) > 0 for s in steps)
        step = steps[0]
        assert step.part_number
        rows = await wats.analytics.get_test_step_analysis_for_operation(
            step.part_number, "Functional test", days=400
        )
        assert rows


def test_measurements_sync(emulator_server: EmulatorServer) -> None:
    with SyncWATS(emulator_server.url, emulator_server.token) as wats:
        flt = WATSFilter(part_number="PCB-1001", test_operation="120", date_from=SINCE)
        stats = wats.analytics.get_aggregated_measurements(
            flt, "MainSequence Callback/Power Up/VCC 3V3"
        )
        values = wats.analytics.get_measurements(flt, "MainSequence Callback/Power Up/VCC 3V3")
        assert stats and stats[0].count == len(values) > 0


def test_oee_and_repair_and_report_lists_sync(emulator_server: EmulatorServer) -> None:
    with SyncWATS(emulator_server.url, emulator_server.token) as wats:
        assert wats.analytics.get_oee_analysis(WATSFilter(date_from=SINCE)) is not None
        assert wats.analytics.get_dynamic_repair(WATSFilter(date_from=SINCE))
        assert wats.analytics.get_uut_reports(status="Failed")
        assert wats.analytics.get_uur_reports()
