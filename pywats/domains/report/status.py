"""How statuses follow from measurements, for reports built in code.

The rules, applied from the leaves up unless a status was set explicitly:

1. A measurement passes (``P``) or fails (``F``) by its comparison operator and limits
   (``LOG`` always passes); a pass/fail measurement is its boolean.
2. A step with measurements fails if any measurement failed, is skipped if all were
   skipped, and passes otherwise. A step without measurements is ``D`` (done).
3. A sequence takes the most severe status among its children: terminated (``T``) over
   error (``E``) over failed (``F``); otherwise it passes. Done and skipped children count as
   no objection, so an empty sequence passes.
4. The report result is the root sequence's status, where only ``F``, ``E`` and ``T`` carry
   over; anything else is ``P``.

An explicit status on a step stands as given and is what its parent sees. On a single-
measurement step an explicit ``P``, ``F`` or ``S`` also becomes the measurement's status,
because the server rejects a single step whose status differs from its measurement's.
"""

from __future__ import annotations

from collections.abc import Iterable

from .enums import MeasurementStatus, ReportResult, StepStatus

__all__ = ["report_result", "sequence_status", "step_status"]

# Most severe first; statuses not listed (P, D, S, U) do not fail a sequence.
_SEVERITY = (StepStatus.TERMINATED, StepStatus.ERROR, StepStatus.FAILED)


def step_status(measurement_statuses: Iterable[str]) -> StepStatus:
    """Rule 2: the status of a step from the statuses of its measurements."""
    seen = set(measurement_statuses)
    if not seen:
        return StepStatus.DONE
    if MeasurementStatus.FAILED in seen:
        return StepStatus.FAILED
    if seen == {MeasurementStatus.SKIPPED}:
        return StepStatus.SKIPPED
    return StepStatus.PASSED


def sequence_status(child_statuses: Iterable[str]) -> StepStatus:
    """Rule 3: the status of a sequence from the statuses of its children."""
    seen = set(child_statuses)
    return next((status for status in _SEVERITY if status in seen), StepStatus.PASSED)


def report_result(root_status: str | None) -> ReportResult:
    """Rule 4: the report result from the root sequence's status."""
    return ReportResult(root_status) if root_status in set(ReportResult) else ReportResult.PASSED
