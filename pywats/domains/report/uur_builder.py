"""Build a repair (UUR) report, usually from the failed test report it repairs.

    uur = UURBuilder.from_uut(failed, repair_process_code=500, station="RW-01",
                              location="Line 1", purpose="Repair", operator="tech")
    origin = uur.failed_steps[0]                     # where the test failed
    uur.add_failure("Component", "Burned Component", step=origin, com_ref="U1")
    report = uur.build()

The repaired unit is sub unit ``idx`` 0; the test's sub units follow as its children. A
failure points at the test step that uncovered it through ``refStepId`` (the step's id).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Self

from pywats.errors import WATSValidationError

from ._base import model_with
from .builder import encode_attachment
from .common import BinaryData
from .enums import ReportResult, StepStatus
from .header import Failure, MiscInfo, SubUnit
from .reports import UURInfo, UURReport, UUTReport
from .steps import Step
from .timefmt import format_wats_datetime, format_wats_utc
from .validation import validate_report

__all__ = ["FailedStep", "UURBuilder"]


@dataclass(frozen=True, slots=True)
class FailedStep:
    """A step where a test failed: its id, its path and the step itself."""

    id: int
    path: str
    step: Step


def failed_steps(uut: UUTReport) -> list[FailedStep]:
    """Failed steps of ``uut`` whose failure did not come from a failed child, in id order."""
    found = []
    for path, step in uut.walk():
        failed_below = any(child.status == StepStatus.FAILED for child in step.steps or ())
        if step.status == StepStatus.FAILED and not failed_below and step.id is not None:
            found.append(FailedStep(step.id, path, step))
    return found


class UURBuilder:
    """A repair report under construction. ``build()`` turns it into a ``UURReport``.

    ``repair_process_code`` is the repair operation (the report's ``processCode``);
    ``test_process_code`` is the test operation that failed (``uur.processCode``).
    ``result``, ``exec_time``, ``confirm_date`` and ``finalize_date`` may be set before
    ``build()``; the dates default to the time of ``build()``.
    """

    def __init__(
        self,
        *,
        part_number: str,
        serial_number: str,
        revision: str,
        repair_process_code: int,
        test_process_code: int | None,
        station: str,
        location: str,
        purpose: str,
        operator: str | None = None,
        start: datetime | None = None,
        report_id: uuid.UUID | str | None = None,
        ref_uut: uuid.UUID | str | None = None,
        comment: str | None = None,
        main_part_type: str = "Main",
    ) -> None:
        self.part_number, self.serial_number, self.revision = part_number, serial_number, revision
        self.repair_process_code = repair_process_code
        self.test_process_code = test_process_code
        self.station, self.location, self.purpose = station, location, purpose
        self.operator = operator
        self.start = start or datetime.now().astimezone()
        self.report_id = str(report_id or uuid.uuid4())
        self.ref_uut = str(ref_uut) if ref_uut is not None else None
        self.comment = comment
        self.result: ReportResult | str = ReportResult.PASSED
        self.exec_time: float | None = None
        self.confirm_date: datetime | None = None
        self.finalize_date: datetime | None = None
        self._uut: UUTReport | None = None
        self._units = [
            model_with(
                SubUnit,
                part_type=main_part_type,
                part_number=part_number,
                revision=revision,
                serial_number=serial_number,
                idx=0,
            )
        ]
        self._misc_infos: list[MiscInfo] = []
        self._binary_data: list[BinaryData] = []
        self._created = time.perf_counter()

    @classmethod
    def from_uut(
        cls,
        uut: UUTReport,
        *,
        repair_process_code: int,
        station: str,
        location: str,
        purpose: str,
        operator: str | None = None,
        comment: str | None = None,
        start: datetime | None = None,
    ) -> Self:
        """A repair of the unit ``uut`` tested: same unit, linked by ``refUUT``, with the
        test's sub units under the main unit so failures can be placed on them."""
        builder = cls(
            part_number=uut.part_number or "",
            serial_number=uut.serial_number or "",
            revision=uut.revision or "",
            repair_process_code=repair_process_code,
            test_process_code=uut.process_code,
            station=station,
            location=location,
            purpose=purpose,
            operator=operator,
            start=start,
            ref_uut=uut.id,
            comment=comment,
        )
        builder._uut = uut
        for unit in uut.sub_units or ():
            builder.sub_unit(
                unit.part_type or "",
                part_number=unit.part_number or "",
                serial_number=unit.serial_number or "",
                revision=unit.revision or "",
                position=unit.position,
            )
        return builder

    @property
    def failed_steps(self) -> list[FailedStep]:
        """Where the referenced test failed (empty without a test report)."""
        return failed_steps(self._uut) if self._uut is not None else []

    @property
    def units(self) -> tuple[SubUnit, ...]:
        return tuple(self._units)

    def sub_unit(
        self,
        part_type: str,
        *,
        part_number: str,
        serial_number: str,
        revision: str,
        parent_idx: int = 0,
        position: int | None = None,
        replaced_idx: int | None = None,
    ) -> int:
        """Add a unit under ``parent_idx`` (default: the main unit); returns its ``idx``."""
        idx = len(self._units)
        self._units.append(
            model_with(
                SubUnit,
                part_type=part_type,
                part_number=part_number,
                revision=revision,
                serial_number=serial_number,
                idx=idx,
                parent_idx=parent_idx,
                position=position,
                replaced_idx=replaced_idx,
            )
        )
        return idx

    def _step_id(self, step: int | str | Step | FailedStep) -> int:
        if isinstance(step, FailedStep):
            return step.id
        if isinstance(step, Step):
            if step.id is None:
                raise WATSValidationError("the step has no id", field="refStepId")
            return step.id
        steps = self._uut.walk() if self._uut is not None else []
        if isinstance(step, int):
            if self._uut is not None and all(found.id != step for _, found in steps):
                raise WATSValidationError(f"the test report has no step {step}", field="refStepId")
            return step
        match = next((found.id for path, found in steps if path == step), None)
        if match is None:
            where = "the test report" if self._uut is not None else "no test report (use from_uut)"
            raise WATSValidationError(f"no step {step!r} in {where}", field="refStepId")
        return match

    def add_failure(
        self,
        category: str,
        code: str,
        *,
        step: int | str | Step | FailedStep | None = None,
        unit: int = 0,
        comment: str | None = None,
        com_ref: str | None = None,
        func_block: str | None = None,
        art_number: str | None = None,
        art_rev: str | None = None,
        art_vendor: str | None = None,
        art_description: str | None = None,
    ) -> Failure:
        """Record a failure found on sub unit ``unit`` (idx; 0 = the repaired unit).

        ``category``/``code`` must be a fail code the server has for the repair operation.
        ``step`` is the test step that uncovered it: a ``FailedStep``, a ``Step``, a step id
        or a step path such as ``"MainSequence Callback/Power/VCC 3V3"``.
        """
        if not 0 <= unit < len(self._units):
            raise WATSValidationError(f"no sub unit with idx {unit}", field="unit")
        failure = model_with(
            Failure,
            art_number=art_number,
            art_rev=art_rev,
            art_vendor=art_vendor,
            art_description=art_description,
            category=category,
            code=code,
            comment=comment,
            com_ref=com_ref,
            func_block=func_block,
            ref_step_id=self._step_id(step) if step is not None else None,
        )
        target = self._units[unit]
        target.failures = [*(target.failures or ()), failure]
        return failure

    def attach(
        self,
        name: str,
        data: bytes | str,
        content_type: str = "application/octet-stream",
        *,
        failure: Failure | None = None,
    ) -> Self:
        """Attach a file to the report, or to one failure returned by ``add_failure``."""
        item = model_with(
            BinaryData,
            content_type=content_type,
            data=encode_attachment(data),
            name=name,
            id=str(uuid.uuid4()),
        )
        if failure is None:
            self._binary_data.append(item)
        else:
            failure.attachments = [*(failure.attachments or ()), item]
        return self

    def misc_info(
        self,
        description: str,
        text: str | None = None,
        *,
        numeric: int | None = None,
        info_id: str | None = None,
    ) -> Self:
        """A repair misc info; ``info_id`` is the GUID of the field the repair type defines."""
        self._misc_infos.append(
            model_with(MiscInfo, description=description, text=text, numeric=numeric, id=info_id)
        )
        return self

    def build(self, *, validate: bool = True) -> UURReport:
        """The report as a model; with ``validate`` a report unfit to submit raises
        ``ReportValidationError``."""
        now = datetime.now().astimezone()
        elapsed = time.perf_counter() - self._created
        uur = model_with(
            UURInfo,
            comment=self.comment,
            user=self.operator,
            process_code=self.test_process_code,
            ref_uut=self.ref_uut,
            confirm_date=format_wats_datetime(self.confirm_date or now),
            finalize_date=format_wats_datetime(self.finalize_date or now),
            exec_time=round(float(self.exec_time if self.exec_time is not None else elapsed), 6),
        )
        report = model_with(
            UURReport,
            type="R",
            id=self.report_id,
            part_number=self.part_number,
            serial_number=self.serial_number,
            revision=self.revision,
            process_code=self.repair_process_code,
            result=self.result,
            machine_name=self.station,
            location=self.location,
            purpose=self.purpose,
            start=format_wats_datetime(self.start),
            start_utc=format_wats_utc(self.start),
            uur=uur,
            misc_infos=[info.model_copy() for info in self._misc_infos],
            sub_units=[unit.model_copy(deep=True) for unit in self._units],
            assets=[],
            binary_data=[item.model_copy() for item in self._binary_data],
            additional_data=[],
        )
        if validate:
            validate_report(report)
        return report
