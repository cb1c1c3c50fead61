"""Acceptance 2 (builder) and the builder half of acceptance 1 (round trip)."""

from __future__ import annotations

import json

import jsonschema
import pytest

from pywats.domains.report import NumericCompOp, StepStatus, UUTReport, dump_wsjf, load_wsjf

from .factory import every_step_type, header
from .helpers import assert_same_text


def _steps(report: UUTReport) -> dict[str, object]:
    return {path: step for path, step in report.walk()}


def test_every_step_type_validates_against_the_server_schema(
    strict_validator: jsonschema.Draft202012Validator,
) -> None:
    report = every_step_type().build()
    data = json.loads(dump_wsjf(report))
    strict_validator.validate(data)
    types = {step.step_type for _, step in report.walk()}
    assert types == {
        "SequenceCall",
        "ET_NLT",
        "ET_MNLT",
        "ET_PFT",
        "ET_MPFT",
        "ET_SVT",
        "ET_MSVT",
        "WATS_XYGMNLT",
        "CallExecutable",
        "MessagePopup",
        "NI_Wait",
        "Label",
    }


def test_schema_check_catches_nulls_and_unknown_keys(
    strict_validator: jsonschema.Draft202012Validator,
) -> None:
    # Guards the test above against a schema that would accept anything.
    data = json.loads(dump_wsjf(every_step_type().build()))
    data["root"]["steps"][0]["steps"][0]["numericMeas"][0]["name"] = None
    with pytest.raises(jsonschema.ValidationError):
        strict_validator.validate(data)
    data = json.loads(dump_wsjf(every_step_type().build()))
    data["root"]["bogus"] = 1
    with pytest.raises(jsonschema.ValidationError):
        strict_validator.validate(data)


def test_built_report_round_trips_unchanged() -> None:
    text = dump_wsjf(every_step_type().build())
    again = load_wsjf(text)
    assert isinstance(again, UUTReport)
    assert_same_text(dump_wsjf(again), text)
    assert dump_wsjf(again) == text


def test_build_is_repeatable() -> None:
    builder = every_step_type()
    assert dump_wsjf(builder.build()) == dump_wsjf(builder.build())


def test_header_maps_script_names_to_wsjf() -> None:
    data = json.loads(dump_wsjf(every_step_type().build()))
    assert {key: data[key] for key in ("type", "pn", "sn", "rev", "processCode")} == {
        "type": "T",
        "pn": "PCBA-100",
        "sn": "SN-0001",
        "rev": "B",
        "processCode": 50,
    }
    assert (data["machineName"], data["location"], data["purpose"]) == (
        "ICT-01",
        "Line 1",
        "Production",
    )
    assert data["start"] == "2026-03-02T09:30:15.250000+01:00"
    assert data["startUTC"] == "2026-03-02T08:30:15.250000Z"
    assert data["uut"] == {
        "execTime": 12.5,
        "testSocketIndex": 0,
        "batchSN": "B-42",
        "comment": "nightly",
        "fixtureId": "FX-7",
        "user": "ola",
        "stepIdCausedUUTFailure": data["uut"]["stepIdCausedUUTFailure"],
    }
    assert data["miscInfos"] == [
        {"description": "Firmware", "text": "1.4.2"},
        {"description": "Build", "numeric": 1042},
    ]
    assert data["subUnits"] == [
        {"partType": "PSU", "pn": "PSU-9", "rev": "A", "sn": "PSU-123", "position": 1}
    ]
    assert data["assets"] == [{"assetSN": "DMM-0042", "usageCount": 1}]
    assert data["additionalData"] == []
    assert "binaryData" not in data


def test_step_ids_run_in_pre_order_from_one() -> None:
    report = every_step_type().build()
    assert [step.id for _, step in report.walk()] == list(range(1, len(report.walk()) + 1))


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"low": 1.0, "high": 2.0}, ("GELE", 1.0, 2.0)),
        ({"low": 1.0}, ("GE", 1.0, None)),
        ({"high": 2.0}, ("LE", 2.0, None)),  # the single limit always goes in lowLimit
        ({}, ("LOG", None, None)),
        ({"comp": "LT", "high": 2.0}, ("LT", 2.0, None)),
        ({"comp": "eq", "low": 1.5}, ("EQ", 1.5, None)),
        ({"comp": NumericCompOp.LTGT, "low": 1.0, "high": 2.0}, ("LTGT", 1.0, 2.0)),
    ],
)
def test_numeric_operator_and_limits_on_the_wire(
    options: dict[str, object], expected: tuple[str, float | None, float | None]
) -> None:
    builder = header()
    builder.root.numeric("x", 1.5, "V", **options)  # type: ignore[arg-type]
    step = builder.build().walk()[1][1]
    assert step.numeric_meas is not None
    meas = step.numeric_meas[0]
    assert (meas.comp_op, meas.low_limit, meas.high_limit) == expected
    assert "name" not in meas.model_fields_set  # single steps leave the name out
    assert isinstance(meas.value, float)


def test_caused_uut_failure_marks_the_first_failing_step() -> None:
    report = every_step_type().build()
    flagged = [(path, step.id) for path, step in report.walk() if step.caused_uut_failure]
    assert flagged == [("MainSequence Callback/Power/Rails", 7)]
    assert report.uut is not None and report.uut.step_id_caused_uut_failure == 7
    assert all(step.caused_uut_failure is not None for _, step in report.walk())


def test_passing_report_has_no_failure_step() -> None:
    report = every_step_type(failing=False).build()
    assert report.result == "P"
    assert report.uut is not None
    assert "step_id_caused_uut_failure" not in report.uut.model_fields_set
    assert not any(step.caused_uut_failure for _, step in report.walk())


def test_chart_series_and_payloads() -> None:
    steps = _steps(every_step_type().build())
    chart_step = steps["MainSequence Callback/Signals/Ripple"]
    chart = chart_step.chart  # type: ignore[attr-defined]
    assert chart.chart_type == "Line" and chart.y_unit == "mV"
    assert [(s.xdata, s.ydata) for s in chart.series] == [
        ("0;1;2;3", "1;2.5;1.5;2"),
        ("0;3", "5;5"),
    ]
    exe = steps["MainSequence Callback/Signals/Flash firmware"]
    assert exe.call_exe.exit_code == 0.0  # type: ignore[attr-defined]
    popup = steps["MainSequence Callback/Signals/Check LED"]
    assert (popup.message_popup.button, popup.message_popup.response) == (1, "Green")  # type: ignore[attr-defined]
    wait = steps["MainSequence Callback/Signals/Wait for boot"]
    assert wait.attachment.content() == b"booted in 1.2 s\n"  # type: ignore[attr-defined]
    assert wait.attachment.content_type == "text/plain"  # type: ignore[attr-defined]


def test_sequence_block_times_itself_and_records_errors() -> None:
    builder = header()
    with pytest.raises(RuntimeError), builder.sequence("Boom") as boom:
        boom.numeric("ok", 1.0, low=0.0)
        raise RuntimeError("fixture lost vacuum")
    report = builder.build()
    step = report.walk()[1][1]
    assert step.status == StepStatus.ERROR
    assert step.error_message == "RuntimeError: fixture lost vacuum"
    assert step.start is not None and step.tot_time is not None and step.tot_time >= 0
    assert report.result == "E"
