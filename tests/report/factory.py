"""A builder-made report with every step type, shared by several tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pywats.domains.report.builder import UUTBuilder

START = datetime(2026, 3, 2, 9, 30, 15, 250000, tzinfo=timezone(timedelta(hours=1)))


def header(**overrides: object) -> UUTBuilder:
    options: dict[str, object] = {
        "part_number": "PCBA-100",
        "serial_number": "SN-0001",
        "revision": "B",
        "process_code": 50,
        "station": "ICT-01",
        "location": "Line 1",
        "purpose": "Production",
        "operator": "ola",
        "start": START,
        "report_id": "6f1c7a52-8d1e-4c3b-9a0f-2b7e5d4c3a21",
    }
    options.update(overrides)
    builder = UUTBuilder(**options)  # type: ignore[arg-type]
    builder.exec_time = 12.5
    return builder


def every_step_type(*, failing: bool = True) -> UUTBuilder:
    """Sequences, single and multiple numeric/pass-fail/string steps, a chart, an executable,
    a message popup, generic steps, an attachment, misc infos, sub units and an asset."""
    report = header(fixture_id="FX-7", batch_serial_number="B-42", test_socket_index=0)
    report.comment = "nightly"
    with report.sequence("Power", path="power.seq", version="1.2") as power:
        power.numeric("VCC 3V3", 3.31, "V", low=3.2, high=3.4)
        power.numeric("Current", 0.12, "A", high=0.5)
        power.numeric("Log only", 42.0)
        power.pass_fail("Fuse intact", True)
        rails = power.multi_numeric("Rails")
        rails.measure("5V", 5.02, "V", low=4.9, high=5.1)
        rails.measure("12V", 11.2 if failing else 12.0, "V", low=11.5, high=12.5)
    with report.sequence("Identity") as identity:
        identity.string("Firmware", "1.4.2", limit="1.4.2")
        identity.string("Vendor", "acme", limit="ACME", comp="IGNORECASE")
        checks = identity.multi_string("Labels")
        checks.measure("Front", "OK", limit="OK")
        checks.measure("Back", "ok", limit="OK", comp="IGNORECASE")
        flags = identity.multi_pass_fail("Self test")
        flags.measure("RAM", True).measure("Flash", True)
    with report.sequence("Signals") as signals:
        ripple = signals.chart(
            "Ripple", label="Ripple on 5V", x_label="Time", x_unit="ms", y_label="V", y_unit="mV"
        )
        ripple.series("5V", [1.0, 2.5, 1.5, 2.0]).series("limit", [5, 5], x=[0, 3])
        ripple.measure(None, 2.5, "mV", high=5.0)
        signals.call_exe("Flash firmware", 0)
        signals.message_popup("Check LED", 1, "Green")
        signals.action("Wait for boot", step_type="NI_Wait").attach(
            "boot.log", b"booted in 1.2 s\n", "text/plain"
        )
        signals.action("Note", step_type="Label", report_text="all done")
    report.misc_info("Firmware", "1.4.2").misc_info("Build", numeric=1042)
    report.sub_unit("PSU", part_number="PSU-9", serial_number="PSU-123", revision="A", position=1)
    report.asset("DMM-0042", usage_count=1)
    return report
