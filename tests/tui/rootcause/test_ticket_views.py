"""What a ticket opened from a report is prefilled with: the failing step in the subject."""

from __future__ import annotations

from tests.domains.report.sample_reports import repair_of, station_report
from tui.widgets.ticket_views import report_ticket_text


def test_a_failed_test_report_names_the_failing_step() -> None:
    subject, comment = report_ticket_text(station_report("SN-1", fail=True), "id-1")
    assert subject == "VCC 3V3 fails on PCB-1001 rev B"
    assert comment == "Power Up / VCC 3V3 failed on SN SN-1 at SDK-STATION."


def test_reports_without_a_failing_step_say_what_they_are() -> None:
    passed_subject, passed_comment = report_ticket_text(station_report("SN-2"), "id-2")
    assert passed_subject == "Passed process 120 on PCB-1001 rev B"
    assert passed_comment == "Report of SN SN-2 at SDK-STATION."
    repair = repair_of(station_report("SN-3", fail=True))
    repair_subject, repair_comment = report_ticket_text(repair, "id-3")
    assert repair_subject == "Repair of PCB-1001 rev B: Component / Damaged component"
    assert repair_comment == "Repair report of SN SN-3 at BENCH-1."
    assert report_ticket_text(None, "id-4") == (
        "Failure in report id-4",
        "Opened from report id-4.",
    )
