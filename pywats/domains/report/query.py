"""Report headers (the rows of a header query) and the filters that find them.

    from pywats.domains.report import HeaderFields as H
    flt = (H.part_number == "PCB-1001") & (H.result == HeaderResult.FAILED)
    headers = await wats.report.query_headers(flt, top=50)

Headers say the result in words (``Passed``, ``Failed``...) and give ``start`` in UTC; the
WSJF report itself uses one-letter codes.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from pywats.errors import WATSValidationError
from pywats.models import WATSModel
from pywats.odata import F, Filter

from .enums import ReportResult, ReportType

__all__ = [
    "HeaderAsset",
    "HeaderAttachment",
    "HeaderFields",
    "HeaderMiscInfo",
    "HeaderResult",
    "HeaderSubUnit",
    "MiscInfoHeader",
    "MiscInfoValue",
    "RepairAttachment",
    "ReportHeader",
    "header_filter",
    "result_word",
]


class HeaderResult(StrEnum):
    """A report's result as headers spell it."""

    PASSED = "Passed"
    FAILED = "Failed"
    ERROR = "Error"
    TERMINATED = "Terminated"
    DONE = "Done"


_WORDS = {
    ReportResult.PASSED.value: HeaderResult.PASSED,
    ReportResult.FAILED.value: HeaderResult.FAILED,
    ReportResult.ERROR.value: HeaderResult.ERROR,
    ReportResult.TERMINATED.value: HeaderResult.TERMINATED,
    "D": HeaderResult.DONE,
}


def result_word(result: HeaderResult | ReportResult | str, field: str = "result") -> HeaderResult:
    """The header spelling of a result given as a word, a WSJF code (``"F"``) or either enum."""
    if isinstance(result, HeaderResult):
        return result
    text = str(result.value if isinstance(result, ReportResult) else result).strip()
    if text.upper() in _WORDS:
        return _WORDS[text.upper()]
    for word in HeaderResult:
        if word.value.lower() == text.lower():
            return word
    known = ", ".join(w.value for w in HeaderResult)
    raise WATSValidationError(f"{result!r} is not a report result ({known})", field=field)


class HeaderSubUnit(WATSModel):
    part_type: str | None = None
    serial_number: str | None = None
    part_number: str | None = None
    revision: str | None = None


class HeaderMiscInfo(WATSModel):
    description: str | None = None
    value: str | None = None


class HeaderAsset(WATSModel):
    serial_number: str | None = None
    running_count: int | None = None
    running_count_exceeded: int | None = None
    total_count: int | None = None
    total_count_exceeded: int | None = None
    days_since_maintenance: float | None = None
    maintenance_days_overdue: float | None = None
    days_since_calibration: float | None = None
    calibration_days_overdue: float | None = None


class HeaderAttachment(WATSModel):
    """A test report's attachment: fetch it with ``get_attachment(report_id, step_id=...)``."""

    step_id: int | None = None
    filename: str | None = None


class RepairAttachment(WATSModel):
    """A repair report's attachment; fetch it with ``get_attachment(id, attachment_id=...)``."""

    id: str | None = None
    filename: str | None = None


class ReportHeader(WATSModel):
    """One report as header queries list it. ``uuid`` is the id ``get_report`` takes."""

    uuid: str | None = None
    serial_number: str | None = None
    part_number: str | None = None
    report_type: str | None = None  # "T" test, "R" repair
    start: datetime | None = None
    revision: str | None = None
    result: str | None = None  # "Passed", "Failed", "Error", "Terminated"
    batch_number: str | None = None
    user_name: str | None = None
    station_name: str | None = None
    location: str | None = None
    purpose: str | None = None
    measures_deleted: bool | None = None
    time_stamp: int | None = None
    process_code: int | None = None
    process_name: str | None = None
    comment: str | None = None
    execution_time: float | None = None
    sw_filename: str | None = None
    sw_version: str | None = None
    test_socket_index: int | None = None
    fixture_id: str | None = None
    error_code: int | None = None
    error_message: str | None = None
    run: int | None = None
    receive_count: int | None = None
    report_size: int | None = None
    caused_uut_failure: str | None = None
    caused_uut_failure_path: str | None = None
    passed_in_run: int | None = None
    referenced_uut: str | None = None
    sub_units: list[HeaderSubUnit] | None = None
    misc_info: list[HeaderMiscInfo] | None = None
    assets: list[HeaderAsset] | None = None
    attachments: list[HeaderAttachment] | None = None
    uur_sub_units: list[HeaderSubUnit] | None = None
    uur_misc_info: list[HeaderMiscInfo] | None = None
    uur_attachments: list[RepairAttachment] | None = None

    @property
    def is_repair(self) -> bool:
        return self.report_type == ReportType.UUR.value

    @property
    def passed(self) -> bool:
        return (self.result or "").lower() == HeaderResult.PASSED.value.lower()

    @property
    def failed(self) -> bool:
        return (self.result or "").lower() == HeaderResult.FAILED.value.lower()


class MiscInfoValue(WATSModel):
    description: str | None = None
    data: str | None = None


class MiscInfoHeader(WATSModel):
    """A report found by one of its misc infos (``HeaderByMiscInfo``)."""

    misc_data: list[MiscInfoValue] = Field(default_factory=list)
    serial_number: str | None = None
    part_number: str | None = None
    start: datetime | None = None
    result: str | None = None
    uuid: str | None = None
    process_code: int | None = None
    process_name: str | None = None


class HeaderFields:
    """The header properties a filter can use, ready for the filter builder."""

    uuid = F("uuid")
    serial_number = F("serialNumber")
    part_number = F("partNumber")
    revision = F("revision")
    report_type = F("reportType")
    start = F("start")
    result = F("result")
    batch_number = F("batchNumber")
    user_name = F("userName")
    station_name = F("stationName")
    location = F("location")
    purpose = F("purpose")
    process_code = F("processCode")
    process_name = F("processName")
    fixture_id = F("fixtureId")
    run = F("run")
    referenced_uut = F("referencedUut")
    caused_uut_failure = F("causedUutFailure")
    time_stamp = F("timeStamp")


# The server orders header queries by these properties only.
ORDERABLE = ("start", "uuid", "serialNumber", "timeStamp")


def _aware(moment: datetime, field: str) -> datetime:
    if not isinstance(moment, datetime):
        raise WATSValidationError(f"must be a datetime, got {type(moment).__name__}", field=field)
    # A naive datetime is the caller's local time, like everything else a station writes.
    return moment if moment.tzinfo is not None else moment.astimezone()


def _text(value: str, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise WATSValidationError("must be a non-empty string", field=field)
    return value.strip()


def header_filter(
    *,
    part_number: str | None = None,
    serial_number: str | None = None,
    result: HeaderResult | ReportResult | str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    station_name: str | None = None,
    process_code: int | None = None,
    report_type: ReportType | str | None = None,
) -> Filter | None:
    """The AND of the given criteria (None when none is given). ``start``/``end`` bound the
    report start time (inclusive); part and serial numbers ending in ``*`` match a prefix."""
    parts: list[Filter | None] = []
    for field_name, column, value in (
        ("part_number", HeaderFields.part_number, part_number),
        ("serial_number", HeaderFields.serial_number, serial_number),
        ("station_name", HeaderFields.station_name, station_name),
    ):
        if value is None:
            continue
        text = _text(value, field_name)
        if text.endswith("*") and len(text) > 1:
            parts.append(column.startswith(text[:-1]))
        else:
            parts.append(column == text)
    if result is not None:
        parts.append(HeaderFields.result == result_word(result).value)
    low = _aware(start, "start") if start is not None else None
    high = _aware(end, "end") if end is not None else None
    if low is not None and high is not None and low > high:
        raise WATSValidationError(
            f"the range starts ({low.isoformat()}) after it ends ({high.isoformat()})",
            field="start",
        )
    if low is not None:
        parts.append(HeaderFields.start >= low)
    if high is not None:
        parts.append(HeaderFields.start <= high)
    if process_code is not None:
        if isinstance(process_code, bool) or not isinstance(process_code, int):
            raise WATSValidationError("must be an integer", field="process_code")
        parts.append(HeaderFields.process_code == process_code)
    if report_type is not None:
        parts.append(HeaderFields.report_type == report_type_code(report_type))
    return Filter.all_of(*parts)


def report_type_code(report_type: ReportType | str, field: str = "report_type") -> str:
    """``"T"`` or ``"R"`` from the enum, the code, or the words UUT/UUR/test/repair."""
    text = str(report_type.value if isinstance(report_type, ReportType) else report_type)
    lowered = text.strip().lower()
    if lowered in ("t", "uut", "test"):
        return ReportType.UUT.value
    if lowered in ("r", "uur", "repair"):
        return ReportType.UUR.value
    raise WATSValidationError(
        f"{report_type!r} is not a report type; use ReportType.UUT or ReportType.UUR",
        field=field,
    )
