"""SyncReportService: the blocking twin of AsyncReportService, one line per method."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from pywats.odata import Filter
from pywats.sync_service import SyncService

from .enums import ReportResult, ReportType
from .query import HeaderResult, MiscInfoHeader, ReportHeader
from .reports import UURReport, UUTReport
from .repository import DownloadedFile
from .service import DEFAULT_PAGE_SIZE, AsyncReportService

__all__ = ["SyncReportService"]


class SyncReportService(SyncService[AsyncReportService]):
    """See :class:`AsyncReportService` for what each method does."""

    def submit(
        self, report: UUTReport | UURReport | Mapping[str, Any] | str, *, queue: bool = False
    ) -> str:
        if queue:
            self._bind_queue()
        return self._call(AsyncReportService.submit, report, queue=queue)

    def submit_wsxf(
        self, report: UUTReport | UURReport | str | bytes, *, queue: bool = False
    ) -> str:
        if queue:
            self._bind_queue()
        return self._call(AsyncReportService.submit_wsxf, report, queue=queue)

    def get_report_wsxf(
        self,
        report_id: str,
        *,
        detail_level: int | None = None,
        include_chart_data: bool = True,
        include_attachments: bool = True,
        include_indexes: bool = True,
    ) -> bytes | None:
        return self._call(
            AsyncReportService.get_report_wsxf,
            report_id,
            detail_level=detail_level,
            include_chart_data=include_chart_data,
            include_attachments=include_attachments,
            include_indexes=include_indexes,
        )

    def get_certificate(self, report_id: str) -> DownloadedFile | None:
        return self._call(AsyncReportService.get_certificate, report_id)

    def _bind_queue(self) -> None:
        """Point the loop-side queue at this client's ``queue_path`` before it opens."""
        queue = getattr(self._client, "queue", None)
        if queue is not None:
            queue.bind()

    def get_report(
        self,
        report_id: str,
        *,
        detail_level: int | None = None,
        include_chart_data: bool = True,
        include_attachments: bool = True,
    ) -> UUTReport | UURReport | None:
        return self._call(
            AsyncReportService.get_report,
            report_id,
            detail_level=detail_level,
            include_chart_data=include_chart_data,
            include_attachments=include_attachments,
        )

    def query_headers(
        self,
        filter: Filter | None = None,
        *,
        top: int | None = None,
        skip: int | None = None,
        orderby: str | None = None,
        expand: list[str] | tuple[str, ...] | None = None,
    ) -> list[ReportHeader]:
        return self._call(
            AsyncReportService.query_headers,
            filter,
            top=top,
            skip=skip,
            orderby=orderby,
            expand=expand,
        )

    def iter_headers(
        self,
        filter: Filter | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        orderby: str = "start desc,uuid",
        expand: list[str] | tuple[str, ...] | None = None,
    ) -> Iterator[ReportHeader]:
        return self._iterate(
            AsyncReportService.iter_headers,
            filter,
            page_size=page_size,
            orderby=orderby,
            expand=expand,
        )

    def find_headers(
        self,
        *,
        part_number: str | None = None,
        serial_number: str | None = None,
        result: HeaderResult | ReportResult | str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        station_name: str | None = None,
        process_code: int | None = None,
        report_type: ReportType | str | None = None,
        top: int | None = 100,
        skip: int | None = None,
    ) -> list[ReportHeader]:
        return self._call(
            AsyncReportService.find_headers,
            part_number=part_number,
            serial_number=serial_number,
            result=result,
            start=start,
            end=end,
            station_name=station_name,
            process_code=process_code,
            report_type=report_type,
            top=top,
            skip=skip,
        )

    def get_headers_by_serial(
        self,
        serial_number: str,
        *,
        report_type: ReportType | str | None = None,
        top: int | None = 100,
    ) -> list[ReportHeader]:
        return self._call(
            AsyncReportService.get_headers_by_serial,
            serial_number,
            report_type=report_type,
            top=top,
        )

    def get_headers_by_part_number(
        self,
        part_number: str,
        *,
        report_type: ReportType | str | None = None,
        top: int | None = 100,
    ) -> list[ReportHeader]:
        return self._call(
            AsyncReportService.get_headers_by_part_number,
            part_number,
            report_type=report_type,
            top=top,
        )

    def get_headers_by_date_range(
        self,
        start: datetime,
        end: datetime,
        *,
        report_type: ReportType | str | None = None,
        top: int | None = 1000,
    ) -> list[ReportHeader]:
        return self._call(
            AsyncReportService.get_headers_by_date_range,
            start,
            end,
            report_type=report_type,
            top=top,
        )

    def get_headers_by_result(
        self,
        result: HeaderResult | ReportResult | str,
        *,
        report_type: ReportType | str | None = None,
        top: int | None = 100,
    ) -> list[ReportHeader]:
        return self._call(
            AsyncReportService.get_headers_by_result, result, report_type=report_type, top=top
        )

    def query_headers_by_misc_info(
        self,
        description: str | None = None,
        data: str | None = None,
        *,
        serial_number: str | None = None,
        process_code: int | None = None,
    ) -> list[MiscInfoHeader]:
        return self._call(
            AsyncReportService.query_headers_by_misc_info,
            description,
            data,
            serial_number=serial_number,
            process_code=process_code,
        )

    def get_attachment(
        self,
        report_id: str,
        *,
        step_id: int | None = None,
        attachment_id: str | None = None,
    ) -> DownloadedFile | None:
        return self._call(
            AsyncReportService.get_attachment,
            report_id,
            step_id=step_id,
            attachment_id=attachment_id,
        )

    def get_attachments_zip(self, report_id: str) -> bytes | None:
        return self._call(AsyncReportService.get_attachments_zip, report_id)
