"""Test (UUT) and repair (UUR) reports in WSJF, the WATS Standard JSON Format.

Read and write: :func:`load_wsjf` and :func:`dump_wsjf` (lossless for server exports).
"""

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
from .reports import ReferencedByUUR, Report, UURInfo, UURReport, UUTInfo, UUTReport
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
from .wsjf import dump_wsjf, load_wsjf, wsjf_json_schema

__all__ = [
    "AdditionalData",
    "AdditionalDataArray",
    "AdditionalDataArrayIndex",
    "AdditionalDataProperty",
    "Asset",
    "AssetStats",
    "Attachment",
    "BinaryData",
    "BooleanMeasurement",
    "CallExe",
    "Chart",
    "ChartSeries",
    "ChartType",
    "Failure",
    "LoopInfo",
    "Measurement",
    "MeasurementStatus",
    "MessagePopup",
    "MiscInfo",
    "NumericCompOp",
    "NumericMeasurement",
    "ReferencedByUUR",
    "Report",
    "ReportResult",
    "ReportType",
    "SequenceCallInfo",
    "Step",
    "StepGroup",
    "StepStatus",
    "StepType",
    "StringCompOp",
    "StringMeasurement",
    "SubUnit",
    "UURInfo",
    "UURReport",
    "UUTInfo",
    "UUTReport",
    "dump_wsjf",
    "load_wsjf",
    "wsjf_json_schema",
]
