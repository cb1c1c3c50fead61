"""WSJF pieces as plain dicts, in the server's key order.

The emulator may not import the SDK's report models (the two sides must agree through the
wire format only), so seeded reports are written as the JSON a station would post.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

Json = dict[str, Any]

# The order the server writes a step's keys in; a step dict is re-keyed into it once built.
STEP_KEY_ORDER = (
    "id",
    "group",
    "stepType",
    "loop",
    "name",
    "start",
    "status",
    "errorCode",
    "errorMessage",
    "tsGuid",
    "totTime",
    "causedUUTFailure",
    "reportText",
    "steps",
    "numericMeas",
    "stringMeas",
    "booleanMeas",
    "additionalResults",
    "seqCall",
    "callExe",
    "messagePopup",
    "chart",
    "attachment",
)


def wats_time(moment: datetime) -> str:
    """A WSJF date: ISO 8601 with the UTC offset, milliseconds like TestStand data."""
    return moment.isoformat(timespec="milliseconds")


def step(
    step_type: str,
    name: str,
    status: str = "P",
    *,
    group: str = "M",
    tot_time: float = 0.0,
    start: datetime | None = None,
    **payload: Any,
) -> Json:
    """A step dict; ``payload`` uses the wire names (``numericMeas=[...]``, ``chart={...}``)."""
    data: Json = {
        "id": 0,  # numbered depth-first once the tree is complete
        "group": group,
        "stepType": step_type,
        "name": name,
    }
    if start is not None:
        data["start"] = wats_time(start)
    data["status"] = status
    data["totTime"] = round(tot_time, 4)
    data["causedUUTFailure"] = False
    if not payload:
        return data  # already in STEP_KEY_ORDER
    keys = [key for key, value in payload.items() if value is not None]
    if all(_POSITION.get(key, 0) > _TAIL_START for key in keys):
        # The usual case (seeding makes a quarter of a million): payload keys all come after
        # the fixed ones, so appending them in order keeps STEP_KEY_ORDER.
        for key in sorted(keys, key=_POSITION.__getitem__):
            data[key] = payload[key]
        return data
    data.update({key: payload[key] for key in keys})
    return {key: data[key] for key in STEP_KEY_ORDER if key in data}


_POSITION = {key: index for index, key in enumerate(STEP_KEY_ORDER)}
_TAIL_START = _POSITION["causedUUTFailure"]


def numeric(
    value: float,
    comp_op: str,
    *,
    low: float | None = None,
    high: float | None = None,
    unit: str | None = None,
    name: str | None = None,
) -> Json:
    return {
        "compOp": comp_op,
        "name": name,
        "status": "P" if numeric_passes(value, comp_op, low, high) else "F",
        "unit": unit,
        "value": value,
        "highLimit": high,
        "lowLimit": low,
    }


def numeric_passes(value: float, comp_op: str, low: float | None, high: float | None) -> bool:
    """The server's pass rule for a numeric comparison (single limits compare with ``low``)."""
    lo = low if low is not None else 0.0
    hi = high if high is not None else 0.0
    op = comp_op.upper()
    if op == "LOG":
        return True
    if len(op) == 2:  # one limit, in lowLimit
        if op == "GE":
            return value >= lo
        if op == "LE":
            return value <= lo
        if op == "GT":
            return value > lo
        if op == "LT":
            return value < lo
        if op == "EQ":
            return value == lo
        if op == "NE":
            return value != lo
        raise KeyError(op)
    above_low = value > lo if op[:2] in ("GT", "LE") else value >= lo
    below_high = value < hi if op[2:] in ("LT", "GE") else value <= hi
    if op[:2] in ("GT", "GE"):  # inside the band
        return above_low and below_high
    # outside the band: LTGT, LTGE, LEGT, LEGE
    return (not above_low) or (not below_high)


def string_meas(value: str, comp_op: str, limit: str | None, *, name: str | None = None) -> Json:
    op = comp_op.upper()
    if op == "LOG":
        passed = True
    elif op in ("IGNORECASE",):
        passed = value.lower() == (limit or "").lower()
    elif op == "NE":
        passed = value != limit
    else:  # EQ, CASESENSIT
        passed = value == limit
    return {
        "compOp": comp_op,
        "name": name,
        "status": "P" if passed else "F",
        "value": value,
        "limit": limit,
    }


def boolean(passed: bool, *, name: str | None = None) -> Json:
    return {"name": name, "status": "P" if passed else "F"}


def chart(
    label: str,
    x_label: str,
    x_unit: str | None,
    y_label: str,
    y_unit: str | None,
    series: list[tuple[str, Sequence[float], Sequence[float]]],
    chart_type: str = "Line",
) -> Json:
    """A chart; data given as a tuple (an axis that is the same every run) is written once."""
    return {
        "chartType": chart_type,
        "label": label,
        "xLabel": x_label,
        "xUnit": x_unit,
        "yLabel": y_label,
        "yUnit": y_unit,
        "series": [
            {
                "dataType": "XYG",
                "name": name,
                "xdata": _joined(xs),
                "ydata": _joined(ys),
            }
            for name, xs, ys in series
        ],
    }


def _num(value: float) -> str:
    return f"{value:.6g}"


def _joined(values: Sequence[float]) -> str:
    if isinstance(values, tuple):
        return _joined_fixed(values)
    return ";".join([f"{value:.6g}" for value in values])


@functools.lru_cache(maxsize=64)
def _joined_fixed(values: tuple[float, ...]) -> str:
    return ";".join(_num(value) for value in values)


def number_steps(root: Json) -> int:
    """Give every step its id, 1..N depth-first in pre-order like the server; returns N."""
    counter = 0

    def visit(node: Json) -> None:
        nonlocal counter
        counter += 1
        node["id"] = counter
        for child in node.get("steps") or ():
            visit(child)

    visit(root)
    return counter


def iter_steps(root: Json, path: str = "") -> list[tuple[str, Json]]:
    """Every step with its slash-joined name path, in id order."""
    here = f"{path}/{root.get('name') or ''}" if path else str(root.get("name") or "")
    found = [(here, root)]
    for child in root.get("steps") or ():
        found.extend(iter_steps(child, here))
    return found
