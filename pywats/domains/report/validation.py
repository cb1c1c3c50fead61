"""Checks a report before it is submitted, naming the step path and the JSON field at fault.

These are the rules a client can know: the server's own code lists, what each comparison
operator needs, and rules the server is known to enforce on import (a single-measurement
step's status must equal its measurement's). Loop consistency rules are not checked: the
server's own exports break them (see the format notes), so a check would reject real data.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pywats.errors import WATSValidationError

from .enums import (
    MeasurementStatus,
    NumericCompOp,
    ReportResult,
    StepGroup,
    StepStatus,
    StringCompOp,
)
from .header import SubUnit
from .reports import UURReport, UUTReport
from .steps import Measurement, Step
from .timefmt import parse_wats_datetime

__all__ = ["ReportValidationError", "ValidationIssue", "check_report", "validate_report"]

HEADER = "report"

_SINGLE_STEP_TYPES = {"ET_NLT", "ET_PFT", "ET_SVT", "NumericLimitTest", "PassFailTest"}
# Statuses that describe the measurement outcome; E/T/U describe execution and may differ.
_OUTCOME_STATUSES = {"P", "F", "D", "S"}


@dataclass(frozen=True, slots=True)
class ValidationIssue:
    """One problem: where (``path``: step path or "report"), which JSON field, and what."""

    path: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


class ReportValidationError(WATSValidationError):
    """A report is not fit to submit. ``issues`` lists every problem found."""

    def __init__(self, issues: list[ValidationIssue]) -> None:
        self.issues = issues
        lines = "\n".join(f"  {issue}" for issue in issues)
        count = "1 problem" if len(issues) == 1 else f"{len(issues)} problems"
        super().__init__(f"report is not valid ({count}):\n{lines}")
        self.path = issues[0].path
        self.field = issues[0].field


def _show(code: object) -> str:
    # Enum members print as their wire code, not as <StepStatus.PASSED: 'P'>.
    return "nothing" if code is None else repr(str(code))


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _is_uuid(text: str | None) -> bool:
    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True


def _finite(number: float | None) -> bool:
    return number is None or math.isfinite(number)


def _header_issues(report: UUTReport | UURReport) -> Iterator[ValidationIssue]:
    def issue(field: str, message: str) -> ValidationIssue:
        return ValidationIssue(HEADER, field, message)

    for field, value, what in (
        ("sn", report.serial_number, "serial number"),
        ("pn", report.part_number, "part number"),
        ("machineName", report.machine_name, "station name"),
        ("location", report.location, "station location"),
        ("purpose", report.purpose, "station purpose"),
    ):
        if _blank(value):
            yield issue(field, f"missing {what}")
    if report.revision is None:
        yield issue("rev", "missing revision")
    if report.process_code is None:
        yield issue("processCode", "missing process code")
    if not _is_uuid(report.id):
        yield issue("id", f"report id must be a UUID, got {report.id!r}")
    if report.result not in set(ReportResult):
        yield issue("result", f"unknown result {_show(report.result)}; expected P, F, E or T")
    yield from _date_issue(HEADER, "start", report.start, required=True)
    for index, info in enumerate(report.misc_infos or ()):
        if _blank(info.description):
            yield issue(f"miscInfos[{index}].description", "missing description")


def _date_issue(
    path: str, field: str, text: str | None, *, required: bool = False
) -> Iterator[ValidationIssue]:
    if text is None:
        if required:
            yield ValidationIssue(path, field, "missing date")
        return
    try:
        moment = parse_wats_datetime(text)
    except ValueError:
        yield ValidationIssue(path, field, f"not an ISO 8601 date: {text!r}")
        return
    if moment.tzinfo is None:
        yield ValidationIssue(path, field, f"date needs a UTC offset: {text!r}")


def _unit_issues(units: list[SubUnit] | None, *, repair: bool) -> Iterator[ValidationIssue]:
    indexes = {unit.idx for unit in units or ()}
    for index, unit in enumerate(units or ()):
        where = f"subUnits[{index}]"
        if _blank(unit.part_number):
            yield ValidationIssue(HEADER, f"{where}.pn", "missing part number")
        if _blank(unit.serial_number):
            yield ValidationIssue(HEADER, f"{where}.sn", "missing serial number")
        if repair and unit.parent_idx is not None and unit.parent_idx not in indexes:
            yield ValidationIssue(
                HEADER, f"{where}.parentIdx", f"no sub unit has idx {unit.parent_idx}"
            )
        for number, failure in enumerate(unit.failures or ()):
            for field, value in (("category", failure.category), ("code", failure.code)):
                if _blank(value):
                    yield ValidationIssue(
                        HEADER, f"{where}.failures[{number}].{field}", f"missing fail {field}"
                    )


def _numeric_issues(step: Step) -> Iterator[tuple[str, str]]:
    for index, meas in enumerate(step.numeric_meas or ()):
        where = f"numericMeas[{index}]"
        for field, number in (
            ("value", meas.value),
            ("lowLimit", meas.low_limit),
            ("highLimit", meas.high_limit),
        ):
            if not _finite(number):
                yield f"{where}.{field}", f"{number} is not allowed; use a finite number"
        if meas.value is None:
            yield f"{where}.value", "missing value"
        op = meas.comp_op
        if not isinstance(op, NumericCompOp):
            known = ", ".join(NumericCompOp)
            yield (
                f"{where}.compOp",
                f"unknown comparison operator {_show(op)}; expected one of {known}",
            )
            continue  # status and limits mean nothing without a known operator
        if meas.status not in set(MeasurementStatus):
            yield f"{where}.status", f"unknown status {_show(meas.status)}; expected P, F or S"
        if op.limit_count >= 1 and meas.low_limit is None:
            yield f"{where}.lowLimit", f"{op} needs a limit in lowLimit"
        if op.limit_count == 2 and meas.high_limit is None:
            yield f"{where}.highLimit", f"{op} needs a high limit"
        if op.limit_count == 1 and meas.high_limit is not None:
            yield f"{where}.highLimit", f"{op} compares with lowLimit only; leave highLimit empty"
        if (
            op.limit_count == 2
            and meas.low_limit is not None
            and meas.high_limit is not None
            and meas.low_limit > meas.high_limit
        ):
            yield (
                f"{where}.lowLimit",
                f"limits reversed: low limit {meas.low_limit} is above high limit "
                f"{meas.high_limit}",
            )


def _string_issues(step: Step) -> Iterator[tuple[str, str]]:
    for index, meas in enumerate(step.string_meas or ()):
        where = f"stringMeas[{index}]"
        op = StringCompOp.lookup(meas.comp_op) if meas.comp_op is not None else None
        if op is None:
            known = ", ".join(StringCompOp)
            yield (
                f"{where}.compOp",
                f"unknown comparison operator {_show(meas.comp_op)}; expected one of {known}",
            )
            continue
        if op is not StringCompOp.LOG and meas.limit is None:
            yield f"{where}.limit", f"{op} needs a limit"
        if meas.status not in set(MeasurementStatus):
            yield f"{where}.status", f"unknown status {_show(meas.status)}; expected P, F or S"


def _boolean_issues(step: Step) -> Iterator[tuple[str, str]]:
    for index, meas in enumerate(step.boolean_meas or ()):
        if meas.status not in set(MeasurementStatus):
            yield (
                f"booleanMeas[{index}].status",
                f"unknown status {_show(meas.status)}; expected P, F or S",
            )


def _measurement_shape_issues(step: Step) -> Iterator[tuple[str, str]]:
    kinds: tuple[tuple[str, Sequence[Measurement] | None], ...] = (
        ("numericMeas", step.numeric_meas),
        ("stringMeas", step.string_meas),
        ("booleanMeas", step.boolean_meas),
    )
    for key, measurements in kinds:
        if not measurements:
            continue
        if step.step_type in _SINGLE_STEP_TYPES:
            if len(measurements) > 1:
                yield key, f"{step.step_type} is a single-measurement step type"
            status = measurements[0].status
            if step.status in _OUTCOME_STATUSES and status is not None and step.status != status:
                yield (
                    "status",
                    f"step status {_show(step.status)} differs from its measurement's status "
                    f"{_show(status)}; the server rejects that",
                )
            continue
        if len(measurements) < 2 and measurements[0].name is None:
            continue  # one unnamed measurement, as chart steps may have
        seen: set[str] = set()
        for index, meas in enumerate(measurements):
            if _blank(meas.name):
                yield f"{key}[{index}].name", "measurements of a multiple step need names"
            elif meas.name in seen:
                yield f"{key}[{index}].name", f"duplicate measurement name {meas.name!r}"
            else:
                seen.add(meas.name or "")


def _chart_issues(step: Step) -> Iterator[tuple[str, str]]:
    for index, series in enumerate((step.chart.series or []) if step.chart else []):
        where = f"chart.series[{index}]"
        try:
            xs, ys = series.x_values(), series.y_values()
        except ValueError:
            yield f"{where}.xdata", "xdata and ydata must be numbers separated by ';'"
            continue
        if len(xs) != len(ys):
            yield f"{where}.xdata", f"{len(xs)} x values but {len(ys)} y values"
        if not all(math.isfinite(v) for v in (*xs, *ys)):
            yield f"{where}.ydata", "NaN and infinity are not allowed in chart data"


def _step_issues(path: str, step: Step) -> Iterator[ValidationIssue]:
    def own() -> Iterator[tuple[str, str]]:
        if _blank(step.name):
            yield "name", "missing step name"
        if step.status not in set(StepStatus):
            yield "status", f"unknown status {_show(step.status)}; expected one of P F D S E T U"
        if step.group is not None and step.group not in set(StepGroup):
            yield "group", f"unknown group {_show(step.group)}; expected S, M or C"
        if not _finite(step.tot_time):
            yield "totTime", f"{step.tot_time} is not allowed; use a finite number"
        if step.call_exe is not None and not _finite(step.call_exe.exit_code):
            yield "callExe.exitCode", f"{step.call_exe.exit_code} is not allowed"
        yield from _numeric_issues(step)
        yield from _string_issues(step)
        yield from _boolean_issues(step)
        yield from _measurement_shape_issues(step)
        yield from _chart_issues(step)

    for field, message in own():
        yield ValidationIssue(path or "(unnamed root)", field, message)
    yield from _date_issue(path, "start", step.start)


def _tree_issues(report: UUTReport) -> Iterator[ValidationIssue]:
    if report.root is None:
        yield ValidationIssue(HEADER, "root", "a test report needs a root step")
        return
    ids: set[int] = set()
    for path, step in report.root.walk():
        yield from _step_issues(path, step)
        if step.id is None:
            yield ValidationIssue(path, "id", "missing step id")
        elif step.id in ids:
            yield ValidationIssue(path, "id", f"step id {step.id} is used twice")
        ids.add(step.id or 0)
    failing = report.uut.step_id_caused_uut_failure if report.uut else None
    if failing is not None and failing not in ids:
        yield ValidationIssue(HEADER, "uut.stepIdCausedUUTFailure", f"no step has id {failing}")


def _repair_issues(report: UURReport) -> Iterator[ValidationIssue]:
    if report.uur is None:
        yield ValidationIssue(HEADER, "uur", "a repair report needs its uur object")
        return
    if report.uur.process_code is None:
        yield ValidationIssue(HEADER, "uur.processCode", "missing the failed test's process code")
    if report.uur.ref_uut is not None and not _is_uuid(report.uur.ref_uut):
        yield ValidationIssue(HEADER, "uur.refUUT", f"not a UUID: {report.uur.ref_uut!r}")
    yield from _date_issue(HEADER, "uur.confirmDate", report.uur.confirm_date)
    yield from _date_issue(HEADER, "uur.finalizeDate", report.uur.finalize_date)
    if report.main_unit() is None:
        yield ValidationIssue(HEADER, "subUnits", "a repair needs its main unit (idx 0)")


def check_report(report: UUTReport | UURReport) -> list[ValidationIssue]:
    """Every problem found in ``report``, in header-then-step order (empty when valid)."""
    issues = list(_header_issues(report))
    issues.extend(_unit_issues(report.sub_units, repair=isinstance(report, UURReport)))
    if isinstance(report, UUTReport):
        issues.extend(_tree_issues(report))
    else:
        issues.extend(_repair_issues(report))
    return issues


def validate_report(report: UUTReport | UURReport) -> None:
    """Raise ``ReportValidationError`` listing every problem, or return when the report is fit
    to submit."""
    issues = check_report(report)
    if issues:
        raise ReportValidationError(issues)
