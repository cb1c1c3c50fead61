"""Analytics models: the WATS filter, its enums, and the rows /api/App answers with.

Yields (``fpy``, ``spy``, ``tpy``, ``lpy``, ``test_yield``) and rates (``fail_rate``, OEE's
parts) are percentages, 0-100: the spec's own ``yield`` filter field is an integer percentage,
and the pyWATS documentation gives the OEE parts and ``failRate`` as 0-100. Dimension values
(``part_number``, ``period``, ``process_code``...) are strings, as the server sends them;
counts are integers. Every row keeps the fields a server adds (``model_extra``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any

from pydantic import AliasChoices, ConfigDict, Field, field_serializer, field_validator

from pywats.models import WATSModel

__all__ = [
    "KPI",
    "AggregatedMeasurement",
    "DateGrouping",
    "Dimension",
    "Measurement",
    "OeeResult",
    "RelatedRepair",
    "RepairDimension",
    "RepairRow",
    "RunFilter",
    "SortDirection",
    "StatusFilter",
    "StepAnalysisRow",
    "TopFailedStep",
    "WATSFilter",
    "YieldRow",
    "dimensions_text",
    "measurement_path",
]

STEP_SEPARATOR = "\u00b6"  # ¶: the API's step path separator


class DateGrouping(IntEnum):
    NONE = -1
    YEAR = 0
    QUARTER = 1
    MONTH = 2
    WEEK = 3
    DAY = 4
    HOUR = 5


class RunFilter(IntEnum):
    FIRST = 1
    SECOND = 2
    THIRD = 3
    LAST = -1
    ALL = -2


class StatusFilter(StrEnum):
    PASSED = "Passed"
    FAILED = "Failed"
    ERROR = "Error"
    TERMINATED = "Terminated"
    DONE = "Done"
    SKIPPED = "Skipped"


class SortDirection(StrEnum):
    ASC = "asc"
    DESC = "desc"


class Dimension(StrEnum):
    """What DynamicYield groups by."""

    PART_NUMBER = "partNumber"
    PRODUCT_NAME = "productName"
    PRODUCT_GROUP = "productGroup"
    REVISION = "revision"
    STATION_NAME = "stationName"
    LOCATION = "location"
    PURPOSE = "purpose"
    TEST_OPERATION = "testOperation"
    PROCESS_CODE = "processCode"
    PERIOD = "period"
    SW_FILENAME = "swFilename"
    SW_VERSION = "swVersion"
    LEVEL = "level"
    BATCH_NUMBER = "batchNumber"
    OPERATOR = "operator"
    FIXTURE_ID = "fixtureId"
    SOCKET_INDEX = "socketIndex"
    ERROR_CODE = "errorCode"
    STEP_CAUSED_UUT_FAILURE = "stepCausedUutFailure"
    STEP_PATH_CAUSED_UUT_FAILURE = "stepPathCausedUutFailure"
    MISC_INFO_DESCRIPTION = "miscInfoDescription"
    MISC_INFO_STRING = "miscInfoString"
    ASSET_SERIAL_NUMBER = "assetSerialNumber"
    ASSET_NAME = "assetName"
    UNIT_TYPE = "unitType"


class RepairDimension(StrEnum):
    """What DynamicRepair groups by, beyond the shared dimensions."""

    REPAIR_OPERATION = "repairOperation"
    REPAIR_CODE = "repairCode"
    REPAIR_CATEGORY = "repairCategory"
    REPAIR_TYPE = "repairType"
    COMPONENT_REF = "componentRef"
    COMPONENT_NUMBER = "componentNumber"
    COMPONENT_REVISION = "componentRevision"
    COMPONENT_VENDOR = "componentVendor"
    COMPONENT_DESCRIPTION = "componentDescription"
    FUNCTION_BLOCK = "functionBlock"
    REFERENCED_STEP = "referencedStep"
    REFERENCED_STEP_PATH = "referencedStepPath"
    TEST_OPERATION = "testOperation"
    TEST_PERIOD = "testPeriod"
    TEST_LEVEL = "testLevel"
    TEST_STATION_NAME = "testStationName"
    TEST_LOCATION = "testLocation"
    TEST_PURPOSE = "testPurpose"
    TEST_OPERATOR = "testOperator"


class KPI(StrEnum):
    """Yield and repair KPIs; in ``dimensions`` they pick the columns and the order."""

    UNIT_COUNT = "unitCount"
    FP_COUNT = "fpCount"
    SP_COUNT = "spCount"
    TP_COUNT = "tpCount"
    LP_COUNT = "lpCount"
    FP_FAIL_COUNT = "fpFailCount"
    SP_FAIL_COUNT = "spFailCount"
    TP_FAIL_COUNT = "tpFailCount"
    LP_FAIL_COUNT = "lpFailCount"
    FPY = "fpy"
    SPY = "spy"
    TPY = "tpy"
    LPY = "lpy"
    PPM_FPY = "ppmFpy"
    PPM_SPY = "ppmSpy"
    PPM_TPY = "ppmTpy"
    PPM_LPY = "ppmLpy"
    PPM_TEST_YIELD = "ppmTestYield"
    TEST_YIELD_COUNT = "testYieldCount"
    TEST_REPORT_COUNT = "testReportCount"
    TEST_YIELD = "testYield"
    RETEST_COUNT = "retestCount"
    FIRST_UTC = "firstUtc"
    LAST_UTC = "lastUtc"
    REPAIR_REPORT_COUNT = "repairReportCount"
    REPAIR_COUNT = "repairCount"


DimensionItem = str | Dimension | RepairDimension | KPI | tuple[str, SortDirection | str]


def dimensions_text(items: str | Sequence[DimensionItem]) -> str:
    """``"unitCount desc;partNumber;period"`` from names, enums or (name, direction) pairs."""
    if isinstance(items, str):
        return items
    parts = []
    for item in items:
        if isinstance(item, tuple):
            name, direction = item
            word = SortDirection(str(direction).lower()).value
            parts.append(f"{_name(name)} {word}")
        else:
            parts.append(_name(item))
    return ";".join(parts)


def _name(item: object) -> str:
    text = item.value if isinstance(item, StrEnum) else str(item)
    if not text or ";" in text:
        raise ValueError(f"not a dimension or KPI name: {text!r}")
    return text


def measurement_path(path: str) -> str:
    """The API's path form: ``/`` between steps becomes ``¶``, ``::name`` becomes ``¶¶name``.

    A path that already holds ``¶`` is sent as it is (step names may contain ``/``).
    """
    if STEP_SEPARATOR in path:
        return path
    step, _, name = path.partition("::")
    converted = step.replace("/", STEP_SEPARATOR)
    return f"{converted}{STEP_SEPARATOR * 2}{name}" if name else converted


class WATSFilter(WATSModel):
    """The filter every analytics POST sends. Unset fields are left out.

    An unknown keyword is an error here (``WATSFilter(days=30)`` raises): the server ignores
    what it does not know, so a misspelt field would otherwise filter nothing, silently.
    Use ``date_from`` or ``period_count`` with ``date_grouping`` for a time range.
    """

    model_config = ConfigDict(extra="forbid")

    serial_number: str | None = None
    part_number: str | None = None
    revision: str | None = None
    batch_number: str | None = None
    station_name: str | None = None
    test_operation: str | None = None  # a process name or code
    status: StatusFilter | str | None = None
    yield_: int | None = Field(default=None, alias="yield")  # percent
    misc_description: str | None = None
    misc_value: str | None = None
    product_group: str | None = None
    level: str | None = None
    sw_filename: str | None = None
    sw_version: str | None = None
    socket: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    date_grouping: DateGrouping | None = None
    period_count: int | None = None
    include_current_period: bool | None = None
    max_count: int | None = None
    min_count: int | None = None
    top_count: int | None = None
    dimensions: str | None = None
    run: RunFilter | None = None

    @field_validator("dimensions", mode="before")
    @classmethod
    def _dimensions(cls, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, (list, tuple)):
            return dimensions_text(value)
        return value

    @field_validator("date_grouping", mode="before")
    @classmethod
    def _grouping(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.lstrip("-").isdigit():
            return DateGrouping[value.upper()]
        return value

    @field_validator("run", mode="before")
    @classmethod
    def _run(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.lstrip("-").isdigit():
            return RunFilter[value.upper()]
        return value

    @field_validator("socket", "test_operation", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_serializer("status")
    def _status(self, value: StatusFilter | str | None) -> str | None:
        return None if value is None else str(value)

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class YieldRow(WATSModel):
    """One group of DynamicYield (and the volume / worst-yield lists)."""

    part_number: str | None = None
    revision: str | None = None
    product_name: str | None = None
    product_group: str | None = None
    station_name: str | None = None
    test_operation: str | None = None
    process_code: str | None = None
    period: str | None = None
    level: str | None = None
    location: str | None = None
    purpose: str | None = None
    unit_count: int | None = None
    fp_count: int | None = None
    sp_count: int | None = None
    tp_count: int | None = None
    lp_count: int | None = None
    fp_fail_count: int | None = None
    sp_fail_count: int | None = None
    tp_fail_count: int | None = None
    lp_fail_count: int | None = None
    fpy: float | None = None
    spy: float | None = None
    tpy: float | None = None
    lpy: float | None = None
    ppm_fpy: float | None = None
    ppm_lpy: float | None = None
    test_report_count: int | None = None
    test_yield_count: int | None = None
    test_yield: float | None = None
    retest_count: int | None = None
    first_utc: datetime | None = None
    last_utc: datetime | None = None

    @field_validator("process_code", "period", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return value if value is None or isinstance(value, str) else str(value)


class RepairRow(WATSModel):
    """One group of DynamicRepair."""

    part_number: str | None = None
    revision: str | None = None
    product_name: str | None = None
    product_group: str | None = None
    repair_operation: str | None = None
    repair_code: str | None = None
    repair_category: str | None = None
    component_ref: str | None = None
    referenced_step: str | None = None
    referenced_step_path: str | None = None
    test_operation: str | None = None
    period: str | None = None
    repair_report_count: int | None = None
    repair_count: int | None = None


class TopFailedStep(WATSModel):
    """A step that failed units: failing runs, runs of the step and the rate (0-100)."""

    step_name: str | None = None
    step_path: str | None = None  # ¶-separated
    step_type: str | None = None
    step_group: str | None = None
    part_number: str | None = None
    revision: str | None = None
    product_group: str | None = None
    fail_count: int | None = None
    total_count: int | None = None
    fail_rate: float | None = None
    first_fail_date: datetime | None = None
    last_fail_date: datetime | None = None

    @property
    def display_path(self) -> str:
        """The path with `` / `` between steps, for people."""
        return (self.step_path or "").replace(STEP_SEPARATOR, " / ")


class StepAnalysisRow(WATSModel):
    """Counts by status, times and measurement statistics of one step (or measurement)."""

    step_name: str | None = None
    step_path: str | None = None
    step_type: str | None = None
    step_group: str | None = None
    step_count: int | None = None
    step_passed_count: int | None = None
    step_done_count: int | None = None
    step_skipped_count: int | None = None
    step_failed_count: int | None = None
    step_error_count: int | None = None
    step_terminated_count: int | None = None
    step_other_count: int | None = None
    step_failed_error_terminated_count: int | None = None
    step_caused_uut_failed: int | None = None
    step_caused_uut_error: int | None = None
    step_caused_uut_terminated: int | None = None
    step_caused_uut_failed_error_terminated: int | None = None
    step_time_avg: float | None = None
    step_time_max: float | None = None
    step_time_min: float | None = None
    measure_name: str | None = None
    measure_count: int | None = None
    limit1: float | None = None
    limit2: float | None = None
    comp_operator: str | None = None
    min: float | None = None
    max: float | None = None
    avg: float | None = None
    stdev: float | None = None
    var: float | None = None
    cp: float | None = None
    cpk: float | None = None
    cp_lower: float | None = None
    cp_upper: float | None = None
    avg_wof: float | None = None
    stdev_wof: float | None = None
    cpk_wof: float | None = None


class Measurement(WATSModel):
    """One numeric measurement of one report."""

    measurement_path: str | None = None  # the path asked for (set by the SDK)
    id: str | None = Field(default=None, validation_alias=AliasChoices("id", "reportId"))
    serial_number: str | None = None
    part_number: str | None = None
    revision: str | None = None
    step_name: str | None = None
    step_path: str | None = None
    value: float | None = None
    limit1: float | None = None
    limit2: float | None = None
    unit: str | None = None
    status: str | None = None
    station_name: str | None = None
    start_utc: datetime | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> Any:
        return None if value is None else str(value)


class AggregatedMeasurement(WATSModel):
    """count, min, max, avg, stdev, var and Cp/Cpk of a measurement path."""

    measurement_path: str | None = None
    step_name: str | None = None
    step_path: str | None = None
    part_number: str | None = None
    revision: str | None = None
    count: int | None = None
    min: float | None = None
    max: float | None = None
    avg: float | None = None
    stdev: float | None = None
    var: float | None = None
    limit1: float | None = None
    limit2: float | None = None
    cp: float | None = None
    cpk: float | None = None
    cp_lower: float | None = None
    cp_upper: float | None = None
    unit: str | None = None


class OeeResult(WATSModel):
    """OEE and its parts (percent), with the times (seconds) and counts behind them."""

    oee: float | None = None
    availability: float | None = None
    performance: float | None = None
    quality: float | None = None
    total_time: float | None = None
    run_time: float | None = None
    down_time: float | None = None
    planned_production_time: float | None = None
    total_count: int | None = None
    good_count: int | None = None
    reject_count: int | None = None
    ideal_cycle_time: float | None = None
    actual_cycle_time: float | None = None


class RelatedRepair(WATSModel):
    """A failure repaired on a unit of the part number and revision asked about."""

    serial_number: str | None = None
    part_number: str | None = None
    revision: str | None = None
    report_id: str | None = None
    repair_date: datetime | None = None
    fail_step_name: str | None = None
    fail_step_path: str | None = None
    fail_code: str | None = None
    repair_code: str | None = None
    symptom: str | None = None
    cause: str | None = None
    action: str | None = None
