"""What one step measured: value, limits as a comparison, unit and verdict; plus its chart.

Limits are shown the way the operator compares them (``3.135 ≤ x ≤ 3.465 V``), with the WSJF
operator code beside it, because a technician reads the rule, not the code.

A step with several measurements lists each one as its name with the value and unit on one
line that is never cut (the value takes what it needs), and its limits, with the unit, on the
next line across the whole pane: the pane is about 40 columns wide at 80, where a table of
four columns cut every value (``CH0  2499.…  2490 ≤ x ≤  ✓``).
"""

from __future__ import annotations

import base64
import binascii

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from pywats.domains.report import Chart, NumericMeasurement, Step, StringMeasurement
from tui.widgets.step_chart import ChartData, ChartLine, StepChart
from tui.widgets.step_tree import status_text

__all__ = ["StepDetail", "chart_data", "describe_limits", "describe_string_limit"]

_RULES = {
    "EQ": "x = {low}",
    "NE": "x ≠ {low}",
    "GT": "x > {low}",
    "GE": "x ≥ {low}",
    "LT": "x < {low}",
    "LE": "x ≤ {low}",
    "GTLT": "{low} < x < {high}",
    "GTLE": "{low} < x ≤ {high}",
    "GELT": "{low} ≤ x < {high}",
    "GELE": "{low} ≤ x ≤ {high}",
    "LTGT": "x < {low} or x > {high}",
    "LTGE": "x < {low} or x ≥ {high}",
    "LEGT": "x ≤ {low} or x > {high}",
    "LEGE": "x ≤ {low} or x ≥ {high}",
}


def _num(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return "?" if value is None else str(value)


def describe_limits(meas: NumericMeasurement) -> str:
    """The pass rule of a numeric measurement, e.g. ``3.135 ≤ x ≤ 3.465``; ``logged`` for LOG."""
    op = str(meas.comp_op or "").upper()
    if op in ("", "LOG"):
        return "logged, no limits"
    rule = _RULES.get(op)
    if rule is None:
        return f"{op} {_num(meas.low_limit)} {_num(meas.high_limit)}".strip()
    return rule.format(low=_num(meas.low_limit), high=_num(meas.high_limit))


def describe_string_limit(meas: StringMeasurement) -> str:
    op = str(meas.comp_op or "").upper()
    if op in ("", "LOG"):
        return "logged, no limit"
    if op == "NE":
        return f"not {meas.limit!r}"
    if op == "IGNORECASE":
        return f"= {meas.limit!r} (any case)"
    return f"= {meas.limit!r}"


def chart_data(chart: Chart, fallback_title: str) -> ChartData:
    kind = str(chart.chart_type or "Line")
    x_axis = " ".join(part for part in (chart.x_label, f"({chart.x_unit})" if chart.x_unit
                                        else None) if part)  # fmt: skip
    lines = [
        ChartLine(series.name or f"series {index + 1}", series.x_values(), series.y_values())
        for index, series in enumerate(chart.series or [])
    ]
    return ChartData(
        title=chart.label or fallback_title,
        lines=lines,
        x_label=x_axis,
        y_label=chart.y_unit or chart.y_label or "",
        log_x=kind in ("LineLogX", "LineLogXY"),
        log_y=kind in ("LineLogY", "LineLogXY"),
    )


def _limits_with_unit(meas: NumericMeasurement) -> str:
    unit = f" {meas.unit}" if meas.unit and meas.comp_op not in (None, "LOG") else ""
    return f"{describe_limits(meas)}{unit} ({meas.comp_op or 'LOG'})"


def _numeric_table(step: Step) -> RenderableType:
    """One block per measurement: its name with the value, unit and verdict on the right (never
    cut), then its limits with the unit across the pane's whole width, wrapped if need be."""
    blocks: list[RenderableType] = []
    for meas in step.numeric_meas or []:
        unit = f" {meas.unit}" if meas.unit else ""
        verdict = status_text(meas.status)
        line = Table.grid(expand=True, padding=(0, 1))
        line.add_column(ratio=1, overflow="fold")
        line.add_column(justify="right", no_wrap=True)
        line.add_column(width=1, no_wrap=True)
        line.add_row(
            Text(meas.name or step.name or "", style="bold" if meas.name else ""),
            Text(f"{_num(meas.value)}{unit}", style="bold"),
            Text(verdict.plain[:1], style=verdict.style),
        )
        blocks.append(line)
        blocks.append(Text(f"  {_limits_with_unit(meas)}", style="dim"))
    return Group(*blocks)


def _single_numeric(step: Step, meas: NumericMeasurement) -> RenderableType:
    unit = f" {meas.unit}" if meas.unit else ""
    lines = Text()
    lines.append("Value    ", style="dim")
    lines.append(f"{_num(meas.value)}{unit}\n", style="bold")
    lines.append("Limits   ", style="dim")
    lines.append(f"{describe_limits(meas)}{unit if meas.comp_op not in (None, 'LOG') else ''}")
    lines.append(f"  ({meas.comp_op or 'LOG'})\n", style="dim")
    lines.append("Result   ", style="dim")
    lines.append_text(status_text(meas.status))
    return lines


def _strings(step: Step) -> RenderableType:
    items = step.string_meas or []
    if len(items) == 1:
        meas = items[0]
        text = Text()
        text.append("Value    ", style="dim")
        text.append(f"{meas.value!r}\n", style="bold")
        text.append("Limit    ", style="dim")
        text.append(f"{describe_string_limit(meas)}  ({meas.comp_op or 'LOG'})\n")
        text.append("Result   ", style="dim")
        text.append_text(status_text(meas.status))
        return text
    table = Table(box=None, pad_edge=False, expand=True, header_style="bold")
    table.add_column("Measure · limit", ratio=1, overflow="fold")
    table.add_column("Value", ratio=1, overflow="fold")
    table.add_column("", width=1, no_wrap=True)
    for meas in items:
        verdict = status_text(meas.status)
        name = Text(meas.name or "")
        name.append("\n")
        name.append(f"{describe_string_limit(meas)} ({meas.comp_op or 'LOG'})", style="dim")
        table.add_row(name, Text(meas.value or "", style="bold"),
                      Text(verdict.plain[:1], style=verdict.style))  # fmt: skip
    return table


def _booleans(step: Step) -> RenderableType:
    items = step.boolean_meas or []
    if len(items) == 1 and not items[0].name:
        text = Text("Result   ", style="dim")
        text.append_text(status_text(items[0].status))
        return text
    table = Table(box=None, pad_edge=False, expand=True, header_style="bold")
    table.add_column("Check", ratio=3, overflow="fold")
    table.add_column("Result", ratio=2)
    for meas in items:
        table.add_row(meas.name or "", status_text(meas.status))
    return table


def _facts(step: Step) -> Text:
    text = Text(step.name or "(unnamed)", style="bold")
    text.append("\n")
    text.append_text(status_text(step.status))
    facts = [str(step.step_type or "")]
    if isinstance(step.tot_time, int | float):
        facts.append(f"{step.tot_time:.3g} s")
    facts.append(f"#{step.id}")
    text.append("  " + " · ".join(f for f in facts if f), style="dim")
    if step.caused_uut_failure:
        text.append("\nThis step failed the unit.", style="bold red")
    if step.error_code or step.error_message:
        text.append(f"\nError {step.error_code or ''}: {step.error_message or ''}", style="red")
    return text


def _extras(step: Step) -> list[RenderableType]:
    parts: list[RenderableType] = []
    if step.message_popup is not None:
        popup = step.message_popup
        parts.append(
            Text(
                f"Operator pressed button {popup.button}"
                + (f", answered {popup.response!r}" if popup.response else "")
            )
        )
    if step.call_exe is not None:
        parts.append(Text(f"Exit code {_num(step.call_exe.exit_code)}"))
    if step.attachment is not None:
        size = 0
        try:
            size = len(base64.b64decode(step.attachment.data or "", validate=False))
        except (binascii.Error, ValueError):
            size = 0
        parts.append(Text(f"Attachment {step.attachment.name} ({step.attachment.content_type}, "
                          f"{size} bytes)", style="cyan"))  # fmt: skip
    if step.report_text:
        parts.append(Text(step.report_text, style="italic"))
    if step.steps:
        failed = sum(1 for child in step.steps if str(child.status) in ("F", "E", "T"))
        parts.append(Text(f"{len(step.steps)} steps, {failed} failed", style="dim"))
    return parts


class StepDetail(VerticalScroll):
    """The highlighted step's facts, measurements and chart."""

    def compose(self) -> ComposeResult:
        yield Static(id="step-facts")
        yield Static(id="step-measures")
        yield StepChart(id="step-chart")

    def on_mount(self) -> None:
        self.query_one("#step-chart", StepChart).display = False

    def show_step(self, step: Step | None) -> None:
        facts = self.query_one("#step-facts", Static)
        measures = self.query_one("#step-measures", Static)
        chart = self.query_one("#step-chart", StepChart)
        if step is None:
            facts.update(Text("Select a step to see what it measured.", style="italic"))
            measures.update("")
            chart.display = False
            return
        facts.update(_facts(step))
        parts: list[RenderableType] = []
        if step.numeric_meas:
            only = step.numeric_meas[0]
            single = len(step.numeric_meas) == 1 and not only.name
            parts.append(_single_numeric(step, only) if single else _numeric_table(step))
        if step.string_meas:
            parts.append(_strings(step))
        if step.boolean_meas:
            parts.append(_booleans(step))
        parts.extend(_extras(step))
        measures.update(Group(*parts) if parts else "")
        if step.chart is not None:
            chart.show(chart_data(step.chart, step.name or "Chart"))
            chart.display = True
        else:
            chart.display = False
        self.scroll_home(animate=False)
