"""The analytics domain: yield, failing steps, measurement statistics, OEE and report lists
(``/api/App``). Yields and rates are percentages, 0-100."""

from .models import (
    KPI,
    AggregatedMeasurement,
    DateGrouping,
    Dimension,
    Measurement,
    OeeResult,
    RelatedRepair,
    RepairDimension,
    RepairRow,
    RunFilter,
    SortDirection,
    StatusFilter,
    StepAnalysisRow,
    TopFailedStep,
    WATSFilter,
    YieldRow,
    dimensions_text,
    measurement_path,
)
from .repository import AnalyticsRepository
from .service import DEFAULT_AVAILABLE_HOURS, AsyncAnalyticsService
from .sync_service import SyncAnalyticsService

__all__ = [
    "DEFAULT_AVAILABLE_HOURS",
    "KPI",
    "AggregatedMeasurement",
    "AnalyticsRepository",
    "AsyncAnalyticsService",
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
    "SyncAnalyticsService",
    "TopFailedStep",
    "WATSFilter",
    "YieldRow",
    "dimensions_text",
    "measurement_path",
]
