"""A stored report as ``GET /api/Report/Wsjf/{id}`` returns it.

The server answers with what was posted plus what it knows: product and process names, the
origin, ``startUTC``, asset statistics, the repairs that point at a test (``uut.refUURs``), the
sub-repairs of a repair (``uur.children``) and the names of the steps failures point at. Header
objects and measurements write every property (null where there is no value); keys are put
in the server's order; keys it does not know are kept after the known ones.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ...storage import Storage
from .store import load_body
from .timefmt import start_utc_key
from .wsjf_dicts import Json, iter_steps

_TOP = (
    "type", "id", "pn", "sn", "rev", "productName", "processCode", "processCodeFormat",
    "processName", "result", "machineName", "location", "purpose", "origin", "start",
    "startUTC", "root", "uut", "uur", "miscInfos", "subUnits", "assets", "assetStats",
    "binaryData", "additionalData",
)  # fmt: skip
# Header objects: (key, always written). Format keys only appear when they have a value.
_UUT = (
    ("execTime", True), ("execTimeFormat", False), ("testSocketIndex", True),
    ("testSocketIndexFormat", False), ("batchSN", True), ("comment", True), ("errorCode", True),
    ("errorCodeFormat", False), ("errorMessage", True), ("fixtureId", True), ("user", True),
    ("batchFailCount", True), ("batchFailCountFormat", False), ("batchLoopIndex", True),
    ("batchLoopIndexFormat", False), ("stepIdCausedUUTFailure", True), ("refUURs", False),
)  # fmt: skip
_UUR = (
    ("comment", True), ("user", True), ("processCode", True), ("processCodeFormat", False),
    ("processName", True), ("refUUT", True), ("confirmDate", True), ("finalizeDate", True),
    ("execTime", True), ("parent", True), ("children", True),
)  # fmt: skip
_NUMERIC = (
    ("compOp", True), ("name", True), ("status", True), ("unit", True), ("value", True),
    ("valueFormat", False), ("highLimit", True), ("highLimitFormat", False), ("lowLimit", True),
    ("lowLimitFormat", False),
)  # fmt: skip
_STRING = (("compOp", True), ("name", True), ("status", True), ("value", True), ("limit", True))
_BOOLEAN = (("name", True), ("status", True))
_MISC = (
    ("description", True), ("typedef", False), ("text", True), ("numeric", True),
    ("numericFormat", False), ("id", False),
)  # fmt: skip
_FAILURE = (
    ("artNumber", True), ("artRev", True), ("artVendor", True), ("artDescription", True),
    ("category", True), ("code", True), ("comment", True), ("comRef", True),
    ("funcBlock", True), ("refStepId", True), ("refStepName", True), ("attachments", False),
)  # fmt: skip
_SUB_UNIT = (
    ("partType", True), ("pn", True), ("rev", True), ("sn", True), ("idx", False),
    ("parentIdx", False), ("position", False), ("replacedIdx", False), ("failures", False),
)  # fmt: skip
_ARRAYS = ("miscInfos", "subUnits", "assets", "assetStats", "additionalData")


def _shape(data: Any, keys: tuple[tuple[str, bool], ...]) -> Any:
    """Known keys in order (always-written ones as null when missing), then unknown keys."""
    if not isinstance(data, dict):
        return data
    shaped: Json = {}
    for key, always in keys:
        value = data.get(key)
        if key in data and (value is not None or always):
            shaped[key] = value
        elif always:
            shaped[key] = None
    known = {key for key, _ in keys}
    shaped.update({key: value for key, value in data.items() if key not in known})
    return shaped


def _shape_list(items: Any, keys: tuple[tuple[str, bool], ...]) -> Any:
    return [_shape(item, keys) for item in items] if isinstance(items, list) else items


def _shape_steps(root: Json, include_charts: bool, include_attachments: bool) -> None:
    for _, step in iter_steps(root):
        for key, shape in (
            ("numericMeas", _NUMERIC),
            ("stringMeas", _STRING),
            ("booleanMeas", _BOOLEAN),
        ):
            if key in step:
                step[key] = _shape_list(step[key], shape)
        chart = step.get("chart")
        if not include_charts and isinstance(chart, dict):
            for series in chart.get("series") or []:
                if isinstance(series, dict):
                    series["xdata"] = None
                    series["ydata"] = None
        attachment = step.get("attachment")
        if not include_attachments and isinstance(attachment, dict):
            attachment["data"] = None


class ExportContext:
    """What the export needs from other tables, looked up once per request."""

    def __init__(self, store: Storage) -> None:
        self.store = store

    def product_name(self, part_number: Any) -> str | None:
        try:
            value = self.store.scalar(
                "SELECT name FROM product WHERE part_number = ? COLLATE NOCASE", (part_number,)
            )
        except sqlite3.OperationalError:  # the product domain is not installed here
            return None
        return str(value) if value else None

    def process_name(self, code: Any) -> str | None:
        try:
            value = self.store.scalar("SELECT name FROM process WHERE code = ?", (code,))
        except sqlite3.OperationalError:  # the process domain is not installed here
            return None
        return None if value is None else str(value)

    def origin(self, report_id: str) -> str | None:
        value = self.store.scalar("SELECT origin FROM report WHERE uuid = ?", (report_id,))
        return None if value is None else str(value)

    def repairs_of(self, report_id: str) -> list[Json]:
        rows = self.store.query(
            "SELECT uuid, body FROM report WHERE referenced_uut = ? ORDER BY start_utc",
            (report_id,),
        )
        return [{"id": row["uuid"], "start": json.loads(row["body"]).get("start")} for row in rows]

    def children_of(self, report_id: str) -> list[str] | None:
        rows = self.store.query(
            "SELECT uuid FROM report WHERE parent_uur = ? ORDER BY start_utc", (report_id,)
        )
        return [row["uuid"] for row in rows] or None

    def step_name(self, uut_id: Any, step_id: Any) -> str | None:
        if not uut_id or step_id is None:
            return None
        body = load_body(self.store, str(uut_id))
        root = (body or {}).get("root")
        if not isinstance(root, dict):
            return None
        if step_id == 0:
            return root.get("name")  # the server resolves 0 to the root step
        for _, step in iter_steps(root):
            if step.get("id") == step_id:
                return step.get("name")
        return None


def export_report(
    body: Json,
    ctx: ExportContext,
    *,
    detail_level: int = 7,
    include_charts: bool = True,
    include_attachments: bool = True,
) -> Json:
    report = dict(body)
    report_id = str(report.get("id", "")).lower()
    is_uut = report.get("type") == "T"
    report["productName"] = ctx.product_name(report.get("pn"))
    report.setdefault("processCodeFormat", None)
    report["processName"] = ctx.process_name(report.get("processCode"))
    report["origin"] = ctx.origin(report_id)
    if isinstance(report.get("start"), str):
        report["startUTC"] = start_utc_key(report["start"])
    for key in _ARRAYS:
        if report.get(key) is None:
            report[key] = []
    report["assetStats"] = (
        [{"assetSN": asset.get("assetSN")} for asset in report["assets"] if isinstance(asset, dict)]
        if not report["assetStats"]
        else report["assetStats"]
    )
    report["miscInfos"] = _shape_list(report["miscInfos"], _MISC)
    if is_uut:
        uut = dict(report.get("uut") or {})
        repairs = ctx.repairs_of(report_id)
        if repairs:
            uut["refUURs"] = repairs
        report["uut"] = _shape(uut, _UUT)
        report["subUnits"] = _shape_list(report["subUnits"], _SUB_UNIT)
        root = report.get("root")
        if isinstance(root, dict):
            _shape_steps(root, include_charts, include_attachments)
    else:
        uur = dict(report.get("uur") or {})
        uur["processName"] = ctx.process_name(uur.get("processCode"))
        uur["children"] = ctx.children_of(report_id)
        report["uur"] = _shape(uur, _UUR)
        units = []
        for unit in report["subUnits"]:
            if isinstance(unit, dict) and isinstance(unit.get("failures"), list):
                unit = dict(unit)
                unit["failures"] = [
                    _failure(failure, uur.get("refUUT"), ctx, include_attachments)
                    for failure in unit["failures"]
                ]
            units.append(_shape(unit, _SUB_UNIT))
        report["subUnits"] = units
        if not include_attachments:
            for item in report.get("binaryData") or []:
                if isinstance(item, dict):
                    item["data"] = None
    if detail_level <= 0:
        report.pop("root", None)  # level 0: what identifies the report, no step tree
    known = {key: report[key] for key in _TOP if key in report}
    known.update({key: value for key, value in report.items() if key not in known})
    return known


def _failure(failure: Any, ref_uut: Any, ctx: ExportContext, include_attachments: bool) -> Any:
    if not isinstance(failure, dict):
        return failure
    failure = dict(failure)
    failure["refStepName"] = ctx.step_name(ref_uut, failure.get("refStepId"))
    if not include_attachments:
        for item in failure.get("attachments") or []:
            if isinstance(item, dict):
                item["data"] = None
    return _shape(failure, _FAILURE)
