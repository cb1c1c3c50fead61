"""Reports built with the SDK's builders, as a station script would."""

from __future__ import annotations

from datetime import UTC, datetime

from pywats.domains.report.builder import UUTBuilder
from pywats.domains.report.reports import UURReport, UUTReport
from pywats.domains.report.uur_builder import UURBuilder

START = datetime(2026, 2, 3, 8, 30, 15, 123456, tzinfo=UTC)


def station_report(
    serial_number: str = "SDK-00001",
    *,
    fail: bool = False,
    part_number: str = "PCB-1001",
    start: datetime = START,
) -> UUTReport:
    """A functional test: power-up rails, a firmware string, bus checks and a ripple chart."""
    report = UUTBuilder(
        part_number=part_number,
        serial_number=serial_number,
        revision="B",
        process_code=120,
        station="SDK-STATION",
        location="Lab",
        purpose="Development",
        operator="script",
        start=start,
        fixture_id="FX-9",
    )
    with report.sequence("Power Up") as power:
        power.numeric("VCC 3V3", 3.52 if fail else 3.31, "V", low=3.135, high=3.465)
        power.numeric("Input Current", 0.18, "A", high=0.35)
    with report.sequence("Firmware") as firmware:
        firmware.string("Version", "2.5.0", limit="2.5.0")
        firmware.action("Program Flash").attach("flash.log", b"flash ok\n", "text/plain")
    with report.sequence("Communication") as comms:
        comms.pass_fail("UART Loopback", True)
        bus = comms.multi_pass_fail("Bus Scan")
        bus.measure("I2C", True)
        bus.measure("SPI", True)
        ripple = comms.chart(
            "Ripple",
            label="Output ripple",
            x_label="Time",
            x_unit="us",
            y_label="Ripple",
            y_unit="mV",
        )
        ripple.measure("Peak", 18.5, "mV", high=50)
        ripple.series("Out", [1.0, 3.5, 2.0, -1.5, 0.5])
    report.misc_info("Work Order", "WO-SDK-1")
    report.sub_unit("PCBA", part_number="PCB-1002", serial_number="IO-SDK-1", revision="A")
    return report.build()


def repair_of(uut: UUTReport) -> UURReport:
    repair = UURBuilder.from_uut(
        uut,
        repair_process_code=500,
        station="BENCH-1",
        location="Lab",
        purpose="Repair",
        operator="fixer",
        comment="Replaced U3",
    )
    failed = repair.failed_steps[0]
    repair.add_failure("Component", "Damaged component", step=failed, com_ref="U3")
    repair.attach("photo.txt", b"before/after", "text/plain")
    return repair.build()
