"""The app wired to a fresh in-process emulator for the Units and Serial numbers screens, and
units to scan: a failed one found in the seeded data, a passing one made for the test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pywats import AsyncWATS, UUTBuilder
from pywats.domains.production import Unit
from pywats.domains.report.query import ReportHeader
from pywats.emulator.testing import InProcessEmulator
from tui.app import WATSApp

UnitsAppFactory = Callable[[], WATSApp]


@pytest.fixture
def units_app(
    emulator: InProcessEmulator, tmp_path: Path, start_screen: str | None
) -> UnitsAppFactory:
    def client(url: str, token: str, *, max_retries: int | None = None) -> AsyncWATS:
        return AsyncWATS(url, token, transport=emulator.transport(), max_retries=0)

    def build() -> WATSApp:
        return WATSApp(
            url=emulator.base_url,
            token=emulator.token,
            config_path=tmp_path / "pywats.toml",
            client_factory=client,
            screen=start_screen,
        )

    return build


@dataclass(frozen=True)
class FailedUnit:
    """A seeded unit whose last test failed: its serial, part number and that report."""

    serial_number: str
    part_number: str
    report: ReportHeader


@pytest.fixture
async def failed_unit(emulator: InProcessEmulator) -> FailedUnit:
    """Found in the seeded data (not hard-coded): the newest failed test whose unit exists,
    whose serial number only one product uses, and which is the unit's last test."""
    async with AsyncWATS(**emulator.sdk_kwargs()) as wats:
        for header in await wats.report.get_headers_by_result("Failed", top=100):
            serial, part = header.serial_number or "", header.part_number or ""
            if header.is_repair or not header.caused_uut_failure_path:
                continue
            if await wats.production.find_part_numbers(serial) != [part]:
                continue
            if await wats.production.get_unit(serial, part) is None:
                continue
            tests = await wats.report.get_headers_by_serial(serial, report_type="T")
            if tests and tests[0].uuid == header.uuid:
                return FailedUnit(serial, part, header)
    raise AssertionError("the seeded data has no failed unit")


async def _tested_unit(
    wats: AsyncWATS,
    serial: str,
    part: str,
    *,
    process_code: int,
    station: str,
    tests: int = 1,
    start: datetime | None = None,
) -> None:
    """Save the unit (revision A), then submit ``tests`` passing Power tests of it."""
    await wats.production.save_unit(Unit(serial_number=serial, part_number=part, revision="A"))
    for _ in range(tests):
        report = UUTBuilder(
            part_number=part,
            revision="A",
            serial_number=serial,
            process_code=process_code,
            station=station,
            location="Line 1",
            purpose="Production",
            operator="ola",
            start=start,
        )
        with report.sequence("Power") as power:
            power.numeric("VCC 3V3", 3.31, "V", low=3.2, high=3.4)
        await wats.report.submit(report.build())


@pytest.fixture
async def passing_unit(emulator: InProcessEmulator) -> str:
    """PU-00001 (PCB-1001), tested twice at ICT-01, passed both times."""
    async with AsyncWATS(**emulator.sdk_kwargs()) as wats:
        await _tested_unit(
            wats, "PU-00001", "PCB-1001", process_code=110, station="ICT-01", tests=2
        )
    return "PU-00001"


@pytest.fixture
async def shared_serial(emulator: InProcessEmulator) -> None:
    """MB-00001 is also a PCB-1002 (another product's label run), tested on FCT-09."""
    async with AsyncWATS(**emulator.sdk_kwargs()) as wats:
        await _tested_unit(
            wats,
            "MB-00001",
            "PCB-1002",
            process_code=120,
            station="FCT-09",
            start=datetime(2025, 12, 30, 9, 0, tzinfo=UTC),  # the same in every snapshot
        )
