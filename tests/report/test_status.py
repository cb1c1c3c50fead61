"""Status propagation: from measurement to step to sequence to report, and explicit overrides."""

from __future__ import annotations

import pytest

from pywats.domains.report import (
    NumericCompOp,
    ReportResult,
    StepStatus,
    StringCompOp,
    UUTReport,
    load_wsjf,
)
from pywats.domains.report.limits import numeric_passes, string_passes
from pywats.domains.report.status import report_result, sequence_status, step_status

from .factory import header


def _sample(sample_text: str) -> UUTReport:
    report = load_wsjf(sample_text)
    assert isinstance(report, UUTReport)
    return report


def test_numeric_operators_agree_with_the_server_export(sample_text: str) -> None:
    # The export has a passing and a failing case for every operator; statuses are the server's.
    checked = 0
    for _, step in _sample(sample_text).walk():
        for meas in step.numeric_meas or ():
            assert isinstance(meas.comp_op, NumericCompOp) and meas.value is not None
            passed = numeric_passes(meas.comp_op, meas.value, meas.low_limit, meas.high_limit)
            assert passed == (meas.status == "P"), (step.name, meas.name)
            checked += 1
    assert checked > 60


def test_string_operators_agree_with_the_server_export(sample_text: str) -> None:
    for _, step in _sample(sample_text).walk():
        for meas in step.string_meas or ():
            op = StringCompOp.lookup(str(meas.comp_op))
            assert op is not None and meas.value is not None
            assert string_passes(op, meas.value, meas.limit) == (meas.status == "P"), step.name


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], "D"),
        (["P", "P"], "P"),
        (["P", "F", "S"], "F"),
        (["S", "S"], "S"),
        (["S", "P"], "P"),
    ],
)
def test_step_status_from_measurements(statuses: list[str], expected: str) -> None:
    assert step_status(statuses) == expected


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], "P"),
        (["P", "D", "S", "U"], "P"),
        (["P", "F"], "F"),
        (["F", "E"], "E"),
        (["E", "T", "F"], "T"),
    ],
)
def test_sequence_status_takes_the_most_severe_child(statuses: list[str], expected: str) -> None:
    assert sequence_status(statuses) == expected


@pytest.mark.parametrize(
    ("root", "expected"),
    [("P", "P"), ("F", "F"), ("E", "E"), ("T", "T"), ("D", "P"), ("S", "P"), (None, "P")],
)
def test_report_result_from_root(root: str | None, expected: str) -> None:
    assert report_result(root) == expected


def _statuses(report: UUTReport) -> dict[str, str]:
    return {path: str(step.status) for path, step in report.walk()}


def test_failure_propagates_to_sequence_and_result() -> None:
    builder = header()
    with builder.sequence("Outer") as outer:
        with outer.sequence("Inner") as inner:
            inner.numeric("v", 5.0, low=0.0, high=1.0)
        outer.pass_fail("ok", True)
        outer.action("note")
    report = builder.build()
    assert _statuses(report) == {
        "MainSequence Callback": "F",
        "MainSequence Callback/Outer": "F",
        "MainSequence Callback/Outer/Inner": "F",
        "MainSequence Callback/Outer/Inner/v": "F",
        "MainSequence Callback/Outer/ok": "P",
        "MainSequence Callback/Outer/note": "D",
    }
    assert report.result == ReportResult.FAILED


def test_explicit_step_status_stands_and_propagates() -> None:
    builder = header()
    with builder.sequence("Seq") as seq:
        seq.numeric("forced fail", 0.5, low=0.0, high=1.0, status="F")
        seq.numeric("forced pass", 5.0, low=0.0, high=1.0, status="P")
    report = builder.build()
    steps = dict(report.walk())
    forced_fail = steps["MainSequence Callback/Seq/forced fail"]
    forced_pass = steps["MainSequence Callback/Seq/forced pass"]
    # On a single step the measurement follows, or the server would reject the report.
    assert forced_fail.numeric_meas is not None and forced_fail.numeric_meas[0].status == "F"
    assert forced_pass.numeric_meas is not None and forced_pass.numeric_meas[0].status == "P"
    assert steps["MainSequence Callback/Seq"].status == "F"
    assert report.result == "F"


def test_explicit_sequence_status_overrides_its_children() -> None:
    builder = header()
    with builder.sequence("Tolerated", status=StepStatus.PASSED) as seq:
        seq.numeric("v", 5.0, low=0.0, high=1.0)
    report = builder.build()
    assert _statuses(report)["MainSequence Callback/Tolerated/v"] == "F"
    assert _statuses(report)["MainSequence Callback/Tolerated"] == "P"
    assert report.result == "P"
    assert not any(step.caused_uut_failure for _, step in report.walk())


def test_explicit_measurement_status_in_multi_step() -> None:
    builder = header()
    multi = builder.root.multi_numeric("m")
    multi.measure("a", 5.0, low=0.0, high=1.0, status="S")
    multi.measure("b", 9.0, low=0.0, high=1.0, status="S")
    step = builder.build().walk()[1][1]
    assert step.status == "S"
    assert [m.status for m in step.numeric_meas or ()] == ["S", "S"]


def test_explicit_report_result_overrides_the_tree() -> None:
    builder = header()
    builder.root.numeric("v", 0.5, low=0.0, high=1.0)
    builder.result = ReportResult.TERMINATED
    report = builder.build()
    assert report.result == "T"
    assert report.root is not None and report.root.status == "P"


def test_string_and_pass_fail_steps_follow_their_values() -> None:
    builder = header()
    builder.root.string("exact", "abc", limit="ABC")
    builder.root.string("nocase", "abc", limit="ABC", comp="IgnoreCase")
    builder.root.string("logged", "anything")
    builder.root.pass_fail("bad", False)
    statuses = _statuses(builder.build())
    assert statuses["MainSequence Callback/exact"] == "F"
    assert statuses["MainSequence Callback/nocase"] == "P"
    assert statuses["MainSequence Callback/logged"] == "P"
    assert statuses["MainSequence Callback/bad"] == "F"
