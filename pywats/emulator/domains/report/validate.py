"""The checks the server makes on a posted WSJF report.

Like the server, every problem is reported, one per line, each with a path such as
``root -> step Power Up -> step VCC 3V3: ...``, so a station script sees all of them at once.
"""

from __future__ import annotations

import math
import uuid
from typing import Any

from .timefmt import split
from .wsjf_dicts import Json

RESULTS = ("P", "F", "E", "T", "D")
STEP_STATUSES = ("P", "F", "D", "S", "E", "T", "U")
MEAS_STATUSES = ("P", "F", "S")
GROUPS = ("S", "M", "C")
NUMERIC_OPS = (
    "LOG", "EQ", "NE", "GT", "GE", "LT", "LE",
    "GTLT", "GTLE", "GELT", "GELE", "LTGT", "LTGE", "LEGT", "LEGE",
)  # fmt: skip
STRING_OPS = ("LOG", "EQ", "NE", "CASESENSIT", "IGNORECASE")
SINGLE_TYPES = ("ET_NLT", "ET_PFT", "ET_SVT", "NumericLimitTest", "PassFailTest", "StringValueTest")
MAX_HEADER_TEXT = 100


class _Problems:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.lines.append(f"{where}: {message}")


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    # .NET writes NaN and infinities as strings.
    return isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity")


def _check_text(problems: _Problems, report: Json, key: str, required: bool) -> None:
    value = report.get(key)
    if value is None or value == "":
        if required:
            problems.add("report", f"{key} is required.")
        return
    if not isinstance(value, str):
        problems.add("report", f"{key} must be a string.")
    elif len(value) > MAX_HEADER_TEXT:
        problems.add("report", f"{key} is longer than {MAX_HEADER_TEXT} characters.")


# The JSON type of each WSJF property the emulator reads, by the key of the object holding
# it ("report" for the top level; array items take the array's key). null is always allowed;
# keys not listed are kept as sent. Without this, {"uut": "x"} would reach the store.
_S, _N, _I, _B, _O, _A = "a string", "a number", "an integer", "true or false", "an object", "array"
_OBJECTS = "an array of objects"
_SHAPES: dict[str, dict[str, str]] = {
    "report": {
        "uut": _O, "uur": _O, "root": _O, "subUnits": _OBJECTS, "miscInfos": _OBJECTS,
        "assets": _OBJECTS, "assetStats": _OBJECTS, "binaryData": _OBJECTS,
        "additionalData": _OBJECTS,
    },
    "uut": {
        "user": _S, "execTime": _N, "batchSN": _S, "fixtureId": _S, "comment": _S,
        "errorMessage": _S, "errorCode": _I, "testSocketIndex": _I, "batchFailCount": _I,
        "batchLoopIndex": _I, "stepIdCausedUUTFailure": _I,
    },
    "uur": {
        "user": _S, "execTime": _N, "comment": _S, "processCode": _I, "refUUT": _S,
        "confirmDate": _S, "finalizeDate": _S,
    },
    "root": {
        "id": _I, "name": _S, "group": _S, "stepType": _S, "status": _S, "start": _S,
        "totTime": _N, "causedUUTFailure": _B, "steps": _OBJECTS, "seqCall": _O,
        "numericMeas": _OBJECTS, "stringMeas": _OBJECTS, "booleanMeas": _OBJECTS,
        "attachment": _O, "chart": _O, "callExe": _O, "messagePopup": _O, "reportText": _S,
    },
    "seqCall": {"name": _S, "path": _S, "version": _S},
    "numericMeas": {"name": _S, "status": _S, "compOp": _S, "unit": _S},
    "stringMeas": {"name": _S, "status": _S, "compOp": _S, "value": _S, "limit": _S},
    "booleanMeas": {"name": _S, "status": _S},
    "attachment": {"name": _S, "contentType": _S, "data": _S},
    "chart": {
        "chartType": _S, "label": _S, "xLabel": _S, "xUnit": _S, "yLabel": _S, "yUnit": _S,
        "series": _OBJECTS,
    },
    "series": {"dataType": _S, "name": _S, "xdata": _S, "ydata": _S},
    "callExe": {"exitCode": _N},
    "messagePopup": {"button": _I, "response": _S},
    "subUnits": {
        "pn": _S, "sn": _S, "rev": _S, "partType": _S, "idx": _I, "failures": _OBJECTS,
    },
    "failures": {
        "category": _S, "code": _S, "comment": _S, "comRef": _S, "refStepId": _I,
    },
    "miscInfos": {"description": _S, "text": _S, "numeric": _N, "typedef": _S},
    "assets": {"assetSN": _S, "usageCount": _I},
    "binaryData": {"id": _S, "name": _S, "contentType": _S, "data": _S},
}  # fmt: skip
_SHAPES["steps"] = _SHAPES["root"]


def _fits(value: Any, expected: str) -> bool:
    if expected == _S:
        return isinstance(value, str)
    if expected == _B:
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if expected == _N:
        return isinstance(value, int | float)
    if expected == _I:
        return isinstance(value, int)
    if expected == _O:
        return isinstance(value, dict)
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _check_shapes(problems: _Problems, report: Json) -> bool:
    """Type-check every property the emulator reads; True when all have the right JSON type."""
    before = len(problems.lines)
    stack: list[tuple[str, str, Json]] = [("report", "report", report)]
    while stack:
        context, where, node = stack.pop()
        expected = _SHAPES.get(context, {})
        for key, value in node.items():
            if value is None:
                continue
            kind = expected.get(key)
            path = key if where == "report" else f"{where}.{key}"
            if kind is not None and not _fits(value, kind):
                problems.add(path, f"must be {kind}, not {_short(value)}.")
                continue
            if isinstance(value, dict):
                stack.append((key, path, value))
            elif isinstance(value, list):
                stack.extend(
                    (key, f"{path}[{index}]", item)
                    for index, item in enumerate(value)
                    if isinstance(item, dict)
                )
    return len(problems.lines) == before


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def validate_report(report: Any) -> list[str]:
    """Every problem with a posted report, or an empty list when it can be stored."""
    problems = _Problems()
    if not isinstance(report, dict):
        return ["report: the body must be one WSJF report object."]
    if not _check_shapes(problems, report):
        return problems.lines
    kind = report.get("type")
    if kind not in ("T", "R"):
        problems.add("report", f"type must be 'T' (test) or 'R' (repair), not {kind!r}.")
    raw_id = report.get("id")
    try:
        uuid.UUID(str(raw_id))
    except ValueError:
        problems.add("report", f"id must be a GUID, not {raw_id!r}.")
    for key in ("pn", "sn"):
        _check_text(problems, report, key, required=True)
    for key in ("rev", "machineName", "location", "purpose"):
        _check_text(problems, report, key, required=False)
    code = report.get("processCode")
    if isinstance(code, bool) or not isinstance(code, int):
        problems.add("report", f"processCode must be an integer, not {code!r}.")
    result = report.get("result")
    if result not in RESULTS:
        problems.add("report", f"result must be one of {', '.join(RESULTS)}, not {result!r}.")
    start = report.get("start")
    try:
        split(start) if isinstance(start, str) else None
    except ValueError:
        problems.add("report", f"start {start!r} is not an ISO 8601 date and time.")
    if start is None:
        problems.add("report", "start is required.")
    if kind == "T":
        root = report.get("root")
        if root is not None:
            if isinstance(root, dict):
                _check_step(problems, root, "root")
            else:
                problems.add("root", "must be a step object.")
    elif kind == "R":
        if not isinstance(report.get("uur"), dict):
            problems.add("report", "uur is required on a repair report.")
        _check_units(problems, report)
    return problems.lines


def _check_units(problems: _Problems, report: Json) -> None:
    units = report.get("subUnits") or []
    if not isinstance(units, list):
        problems.add("report", "subUnits must be an array.")
        return
    for index, unit in enumerate(units):
        where = f"subUnits[{index}]"
        if not isinstance(unit, dict):
            problems.add(where, "must be an object.")
            continue
        for f_index, failure in enumerate(unit.get("failures") or []):
            if not isinstance(failure, dict):
                problems.add(f"{where} -> failures[{f_index}]", "must be an object.")
            elif not failure.get("category") or not failure.get("code"):
                problems.add(f"{where} -> failures[{f_index}]", "category and code are required.")


def _check_step(problems: _Problems, step: Json, where: str) -> None:
    name = step.get("name")
    if not isinstance(name, str) or not name:
        problems.add(where, "name is required.")
    status = step.get("status")
    if status not in STEP_STATUSES:
        problems.add(where, f"status must be one of {', '.join(STEP_STATUSES)}, not {status!r}.")
    group = step.get("group")
    if group is not None and group not in GROUPS:
        problems.add(where, f"group must be S, M or C, not {group!r}.")
    if not isinstance(step.get("stepType"), str):
        problems.add(where, "stepType is required.")
    measures = _check_measurements(problems, step, where)
    if step.get("stepType") in SINGLE_TYPES and len(measures) == 1:
        meas_status = measures[0].get("status")
        if meas_status in MEAS_STATUSES and status in STEP_STATUSES and meas_status != status:
            problems.add(where, "Status cannot be different from measurement status.")
    children = step.get("steps")
    if children is None:
        return
    if not isinstance(children, list):
        problems.add(where, "steps must be an array.")
        return
    for child in children:
        child_name = child.get("name") if isinstance(child, dict) else None
        child_where = f"{where} -> step {child_name}"
        if isinstance(child, dict):
            _check_step(problems, child, child_where)
        else:
            problems.add(child_where, "must be a step object.")


def _check_measurements(problems: _Problems, step: Json, where: str) -> list[Json]:
    found: list[Json] = []
    for key, ops in (("numericMeas", NUMERIC_OPS), ("stringMeas", STRING_OPS), ("booleanMeas", ())):
        items = step.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            problems.add(where, f"{key} must be an array.")
            continue
        for index, meas in enumerate(items):
            meas_where = f"{where} -> {key}[{index}]"
            if not isinstance(meas, dict):
                problems.add(meas_where, "must be an object.")
                continue
            found.append(meas)
            if meas.get("status") not in MEAS_STATUSES:
                problems.add(meas_where, f"status must be P, F or S, not {meas.get('status')!r}.")
            if len(items) > 1 and not meas.get("name"):
                problems.add(meas_where, "name is required when a step has several measurements.")
            if ops:
                op = meas.get("compOp")
                if not isinstance(op, str) or op.upper() not in ops:
                    problems.add(meas_where, f"compOp {op!r} is not one of {', '.join(ops)}.")
            if key == "numericMeas":
                _check_numbers(problems, meas, meas_where)
    return found


def _check_numbers(problems: _Problems, meas: Json, where: str) -> None:
    for key in ("value", "lowLimit", "highLimit"):
        value = meas.get(key)
        if value is not None and not _is_number(value):
            problems.add(where, f"{key} must be a number, not {value!r}.")
    low, high = meas.get("lowLimit"), meas.get("highLimit")
    op = str(meas.get("compOp") or "").upper()
    if (
        len(op) == 4
        and op != "LOG"
        and isinstance(low, int | float)
        and isinstance(high, int | float)
        and math.isfinite(low)
        and math.isfinite(high)
        and low > high
    ):
        problems.add(where, f"lowLimit {low} is above highLimit {high}.")
