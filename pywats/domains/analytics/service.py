"""AsyncAnalyticsService: yield, failures, measurements, OEE and report lists from /api/App.

One method per operation (``get_dynamic_yield``, ``get_top_failed``...), taking a
:class:`WATSFilter`, plus methods in the terms people ask in: ``yield_summary(part_number,
days=30)``, ``station_yield(station, days=7)``, ``worst_yield(days=7)``. Yields are 0-100.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pywats.domains.report.query import ReportHeader
from pywats.errors import WATSValidationError

from .models import (
    AggregatedMeasurement,
    DateGrouping,
    Measurement,
    OeeResult,
    RelatedRepair,
    RepairRow,
    RunFilter,
    StepAnalysisRow,
    TopFailedStep,
    WATSFilter,
    YieldRow,
    measurement_path,
)
from .repository import AnalyticsRepository

__all__ = ["DEFAULT_AVAILABLE_HOURS", "AsyncAnalyticsService"]

DEFAULT_AVAILABLE_HOURS = (24.0, 24.0, 24.0, 24.0, 24.0, 24.0, 24.0)


def _body(filter: WATSFilter | None) -> dict[str, Any]:
    if filter is None:
        return {}
    if not isinstance(filter, WATSFilter):
        raise WATSValidationError("must be a WATSFilter", field="filter")
    return filter.to_wire()


def _grouped_body(filter: WATSFilter | None) -> tuple[dict[str, Any], dict[str, str | None]]:
    """DynamicYield/DynamicRepair: ``dimensions`` goes in the query (the spec) and the body."""
    body = _body(filter)
    if ("periodCount" in body or "dateGrouping" in body) and "includeCurrentPeriod" not in body:
        body["includeCurrentPeriod"] = True
    return body, {"dimensions": body.get("dimensions")}


def _ids(value: str | int | Sequence[str | int] | None) -> str:
    """productGroupId / levelId: one id, several (``;``), or "" for any."""
    if value is None:
        return ""
    if isinstance(value, (str, int)):
        return str(value)
    return ";".join(str(item) for item in value)


def _days(days: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise WATSValidationError("must be a whole number of days, at least 1", field="days")
    return days


def _paths(paths: str | Sequence[str]) -> str:
    items = [paths] if isinstance(paths, str) else list(paths)
    converted = [measurement_path(path.strip()) for path in items if path and path.strip()]
    if not converted:
        raise WATSValidationError("name at least one measurement path", field="measurement_paths")
    return ";".join(converted)


def _require(filter: WATSFilter, *names: str) -> None:
    for name in names:
        if getattr(filter, name) in (None, ""):
            raise WATSValidationError(
                "the server requires it for this operation", field=f"filter.{name}"
            )


class AsyncAnalyticsService:
    """Analytics over the server's test data. Every method has a sync twin on SyncWATS."""

    def __init__(self, repository: AnalyticsRepository) -> None:
        self._repo = repository

    # -- yield -------------------------------------------------------------------------------

    async def get_dynamic_yield(self, filter: WATSFilter | None = None) -> list[YieldRow]:
        """``POST DynamicYield``: KPIs grouped by ``filter.dimensions`` (the server's default
        when unset: units per part number and test operation, last 30 days)."""
        body, params = _grouped_body(filter)
        rows = await self._repo.post_list("DynamicYield", body, params)
        return [YieldRow.model_validate(row) for row in rows]

    async def _yield_list(
        self,
        operation: str,
        filter: WATSFilter | None,
        product_group_id: str | int | Sequence[str | int] | None,
        level_id: str | int | Sequence[str | int] | None,
        days: int,
    ) -> list[YieldRow]:
        if filter is not None:
            rows = await self._repo.post_list(operation, _body(filter))
        else:
            params: dict[str, str | int | None] = {
                "days": _days(days),
                "productGroupId": _ids(product_group_id),
                "levelId": _ids(level_id),
            }
            rows = await self._repo.get_list(operation, params)
        return [YieldRow.model_validate(row) for row in rows]

    async def get_volume_yield(
        self,
        filter: WATSFilter | None = None,
        *,
        product_group_id: str | int | Sequence[str | int] | None = None,
        level_id: str | int | Sequence[str | int] | None = None,
        days: int = 30,
    ) -> list[YieldRow]:
        """Volume and yield per product: POST with a filter, else GET by group, level, days."""
        return await self._yield_list("VolumeYield", filter, product_group_id, level_id, days)

    async def get_high_volume(
        self,
        filter: WATSFilter | None = None,
        *,
        product_group_id: str | int | Sequence[str | int] | None = None,
        level_id: str | int | Sequence[str | int] | None = None,
        days: int = 30,
    ) -> list[YieldRow]:
        """Products by volume, largest first."""
        return await self._yield_list("HighVolume", filter, product_group_id, level_id, days)

    async def get_worst_yield(
        self,
        filter: WATSFilter | None = None,
        *,
        product_group_id: str | int | Sequence[str | int] | None = None,
        level_id: str | int | Sequence[str | int] | None = None,
        days: int = 30,
    ) -> list[YieldRow]:
        """Products by first-pass yield, lowest first."""
        return await self._yield_list("WorstYield", filter, product_group_id, level_id, days)

    async def get_high_volume_by_product_group(
        self, filter: WATSFilter | None = None
    ) -> list[YieldRow]:
        rows = await self._repo.post_list("HighVolumeByProductGroup", _body(filter))
        return [YieldRow.model_validate(row) for row in rows]

    async def get_worst_yield_by_product_group(
        self, filter: WATSFilter | None = None
    ) -> list[YieldRow]:
        rows = await self._repo.post_list("WorstYieldByProductGroup", _body(filter))
        return [YieldRow.model_validate(row) for row in rows]

    async def yield_summary(
        self,
        part_number: str,
        days: int = 30,
        *,
        revision: str | None = None,
        grouping: DateGrouping = DateGrouping.DAY,
    ) -> list[YieldRow]:
        """A product's yield per period over the last ``days`` days, oldest period first."""
        return await self.get_dynamic_yield(
            _period_filter(
                days, grouping, "partNumber;period", part_number=part_number, revision=revision
            )
        )

    async def station_yield(
        self, station: str, days: int = 7, *, grouping: DateGrouping = DateGrouping.DAY
    ) -> list[YieldRow]:
        """A station's yield per period over the last ``days`` days, oldest period first."""
        return await self.get_dynamic_yield(
            _period_filter(days, grouping, "stationName;period", station_name=station)
        )

    async def worst_yield(
        self,
        days: int = 7,
        *,
        top: int = 5,
        product_group_id: str | int | Sequence[str | int] | None = None,
        level_id: str | int | Sequence[str | int] | None = None,
    ) -> list[YieldRow]:
        """The ``top`` products with the lowest first-pass yield over the server's last
        ``days`` days (the GET variant: the server's clock decides what "last" means)."""
        rows = await self.get_worst_yield(
            product_group_id=product_group_id, level_id=level_id, days=days
        )
        return rows[:top]

    # -- failures and steps ------------------------------------------------------------------

    async def get_top_failed(
        self,
        filter: WATSFilter | None = None,
        *,
        part_number: str | None = None,
        process_code: str | int | None = None,
        product_group_id: str | int | Sequence[str | int] | None = None,
        level_id: str | int | Sequence[str | int] | None = None,
        days: int = 30,
        count: int = 10,
    ) -> list[TopFailedStep]:
        """The steps that failed units most: POST with a filter, else GET with the spec's six
        parameters (an unset one is sent empty, meaning any)."""
        if filter is not None:
            rows = await self._repo.post_list("TopFailed", _body(filter))
        else:
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise WATSValidationError("must be at least 1", field="count")
            params: dict[str, str | int | None] = {
                "partNumber": part_number or "",
                "processCode": "" if process_code is None else str(process_code),
                "productGroupId": _ids(product_group_id),
                "levelId": _ids(level_id),
                "days": _days(days),
                "count": count,
            }
            rows = await self._repo.get_list("TopFailed", params)
        return [TopFailedStep.model_validate(row) for row in rows]

    async def get_test_step_analysis(self, filter: WATSFilter) -> list[StepAnalysisRow]:
        """Step counts by status and measurement statistics; needs part number and test
        operation (the server's defaults: 30 days, first runs, 10,000 reports)."""
        _require(filter, "part_number", "test_operation")
        rows = await self._repo.post_list("TestStepAnalysis", _body(filter))
        return [StepAnalysisRow.model_validate(row) for row in rows]

    async def get_test_step_analysis_for_operation(
        self,
        part_number: str,
        test_operation: str | int,
        *,
        revision: str | None = None,
        days: int = 30,
        run: RunFilter = RunFilter.FIRST,
        max_count: int = 10_000,
    ) -> list[StepAnalysisRow]:
        """Step analysis of the last ``days`` days by the server's clock."""
        return await self.get_test_step_analysis(
            WATSFilter(
                part_number=part_number,
                test_operation=str(test_operation),
                revision=revision,
                date_grouping=DateGrouping.DAY,
                period_count=_days(days),
                include_current_period=True,
                run=run,
                max_count=max_count,
            )
        )

    # -- measurements ------------------------------------------------------------------------

    async def get_measurements(
        self, filter: WATSFilter, measurement_paths: str | Sequence[str]
    ) -> list[Measurement]:
        """Numeric measurements of the paths (``a/b/c``, ``a¶b¶c`` or ``a/b::name``), newest
        first, each carrying the path asked for. Needs part number and test operation."""
        _require(filter, "part_number", "test_operation")
        paths = _paths(measurement_paths)
        groups = await self._repo.post_list(
            "Measurements", _body(filter), {"measurementPaths": paths}
        )
        return _flatten(groups, Measurement)

    async def get_aggregated_measurements(
        self, filter: WATSFilter, measurement_paths: str | Sequence[str]
    ) -> list[AggregatedMeasurement]:
        """count, min, max, avg, stdev and Cp/Cpk per path; needs part number and test
        operation."""
        _require(filter, "part_number", "test_operation")
        paths = _paths(measurement_paths)
        groups = await self._repo.post_list(
            "AggregatedMeasurements", _body(filter), {"measurementPaths": paths}
        )
        return _flatten(groups, AggregatedMeasurement)

    # -- OEE, repair, report lists -----------------------------------------------------------

    async def get_oee_analysis(
        self,
        filter: WATSFilter | None = None,
        *,
        available_hours: Sequence[float] = DEFAULT_AVAILABLE_HOURS,
        min_connection_time: int | None = None,
        max_connection_time: int | None = None,
        min_execution_time: int | None = None,
        max_execution_time: int | None = None,
        target_output: int | None = None,
    ) -> OeeResult | None:
        """OEE over the filter's range; ``available_hours``: hours of each weekday, Monday
        first (sent as the spec's required ``availableTime``)."""
        hours = list(available_hours)
        if len(hours) != 7 or any(not 0 <= float(h) <= 24 for h in hours):
            raise WATSValidationError(
                "give seven numbers of hours, Monday first, each 0-24", field="available_hours"
            )
        params = {
            "availableTime": ",".join(f"{float(h):g}" for h in hours),
            "minConnectionTime": min_connection_time,
            "maxConnectionTime": max_connection_time,
            "minExecutionTime": min_execution_time,
            "maxExecutionTime": max_execution_time,
            "targetOutput": target_output,
        }
        found = await self._repo.post_object("OeeAnalysis", _body(filter), params)
        return None if found is None else OeeResult.model_validate(found)

    async def get_dynamic_repair(self, filter: WATSFilter | None = None) -> list[RepairRow]:
        body, params = _grouped_body(filter)
        rows = await self._repo.post_list("DynamicRepair", body, params)
        return [RepairRow.model_validate(row) for row in rows]

    async def get_related_repair_history(
        self,
        part_number: str,
        revision: str,
        *,
        repair_operation_code: int | None = None,
        test_operation_code: int | None = None,
    ) -> list[RelatedRepair]:
        params = {
            "partNumber": part_number,
            "revision": revision,
            "repairOperationCode": repair_operation_code,
            "testOperationCode": test_operation_code,
        }
        rows = await self._repo.get_list("RelatedRepairHistory", params)
        return [RelatedRepair.model_validate(row) for row in rows]

    async def get_serial_number_history(self, filter: WATSFilter) -> list[ReportHeader]:
        """Every report (test and repair) of the units the filter matches, oldest first."""
        rows = await self._repo.post_list("SerialNumberHistory", _body(filter))
        return [ReportHeader.model_validate(row) for row in rows]

    async def get_uut_reports(
        self,
        filter: WATSFilter | None = None,
        *,
        serial_number: str | None = None,
        part_number: str | None = None,
        revision: str | None = None,
        batch_number: str | None = None,
        station_name: str | None = None,
        test_operation: str | None = None,
        status: str | None = None,
        date_from: datetime | None = None,
        date_to: datetime | None = None,
        product_group_id: str | int | Sequence[str | int] | None = None,
        level_id: str | int | Sequence[str | int] | None = None,
    ) -> list[ReportHeader]:
        """Test report headers, newest first (1000 at most): POST with a filter, else GET."""
        if filter is not None:
            rows = await self._repo.post_list("UutReport", _body(filter))
        else:
            params = {
                "serialNumber": serial_number,
                "partNumber": part_number,
                "revision": revision,
                "batchNumber": batch_number,
                "stationName": station_name,
                "testOperation": test_operation,
                "status": None if status is None else str(status),
                "dateFrom": None if date_from is None else date_from.isoformat(),
                "dateTo": None if date_to is None else date_to.isoformat(),
                "productGroupId": None if product_group_id is None else _ids(product_group_id),
                "levelId": None if level_id is None else _ids(level_id),
            }
            rows = await self._repo.get_list("UutReport", params)
        return [ReportHeader.model_validate(row) for row in rows]

    async def get_uur_reports(self, filter: WATSFilter | None = None) -> list[ReportHeader]:
        """Repair report headers, newest first (1000 at most)."""
        rows = await self._repo.post_list("UurReport", _body(filter))
        return [ReportHeader.model_validate(row) for row in rows]


def _period_filter(days: int, grouping: DateGrouping, dimensions: str, **fields: Any) -> WATSFilter:
    """The last ``days`` days by the server's clock (today included), grouped by ``grouping``:
    ``periodCount`` counts days, so a longer grouping asks for whole periods covering them."""
    days = _days(days)
    per_period = {
        DateGrouping.HOUR: 1 / 24,
        DateGrouping.DAY: 1,
        DateGrouping.WEEK: 7,
        DateGrouping.MONTH: 30,
        DateGrouping.QUARTER: 91,
        DateGrouping.YEAR: 365,
    }
    if grouping not in per_period:
        raise WATSValidationError("needs a date grouping (hour to year)", field="grouping")
    count = max(1, -(-days // per_period[grouping])) if grouping != DateGrouping.HOUR else days * 24
    return WATSFilter(
        date_grouping=grouping,
        period_count=int(count),
        include_current_period=True,
        dimensions=dimensions,
        **fields,
    )


def _flatten(groups: list[Any], model: type[Any]) -> list[Any]:
    """``[{measurementPath, measurements: [...]}, ...]`` or plain items, as model objects."""
    found = []
    for group in groups:
        if isinstance(group, dict) and isinstance(group.get("measurements"), list):
            for item in group["measurements"]:
                if isinstance(item, dict):
                    found.append(
                        model.model_validate(
                            {"measurementPath": group.get("measurementPath"), **item}
                        )
                    )
        elif isinstance(group, dict):
            found.append(model.model_validate(group))
    return found
