"""A builder-made report holding everything WSXF carries (no attachments or assets)."""

from __future__ import annotations

from pywats.domains.report import UUTReport

from .factory import header


def wsxf_report(*, serial: str = "SN-0001", failing: bool = True) -> UUTReport:
    report = header(fixture_id="FX-7", batch_serial_number="B-42", test_socket_index=0,
                    serial_number=serial)  # fmt: skip
    report.comment = "nightly <run> & more"
    with report.sequence("Power", path="power.seq", version="1.2") as power:
        power.numeric("VCC 3V3", 3.31, "V", low=3.2, high=3.4)
        power.numeric("Current", 0.12, "A", high=0.5)
        power.numeric("Log only", 4.55e-05)
        power.pass_fail("Fuse intact", True)
        rails = power.multi_numeric("Rails")
        rails.measure("5V", 5.02, "V", low=4.9, high=5.1)
        rails.measure("12V", 11.2 if failing else 12.0, "V", low=11.5, high=12.5)
    with report.sequence("Identity") as identity:
        identity.string("Firmware", "1.4.2", limit="1.4.2")
        identity.string("Vendor", "acme", limit="ACME", comp="IGNORECASE")
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
        signals.action("Note", step_type="Label", report_text="line 1\nline <2>")
    report.misc_info("Firmware", "1.4.2").misc_info("Build", numeric=1042)
    report.sub_unit("PSU", part_number="PSU-9", serial_number="PSU-123", revision="A", position=1)
    return report.build()
