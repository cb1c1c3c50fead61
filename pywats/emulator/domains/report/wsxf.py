"""WSXF (the WATS XML report format) for ``POST /api/Report/WSXF`` and ``GET /api/Report/Wsxf``.

The emulator stores every report as its WSJF dict, so WSXF is converted on the way in and out:
``wsxf_to_wsjf`` reads a posted document, ``wsjf_to_wsxf`` writes an exported report the way
the server lays it out (one line, full-word codes, upper-case id, ``StepIndex`` and
``MeasOrderNumber`` counted as the server counts them). This module is written independently of
the SDK's reader, so the two check each other through the wire format. Parsing refuses DTDs and
entities (defusedxml) and bounds nesting.
"""

from __future__ import annotations

import math
from typing import Any
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape, quoteattr

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ...errors import BadRequest
from .wsjf_dicts import Json

NAMESPACE = "http://wats.virinco.com/schemas/WATS/Report/wsxf"
MAX_DEPTH = 200
_Q = "{" + NAMESPACE + "}"

_WORDS = {"P": "Passed", "F": "Failed", "E": "Error", "T": "Terminated", "D": "Done",
          "S": "Skipped"}  # fmt: skip
_CODES = {v.lower(): k for k, v in _WORDS.items()}
_GROUP_WORDS = {"S": "Setup", "M": "Main", "C": "Cleanup"}
_GROUP_CODES = {v.lower(): k for k, v in _GROUP_WORDS.items()}
_UNIT_INDEXES = (("Idx", "idx"), ("ParentIdx", "parentIdx"), ("Position", "position"),
                 ("ReplacedIdx", "replacedIdx"))  # fmt: skip


def _code(text: str) -> str:
    return _CODES.get(text.lower(), text)


def _num(text: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise BadRequest(f"{where}: {text!r} is not a number.", field=where) from None


def _int(text: str, where: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise BadRequest(f"{where}: {text!r} is not an integer.", field=where) from None


def _opt(element: Element, name: str) -> str | None:
    value = element.get(name)
    return None if value is None or value == "" else value


def _opt_int(element: Element, name: str, where: str) -> int | None:
    value = _opt(element, name)
    return None if value is None else _int(value, f"{where}.{name}")


def _opt_num(element: Element, name: str, where: str) -> float | None:
    value = _opt(element, name)
    return None if value is None else _num(value, f"{where}.{name}")


def _tag(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _depth(element: Element, level: int = 0) -> None:
    if level > MAX_DEPTH:
        raise BadRequest(f"The report nests deeper than {MAX_DEPTH} elements.", field="body")
    for child in element:
        _depth(child, level + 1)


# -- WSXF -> WSJF ------------------------------------------------------------------------------


def wsxf_to_wsjf(raw: bytes) -> Json:
    """The WSJF dict of one posted WSXF test report; 400 naming the problem otherwise."""
    try:
        root = SafeET.fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise BadRequest("DTDs and entity declarations are not allowed in WSXF.",
                         field="body") from None  # fmt: skip
    except SafeET.ParseError as exc:
        raise BadRequest(f"The body is not well-formed XML: {exc}.", field="body") from None
    _depth(root)
    reports = [root] if _tag(root) == "Report" else root.findall(_Q + "Report")
    if _tag(root) not in ("Reports", "Report") or len(reports) != 1:
        raise BadRequest("The body must be one WSXF <Report> (in <Reports>, namespace "
                         f"{NAMESPACE}).", field="body")  # fmt: skip
    report = reports[0]
    kind = (report.get("type") or "").upper()
    if kind not in ("UUT", "T"):
        raise BadRequest(f"Report type must be UUT; {kind or 'none'} is not accepted as WSXF.",
                         field="type")  # fmt: skip
    out: Json = {
        "type": "T",
        "id": (report.get("ID") or "").lower(),
        "pn": report.get("PN"),
        "sn": report.get("SN"),
        "rev": report.get("Rev"),
        "processCode": None,
        "result": _code(report.get("Result") or ""),
        "machineName": report.get("MachineName"),
        "location": report.get("Location"),
        "purpose": report.get("Purpose"),
        "start": report.get("Start"),
    }
    misc: list[Json] = []
    units: list[Json] = []
    for child in report:
        tag = _tag(child)
        if tag == "Process":
            out["processCode"] = _opt_int(child, "Code", "Process")
        elif tag == "UUT":
            comment = child.find(_Q + "Comment")
            out["uut"] = {
                "user": child.get("UserLoginName"),
                "batchSN": child.get("BatchSN"),
                "testSocketIndex": _opt_int(child, "TestSocketIndex", "UUT"),
                "execTime": _opt_num(child, "ExecutionTime", "UUT"),
                "fixtureId": child.get("FixtureId"),
                "errorCode": _opt_int(child, "ErrorCode", "UUT"),
                "errorMessage": child.get("ErrorMessage"),
                "batchFailCount": _opt_int(child, "BatchFailCount", "UUT"),
                "batchLoopIndex": _opt_int(child, "BatchLoopIndex", "UUT"),
                "stepIdCausedUUTFailure": _opt_int(child, "StepIdCausedUUTFailure", "UUT"),
                "comment": comment.text if comment is not None else None,
            }
        elif tag == "MiscInfo":
            misc.append({
                "description": child.get("Description"),
                "text": child.text or None,
                "numeric": _opt_int(child, "Numeric", "MiscInfo"),
            })  # fmt: skip
        elif tag == "ReportUnitHierarchy":
            unit: Json = {"partType": child.get("PartType"), "pn": child.get("PN"),
                          "rev": child.get("Rev"), "sn": child.get("SN")}  # fmt: skip
            for xml_name, key in _UNIT_INDEXES:
                value = _opt_int(child, xml_name, "ReportUnitHierarchy")
                if value is not None:
                    unit[key] = value
            units.append(unit)
        elif tag == "Step":
            out["root"] = _step(child)
    out["miscInfos"] = misc
    out["subUnits"] = units
    out["assets"] = []
    out["additionalData"] = []
    return out


def _step(element: Element) -> Json:
    where = f"Step {element.get('Id')}"
    step: Json = {
        "id": _opt_int(element, "Id", "Step"),
        "group": _GROUP_CODES.get((element.get("Group") or "").lower(), element.get("Group")),
        "stepType": element.get("StepType"),
        "name": element.get("Name"),
        "status": _code(element.get("Status") or ""),
        "totTime": _opt_num(element, "total_time", where),
        "causedUUTFailure": (element.get("StepCausedUUTFailure") or "").lower() == "true",
    }
    if element.get("StepErrorCode") is not None:
        step["errorCode"] = _opt_int(element, "StepErrorCode", where)
    if element.get("StepErrorMessage") is not None:
        step["errorMessage"] = element.get("StepErrorMessage")
    for xml_name, key in (("TSGuid", "tsGuid"), ("Start", "start")):
        if element.get(xml_name) is not None:
            step[key] = element.get(xml_name)
    children = []
    for child in element:
        tag = _tag(child)
        if tag == "Step":
            children.append(_step(child))
        elif tag == "Loop":
            step["loop"] = {
                "idx": _opt_int(child, "index", where),
                "num": _opt_int(child, "num", where),
                "endingIndex": _opt_int(child, "ending_index", where),
                "passed": _opt_int(child, "passed", where),
                "failed": _opt_int(child, "failed", where),
            }
        elif tag == "NumericLimit":
            step.setdefault("numericMeas", []).append({
                "compOp": child.get("CompOperator"), "name": child.get("Name"),
                "status": _code(child.get("Status") or ""), "unit": _opt(child, "Units"),
                "value": _opt_num(child, "NumericValue", where),
                "highLimit": _opt_num(child, "HighLimit", where),
                "lowLimit": _opt_num(child, "LowLimit", where),
            })  # fmt: skip
        elif tag == "PassFail":
            step.setdefault("booleanMeas", []).append(
                {"name": child.get("Name"), "status": _code(child.get("Status") or "")}
            )
        elif tag == "StringValue":
            step.setdefault("stringMeas", []).append({
                "compOp": child.get("CompOperator"), "name": child.get("Name"),
                "status": _code(child.get("Status") or ""), "value": child.get("StringValue"),
                "limit": child.get("StringLimit"),
            })  # fmt: skip
        elif tag == "SequenceCall":
            step["seqCall"] = {"path": _opt(child, "Filepath"), "name": _opt(child, "Name"),
                               "version": _opt(child, "Version")}  # fmt: skip
        elif tag == "MessagePopup":
            step["messagePopup"] = {"response": _opt(child, "Response"),
                                    "button": _opt_int(child, "Button", where)}  # fmt: skip
        elif tag == "Callexe":
            step["callExe"] = {"exitCode": _opt_num(child, "ExitCode", where)}
        elif tag == "ReportText":
            step["reportText"] = child.text or ""
        elif tag == "Chart":
            step["chart"] = {
                "chartType": child.get("ChartType"), "label": _opt(child, "Label"),
                "xLabel": _opt(child, "XLabel"), "xUnit": _opt(child, "XUnit"),
                "yLabel": _opt(child, "YLabel"), "yUnit": _opt(child, "YUnit"),
                "series": [
                    {"dataType": s.get("DataType"), "name": s.get("Name"),
                     "xdata": _text(s, "xdata"), "ydata": _text(s, "ydata")}
                    for s in child.findall(_Q + "Series")
                ],
            }  # fmt: skip
    if children:
        step["steps"] = children
    return step


def _text(element: Element, tag: str) -> str | None:
    found = element.find(_Q + tag)
    return None if found is None else (found.text or "")


# -- WSJF -> WSXF ------------------------------------------------------------------------------


def _number(value: Any) -> str:
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return "NaN" if math.isnan(number) else ("INF" if number > 0 else "-INF")
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.15g}".replace("e", "E")


class _Out:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.order = -1  # the server numbers measurements from -1

    def open(self, tag: str, attrs: list[tuple[str, Any]], close: bool = False) -> None:
        text = "".join(f" {name}={quoteattr(str(value))}" for name, value in attrs
                       if value is not None)  # fmt: skip
        self.parts.append(f"<{tag}{text} />" if close else f"<{tag}{text}>")

    def meas_order(self, compare: Any) -> int:
        order = self.order
        self.order += 1
        return order


def wsjf_to_wsxf(report: Json) -> str:
    """A test report (the exported WSJF dict) as one WSXF document."""
    out = _Out()
    out.parts.append('<?xml version="1.0" encoding="utf-8"?>')
    out.parts.append(
        '<Reports xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xmlns="{NAMESPACE}">'
    )
    out.open("Report", [
        ("type", "UUT" if report.get("type") == "T" else "UUR"),
        ("ID", str(report.get("id") or "").upper()), ("Start", report.get("start")),
        ("Start_utc", report.get("startUTC")),
        ("Result", _WORDS.get(str(report.get("result")), report.get("result"))),
        ("SN", report.get("sn")), ("PN", report.get("pn")), ("Rev", report.get("rev")),
        ("origin", report.get("origin")), ("MachineName", report.get("machineName")),
        ("Location", report.get("location")), ("Purpose", report.get("purpose")),
        ("ProductName", report.get("productName") or ""),
    ])  # fmt: skip
    uut = report.get("uut")
    if isinstance(uut, dict):

        def _n(key: str) -> str | None:
            return None if uut.get(key) is None else _number(uut[key])

        def _i(key: str) -> str | None:
            return None if uut.get(key) is None else str(uut[key])

        out.open("UUT", [
            ("UserLoginName", uut.get("user")), ("BatchSN", uut.get("batchSN")),
            ("TestSocketIndex", _i("testSocketIndex")), ("ExecutionTime", _n("execTime")),
            ("FixtureId", uut.get("fixtureId")), ("ErrorCode", _i("errorCode")),
            ("ErrorMessage", uut.get("errorMessage")), ("BatchFailCount", _i("batchFailCount")),
            ("BatchLoopIndex", _i("batchLoopIndex")),
            ("StepIdCausedUUTFailure", _i("stepIdCausedUUTFailure")),
        ])  # fmt: skip
        if uut.get("comment") is not None:
            out.parts.append(f"<Comment>{escape(str(uut['comment']))}</Comment>")
        out.parts.append("</UUT>")
    if report.get("processCode") is not None:
        out.open("Process", [("Code", report["processCode"]), ("Name", report.get("processName"))],
                 close=True)  # fmt: skip
    for index, misc in enumerate(report.get("miscInfos") or []):
        attrs = [("Typedef", misc.get("typedef") or ""), ("Description", misc.get("description")),
                 ("Numeric", misc.get("numeric")), ("idx", index), ("order_no", index)]  # fmt: skip
        if misc.get("text") is None:
            out.open("MiscInfo", attrs, close=True)
        else:
            out.open("MiscInfo", attrs)
            out.parts.append(f"{escape(str(misc['text']))}</MiscInfo>")
    for unit in report.get("subUnits") or []:
        out.open("ReportUnitHierarchy", [
            ("PartType", unit.get("partType")), ("PN", unit.get("pn")), ("SN", unit.get("sn")),
            ("Rev", unit.get("rev")), ("Idx", unit.get("idx")),
            ("ParentIdx", unit.get("parentIdx")), ("Position", unit.get("position")),
            ("ReplacedIdx", unit.get("replacedIdx")),
        ], close=True)  # fmt: skip
    if isinstance(report.get("root"), dict):
        _write_step(out, report["root"], 0)
    out.parts.append("</Report></Reports>")
    return "".join(out.parts)


def _write_step(out: _Out, step: Json, index: int) -> None:
    status = _WORDS.get(str(step.get("status")), step.get("status"))
    attrs = [
        ("Id", step.get("id")),
        ("Group", _GROUP_WORDS.get(str(step.get("group")), step.get("group"))),
        ("Name", step.get("name")), ("StepType", step.get("stepType")), ("Status", status),
        ("total_time", None if step.get("totTime") is None else _number(step["totTime"])),
        ("StepIndex", index), ("StepErrorCode", step.get("errorCode")),
        ("StepErrorMessage", step.get("errorMessage")),
        ("StepCausedUUTFailure", "true" if step.get("causedUUTFailure") else "false"),
        ("TSGuid", step.get("tsGuid")), ("Start", step.get("start")),
    ]  # fmt: skip
    mark = len(out.parts)
    out.open("Step", attrs)
    loop = step.get("loop")
    if isinstance(loop, dict):
        if loop.get("idx") is not None:
            out.open("Loop", [("index", loop["idx"])], close=True)
        else:
            out.open("Loop", [("num", loop.get("num")), ("passed", loop.get("passed")),
                              ("failed", loop.get("failed")),
                              ("ending_index", loop.get("endingIndex"))], close=True)  # fmt: skip
    if step.get("reportText") is not None:
        out.parts.append(f"<ReportText>{escape(str(step['reportText']))}</ReportText>")
    call = step.get("seqCall")
    if isinstance(call, dict):
        summary = isinstance(loop, dict) and loop.get("idx") is None  # a loop's summary
        out.open("SequenceCall", [("Name", call.get("name") or ""),
                                  ("Version", call.get("version") or ""),
                                  ("Filename", "" if summary else call.get("path") or ""),
                                  ("Filepath", call.get("path") or ""), ("MeasIndex", 0)],
                 close=True)  # fmt: skip
    for number, meas in enumerate(step.get("numericMeas") or []):

        def _opt_n(key: str, m: Json = meas) -> str | None:
            return None if m.get(key) is None else _number(m[key])

        out.open("NumericLimit", [
            ("Name", meas.get("name")), ("NumericValue", _opt_n("value")),
            ("Units", meas.get("unit") or ""), ("CompOperator", meas.get("compOp")),
            ("HighLimit", _opt_n("highLimit")), ("LowLimit", _opt_n("lowLimit")),
            ("Status", _WORDS.get(str(meas.get("status")), meas.get("status"))),
            ("MeasIndex", number), ("MeasOrderNumber", out.meas_order(meas.get("compOp"))),
        ], close=True)  # fmt: skip
    for number, meas in enumerate(step.get("booleanMeas") or []):
        out.open("PassFail", [
            ("Name", meas.get("name")), ("MeasIndex", number),
            ("Status", _WORDS.get(str(meas.get("status")), meas.get("status"))),
            ("MeasOrderNumber", out.meas_order(None)),
        ], close=True)  # fmt: skip
    for number, meas in enumerate(step.get("stringMeas") or []):
        out.open("StringValue", [
            ("Name", meas.get("name")), ("CompOperator", meas.get("compOp")),
            ("StringLimit", meas.get("limit")), ("StringValue", meas.get("value")),
            ("Status", _WORDS.get(str(meas.get("status")), meas.get("status"))),
            ("MeasOrderNumber", out.meas_order(meas.get("compOp"))), ("MeasIndex", number),
        ], close=True)  # fmt: skip
    popup = step.get("messagePopup")
    if isinstance(popup, dict):
        out.open("MessagePopup", [("Button", popup.get("button")),
                                  ("Response", popup.get("response") or ""), ("MeasIndex", 0)],
                 close=True)  # fmt: skip
    exe = step.get("callExe")
    if isinstance(exe, dict):
        code = exe.get("exitCode")
        out.open("Callexe", [("ExitCode", None if code is None else _number(code)),
                             ("MeasIndex", 0)], close=True)  # fmt: skip
    chart = step.get("chart")
    if isinstance(chart, dict):
        out.open("Chart", [("idx", 0), ("ChartType", chart.get("chartType")),
                           ("Label", chart.get("label") or ""),
                           ("XLabel", chart.get("xLabel") or ""),
                           ("XUnit", chart.get("xUnit") or ""),
                           ("YLabel", chart.get("yLabel") or ""),
                           ("YUnit", chart.get("yUnit") or "")])  # fmt: skip
        for series in chart.get("series") or []:
            out.open("Series", [("Name", series.get("name")), ("DataType", series.get("dataType"))])
            for key in ("ydata", "xdata"):
                if series.get(key) is not None:
                    out.parts.append(f"<{key}>{escape(str(series[key]))}</{key}>")
            out.parts.append("</Series>")
        out.parts.append("</Chart>")
    position = -1
    for child in step.get("steps") or []:
        child_loop = child.get("loop") if isinstance(child, dict) else None
        iteration = isinstance(child_loop, dict) and child_loop.get("idx") is not None
        if not iteration or position < 0:
            position += 1  # the iterations of a loop carry their summary's StepIndex
        _write_step(out, child, position)
    if len(out.parts) == mark + 1:
        out.parts[-1] = out.parts[-1][:-1] + " />"
    else:
        out.parts.append("</Step>")
