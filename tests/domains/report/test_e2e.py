"""Acceptance 4: a station script's whole path over real loopback HTTP to a uvicorn emulator."""

from __future__ import annotations

import pytest

from pywats import AsyncWATS, SyncWATS
from pywats.domains.report import UURReport, UUTReport
from pywats.emulator.runner import EmulatorServer
from tests.domains.report.sample_reports import repair_of, station_report

pytestmark = pytest.mark.e2e


def outline(report: UUTReport) -> list[tuple[object, ...]]:
    """Every step's path, type and status with its measured values and limits."""
    return [
        (path, step.step_type, step.status,
         [(m.value, m.low_limit, m.high_limit, m.unit, m.comp_op) for m in step.numeric_meas or []],
         [(m.value, m.limit) for m in step.string_meas or []],
         [m.status for m in step.boolean_meas or []])
        for path, step in report.walk()
    ]  # fmt: skip


async def test_build_submit_query_and_read_back(emulator_server: EmulatorServer) -> None:
    async with AsyncWATS(emulator_server.url, emulator_server.token) as wats:
        built = station_report("E2E-00001", fail=True)
        assert await wats.report.submit(built) == built.id

        headers = await wats.report.find_headers(serial_number="E2E-00001")
        assert [(h.uuid, h.result, h.caused_uut_failure) for h in headers] == [
            (built.id, "Failed", "VCC 3V3")
        ]
        fetched = await wats.report.get_report(headers[0].uuid or "")
        assert isinstance(fetched, UUTReport)
        assert outline(fetched) == outline(built)
        assert fetched.process_name == "Functional test"  # the server's addition

        repair = repair_of(fetched)
        await wats.report.submit(repair)
        history = await wats.report.get_headers_by_serial("E2E-00001")
        assert [h.report_type for h in history] == ["R", "T"]  # newest first
        read = await wats.report.get_report(repair.id or "")
        assert isinstance(read, UURReport) and read.uur is not None
        assert read.uur.ref_uut == built.id


def test_sync_script_over_loopback(emulator_server: EmulatorServer) -> None:
    with SyncWATS(emulator_server.url, emulator_server.token) as wats:
        built = station_report("E2E-00002")
        report_id = wats.report.submit(built)
        assert [h.uuid for h in wats.report.get_headers_by_serial("E2E-00002")] == [report_id]
        fetched = wats.report.get_report(report_id)
        assert fetched is not None and fetched.serial_number == "E2E-00002"
