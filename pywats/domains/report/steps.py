"""The step tree: one ``Step`` model for every step type, and its payload objects.

``stepType`` is free text on the server; what a step holds is decided by which payload keys
are present (``numericMeas``, ``seqCall``, ``chart``...). So there is one ``Step`` class with
every payload optional rather than a class per type: an unknown step type, or a known type
carrying an unusual payload (a ``NI_Wait`` with child steps), reads and writes unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from pydantic import Field

from ._base import (
    ChartTypeCode,
    CompOpCode,
    GroupCode,
    MeasStatusCode,
    Number,
    StatusCode,
    StringCompOpCode,
    WSJFModel,
)
from .common import AdditionalData, Attachment
from .timefmt import parse_wats_datetime

__all__ = [
    "BooleanMeasurement",
    "CallExe",
    "Chart",
    "ChartSeries",
    "LoopInfo",
    "Measurement",
    "MessagePopup",
    "NumericMeasurement",
    "SequenceCallInfo",
    "Step",
    "StringMeasurement",
]


class NumericMeasurement(WSJFModel):
    """A numeric value compared with limits. Single-limit operators use ``low_limit``."""

    comp_op: CompOpCode | None = Field(default=None, alias="compOp")
    name: str | None = Field(default=None, alias="name")
    status: MeasStatusCode | None = Field(default=None, alias="status")
    unit: str | None = Field(default=None, alias="unit")
    value: Number | None = Field(default=None, alias="value")
    value_format: str | None = Field(default=None, alias="valueFormat")
    high_limit: Number | None = Field(default=None, alias="highLimit")
    high_limit_format: str | None = Field(default=None, alias="highLimitFormat")
    low_limit: Number | None = Field(default=None, alias="lowLimit")
    low_limit_format: str | None = Field(default=None, alias="lowLimitFormat")


class StringMeasurement(WSJFModel):
    comp_op: StringCompOpCode | None = Field(default=None, alias="compOp")
    name: str | None = Field(default=None, alias="name")
    status: MeasStatusCode | None = Field(default=None, alias="status")
    value: str | None = Field(default=None, alias="value")
    limit: str | None = Field(default=None, alias="limit")


class BooleanMeasurement(WSJFModel):
    """A pass/fail result. There is no value: the status is the result."""

    name: str | None = Field(default=None, alias="name")
    status: MeasStatusCode | None = Field(default=None, alias="status")


Measurement = NumericMeasurement | StringMeasurement | BooleanMeasurement


class LoopInfo(WSJFModel):
    """Loop data. A summary step has ``idx`` None and the counts; iterations have ``idx``."""

    idx: int | None = Field(default=None, alias="idx")
    num: int | None = Field(default=None, alias="num")
    ending_index: int | None = Field(default=None, alias="endingIndex")
    passed: int | None = Field(default=None, alias="passed")
    failed: int | None = Field(default=None, alias="failed")


class SequenceCallInfo(WSJFModel):
    path: str | None = Field(default=None, alias="path")
    name: str | None = Field(default=None, alias="name")
    version: str | None = Field(default=None, alias="version")


class CallExe(WSJFModel):
    exit_code: Number | None = Field(default=None, alias="exitCode")
    exit_code_format: str | None = Field(default=None, alias="exitCodeFormat")


class MessagePopup(WSJFModel):
    response: str | None = Field(default=None, alias="response")
    button: int | None = Field(default=None, alias="button")
    button_format: str | None = Field(default=None, alias="buttonFormat")


def _split_numbers(text: str | None) -> list[float]:
    return [float(part) for part in text.split(";") if part] if text else []


class ChartSeries(WSJFModel):
    """One series; ``xdata``/``ydata`` are semicolon-separated decimals as on the wire."""

    data_type: str | None = Field(default=None, alias="dataType")
    name: str | None = Field(default=None, alias="name")
    xdata: str | None = Field(default=None, alias="xdata")
    ydata: str | None = Field(default=None, alias="ydata")

    def x_values(self) -> list[float]:
        return _split_numbers(self.xdata)

    def y_values(self) -> list[float]:
        return _split_numbers(self.ydata)


class Chart(WSJFModel):
    chart_type: ChartTypeCode | None = Field(default=None, alias="chartType")
    label: str | None = Field(default=None, alias="label")
    x_label: str | None = Field(default=None, alias="xLabel")
    x_unit: str | None = Field(default=None, alias="xUnit")
    y_label: str | None = Field(default=None, alias="yLabel")
    y_unit: str | None = Field(default=None, alias="yUnit")
    series: list[ChartSeries] | None = Field(default=None, alias="series")


class Step(WSJFModel):
    """A step of any type. Fields are in the server's order, which output keeps."""

    id: int | None = Field(default=None, alias="id")
    group: GroupCode | None = Field(default=None, alias="group")
    step_type: str | None = Field(default=None, alias="stepType")
    interactive_exe_num: int | None = Field(default=None, alias="interactiveExeNum")
    interactive_exe_num_format: str | None = Field(default=None, alias="interactiveExeNumFormat")
    loop: LoopInfo | None = Field(default=None, alias="loop")
    name: str | None = Field(default=None, alias="name")
    start: str | None = Field(default=None, alias="start")
    status: StatusCode | None = Field(default=None, alias="status")
    error_code: int | None = Field(default=None, alias="errorCode")
    error_code_format: str | None = Field(default=None, alias="errorCodeFormat")
    error_message: str | None = Field(default=None, alias="errorMessage")
    ts_guid: str | None = Field(default=None, alias="tsGuid")
    tot_time: Number | None = Field(default=None, alias="totTime")
    tot_time_format: str | None = Field(default=None, alias="totTimeFormat")
    caused_seq_failure: bool | None = Field(default=None, alias="causedSeqFailure")
    caused_uut_failure: bool | None = Field(default=None, alias="causedUUTFailure")
    report_text: str | None = Field(default=None, alias="reportText")
    steps: list[Step] | None = Field(default=None, alias="steps")
    numeric_meas: list[NumericMeasurement] | None = Field(default=None, alias="numericMeas")
    string_meas: list[StringMeasurement] | None = Field(default=None, alias="stringMeas")
    boolean_meas: list[BooleanMeasurement] | None = Field(default=None, alias="booleanMeas")
    additional_results: list[AdditionalData] | None = Field(default=None, alias="additionalResults")
    seq_call: SequenceCallInfo | None = Field(default=None, alias="seqCall")
    call_exe: CallExe | None = Field(default=None, alias="callExe")
    message_popup: MessagePopup | None = Field(default=None, alias="messagePopup")
    chart: Chart | None = Field(default=None, alias="chart")
    attachment: Attachment | None = Field(default=None, alias="attachment")

    @property
    def measurements(self) -> list[Measurement]:
        """All measurements of the step, numeric first, then string, then boolean."""
        found: list[Measurement] = []
        found.extend(self.numeric_meas or ())
        found.extend(self.string_meas or ())
        found.extend(self.boolean_meas or ())
        return found

    @property
    def start_datetime(self) -> datetime | None:
        return parse_wats_datetime(self.start) if self.start else None

    @property
    def is_loop_summary(self) -> bool:
        return self.loop is not None and self.loop.idx is None

    @property
    def is_loop_iteration(self) -> bool:
        return self.loop is not None and self.loop.idx is not None

    def walk(self, path: str = "") -> Iterator[tuple[str, Step]]:
        """Yield ``(path, step)`` depth-first in pre-order (the order of step ids).

        A path joins step names with ``/``, starting with this step's name
        (``"MainSequence Callback/Power/VCC 3V3"``).
        """
        here = f"{path}/{self.name or ''}" if path else (self.name or "")
        yield here, self
        for child in self.steps or ():
            yield from child.walk(here)

    def find(self, step_id: int) -> Step | None:
        """The step with ``id == step_id`` in this subtree, or None."""
        for _, step in self.walk():
            if step.id == step_id:
                return step
        return None
