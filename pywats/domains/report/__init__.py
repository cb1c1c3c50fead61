"""Test (UUT) and repair (UUR) reports in WSJF, the WATS Standard JSON Format.

Read and write: :func:`load_wsjf` and :func:`dump_wsjf` (lossless for server exports), and
:func:`load_wsxf` / :func:`dump_wsxf` for the XML format (the same model).
Build: :class:`UUTBuilder` for a test from a station script, :class:`UURBuilder` for a
repair of a failed test. Check before submitting: :func:`validate_report`.
"""

from .builder import SequenceBuilder, StepBuilder, UUTBuilder
from .common import (
    AdditionalData,
    AdditionalDataArray,
    AdditionalDataArrayIndex,
    AdditionalDataProperty,
    Attachment,
    BinaryData,
)
from .enums import (
    ChartType,
    MeasurementStatus,
    NumericCompOp,
    ReportResult,
    ReportType,
    StepGroup,
    StepStatus,
    StepType,
    StringCompOp,
)
from .header import Asset, AssetStats, Failure, MiscInfo, SubUnit
from .query import (
    HeaderFields,
    HeaderResult,
    MiscInfoHeader,
    ReportHeader,
    header_filter,
)
from .reports import ReferencedByUUR, Report, UURInfo, UURReport, UUTInfo, UUTReport
from .repository import DownloadedFile, ReportRepository
from .service import AsyncReportService
from .steps import (
    BooleanMeasurement,
    CallExe,
    Chart,
    ChartSeries,
    LoopInfo,
    Measurement,
    MessagePopup,
    NumericMeasurement,
    SequenceCallInfo,
    Step,
    StringMeasurement,
)
from .sync_service import SyncReportService
from .uur_builder import FailedStep, UURBuilder
from .validation import ReportValidationError, ValidationIssue, check_report, validate_report
from .wsjf import dump_wsjf, load_wsjf, wsjf_json_schema
from .wsxf import dump_wsxf, load_wsxf

__all__ = [
    "AdditionalData",
    "AdditionalDataArray",
    "AdditionalDataArrayIndex",
    "AdditionalDataProperty",
    "Asset",
    "AssetStats",
    "AsyncReportService",
    "Attachment",
    "BinaryData",
    "BooleanMeasurement",
    "CallExe",
    "Chart",
    "ChartSeries",
    "ChartType",
    "DownloadedFile",
    "FailedStep",
    "Failure",
    "HeaderFields",
    "HeaderResult",
    "LoopInfo",
    "Measurement",
    "MeasurementStatus",
    "MessagePopup",
    "MiscInfo",
    "MiscInfoHeader",
    "NumericCompOp",
    "NumericMeasurement",
    "ReferencedByUUR",
    "Report",
    "ReportHeader",
    "ReportRepository",
    "ReportResult",
    "ReportType",
    "ReportValidationError",
    "SequenceBuilder",
    "SequenceCallInfo",
    "Step",
    "StepBuilder",
    "StepGroup",
    "StepStatus",
    "StepType",
    "StringCompOp",
    "StringMeasurement",
    "SubUnit",
    "SyncReportService",
    "UURBuilder",
    "UURInfo",
    "UURReport",
    "UUTBuilder",
    "UUTInfo",
    "UUTReport",
    "ValidationIssue",
    "check_report",
    "dump_wsjf",
    "dump_wsxf",
    "header_filter",
    "load_wsjf",
    "load_wsxf",
    "validate_report",
    "wsjf_json_schema",
]
