"""Build a test (UUT) report from a station script.

    report = UUTBuilder(
        part_number="PCBA-100", revision="A", serial_number="SN0001", process_code=50,
        station="ICT-01", location="Line 1", purpose="Production", operator="ola",
    )
    with report.sequence("Power") as power:
        power.numeric("VCC 3V3", 3.31, "V", low=3.2, high=3.4)
        power.pass_fail("Fuse intact", True)
        rails = power.multi_numeric("Rails")
        rails.measure("5V", 5.02, "V", low=4.9, high=5.1)
        rails.measure("12V", 11.2, "V", low=11.5, high=12.5)
    report.misc_info("Firmware", "1.4.2")
    uut = report.build()          # validates; raises ReportValidationError naming step + field

Statuses follow from the measurements unless set explicitly; the rules are in
:mod:`pywats.domains.report.status`. Every builder keeps what the script gave and turns it
into models only in ``build()``, so a step may be changed until then and ``build()`` can be
called again.

Comparison operators when ``comp`` is not given: both limits -> ``GELE``, only ``low`` ->
``GE``, only ``high`` -> ``LE``, no limit -> ``LOG``. A single-limit operator takes its
limit from ``low`` or, when ``low`` is not given, from ``high``; on the wire it is always
``lowLimit``, as the format requires.
"""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime
from itertools import count
from types import TracebackType
from typing import Self, TypedDict, TypeVar, Unpack

from ._base import WSJFModel, model_with
from .common import AdditionalData, Attachment
from .enums import (
    ChartType,
    MeasurementStatus,
    NumericCompOp,
    ReportResult,
    StepGroup,
    StepStatus,
    StepType,
    StringCompOp,
)
from .header import Asset, MiscInfo, SubUnit
from .limits import numeric_passes, string_passes
from .reports import UUTInfo, UUTReport
from .status import report_result, sequence_status, step_status
from .steps import (
    BooleanMeasurement,
    CallExe,
    Chart,
    ChartSeries,
    MessagePopup,
    NumericMeasurement,
    SequenceCallInfo,
    Step,
    StringMeasurement,
)
from .timefmt import format_wats_datetime, format_wats_utc
from .validation import validate_report

__all__ = [
    "ActionStep",
    "CallExeStep",
    "ChartStep",
    "MessagePopupStep",
    "MultiNumericStep",
    "MultiPassFailStep",
    "MultiStringStep",
    "NumericStep",
    "PassFailStep",
    "SequenceBuilder",
    "StepBuilder",
    "StringStep",
    "UUTBuilder",
    "encode_attachment",
]

# Step statuses that a single measurement can carry too (rule in status.py).
_MEASUREMENT_CODES = {"P", "F", "S"}


def encode_attachment(data: bytes | str) -> str:
    """Base64 text for an attachment; ``str`` is encoded as UTF-8 first."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return base64.b64encode(raw).decode("ascii")


def _numeric_op(comp: NumericCompOp | str | None, low: float | None, high: float | None) -> str:
    if comp is None:
        if low is not None and high is not None:
            return NumericCompOp.GELE
        if low is not None:
            return NumericCompOp.GE
        return NumericCompOp.LE if high is not None else NumericCompOp.LOG
    try:
        return NumericCompOp(str(comp).upper())
    except ValueError:
        return str(comp)  # kept as given; validation names it


def _string_op(comp: StringCompOp | str | None, limit: str | None) -> str:
    if comp is None:
        return StringCompOp.CASESENSIT if limit is not None else StringCompOp.LOG
    return StringCompOp.lookup(str(comp)) or str(comp)


def _float(number: float | None) -> float | None:
    # Doubles go out with a fraction (10.0, not 10), as the server writes them.
    return None if number is None else float(number)


class _Spec:
    """One measurement as the script gave it, already in wire form."""

    field: str  # the Step field its model goes in

    def __init__(self, name: str | None, status: MeasurementStatus | str | None) -> None:
        self.name, self.status = name, status

    def passes(self) -> bool | None:
        """Whether the value passes; None when it cannot be known (unknown operator)."""
        raise NotImplementedError

    def computed_status(self) -> str | None:
        if self.status is not None:
            return self.status
        passed = self.passes()
        if passed is None:
            return None  # validation reports the cause
        return MeasurementStatus.PASSED if passed else MeasurementStatus.FAILED

    def to_model(self, status: str | None) -> WSJFModel:
        raise NotImplementedError


class _NumericSpec(_Spec):
    field = "numeric_meas"

    def __init__(
        self,
        name: str | None,
        value: float,
        unit: str | None,
        *,
        low: float | None,
        high: float | None,
        comp: NumericCompOp | str | None,
        status: MeasurementStatus | str | None,
    ) -> None:
        super().__init__(name, status)
        self.value, self.unit = float(value), unit
        self.comp_op = _numeric_op(comp, low, high)
        self.low, self.high = _float(low), _float(high)
        if isinstance(self.comp_op, NumericCompOp):
            if self.comp_op.limit_count == 1 and low is None:
                self.low, self.high = _float(high), None
            elif self.comp_op.limit_count == 0:
                self.low = self.high = None

    def passes(self) -> bool | None:
        if not isinstance(self.comp_op, NumericCompOp):
            return None
        return numeric_passes(self.comp_op, self.value, self.low, self.high)

    def to_model(self, status: str | None) -> NumericMeasurement:
        return model_with(
            NumericMeasurement,
            comp_op=self.comp_op,
            name=self.name,
            status=status,
            unit=self.unit,
            value=self.value,
            high_limit=self.high,
            low_limit=self.low,
        )


class _StringSpec(_Spec):
    field = "string_meas"

    def __init__(
        self,
        name: str | None,
        value: str,
        *,
        limit: str | None,
        comp: StringCompOp | str | None,
        status: MeasurementStatus | str | None,
    ) -> None:
        super().__init__(name, status)
        self.value, self.limit = value, limit
        self.comp_op = _string_op(comp, limit)

    def passes(self) -> bool | None:
        if not isinstance(self.comp_op, StringCompOp):
            return None
        return string_passes(self.comp_op, self.value, self.limit)

    def to_model(self, status: str | None) -> StringMeasurement:
        return model_with(
            StringMeasurement,
            comp_op=self.comp_op,
            name=self.name,
            status=status,
            value=self.value,
            limit=self.limit,
        )


class _BooleanSpec(_Spec):
    field = "boolean_meas"

    def __init__(
        self, name: str | None, passed: bool, status: MeasurementStatus | str | None
    ) -> None:
        super().__init__(name, status)
        self.passed = passed

    def passes(self) -> bool:
        return self.passed

    def to_model(self, status: str | None) -> BooleanMeasurement:
        return model_with(BooleanMeasurement, name=self.name, status=status)


class StepOptions(TypedDict, total=False):
    """Keyword options every step accepts."""

    status: StepStatus | str | None
    group: StepGroup | str
    tot_time: float | None
    report_text: str | None
    step_type: str | None


class ChartOptions(StepOptions, total=False):
    """Keyword options of a chart step: its labels, units and type (default ``Line``)."""

    label: str | None
    x_label: str | None
    x_unit: str | None
    y_label: str | None
    y_unit: str | None
    chart_type: ChartType | str


class StepBuilder:
    """A step being built. ``status`` None means "follow from the measurements".

    Attributes (``status``, ``tot_time``, ``report_text``, ``error_code``,
    ``error_message``, ``start``) may be changed until the report is built.
    """

    step_type: str = StepType.ACTION
    single = False  # one unnamed measurement, whose status must equal the step's

    def __init__(
        self,
        name: str,
        *,
        status: StepStatus | str | None = None,
        group: StepGroup | str = StepGroup.MAIN,
        tot_time: float | None = None,
        report_text: str | None = None,
        step_type: str | None = None,
    ) -> None:
        self.name = name
        self.status: StepStatus | str | None = status
        self.group = group
        self.tot_time = tot_time
        self.report_text = report_text
        self.error_code: int | None = None
        self.error_message: str | None = None
        self.start: datetime | None = None
        if step_type is not None:
            self.step_type = step_type
        self._specs: list[_Spec] = []
        self._attachment: Attachment | None = None

    def attach(
        self, name: str, data: bytes | str, content_type: str = "application/octet-stream"
    ) -> Self:
        """Attach one file to this step (the format allows one per step)."""
        self._attachment = Attachment(
            name=name, content_type=content_type, data=encode_attachment(data)
        )
        return self

    def set_error(self, code: int, message: str | None = None) -> Self:
        """Record an error code and message; the status is left to the rules."""
        self.error_code, self.error_message = code, message
        return self

    def _measurement_statuses(self) -> list[str | None]:
        explicit = self.status if self.single and self.status in _MEASUREMENT_CODES else None
        return [explicit or spec.computed_status() for spec in self._specs]

    def _payload(self) -> dict[str, object]:
        """Type-specific Step fields besides measurements (chart, callExe, ...)."""
        return {}

    def _children(self, ids: Iterator[int]) -> list[Step] | None:
        """Built child steps; None for a step that cannot have children."""
        return None

    def _tot_time(self, children: list[Step] | None) -> float:
        if self.tot_time is not None:
            return round(float(self.tot_time), 6)
        # An untimed sequence took as long as its children together.
        return round(sum((float(child.tot_time or 0.0) for child in children or ()), 0.0), 6)

    def _to_model(self, ids: Iterator[int]) -> Step:
        step_id = next(ids)  # taken before the children's: ids run in pre-order
        children = self._children(ids)
        statuses = self._measurement_statuses()
        measurements: dict[str, list[object]] = {}
        for spec, code in zip(self._specs, statuses, strict=True):
            measurements.setdefault(spec.field, []).append(spec.to_model(code))
        if self.status is not None:
            status = str(self.status)
        elif children is not None:
            status = sequence_status(str(child.status) for child in children)
        else:
            status = step_status(code for code in statuses if code is not None)
        return model_with(
            Step,
            id=step_id,
            group=self.group,
            step_type=self.step_type,
            name=self.name,
            start=format_wats_datetime(self.start) if self.start else None,
            status=status,
            error_code=self.error_code,
            error_message=self.error_message,
            tot_time=self._tot_time(children),
            caused_uut_failure=False,
            report_text=self.report_text,
            steps=children,
            attachment=self._attachment.model_copy() if self._attachment else None,
            **measurements,
            **self._payload(),
        )


class NumericStep(StepBuilder):
    """One numeric measurement (``ET_NLT``)."""

    step_type = StepType.NUMERIC
    single = True

    def __init__(
        self,
        name: str,
        value: float,
        unit: str | None = None,
        *,
        low: float | None = None,
        high: float | None = None,
        comp: NumericCompOp | str | None = None,
        **options: Unpack[StepOptions],
    ) -> None:
        super().__init__(name, **options)
        self._specs.append(
            _NumericSpec(None, value, unit, low=low, high=high, comp=comp, status=None)
        )


class MultiNumericStep(StepBuilder):
    """Several named numeric measurements (``ET_MNLT``); add them with :meth:`measure`."""

    step_type = StepType.MULTI_NUMERIC

    def measure(
        self,
        name: str | None,
        value: float,
        unit: str | None = None,
        *,
        low: float | None = None,
        high: float | None = None,
        comp: NumericCompOp | str | None = None,
        status: MeasurementStatus | str | None = None,
    ) -> Self:
        self._specs.append(
            _NumericSpec(name, value, unit, low=low, high=high, comp=comp, status=status)
        )
        return self


def _number_text(value: float) -> str:
    # Whole numbers without ".0" ("0;1;2" as the server writes them), others in full precision.
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


class ChartStep(MultiNumericStep):
    """A chart, optionally with numeric measurements (``WATS_XYGMNLT``).

    Add series with :meth:`series` and measurements with :meth:`measure` (one measurement
    may be unnamed).
    """

    step_type = StepType.CHART

    def __init__(
        self,
        name: str,
        *,
        label: str | None = None,
        x_label: str | None = None,
        x_unit: str | None = None,
        y_label: str | None = None,
        y_unit: str | None = None,
        chart_type: ChartType | str = ChartType.LINE,
        **options: Unpack[StepOptions],
    ) -> None:
        super().__init__(name, **options)
        self.chart_type = chart_type
        self.label, self.x_label, self.x_unit = label, x_label, x_unit
        self.y_label, self.y_unit = y_label, y_unit
        self._chart_series: list[ChartSeries] = []

    def series(self, name: str, y: Sequence[float], x: Sequence[float] | None = None) -> Self:
        """Add a series; without ``x`` the points are numbered 0, 1, 2, ..."""
        xs = range(len(y)) if x is None else x
        self._chart_series.append(
            model_with(
                ChartSeries,
                data_type="XYG",
                name=name,
                xdata=";".join(_number_text(v) for v in xs),
                ydata=";".join(_number_text(v) for v in y),
            )
        )
        return self

    def _payload(self) -> dict[str, object]:
        chart = model_with(
            Chart,
            chart_type=self.chart_type,
            label=self.label,
            x_label=self.x_label,
            x_unit=self.x_unit,
            y_label=self.y_label,
            y_unit=self.y_unit,
            series=[series.model_copy() for series in self._chart_series],
        )
        return {"chart": chart}


class PassFailStep(StepBuilder):
    """One pass/fail result (``ET_PFT``)."""

    step_type = StepType.PASS_FAIL
    single = True

    def __init__(self, name: str, passed: bool, **options: Unpack[StepOptions]) -> None:
        super().__init__(name, **options)
        self._specs.append(_BooleanSpec(None, passed, None))


class MultiPassFailStep(StepBuilder):
    """Several named pass/fail results (``ET_MPFT``); add them with :meth:`measure`."""

    step_type = StepType.MULTI_PASS_FAIL

    def measure(
        self, name: str, passed: bool, *, status: MeasurementStatus | str | None = None
    ) -> Self:
        self._specs.append(_BooleanSpec(name, passed, status))
        return self


class StringStep(StepBuilder):
    """One string compared with a limit (``ET_SVT``); ``CASESENSIT`` when a limit is given."""

    step_type = StepType.STRING
    single = True

    def __init__(
        self,
        name: str,
        value: str,
        *,
        limit: str | None = None,
        comp: StringCompOp | str | None = None,
        **options: Unpack[StepOptions],
    ) -> None:
        super().__init__(name, **options)
        self._specs.append(_StringSpec(None, value, limit=limit, comp=comp, status=None))


class MultiStringStep(StepBuilder):
    """Several named strings (``ET_MSVT``); add them with :meth:`measure`."""

    step_type = StepType.MULTI_STRING

    def measure(
        self,
        name: str,
        value: str,
        *,
        limit: str | None = None,
        comp: StringCompOp | str | None = None,
        status: MeasurementStatus | str | None = None,
    ) -> Self:
        self._specs.append(_StringSpec(name, value, limit=limit, comp=comp, status=status))
        return self


class ActionStep(StepBuilder):
    """A step without measurements (``Action`` or any generic type); ``D`` unless set."""


class CallExeStep(StepBuilder):
    """An executable that was run (``CallExecutable``) and its exit code."""

    step_type = StepType.CALL_EXECUTABLE

    def __init__(self, name: str, exit_code: float, **options: Unpack[StepOptions]) -> None:
        super().__init__(name, **options)
        self.exit_code = exit_code

    def _payload(self) -> dict[str, object]:
        return {"call_exe": model_with(CallExe, exit_code=float(self.exit_code))}


class MessagePopupStep(StepBuilder):
    """A message shown to the operator (``MessagePopup``): button index and response."""

    step_type = StepType.MESSAGE_POPUP

    def __init__(
        self,
        name: str,
        button: int,
        response: str | None = None,
        **options: Unpack[StepOptions],
    ) -> None:
        super().__init__(name, **options)
        self.button, self.response = button, response

    def _payload(self) -> dict[str, object]:
        popup = model_with(MessagePopup, button=self.button, response=self.response)
        return {"message_popup": popup}


_S = TypeVar("_S", bound=StepBuilder)


class SequenceBuilder(StepBuilder):
    """A sequence call (``SequenceCall``) holding child steps, in the order they are added.

    As a context manager it records its start and time, and a exception leaving the block
    marks it ``E`` (error) with the exception as error message, unless a status was set.
    """

    step_type = StepType.SEQUENCE_CALL

    def __init__(
        self,
        name: str,
        *,
        path: str | None = None,
        version: str | None = None,
        **options: Unpack[StepOptions],
    ) -> None:
        super().__init__(name, **options)
        self.path, self.version = path, version
        self._steps: list[StepBuilder] = []
        self._entered: float | None = None

    def __enter__(self) -> Self:
        self._entered = time.perf_counter()
        if self.start is None:
            self.start = datetime.now().astimezone()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.tot_time is None and self._entered is not None:
            self.tot_time = time.perf_counter() - self._entered
        if exc is not None and self.status is None:
            self.status = StepStatus.ERROR
            self.error_message = self.error_message or f"{type(exc).__name__}: {exc}"

    @property
    def steps(self) -> tuple[StepBuilder, ...]:
        return tuple(self._steps)

    def add(self, step: _S) -> _S:
        """Append a step built elsewhere and return it."""
        self._steps.append(step)
        return step

    def sequence(
        self,
        name: str,
        *,
        path: str | None = None,
        version: str | None = None,
        **options: Unpack[StepOptions],
    ) -> SequenceBuilder:
        return self.add(SequenceBuilder(name, path=path, version=version, **options))

    def numeric(
        self,
        name: str,
        value: float,
        unit: str | None = None,
        *,
        low: float | None = None,
        high: float | None = None,
        comp: NumericCompOp | str | None = None,
        **options: Unpack[StepOptions],
    ) -> NumericStep:
        """A numeric limit step; see the module docs for how ``comp`` is chosen."""
        return self.add(NumericStep(name, value, unit, low=low, high=high, comp=comp, **options))

    def pass_fail(self, name: str, passed: bool, **options: Unpack[StepOptions]) -> PassFailStep:
        return self.add(PassFailStep(name, passed, **options))

    def string(
        self,
        name: str,
        value: str,
        *,
        limit: str | None = None,
        comp: StringCompOp | str | None = None,
        **options: Unpack[StepOptions],
    ) -> StringStep:
        return self.add(StringStep(name, value, limit=limit, comp=comp, **options))

    def multi_numeric(self, name: str, **options: Unpack[StepOptions]) -> MultiNumericStep:
        return self.add(MultiNumericStep(name, **options))

    def multi_pass_fail(self, name: str, **options: Unpack[StepOptions]) -> MultiPassFailStep:
        return self.add(MultiPassFailStep(name, **options))

    def multi_string(self, name: str, **options: Unpack[StepOptions]) -> MultiStringStep:
        return self.add(MultiStringStep(name, **options))

    def chart(self, name: str, **options: Unpack[ChartOptions]) -> ChartStep:
        """A chart step; add series and measurements to what it returns."""
        return self.add(ChartStep(name, **options))

    def action(self, name: str, **options: Unpack[StepOptions]) -> ActionStep:
        """A step without measurements; pass ``step_type`` for ``Label``, ``NI_Wait``..."""
        return self.add(ActionStep(name, **options))

    def call_exe(self, name: str, exit_code: float, **options: Unpack[StepOptions]) -> CallExeStep:
        return self.add(CallExeStep(name, exit_code, **options))

    def message_popup(
        self,
        name: str,
        button: int,
        response: str | None = None,
        **options: Unpack[StepOptions],
    ) -> MessagePopupStep:
        return self.add(MessagePopupStep(name, button, response, **options))

    def _children(self, ids: Iterator[int]) -> list[Step]:
        return [step._to_model(ids) for step in self._steps]

    def _payload(self) -> dict[str, object]:
        call = model_with(SequenceCallInfo, path=self.path, name=self.name, version=self.version)
        return {"seq_call": call}


def _failure_origin(step: Step) -> Step:
    """Follow failed children down to the first step whose failure did not come from below."""
    for child in step.steps or ():
        if child.status == StepStatus.FAILED:
            return _failure_origin(child)
    return step


class UUTBuilder:
    """A test report under construction. ``build()`` turns it into a ``UUTReport``.

    Header arguments use the names a station script thinks in; the docstring of each maps it
    to WSJF: ``station`` -> ``machineName``, ``operator`` -> ``uut.user``, ``batch_serial_number``
    -> ``uut.batchSN``. ``start`` defaults to now; a naive datetime is taken as local time.
    ``result`` (None: follow the root sequence) and ``exec_time`` (None: seconds since the
    builder was created) may be set before ``build()``.
    """

    def __init__(
        self,
        *,
        part_number: str,
        serial_number: str,
        revision: str,
        process_code: int,
        station: str,
        location: str,
        purpose: str,
        operator: str | None = None,
        start: datetime | None = None,
        report_id: uuid.UUID | str | None = None,
        fixture_id: str | None = None,
        batch_serial_number: str | None = None,
        test_socket_index: int | None = None,
        comment: str | None = None,
        root_name: str = "MainSequence Callback",
        sequence_file: str | None = None,
        sequence_version: str | None = None,
    ) -> None:
        self.part_number, self.serial_number, self.revision = part_number, serial_number, revision
        self.process_code = process_code
        self.station, self.location, self.purpose = station, location, purpose
        self.operator = operator
        self.start = start or datetime.now().astimezone()
        self.report_id = str(report_id or uuid.uuid4())
        self.fixture_id = fixture_id
        self.batch_serial_number = batch_serial_number
        self.test_socket_index = test_socket_index
        self.comment = comment
        self.result: ReportResult | str | None = None
        self.exec_time: float | None = None
        self.error_code: int | None = None
        self.error_message: str | None = None
        self.root = SequenceBuilder(root_name, path=sequence_file, version=sequence_version)
        self._misc_infos: list[MiscInfo] = []
        self._sub_units: list[SubUnit] = []
        self._assets: list[Asset] = []
        self._additional_data: list[AdditionalData] = []
        self._created = time.perf_counter()

    def sequence(
        self,
        name: str,
        *,
        path: str | None = None,
        version: str | None = None,
        **options: Unpack[StepOptions],
    ) -> SequenceBuilder:
        """A sequence directly under the root; use ``root`` to add other steps there."""
        return self.root.sequence(name, path=path, version=version, **options)

    def misc_info(
        self, description: str, text: str | None = None, *, numeric: int | None = None
    ) -> Self:
        """A labelled value on the header (searchable on the server)."""
        self._misc_infos.append(
            model_with(MiscInfo, description=description, text=text, numeric=numeric)
        )
        return self

    def sub_unit(
        self,
        part_type: str,
        *,
        part_number: str,
        serial_number: str,
        revision: str,
        position: int | None = None,
    ) -> Self:
        """A sub-assembly that was part of the unit under test."""
        self._sub_units.append(
            model_with(
                SubUnit,
                part_type=part_type,
                part_number=part_number,
                serial_number=serial_number,
                revision=revision,
                position=position,
            )
        )
        return self

    def asset(self, serial_number: str, usage_count: int | None = None) -> Self:
        """Test equipment used (``assets[].assetSN``)."""
        self._assets.append(model_with(Asset, asset_sn=serial_number, usage_count=usage_count))
        return self

    def additional_data(self, data: AdditionalData) -> Self:
        self._additional_data.append(data)
        return self

    def build(self, *, validate: bool = True) -> UUTReport:
        """The report as a model. With ``validate`` (the default) a report that is not fit to
        submit raises ``ReportValidationError`` naming each step path and field at fault."""
        root = self.root._to_model(count(1))
        result = self.result if self.result is not None else report_result(str(root.status))
        failed_at: int | None = None
        if result == ReportResult.FAILED and root.status == StepStatus.FAILED:
            origin = _failure_origin(root)
            origin.caused_uut_failure = True
            failed_at = origin.id
        elapsed = time.perf_counter() - self._created
        uut = model_with(
            UUTInfo,
            exec_time=round(float(self.exec_time if self.exec_time is not None else elapsed), 6),
            test_socket_index=self.test_socket_index,
            batch_sn=self.batch_serial_number,
            comment=self.comment,
            error_code=self.error_code,
            error_message=self.error_message,
            fixture_id=self.fixture_id,
            user=self.operator,
            step_id_caused_uut_failure=failed_at,
        )
        report = model_with(
            UUTReport,
            type="T",
            id=self.report_id,
            part_number=self.part_number,
            serial_number=self.serial_number,
            revision=self.revision,
            process_code=self.process_code,
            result=result,
            machine_name=self.station,
            location=self.location,
            purpose=self.purpose,
            start=format_wats_datetime(self.start),
            start_utc=format_wats_utc(self.start),
            root=root,
            uut=uut,
            misc_infos=[info.model_copy() for info in self._misc_infos],
            sub_units=[unit.model_copy() for unit in self._sub_units],
            assets=[asset.model_copy() for asset in self._assets],
            additional_data=[data.model_copy(deep=True) for data in self._additional_data],
        )
        if validate:
            validate_report(report)
        return report

    def validate(self) -> None:
        """Raise ``ReportValidationError`` if the report as built now is not fit to submit."""
        self.build(validate=True)
