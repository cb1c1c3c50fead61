"""Acceptance 2 (bad input): clear errors naming the step path and the JSON field."""

from __future__ import annotations

import json
import math

import pytest

from pywats.domains.report import UUTReport, dump_wsjf, load_wsjf
from pywats.domains.report.validation import ReportValidationError, check_report
from pywats.errors import ReportFormatError, WATSValidationError

from .factory import header

VCC = "MainSequence Callback/Power/VCC 3V3"


def _problem(builder_change: str) -> ReportValidationError:
    builder = header(**({"serial_number": ""} if builder_change == "no sn" else {}))
    with builder.sequence("Power") as power:
        if builder_change == "reversed":
            power.numeric("VCC 3V3", 3.3, "V", low=3.4, high=3.2)
        elif builder_change == "unknown op":
            power.numeric("VCC 3V3", 3.3, "V", low=3.2, comp="ABOUT")
        elif builder_change == "nan":
            power.numeric("VCC 3V3", math.nan, "V", low=3.2, high=3.4)
        elif builder_change == "inf limit":
            power.numeric("VCC 3V3", 3.3, "V", low=-math.inf, high=3.4)
        else:
            power.numeric("VCC 3V3", 3.3, "V", low=3.2, high=3.4)
    with pytest.raises(ReportValidationError) as caught:
        builder.build()
    return caught.value


def test_missing_serial_number() -> None:
    error = _problem("no sn")
    assert (error.path, error.field) == ("report", "sn")
    assert "report: sn: missing serial number" in str(error)


def test_limits_reversed_names_step_and_field() -> None:
    error = _problem("reversed")
    assert (error.path, error.field) == (VCC, "numericMeas[0].lowLimit")
    assert "limits reversed: low limit 3.4 is above high limit 3.2" in str(error)


def test_unknown_comparison_operator() -> None:
    error = _problem("unknown op")
    assert (error.path, error.field) == (VCC, "numericMeas[0].compOp")
    assert "unknown comparison operator 'ABOUT'" in str(error)


def test_nan_value() -> None:
    error = _problem("nan")
    assert (error.path, error.field) == (VCC, "numericMeas[0].value")
    assert "nan is not allowed" in str(error)


def test_infinite_limit() -> None:
    error = _problem("inf limit")
    assert (error.path, error.field) == (VCC, "numericMeas[0].lowLimit")


def test_error_is_a_validation_error_listing_every_problem() -> None:
    builder = header(serial_number=" ", station="")
    builder.root.numeric("a", 1.0, low=2.0, high=1.0)
    builder.root.string("b", "x", comp="SOUNDSLIKE")
    multi = builder.root.multi_numeric("c")
    multi.measure("same", 1.0).measure("same", 2.0).measure("", 3.0)
    with pytest.raises(WATSValidationError) as caught:
        builder.validate()
    error = caught.value
    assert isinstance(error, ReportValidationError) and isinstance(error, ValueError)
    assert [(issue.path, issue.field) for issue in error.issues] == [
        ("report", "sn"),
        ("report", "machineName"),
        ("MainSequence Callback/a", "numericMeas[0].lowLimit"),
        ("MainSequence Callback/b", "stringMeas[0].compOp"),
        ("MainSequence Callback/c", "numericMeas[1].name"),
        ("MainSequence Callback/c", "numericMeas[2].name"),
    ]
    assert str(error).startswith("report is not valid (6 problems):\n  report: sn: missing")


def test_build_without_validation_returns_the_report() -> None:
    builder = header(serial_number="")
    report = builder.build(validate=False)
    assert report.serial_number == ""
    assert [issue.field for issue in check_report(report)] == ["sn"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"comp": "GELE", "low": 1.0}, "numericMeas[0].highLimit"),
        ({"comp": "GT"}, "numericMeas[0].lowLimit"),
        ({"comp": "GE", "low": 1.0, "high": 2.0}, "numericMeas[0].highLimit"),
    ],
)
def test_missing_limits(change: dict[str, object], field: str) -> None:
    builder = header()
    builder.root.numeric("v", 1.0, **change)  # type: ignore[arg-type]
    with pytest.raises(ReportValidationError) as caught:
        builder.build()
    assert (caught.value.path, caught.value.field) == ("MainSequence Callback/v", field)


def test_string_limit_required_unless_log() -> None:
    builder = header()
    builder.root.string("s", "x", comp="CASESENSIT")
    with pytest.raises(ReportValidationError) as caught:
        builder.build()
    assert caught.value.field == "stringMeas[0].limit"


def test_single_step_status_must_match_its_measurement(sample_text: str) -> None:
    # The two steps the server refused when this very export was posted back.
    report = load_wsjf(sample_text)
    assert [(issue.path.rsplit("/", 1)[-1], issue.field) for issue in check_report(report)] == [
        ("SinglePassDone", "status"),
        ("PassFailStep", "status"),
    ]


def test_chart_series_lengths_must_match() -> None:
    builder = header()
    builder.root.chart("c").series("s", [1.0, 2.0], x=[0.0])
    with pytest.raises(ReportValidationError) as caught:
        builder.build()
    assert caught.value.field == "chart.series[0].xdata"


# --- reading WSJF --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "not a WSJF report object"),
        (b"[1, 2]", "not a WSJF report object"),
        ("{}", "report has no 'type' key"),
        ('{"type": "X"}', "report has type 'X'; expected 'T' (test) or 'R' (repair)"),
        ({"type": "T", "processCode": "abc"}, "processCode: Input should be a valid integer"),
        (
            {"type": "T", "root": {"steps": [{"id": "one"}]}},
            "root.steps[0].id: Input should be a valid integer",
        ),
        ({"type": "R", "subUnits": {"idx": 0}}, "subUnits: Input should be a valid list"),
    ],
)
def test_bad_wsjf_raises_report_format_error(data: object, message: str) -> None:
    with pytest.raises(ReportFormatError) as caught:
        load_wsjf(data)  # type: ignore[arg-type]
    assert message in str(caught.value)


def test_wrong_input_type() -> None:
    with pytest.raises(ReportFormatError, match="expected WSJF as str, bytes or dict, got int"):
        load_wsjf(42)  # type: ignore[arg-type]
    with pytest.raises(ReportFormatError, match="expected a UUTReport or UURReport"):
        dump_wsjf(json.loads("{}"))  # type: ignore[arg-type]


def test_report_format_error_counts_further_problems() -> None:
    with pytest.raises(ReportFormatError, match=r"and 1 more problems"):
        load_wsjf({"type": "T", "processCode": "a", "uut": {"errorCode": "b"}})


def test_model_constructed_in_code_says_its_type() -> None:
    assert json.loads(dump_wsjf(UUTReport(serial_number="x"))) == {"type": "T", "sn": "x"}
