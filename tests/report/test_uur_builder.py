"""A repair report from a failed test: failures point at the test's failing steps."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import jsonschema
import pytest

from pywats.domains.report import UURReport, UUTReport, dump_wsjf, load_wsjf
from pywats.domains.report.uur_builder import UURBuilder
from pywats.domains.report.validation import ReportValidationError
from pywats.errors import WATSValidationError

from .factory import every_step_type
from .helpers import assert_same_text

WHEN = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)


@pytest.fixture
def failed_uut() -> UUTReport:
    return every_step_type().build()


def _repair(uut: UUTReport) -> UURBuilder:
    builder = UURBuilder.from_uut(
        uut,
        repair_process_code=500,
        station="RW-01",
        location="Line 1",
        purpose="Repair",
        operator="tech",
        comment="replaced regulator",
        start=WHEN,
    )
    builder.confirm_date = builder.finalize_date = WHEN
    builder.exec_time = 600.0
    return builder


def test_failed_steps_are_the_failure_origins(failed_uut: UUTReport) -> None:
    origins = _repair(failed_uut).failed_steps
    assert [(f.id, f.path) for f in origins] == [(7, "MainSequence Callback/Power/Rails")]


def test_repair_links_to_the_test_and_its_steps(
    failed_uut: UUTReport, strict_validator: jsonschema.Draft202012Validator
) -> None:
    builder = _repair(failed_uut)
    origin = builder.failed_steps[0]
    failure = builder.add_failure(
        "Component", "Burned Component", step=origin, com_ref="U7", comment="hot"
    )
    builder.attach("scope.png", b"\x89PNG", "image/png", failure=failure)
    builder.add_failure("Solder", "Bridge", step="MainSequence Callback/Power/VCC 3V3", unit=1)
    builder.attach("notes.txt", "checked rails")
    builder.misc_info("Bench", "3")
    report = builder.build()
    data = json.loads(dump_wsjf(report))
    strict_validator.validate(data)
    assert (data["type"], data["processCode"], data["result"]) == ("R", 500, "P")
    assert data["uur"] == {
        "comment": "replaced regulator",
        "user": "tech",
        "processCode": 50,
        "refUUT": failed_uut.id,
        "confirmDate": "2026-03-03T08:00:00+00:00",
        "finalizeDate": "2026-03-03T08:00:00+00:00",
        "execTime": 600.0,
    }
    main, psu = data["subUnits"]
    assert (main["idx"], main["partType"], main["sn"]) == (0, "Main", "SN-0001")
    assert main["failures"][0]["refStepId"] == 7
    assert main["failures"][0]["comRef"] == "U7"
    assert main["failures"][0]["attachments"][0]["name"] == "scope.png"
    assert (psu["idx"], psu["parentIdx"], psu["sn"]) == (1, 0, "PSU-123")
    assert psu["failures"][0]["refStepId"] == 3
    assert data["binaryData"][0]["name"] == "notes.txt"
    assert "root" not in data and "uut" not in data


def test_repair_round_trips_unchanged(failed_uut: UUTReport) -> None:
    builder = _repair(failed_uut)
    builder.add_failure("Component", "Burned Component", step=7)
    text = dump_wsjf(builder.build())
    again = load_wsjf(text)
    assert isinstance(again, UURReport)
    assert_same_text(dump_wsjf(again), text)


@pytest.mark.parametrize("step", [999, "MainSequence Callback/Nope"])
def test_unknown_step_is_refused_at_once(failed_uut: UUTReport, step: int | str) -> None:
    with pytest.raises(WATSValidationError) as caught:
        _repair(failed_uut).add_failure("Component", "Burned Component", step=step)
    assert caught.value.field == "refStepId"


def test_unknown_unit_is_refused(failed_uut: UUTReport) -> None:
    with pytest.raises(WATSValidationError, match="no sub unit with idx 5"):
        _repair(failed_uut).add_failure("Component", "Burned Component", unit=5)


def test_failure_needs_a_fail_code(failed_uut: UUTReport) -> None:
    builder = _repair(failed_uut)
    builder.add_failure("Component", " ", step=7)
    with pytest.raises(ReportValidationError) as caught:
        builder.build()
    assert caught.value.field == "subUnits[0].failures[0].code"


def test_repair_without_a_test_report() -> None:
    builder = UURBuilder(
        part_number="P",
        serial_number="S",
        revision="1",
        repair_process_code=500,
        test_process_code=None,
        station="RW",
        location="L",
        purpose="Repair",
    )
    assert builder.failed_steps == []
    with pytest.raises(ReportValidationError) as caught:
        builder.build()
    assert caught.value.field == "uur.processCode"


def test_failure_origins_of_the_server_export(sample_text: str) -> None:
    uut = load_wsjf(sample_text)
    assert isinstance(uut, UUTReport) and uut.uut is not None
    builder = _repair(uut)
    first = builder.failed_steps[0]
    assert first.id == uut.uut.step_id_caused_uut_failure == 5
    assert first.path == "MainSequence Callback/Numeric tests/SingleEQFail"
    builder.add_failure("Component", "Wrong value", step=first.path, com_ref="R5")
    report = builder.build()
    assert report.sub_units is not None and report.sub_units[0].failures is not None
    assert report.sub_units[0].failures[0].ref_step_id == 5
    assert [unit.part_type for unit in report.sub_units] == ["Main", "PCBA", "MODULE"]
