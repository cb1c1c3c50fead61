"""``GET /api/Report/Certificate/{id}``: a report's certificate, rendered as an HTML page.

The spec leaves the document's format open (its 200 lists text/html among the types); the
emulator renders one self-contained page from the stored report: the unit, the operation, the
station, the result, and for a test every measurement with its limits and status (failures
first in a summary), for a repair its failures and the repaired sub-units.
"""

from __future__ import annotations

from html import escape
from typing import Any

from .wsjf_dicts import Json, iter_steps

_WORDS = {"P": "Passed", "F": "Failed", "E": "Error", "T": "Terminated", "D": "Done",
          "S": "Skipped"}  # fmt: skip
_OPS = {"EQ": "==", "NE": "!=", "GT": ">", "LT": "<", "GE": ">=", "LE": "<=",
        "GELE": "<= x <=", "GTLT": "< x <", "GELT": "<= x <", "GTLE": "< x <=",
        "LTGT": "outside", "LEGE": "outside (incl.)", "LOG": "log only"}  # fmt: skip


def _text(value: Any) -> str:
    return "" if value is None else escape(str(value))


def _limits(meas: Json) -> str:
    low, high, op = meas.get("lowLimit"), meas.get("highLimit"), str(meas.get("compOp") or "")
    shown = escape(_OPS.get(op, op))
    if op == "LOG" or (low is None and high is None):
        return shown
    if high is None:
        return f"{shown} {_text(low)}"
    return f"{_text(low)} {shown} {_text(high)}"


def _rows(report: Json) -> list[tuple[str, str, str, str, str]]:
    rows: list[tuple[str, str, str, str, str]] = []
    root = report.get("root")
    if not isinstance(root, dict):
        return rows
    for path, step in iter_steps(root):
        for meas in step.get("numericMeas") or []:
            name = f"{path}/{meas['name']}" if meas.get("name") else path
            value = f"{_text(meas.get('value'))} {_text(meas.get('unit'))}".strip()
            rows.append((name, value, _limits(meas), str(meas.get("status") or ""), "numeric"))
        for meas in step.get("stringMeas") or []:
            name = f"{path}/{meas['name']}" if meas.get("name") else path
            limit = _text(meas.get("limit")) if meas.get("compOp") != "LOG" else "log only"
            rows.append((name, _text(meas.get("value")), limit, str(meas.get("status") or ""),
                         "string"))  # fmt: skip
        for meas in step.get("booleanMeas") or []:
            name = f"{path}/{meas['name']}" if meas.get("name") else path
            rows.append((name, "", "pass/fail", str(meas.get("status") or ""), "boolean"))
    return rows


def render_certificate(report: Json) -> str:
    """One HTML page certifying the report (as exported, so names are filled in)."""
    test = report.get("type") == "T"
    result = _WORDS.get(str(report.get("result")), str(report.get("result")))
    header = report.get("uut") if test else report.get("uur")
    header = header if isinstance(header, dict) else {}
    facts = [
        ("Report", report.get("id")),
        ("Part number", report.get("pn")),
        ("Revision", report.get("rev")),
        ("Product", report.get("productName")),
        ("Serial number", report.get("sn")),
        ("Operation", f"{report.get('processCode')} {report.get('processName') or ''}".strip()),
        ("Station", report.get("machineName")),
        ("Location", report.get("location")),
        ("Purpose", report.get("purpose")),
        ("Operator", header.get("user")),
        ("Started", report.get("start")),
        ("Result", result),
    ]
    if test:
        facts.insert(10, ("Fixture", header.get("fixtureId")))
        facts.append(("Execution time", f"{header['execTime']} s" if header.get("execTime")
                      is not None else None))  # fmt: skip
    else:
        facts.append(("Repaired test", header.get("refUUT")))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{'Test' if test else 'Repair'} certificate {_text(report.get('sn'))}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:2px 8px;text-align:left}"
        ".F,.E,.T{color:#b00}.P{color:#070}</style></head><body>",
        f"<h1>{'Test' if test else 'Repair'} certificate</h1>",
        f'<p class="result {escape(str(report.get("result")))}">Result: <b>{_text(result)}</b></p>',
        '<table class="facts">',
    ]
    parts += [f"<tr><th>{escape(k)}</th><td>{_text(v)}</td></tr>" for k, v in facts
              if v not in (None, "")]  # fmt: skip
    parts.append("</table>")
    misc = report.get("miscInfos") or []
    if misc:
        parts.append("<h2>Misc info</h2><table>")
        for item in misc:
            value = item.get("text") if item.get("text") is not None else item.get("numeric")
            parts.append(
                f"<tr><th>{_text(item.get('description'))}</th><td>{_text(value)}</td></tr>"
            )
        parts.append("</table>")
    units = report.get("subUnits") or []
    if units:
        parts.append("<h2>Sub-units</h2><table><tr><th>Type</th><th>Part number</th>"
                     "<th>Revision</th><th>Serial number</th></tr>")  # fmt: skip
        for unit in units:
            parts.append("<tr>" + "".join(f"<td>{_text(unit.get(k))}</td>"
                         for k in ("partType", "pn", "rev", "sn")) + "</tr>")  # fmt: skip
        parts.append("</table>")
    if test:
        rows = _rows(report)
        failed = [row for row in rows if row[3] == "F"]
        parts.append(f"<h2>Measurements</h2><p>{len(rows)} measured, {len(failed)} failed</p>")
        if failed:
            parts.append("<h3>Failed</h3><ul>")
            parts += [f"<li>{escape(row[0])}: {row[1]} ({row[2]})</li>" for row in failed]
            parts.append("</ul>")
        parts.append("<table><tr><th>Step</th><th>Value</th><th>Limits</th><th>Status</th></tr>")
        for name, value, limits, status, _kind in rows:
            word = _WORDS.get(status, status)
            parts.append(f'<tr><td>{escape(name)}</td><td>{value}</td><td>{limits}</td>'
                         f'<td class="{escape(status)}">{escape(word)}</td></tr>')  # fmt: skip
        parts.append("</table>")
    else:
        parts.append("<h2>Failures repaired</h2><table><tr><th>Unit</th><th>Category</th>"
                     "<th>Code</th><th>Comment</th></tr>")  # fmt: skip
        for unit in units:
            for failure in unit.get("failures") or []:
                parts.append(
                    f"<tr><td>{_text(unit.get('sn'))}</td><td>{_text(failure.get('category'))}"
                    f"</td><td>{_text(failure.get('code'))}</td>"
                    f"<td>{_text(failure.get('comment'))}</td></tr>"
                )
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
