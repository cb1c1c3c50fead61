"""Reading and writing WSXF, the WATS Standard XML Format: ``load_wsxf`` and ``dump_wsxf``.

WSXF carries the same report as WSJF in XML (full words for codes, upper-case ids, empty
strings where WSJF has null). :func:`load_wsxf` gives the same ``UUTReport`` that
:func:`~pywats.domains.report.wsjf.load_wsjf` gives for the server's WSJF export of that
report. What only XML has (``StepIndex``, ``MeasOrderNumber``, ``Filename``, attribute order,
number spellings such as ``10`` for a double, whether a null was written as ``""`` or left out)
is remembered beside the model, outside its fields, so :func:`dump_wsxf` writes a server export
back byte for byte; for a report built in Python those values are derived.

Parsing is safe: defusedxml refuses DTDs, entity declarations and external references, and
the input is bounded in size and depth. Test (UUT) reports are supported; WSXF repair reports
are refused with a clear error.
"""

from __future__ import annotations

import json
import math
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape, quoteattr

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from pywats.errors import ReportFormatError

from .reports import UURReport, UUTReport
from .wsjf import dump_wsjf, load_wsjf

__all__ = ["MAX_WSXF_BYTES", "MAX_WSXF_DEPTH", "WSXF_NAMESPACE", "dump_wsxf", "load_wsxf"]

WSXF_NAMESPACE = "http://wats.virinco.com/schemas/WATS/Report/wsxf"
MAX_WSXF_BYTES = 64 * 1024 * 1024
MAX_WSXF_DEPTH = 200
_NS = "{" + WSXF_NAMESPACE + "}"
_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
_ROOT_OPEN = (
    '<Reports xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    f'xmlns="{WSXF_NAMESPACE}">'
)

_RESULTS = {"P": "Passed", "F": "Failed", "E": "Error", "T": "Terminated", "D": "Done",
            "S": "Skipped"}  # fmt: skip
_RESULT_CODES = {word.lower(): code for code, word in _RESULTS.items()}
_GROUPS = {"M": "Main", "S": "Setup", "C": "Cleanup"}
_GROUP_CODES = {word.lower(): code for code, word in _GROUPS.items()}
_TYPES = {"T": "UUT", "R": "UUR"}


# -- value conversions -----------------------------------------------------------------------


def _status_in(text: str) -> str:
    return _RESULT_CODES.get(text.lower(), text)


def _status_out(code: Any) -> str:
    return _RESULTS.get(str(code), str(code))


def _group_in(text: str) -> str:
    return _GROUP_CODES.get(text.lower(), text)


def _group_out(code: Any) -> str:
    return _GROUPS.get(str(code), str(code))


def _float_in(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ReportFormatError(f"{text!r} is not a number") from None


def _float_out(value: Any) -> str:
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "INF" if number > 0 else "-INF"
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.15g}".replace("e", "E")


def _int_in(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ReportFormatError(f"{text!r} is not an integer") from None


def _bool_in(text: str) -> bool:
    if text.lower() in ("true", "1"):
        return True
    if text.lower() in ("false", "0"):
        return False
    raise ReportFormatError(f"{text!r} is not true or false")


def _bool_out(value: Any) -> str:
    return "true" if value else "false"


@dataclass(frozen=True)
class _Attr:
    """One XML attribute and the WSJF key it carries."""

    xml: str
    key: str
    read: Callable[[str], Any] = str
    write: Callable[[Any], str] = str
    blank: bool = False  # a null is written as "" (else left out); "" reads as null


def _s(xml: str, key: str, *, blank: bool = False) -> _Attr:
    return _Attr(xml, key, blank=blank)


def _f(xml: str, key: str) -> _Attr:
    return _Attr(xml, key, _float_in, _float_out)


def _i(xml: str, key: str) -> _Attr:
    return _Attr(xml, key, _int_in, str)


_REPORT_ATTRS = (
    _Attr("type", "type", lambda t: {"uut": "T", "uur": "R"}.get(t.lower(), t),
          lambda c: _TYPES.get(str(c), str(c))),
    _Attr("ID", "id", str.lower, str.upper),
    _s("Start", "start"), _s("Start_utc", "startUTC"),
    _Attr("Result", "result", _status_in, _status_out),
    _s("SN", "sn"), _s("PN", "pn"), _s("Rev", "rev"), _s("origin", "origin"),
    _s("MachineName", "machineName"), _s("Location", "location"), _s("Purpose", "purpose"),
    _s("ProductName", "productName", blank=True),
)  # fmt: skip
_UUT_ATTRS = (
    _s("UserLoginName", "user"), _s("BatchSN", "batchSN"),
    _i("TestSocketIndex", "testSocketIndex"), _f("ExecutionTime", "execTime"),
    _s("FixtureId", "fixtureId"), _i("ErrorCode", "errorCode"), _s("ErrorMessage", "errorMessage"),
    _i("BatchFailCount", "batchFailCount"), _i("BatchLoopIndex", "batchLoopIndex"),
    _i("StepIdCausedUUTFailure", "stepIdCausedUUTFailure"),
)  # fmt: skip
_MISC_ATTRS = (
    _s("Typedef", "typedef", blank=True), _s("Description", "description"),
    _i("Numeric", "numeric"),
)  # fmt: skip
_SUB_UNIT_ATTRS = (
    _s("PartType", "partType"), _s("PN", "pn"), _s("SN", "sn"), _s("Rev", "rev"),
    _i("Idx", "idx"), _i("ParentIdx", "parentIdx"), _i("Position", "position"),
    _i("ReplacedIdx", "replacedIdx"),
)  # fmt: skip
_STEP_ATTRS = (
    _i("Id", "id"), _Attr("Group", "group", _group_in, _group_out), _s("Name", "name"),
    _s("StepType", "stepType"), _Attr("Status", "status", _status_in, _status_out),
    _f("total_time", "totTime"), _i("StepErrorCode", "errorCode"),
    _s("StepErrorMessage", "errorMessage"),
    _Attr("StepCausedUUTFailure", "causedUUTFailure", _bool_in, _bool_out),
    _Attr("StepCausedSequenceFailure", "causedSeqFailure", _bool_in, _bool_out),
    _s("TSGuid", "tsGuid"), _Attr("Start", "start"),
)  # fmt: skip
_SEQ_CALL_ATTRS = (_s("Name", "name", blank=True), _s("Version", "version", blank=True),
                   _s("Filepath", "path", blank=True))  # fmt: skip
_NUMERIC_ATTRS = (
    _s("Name", "name"), _f("NumericValue", "value"), _s("Units", "unit", blank=True),
    _s("CompOperator", "compOp"), _f("HighLimit", "highLimit"), _f("LowLimit", "lowLimit"),
    _Attr("Status", "status", _status_in, _status_out),
)  # fmt: skip
_PASS_FAIL_ATTRS = (_s("Name", "name"), _Attr("Status", "status", _status_in, _status_out))
_STRING_ATTRS = (
    _s("Name", "name"), _s("CompOperator", "compOp"), _s("StringLimit", "limit"),
    _s("StringValue", "value"), _Attr("Status", "status", _status_in, _status_out),
)  # fmt: skip
_POPUP_ATTRS = (_i("Button", "button"), _s("Response", "response", blank=True))
_CALL_EXE_ATTRS = (_f("ExitCode", "exitCode"),)
_CHART_ATTRS = (
    _s("ChartType", "chartType"), _s("Label", "label", blank=True),
    _s("XLabel", "xLabel", blank=True), _s("XUnit", "xUnit", blank=True),
    _s("YLabel", "yLabel", blank=True), _s("YUnit", "yUnit", blank=True),
)  # fmt: skip
_SERIES_ATTRS = (_s("Name", "name"), _s("DataType", "dataType"))
_MEAS_ELEMENTS = {"NumericLimit": ("numericMeas", _NUMERIC_ATTRS),
                  "PassFail": ("booleanMeas", _PASS_FAIL_ATTRS),
                  "StringValue": ("stringMeas", _STRING_ATTRS)}  # fmt: skip
# Keys a WSJF export always writes on these objects, as null when there is no value.
_NUMERIC_KEYS = ("compOp", "name", "status", "unit", "value", "highLimit", "lowLimit")
_STRING_KEYS = ("compOp", "name", "status", "value", "limit")
_LOOP_KEYS = ("idx", "num", "endingIndex", "passed", "failed")


# The server's attribute order where XML-only attributes sit between the mapped ones.
_ORDER: dict[str, tuple[str, ...]] = {
    "step": ("Id", "Group", "Name", "StepType", "Status", "total_time", "StepIndex",
             "StepErrorCode", "StepErrorMessage", "StepCausedUUTFailure"),
    "seqCall": ("Name", "Version", "Filename", "Filepath", "MeasIndex"),
    "chart": ("idx",),
}  # fmt: skip
_MEAS_ORDER = {
    "booleanMeas": ("Name", "MeasIndex", "Status", "MeasOrderNumber"),
    "stringMeas": ("Name", "CompOperator", "StringLimit", "StringValue", "Status",
                   "MeasOrderNumber", "MeasIndex"),
}  # fmt: skip


# -- what only the XML had ---------------------------------------------------------------------


@dataclass
class _Shape:
    """One element's XML-only facts: attributes as spelled, in their order, and child order."""

    attrs: list[tuple[str, str]]
    children: list[str] = field(default_factory=list)


@dataclass
class _Sidecar:
    shapes: dict[tuple[Any, ...], _Shape] = field(default_factory=dict)


_SIDECARS: dict[int, _Sidecar] = {}


def _remember(model: UUTReport | UURReport, sidecar: _Sidecar) -> None:
    key = id(model)
    _SIDECARS[key] = sidecar
    weakref.finalize(model, _SIDECARS.pop, key, None)


# -- reading -----------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _check_depth(element: Element, depth: int = 0) -> None:
    if depth > MAX_WSXF_DEPTH:
        raise ReportFormatError(f"WSXF nests deeper than {MAX_WSXF_DEPTH} elements")
    for child in element:
        _check_depth(child, depth + 1)


class _Reader:
    def __init__(self) -> None:
        self.sidecar = _Sidecar()

    def shape(self, path: tuple[Any, ...], element: Element) -> None:
        self.sidecar.shapes[path] = _Shape(
            list(element.attrib.items()), [_local(child.tag) for child in element]
        )

    @staticmethod
    def attrs(element: Element, table: tuple[_Attr, ...], where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for attr in table:
            raw = element.attrib.get(attr.xml)
            if raw is None:
                continue
            if attr.blank and raw == "":
                out[attr.key] = None
                continue
            try:
                out[attr.key] = attr.read(raw)
            except ReportFormatError as exc:
                raise ReportFormatError(f"{where}: {attr.xml}: {exc}", field=attr.xml) from None
        return out

    def report(self, element: Element) -> dict[str, Any]:
        report = self.attrs(element, _REPORT_ATTRS, "Report")
        if report.get("type") == "R":
            raise ReportFormatError(
                "WSXF repair (UUR) reports are not supported; submit repairs as WSJF",
                field="type",
            )
        self.shape(("report",), element)
        ordered: dict[str, Any] = {
            k: report[k] for k in ("type", "id", "pn", "sn", "rev", "productName") if k in report
        }
        ordered["processCode"] = None
        ordered["processCodeFormat"] = None
        ordered["processName"] = None
        for key in ("result", "machineName", "location", "purpose", "origin", "start",
                    "startUTC"):  # fmt: skip
            if key in report:
                ordered[key] = report[key]
        misc: list[dict[str, Any]] = []
        sub_units: list[dict[str, Any]] = []
        root: dict[str, Any] | None = None
        for child in element:
            tag = _local(child.tag)
            if tag == "UUT":
                self.shape(("uut",), child)
                uut = self.attrs(child, _UUT_ATTRS, "UUT")
                comment = child.find(_NS + "Comment")
                ordered["uut"] = {
                    "execTime": uut.get("execTime"),
                    "testSocketIndex": uut.get("testSocketIndex"),
                    "batchSN": uut.get("batchSN"),
                    "comment": comment.text if comment is not None else None,
                    "errorCode": uut.get("errorCode"),
                    "errorMessage": uut.get("errorMessage"),
                    "fixtureId": uut.get("fixtureId"),
                    "user": uut.get("user"),
                    "batchFailCount": uut.get("batchFailCount"),
                    "batchLoopIndex": uut.get("batchLoopIndex"),
                    "stepIdCausedUUTFailure": uut.get("stepIdCausedUUTFailure"),
                }
            elif tag == "Process":
                self.shape(("process",), child)
                code = child.attrib.get("Code")
                ordered["processCode"] = _int_in(code) if code not in (None, "") else None
                ordered["processName"] = child.attrib.get("Name") or None
            elif tag == "MiscInfo":
                self.shape(("misc", len(misc)), child)
                values = self.attrs(child, _MISC_ATTRS, f"MiscInfo[{len(misc)}]")
                entry: dict[str, Any] = {"description": values.get("description")}
                if values.get("typedef") is not None:
                    entry["typedef"] = values["typedef"]
                entry["text"] = child.text if child.text else None
                entry["numeric"] = values.get("numeric")
                misc.append(entry)
            elif tag == "ReportUnitHierarchy":
                self.shape(("sub", len(sub_units)), child)
                values = self.attrs(
                    child, _SUB_UNIT_ATTRS, f"ReportUnitHierarchy[{len(sub_units)}]"
                )
                unit = {k: values.get(k) for k in ("partType", "pn", "rev", "sn")}
                for key in ("idx", "parentIdx", "position", "replacedIdx"):
                    if key in values:
                        unit[key] = values[key]
                sub_units.append(unit)
            elif tag == "Step":
                if root is not None:
                    raise ReportFormatError("a WSXF report has one root Step", field="Step")
                root = self.step(child, ())
            # Other header elements of newer servers have no WSJF counterpart here: ignored.
        if root is not None:
            ordered["root"] = root
        ordered["miscInfos"] = misc
        ordered["subUnits"] = sub_units
        ordered["assets"] = []
        ordered["assetStats"] = []
        ordered["additionalData"] = []
        return ordered

    def step(self, element: Element, parent: tuple[Any, ...]) -> dict[str, Any]:
        values = self.attrs(element, _STEP_ATTRS, "Step")
        path = (*parent, values.get("id"))
        where = f"Step {values.get('id')} ({values.get('name')})"
        self.shape(("step", *path), element)
        step: dict[str, Any] = {}
        for key in ("id", "group", "stepType"):
            if key in values:
                step[key] = values[key]
        children: list[dict[str, Any]] = []
        meas: dict[str, list[dict[str, Any]]] = {}
        extra: dict[str, Any] = {}
        for child in element:
            tag = _local(child.tag)
            if tag == "Step":
                children.append(self.step(child, path))
            elif tag == "Loop":
                self.shape(("loop", *path), child)
                loop = {
                    "idx": _int_in(child.attrib["index"]) if "index" in child.attrib else None,
                    "num": _int_in(child.attrib["num"]) if "num" in child.attrib else None,
                    "endingIndex": _int_in(child.attrib["ending_index"])
                    if "ending_index" in child.attrib
                    else None,
                    "passed": _int_in(child.attrib["passed"]) if "passed" in child.attrib else None,
                    "failed": _int_in(child.attrib["failed"]) if "failed" in child.attrib else None,
                }
                step["loop"] = loop
            elif tag in _MEAS_ELEMENTS:
                key, table = _MEAS_ELEMENTS[tag]
                items = meas.setdefault(key, [])
                self.shape(("meas", *path, key, len(items)), child)
                got = self.attrs(child, table, f"{where} {tag}")
                keys = (_NUMERIC_KEYS if key == "numericMeas" else _STRING_KEYS
                        if key == "stringMeas" else ("name", "status"))  # fmt: skip
                items.append({k: got.get(k) for k in keys})
            elif tag == "SequenceCall":
                self.shape(("seqCall", *path), child)
                got = self.attrs(child, _SEQ_CALL_ATTRS, f"{where} SequenceCall")
                extra["seqCall"] = {k: got[k] for k in ("path", "name", "version") if k in got}
            elif tag == "MessagePopup":
                self.shape(("popup", *path), child)
                got = self.attrs(child, _POPUP_ATTRS, f"{where} MessagePopup")
                extra["messagePopup"] = {
                    "response": got.get("response"),
                    "button": got.get("button"),
                }
            elif tag == "Callexe":
                self.shape(("callExe", *path), child)
                got = self.attrs(child, _CALL_EXE_ATTRS, f"{where} Callexe")
                extra["callExe"] = {"exitCode": got.get("exitCode")}
            elif tag == "Chart":
                extra["chart"] = self.chart(child, path)
            elif tag == "ReportText":
                extra["reportText"] = child.text or ""
            else:
                raise ReportFormatError(f"{where}: unknown element <{tag}>", field=tag)
        for key in ("name", "status"):
            if key in values:
                step[key] = values[key]
        for key in ("errorCode", "errorMessage"):
            if key in values:
                step[key] = values[key]
        if "totTime" in values:
            step["totTime"] = values["totTime"]
        for key in ("causedUUTFailure", "causedSeqFailure", "tsGuid", "start"):
            if key in values:
                step[key] = values[key]
        if "reportText" in extra:
            step["reportText"] = extra.pop("reportText")
        if children:
            step["steps"] = children
        step.update(meas)
        step.update(extra)
        return step

    def chart(self, element: Element, path: tuple[Any, ...]) -> dict[str, Any]:
        self.shape(("chart", *path), element)
        got = self.attrs(element, _CHART_ATTRS, "Chart")
        chart: dict[str, Any] = {k: got.get(k) for k in ("chartType", "label", "xLabel", "xUnit",
                                 "yLabel", "yUnit")}  # fmt: skip
        series = []
        for index, child in enumerate(element.findall(_NS + "Series")):
            self.shape(("series", *path, index), child)
            values = self.attrs(child, _SERIES_ATTRS, "Series")
            x = child.find(_NS + "xdata")
            y = child.find(_NS + "ydata")
            series.append({
                "dataType": values.get("dataType"),
                "name": values.get("name"),
                "xdata": (x.text or "") if x is not None else None,
                "ydata": (y.text or "") if y is not None else None,
            })  # fmt: skip
        chart["series"] = series
        return chart


def _parse(data: str | bytes | bytearray) -> Element:
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > MAX_WSXF_BYTES:
        raise ReportFormatError(f"WSXF larger than {MAX_WSXF_BYTES} bytes")
    try:
        root = SafeET.fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ReportFormatError(f"WSXF refused: {type(exc).__name__} (DTDs and entities are not "
                                "allowed)") from None  # fmt: skip
    except SafeET.ParseError as exc:
        raise ReportFormatError(f"not well-formed XML: {exc}") from None
    _check_depth(root)
    return root


def load_wsxf(data: str | bytes | bytearray) -> UUTReport | UURReport:
    """Read one WSXF test report (text or bytes) into the same model :func:`load_wsjf` gives.

    Raises ``ReportFormatError`` for XML that is not well formed, uses a DTD or entities, is
    too large or deep, is not a WSXF report, or is a repair report.
    """
    if not isinstance(data, str | bytes | bytearray):
        raise ReportFormatError(f"expected WSXF as str or bytes, got {type(data).__name__}")
    root = _parse(data)
    reports = [root] if _local(root.tag) == "Report" else root.findall(_NS + "Report")
    if _local(root.tag) not in ("Reports", "Report") or not reports:
        raise ReportFormatError(f"not a WSXF document: the root element is <{_local(root.tag)}>")
    if len(reports) > 1:
        raise ReportFormatError(f"the document holds {len(reports)} reports; give one at a time")
    reader = _Reader()
    report = reader.report(reports[0])
    model = load_wsjf(report)
    _remember(model, reader.sidecar)
    return model


# -- writing -----------------------------------------------------------------------------------


class _Writer:
    def __init__(self, sidecar: _Sidecar | None) -> None:
        self.shapes = sidecar.shapes if sidecar else {}
        self.parts: list[str] = []
        self.meas_order = -1  # the server numbers measurements from -1

    def attrs(
        self,
        path: tuple[Any, ...],
        table: tuple[_Attr, ...],
        values: dict[str, Any],
        derived: dict[str, str] | None = None,
    ) -> str:
        tag = str(path[0])
        """The attributes of one element: from the model, in the remembered order and spelling."""
        fresh: dict[str, str] = {}
        for attr in table:
            if attr.key not in values:
                continue
            value = values[attr.key]
            if value is None:
                if attr.blank:
                    fresh[attr.xml] = ""
                continue
            fresh[attr.xml] = attr.write(value)
        readers = {attr.xml: attr for attr in table}
        shape = self.shapes.get(path)
        out: list[tuple[str, str]] = []
        if shape is not None:
            for name, raw in shape.attrs:
                if name in readers:
                    if name not in fresh:
                        continue  # removed from the model
                    out.append((name, self._spelling(readers[name], raw, fresh.pop(name))))
                elif derived is not None and name in derived:
                    out.append((name, raw))  # an XML-only value as it was read
                    derived.pop(name)
                else:
                    out.append((name, raw))
        # Anything new goes in the server's order, XML-only values in their places.
        pending = {**fresh, **(derived or {})}
        canonical = _MEAS_ORDER.get(str(path[-2]), ()) if tag == "meas" else _ORDER.get(tag, ())
        for name in (*canonical, *[a.xml for a in table], *pending):
            if name in pending:
                out.append((name, pending.pop(name)))
        return "".join(f" {name}={quoteattr(value)}" for name, value in out)

    @staticmethod
    def _spelling(attr: _Attr, raw: str, fresh: str) -> str:
        """Keep the original spelling when it means the same value as the model holds."""
        if raw == fresh:
            return raw
        try:
            if attr.blank and raw == "" and fresh == "":
                return raw
            same = attr.read(raw) == attr.read(fresh)
        except (ReportFormatError, ValueError):
            return fresh
        return raw if same else fresh

    def children_order(self, path: tuple[Any, ...], default: list[str]) -> list[str]:
        shape = self.shapes.get(path)
        if shape is None:
            return default
        seen = [tag for tag in dict.fromkeys(shape.children) if tag in default]
        return seen + [tag for tag in default if tag not in seen]

    def emit(self, text: str) -> None:
        self.parts.append(text)

    def element(self, tag: str, attrs: str, body: str | None = None) -> None:
        if body is None:
            self.emit(f"<{tag}{attrs} />")
        else:
            self.emit(f"<{tag}{attrs}>{body}</{tag}>")

    def report(self, report: dict[str, Any]) -> str:
        self.emit(_DECLARATION + _ROOT_OPEN)
        self.emit(f"<Report{self.attrs(('report',), _REPORT_ATTRS, report)}>")
        uut = report.get("uut")
        if isinstance(uut, dict):
            comment = uut.get("comment")
            attrs = self.attrs(("uut",), _UUT_ATTRS, uut)
            self.element("UUT", attrs, None if comment is None else
                         f"<Comment>{escape(str(comment))}</Comment>")  # fmt: skip
        if report.get("processCode") is not None or report.get("processName") is not None:
            values = {"Code": report.get("processCode"), "Name": report.get("processName")}
            table = (_i("Code", "Code"), _s("Name", "Name"))
            self.element("Process", self.attrs(("process",), table, values))
        for index, misc in enumerate(report.get("miscInfos") or []):
            values = dict(misc)
            values.setdefault("typedef", None)
            derived = {"idx": str(index), "order_no": str(index)}
            attrs = self.attrs(("misc", index), _MISC_ATTRS, values, derived)
            text = misc.get("text")
            self.element("MiscInfo", attrs, None if text is None else escape(str(text)))
        for index, unit in enumerate(report.get("subUnits") or []):
            attrs = self.attrs(("sub", index), _SUB_UNIT_ATTRS, unit)
            self.element("ReportUnitHierarchy", attrs)
        root = report.get("root")
        if isinstance(root, dict):
            self.step(root, (), 0)
        self.emit("</Report></Reports>")
        return "".join(self.parts)

    def step(self, step: dict[str, Any], parent: tuple[Any, ...], index: int) -> None:
        path = (*parent, step.get("id"))
        derived = {"StepIndex": str(index)}
        self.emit(f"<Step{self.attrs(('step', *path), _STEP_ATTRS, step, derived)}>")
        mark = len(self.parts)
        default = ["Loop", "ReportText", "SequenceCall", "NumericLimit", "PassFail",
                   "StringValue", "MessagePopup", "Callexe", "Chart", "Step"]  # fmt: skip
        for tag in self.children_order(("step", *path), default):
            self.step_part(tag, step, path)
        if len(self.parts) == mark:  # nothing inside: <Step ... />
            self.parts[-1] = self.parts[-1][:-1] + " />"
        else:
            self.emit("</Step>")

    def step_part(self, tag: str, step: dict[str, Any], path: tuple[Any, ...]) -> None:
        if tag == "Loop" and isinstance(step.get("loop"), dict):
            loop = step["loop"]
            names = (("index", "idx"), ("num", "num"), ("passed", "passed"),
                     ("failed", "failed"), ("ending_index", "endingIndex"))  # fmt: skip
            table = tuple(_i(xml, key) for xml, key in names)
            self.element("Loop", self.attrs(("loop", *path), table, loop))
        elif tag == "ReportText" and step.get("reportText") is not None:
            self.element("ReportText", "", escape(str(step["reportText"])))
        elif tag == "SequenceCall" and isinstance(step.get("seqCall"), dict):
            call = {**dict.fromkeys(("name", "version", "path")), **step["seqCall"]}
            loop = step.get("loop")
            summary = isinstance(loop, dict) and loop.get("idx") is None
            filename = "" if summary else str(call.get("path") or "")
            derived = {"Filename": filename, "MeasIndex": "0"}
            self.element("SequenceCall", self.attrs(("seqCall", *path), _SEQ_CALL_ATTRS, call,
                                                    derived))  # fmt: skip
        elif tag in _MEAS_ELEMENTS:
            key, table = _MEAS_ELEMENTS[tag]
            keys = {"numericMeas": _NUMERIC_KEYS, "stringMeas": _STRING_KEYS}.get(key, ())
            for index, meas in enumerate(step.get(key) or []):
                meas = {**dict.fromkeys(keys), **meas}  # the server writes Units="" etc.
                shape = self.shapes.get(("meas", *path, key, index))
                order = str(self.meas_order)
                self.meas_order += 1
                derived = {"MeasIndex": str(index), "MeasOrderNumber": order}
                if shape is not None:
                    derived = {}
                self.element(tag, self.attrs(("meas", *path, key, index), table, meas, derived))
        elif tag == "MessagePopup" and isinstance(step.get("messagePopup"), dict):
            popup = {"response": None, **step["messagePopup"]}
            self.element("MessagePopup", self.attrs(("popup", *path), _POPUP_ATTRS, popup,
                                                    {"MeasIndex": "0"}))  # fmt: skip
        elif tag == "Callexe" and isinstance(step.get("callExe"), dict):
            call = step["callExe"]
            self.element("Callexe", self.attrs(("callExe", *path), _CALL_EXE_ATTRS, call,
                                               {"MeasIndex": "0"}))  # fmt: skip
        elif tag == "Chart" and isinstance(step.get("chart"), dict):
            self.chart(step["chart"], path)
        elif tag == "Step":
            index = -1
            for child in step.get("steps") or []:
                loop = child.get("loop") if isinstance(child, dict) else None
                if not (isinstance(loop, dict) and loop.get("idx") is not None) or index < 0:
                    index += 1  # a loop's iterations share their summary's StepIndex
                self.step(child, path, index)

    def chart(self, chart: dict[str, Any], path: tuple[Any, ...]) -> None:
        chart = {**dict.fromkeys(a.key for a in _CHART_ATTRS), **chart}
        attrs = self.attrs(("chart", *path), _CHART_ATTRS, chart, {"idx": "0"})
        self.emit(f"<Chart{attrs}>")
        for index, series in enumerate(chart.get("series") or []):
            attrs = self.attrs(("series", *path, index), _SERIES_ATTRS, series)
            body = "".join(
                f"<{name}>{escape(str(series[name]))}</{name}>"
                for name in ("ydata", "xdata")
                if series.get(name) is not None
            )
            self.element("Series", attrs, body)
        self.emit("</Chart>")


def dump_wsxf(report: UUTReport | UURReport) -> str:
    """Write a test report as WSXF text (the server's layout: one line, UTF-8 declaration).

    A report read with :func:`load_wsxf` and not changed comes back byte for byte; changed
    values are written from the model, keeping the rest of the original spelling.
    """
    if isinstance(report, UURReport):
        raise ReportFormatError(
            "WSXF repair (UUR) reports are not supported; submit repairs as WSJF", field="type"
        )
    if not isinstance(report, UUTReport):
        raise ReportFormatError(f"expected a UUTReport, got {type(report).__name__}")
    data = json.loads(dump_wsjf(report))
    _check_writable(data)
    return _Writer(_SIDECARS.get(id(report))).report(data)


# What WSXF here carries; anything else with a value would be lost, so it is refused.
_REPORT_KEYS = {a.key for a in _REPORT_ATTRS} | {
    "processCode", "processCodeFormat", "processName", "root", "uut", "miscInfos", "subUnits",
    "assetStats",  # computed by the server; not part of what is sent
}  # fmt: skip
_STEP_KEYS = {a.key for a in _STEP_ATTRS} | {
    "loop", "reportText", "steps", "numericMeas", "stringMeas", "booleanMeas", "seqCall",
    "callExe", "messagePopup", "chart",
}  # fmt: skip


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def _check_writable(data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key not in _REPORT_KEYS and not _empty(value):
            raise ReportFormatError(
                f"WSXF cannot carry {key!r}; submit this report as WSJF", field=key
            )
    stack: list[tuple[str, dict[str, Any]]] = []
    if isinstance(data.get("root"), dict):
        stack.append((str(data["root"].get("name")), data["root"]))
    while stack:
        where, step = stack.pop()
        for key, value in step.items():
            if key not in _STEP_KEYS and not _empty(value):
                raise ReportFormatError(
                    f"{where}: WSXF cannot carry the step's {key!r}; submit this report as WSJF",
                    field=key,
                )
        for child in step.get("steps") or []:
            stack.append((f"{where}/{child.get('name')}", child))
