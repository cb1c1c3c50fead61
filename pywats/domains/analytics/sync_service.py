"""SyncAnalyticsService: the blocking twin of AsyncAnalyticsService, one line per method."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pywats.domains.report.query import ReportHeader
from pywats.sync_service import SyncService

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
)
from .service import DEFAULT_AVAILABLE_HOURS, AsyncAnalyticsService

__all__ = ["SyncAnalyticsService"]


class SyncAnalyticsService(SyncService[AsyncAnalyticsService]):
    """See :class:`AsyncAnalyticsService` for what each method does."""

    def get_dynamic_yield(self, filter: WATSFilter | None = None) -> list[YieldRow]:
        return self._call(AsyncAnalyticsService.get_dynamic_yield, filter)

    def get_volume_yield(
        self,
        filter: WATSFilter | None = None,
        *,
        product_group_id: str | int | Sequence[str | int] | None = None,
        level_id: str | int | Sequence[str | int] | None = None,
        days: int = 30,
    ) -> list[YieldRow]:
        return self._call(
            AsyncAnalyticsService.get_volume_yield,
            filter,
            product_group_id=product_group_id,
            level_id=level_id,
            days=days,
        )

    def get_high_volume(
        self,
        filter: WATSFilter | None = None,
        *,
        product_group_id: str | int | Sequence[str | int] | None = None,
        level_id: str | int | Sequence[str | int] | None = None,
        days: int = 30,
    ) -> list[YieldRow]:
        return self._call(
            AsyncAnalyticsService.get_high_volume,
            filter,
            product_group_id=product_group_id,
            level_id=level_id,
            days=days,
        )

    def get_worst_yield(
        self,
        filter: WATSFilter | None = None,
        *,
        product_group_id: str | int | Sequence[str | int] | None = None,
        level_id: str | int | Sequence[str | int] | None = None,
        days: int = 30,
    ) -> list[YieldRow]:
        return self._call(
            AsyncAnalyticsService.get_worst_yield,
            filter,
            product_group_id=product_group_id,
            level_id=level_id,
            days=days,
        )

    def get_high_volume_by_product_group(self, filter: WATSFilter | None = None) -> list[YieldRow]:
        return self._call(AsyncAnalyticsService.get_high_volume_by_product_group, filter)

    def get_worst_yield_by_product_group(self, filter: WATSFilter | None = None) -> list[YieldRow]:
        return self._call(AsyncAnalyticsService.get_worst_yield_by_product_group, filter)

    def yield_summary(
        self,
        part_number: str,
        days: int = 30,
        *,
        revision: str | None = None,
        grouping: DateGrouping = DateGrouping.DAY,
    ) -> list[YieldRow]:
        return self._call(
            AsyncAnalyticsService.yield_summary,
            part_number,
            days,
            revision=revision,
            grouping=grouping,
        )

    def station_yield(
        self, station: str, days: int = 7, *, grouping: DateGrouping = DateGrouping.DAY
    ) -> list[YieldRow]:
        return self._call(AsyncAnalyticsService.station_yield, station, days, grouping=grouping)

    def worst_yield(
        self,
        days: int = 7,
        *,
        top: int = 5,
        product_group_id: str | int | Sequence[str | int] | None = None,
        level_id: str | int | Sequence[str | int] | None = None,
    ) -> list[YieldRow]:
        return self._call(
            AsyncAnalyticsService.worst_yield,
            days,
            top=top,
            product_group_id=product_group_id,
            level_id=level_id,
        )

    def get_top_failed(
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
        return self._call(
            AsyncAnalyticsService.get_top_failed,
            filter,
            part_number=part_number,
            process_code=process_code,
            product_group_id=product_group_id,
            level_id=level_id,
            days=days,
            count=count,
        )

    def get_test_step_analysis(self, filter: WATSFilter) -> list[StepAnalysisRow]:
        return self._call(AsyncAnalyticsService.get_test_step_analysis, filter)

    def get_test_step_analysis_for_operation(
        self,
        part_number: str,
        test_operation: str | int,
        *,
        revision: str | None = None,
        days: int = 30,
        run: RunFilter = RunFilter.FIRST,
        max_count: int = 10_000,
    ) -> list[StepAnalysisRow]:
        return self._call(
            AsyncAnalyticsService.get_test_step_analysis_for_operation,
            part_number,
            test_operation,
            revision=revision,
            days=days,
            run=run,
            max_count=max_count,
        )

    def get_measurements(
        self, filter: WATSFilter, measurement_paths: str | Sequence[str]
    ) -> list[Measurement]:
        return self._call(AsyncAnalyticsService.get_measurements, filter, measurement_paths)

    def get_aggregated_measurements(
        self, filter: WATSFilter, measurement_paths: str | Sequence[str]
    ) -> list[AggregatedMeasurement]:
        return self._call(
            AsyncAnalyticsService.get_aggregated_measurements,
            filter,
            measurement_paths,
        )

    def get_oee_analysis(
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
        return self._call(
            AsyncAnalyticsService.get_oee_analysis,
            filter,
            available_hours=available_hours,
            min_connection_time=min_connection_time,
            max_connection_time=max_connection_time,
            min_execution_time=min_execution_time,
            max_execution_time=max_execution_time,
            target_output=target_output,
        )

    def get_dynamic_repair(self, filter: WATSFilter | None = None) -> list[RepairRow]:
        return self._call(AsyncAnalyticsService.get_dynamic_repair, filter)

    def get_related_repair_history(
        self,
        part_number: str,
        revision: str,
        *,
        repair_operation_code: int | None = None,
        test_operation_code: int | None = None,
    ) -> list[RelatedRepair]:
        return self._call(
            AsyncAnalyticsService.get_related_repair_history,
            part_number,
            revision,
            repair_operation_code=repair_operation_code,
            test_operation_code=test_operation_code,
        )

    def get_serial_number_history(self, filter: WATSFilter) -> list[ReportHeader]:
        return self._call(AsyncAnalyticsService.get_serial_number_history, filter)

    def get_uut_reports(
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
        return self._call(
            AsyncAnalyticsService.get_uut_reports,
            filter,
            serial_number=serial_number,
            part_number=part_number,
            revision=revision,
            batch_number=batch_number,
            station_name=station_name,
            test_operation=test_operation,
            status=status,
            date_from=date_from,
            date_to=date_to,
            product_group_id=product_group_id,
            level_id=level_id,
        )

    def get_uur_reports(self, filter: WATSFilter | None = None) -> list[ReportHeader]:
        return self._call(AsyncAnalyticsService.get_uur_reports, filter)
