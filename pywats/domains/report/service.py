"""AsyncReportService: submit test and repair reports, find them by their headers, read them."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pywats.errors import UsageError, WATSValidationError
from pywats.odata import Filter

from .enums import ReportResult, ReportType
from .query import (
    ORDERABLE,
    HeaderResult,
    MiscInfoHeader,
    ReportHeader,
    header_filter,
)
from .reports import UURReport, UUTReport
from .repository import DownloadedFile, ReportRepository
from .validation import validate_report
from .wsjf import dump_wsjf, load_wsjf
from .wsxf import dump_wsxf, load_wsxf

if TYPE_CHECKING:
    from pywats.queue import AsyncReportQueue

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_TOP", "AsyncReportService"]

DEFAULT_PAGE_SIZE = 500
MAX_TOP = 10_000  # the server's limit for one header query
EXPANDABLE = (
    "subUnits", "miscInfo", "assets", "attachments", "uurSubUnits", "uurMiscInfo",
    "uurAttachments",
)  # fmt: skip
_ORDER_ITEM = re.compile(r"^\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*$", re.IGNORECASE)


def _check_count(value: int | None, field: str, minimum: int, maximum: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise WATSValidationError(f"must be an integer from {minimum} to {maximum}", field=field)
    return value


def _check_report_id(report_id: str, field: str = "report_id") -> str:
    if isinstance(report_id, uuid.UUID):
        return str(report_id)
    try:
        return str(uuid.UUID(str(report_id).strip()))
    except ValueError:
        raise WATSValidationError(
            f"{report_id!r} is not a report id (a GUID)", field=field
        ) from None


def _check_orderby(orderby: str | None) -> str | None:
    """The server orders headers by start, uuid, serialNumber and timeStamp only."""
    if orderby is None:
        return None
    items = []
    for part in orderby.split(","):
        match = _ORDER_ITEM.match(part)
        name = match.group(1) if match else part.strip()
        canonical = next((o for o in ORDERABLE if o.lower() == name.lower()), None)
        if match is None or canonical is None:
            raise WATSValidationError(
                f"cannot order by {part.strip()!r}; the server orders headers by "
                f"{', '.join(ORDERABLE)} (optionally 'asc' or 'desc')",
                field="orderby",
            )
        items.append(f"{canonical} {match.group(2).lower()}" if match.group(2) else canonical)
    return ",".join(items)


def _check_expand(expand: list[str] | tuple[str, ...] | None) -> str | None:
    if not expand:
        return None
    chosen = []
    for item in expand:
        canonical = next((e for e in EXPANDABLE if e.lower() == str(item).lower()), None)
        if canonical is None:
            raise WATSValidationError(
                f"{item!r} cannot be expanded; use {', '.join(EXPANDABLE)}", field="expand"
            )
        chosen.append(canonical)
    return ",".join(chosen)


def _filter_text(filter: Filter | None) -> str | None:
    if filter is None:
        return None
    if not isinstance(filter, Filter):
        raise WATSValidationError(
            f"must be a Filter built with pywats.odata.F or HeaderFields, got "
            f"{type(filter).__name__}",
            field="filter",
        )
    return str(filter)


class AsyncReportService:
    """Test (UUT) and repair (UUR) reports: submit, fetch, and find by header."""

    def __init__(
        self, repository: ReportRepository, queue: AsyncReportQueue | None = None
    ) -> None:
        self._repo = repository
        self._queue = queue

    # -- submitting and reading --------------------------------------------------------------

    async def submit(
        self, report: UUTReport | UURReport | Mapping[str, Any] | str, *, queue: bool = False
    ) -> str:
        """Submit one report and return its id.

        ``report`` is a model (from the builders or :func:`load_wsjf`), a WSJF dict or WSJF
        text. It is checked before anything is sent; a problem raises
        :class:`~pywats.domains.report.validation.ReportValidationError` naming the step path
        and field. Submitting a report with an id the server already has replaces that report.

        With ``queue=True`` the report goes to the durable offline queue (``wats.queue``) and
        this returns as soon as it is on disk, whether or not the server can be reached; the
        queue's sender delivers it. Only a failure to store it (full disk, read-only queue
        file) raises, as :class:`~pywats.queue.QueueStorageError`.
        """
        model = self._as_model(report)
        validate_report(model)
        text = dump_wsjf(model)
        if queue:
            if model.id is None:
                raise WATSValidationError("a queued report needs its id", field="id")
            return await self._require_queue().enqueue(
                str(model.id),
                text.encode("utf-8"),
                part_number=model.part_number,
                serial_number=model.serial_number,
            )
        return await self._repo.post_wsjf(text)

    async def submit_wsxf(
        self, report: UUTReport | UURReport | str | bytes, *, queue: bool = False
    ) -> str:
        """Submit a report as WSXF (``POST /api/Report/WSXF``) and return its id.

        ``report`` is WSXF text or bytes (sent as given, after a safe parse that checks it is
        one WSXF report), or a model (written with :func:`dump_wsxf`). ``queue=True`` stores
        it in the offline queue as for :meth:`submit`.
        """
        if isinstance(report, UUTReport | UURReport):
            validate_report(report)
            body = dump_wsxf(report).encode("utf-8")
            model = report
        elif isinstance(report, str | bytes):
            body = report.encode("utf-8") if isinstance(report, str) else bytes(report)
            model = load_wsxf(body)  # raises ReportFormatError naming the problem
        else:
            raise WATSValidationError(
                f"must be WSXF text or bytes, or a report model, got {type(report).__name__}",
                field="report",
            )
        if queue:
            if model.id is None:
                raise WATSValidationError("a queued report needs its id", field="id")
            return await self._require_queue().enqueue(
                str(model.id),
                body,
                format="WSXF",
                part_number=model.part_number,
                serial_number=model.serial_number,
            )
        return await self._repo.post_wsxf(body)

    async def get_report_wsxf(
        self,
        report_id: str,
        *,
        detail_level: int | None = None,
        include_chart_data: bool = True,
        include_attachments: bool = True,
        include_indexes: bool = True,
    ) -> bytes | None:
        """A report as the server writes it in WSXF (bytes; read it with :func:`load_wsxf`),
        or None if there is none with that id."""
        report_id = _check_report_id(report_id)
        _check_count(detail_level, "detail_level", 0, 7)
        return await self._repo.get_wsxf(
            report_id,
            detail_level=detail_level,
            include_chart_data=None if include_chart_data else False,
            include_attachments=None if include_attachments else False,
            include_indexes=None if include_indexes else False,
        )

    async def get_certificate(self, report_id: str) -> DownloadedFile | None:
        """The report's certificate as the server renders it (``GET
        /api/Report/Certificate/{id}``; its ``content_type`` says the format), or None."""
        return await self._repo.get_certificate(_check_report_id(report_id))

    def _require_queue(self) -> AsyncReportQueue:
        if self._queue is None:
            raise UsageError("this report service has no queue (use wats.report from a client)")
        return self._queue

    @staticmethod
    def _as_model(report: UUTReport | UURReport | Mapping[str, Any] | str) -> UUTReport | UURReport:
        if isinstance(report, UUTReport | UURReport):
            return report
        if isinstance(report, Mapping | str | bytes):
            return load_wsjf(report)  # raises ReportFormatError naming the field
        raise WATSValidationError(
            f"must be a UUTReport, UURReport, WSJF dict or WSJF text, got {type(report).__name__}",
            field="report",
        )

    async def get_report(
        self,
        report_id: str,
        *,
        detail_level: int | None = None,
        include_chart_data: bool = True,
        include_attachments: bool = True,
    ) -> UUTReport | UURReport | None:
        """The full report (``UUTReport`` or ``UURReport``), or None if there is none with that
        id. ``detail_level`` 0 gives the header only, 7 (the server default) everything."""
        report_id = _check_report_id(report_id)
        _check_count(detail_level, "detail_level", 0, 7)
        return await self._repo.get_wsjf(
            report_id,
            detail_level=detail_level,
            include_chart_data=None if include_chart_data else False,
            include_attachments=None if include_attachments else False,
        )

    # -- header queries ----------------------------------------------------------------------

    async def query_headers(
        self,
        filter: Filter | None = None,
        *,
        top: int | None = None,
        skip: int | None = None,
        orderby: str | None = None,
        expand: list[str] | tuple[str, ...] | None = None,
    ) -> list[ReportHeader]:
        """Report headers matching ``filter`` (see :class:`HeaderFields` and
        :func:`header_filter`), newest first unless ``orderby`` says otherwise.

        The server returns 10 headers when ``top`` is not given, and at most 10,000; use
        :meth:`iter_headers` to walk through more. ``expand`` adds collections such as
        ``subUnits`` or ``miscInfo`` to each header.
        """
        return await self._repo.query_headers(
            filter=_filter_text(filter),
            top=_check_count(top, "top", 1, MAX_TOP),
            skip=_check_count(skip, "skip", 0, 2**31 - 1),
            orderby=_check_orderby(orderby),
            expand=_check_expand(expand),
        )

    async def iter_headers(
        self,
        filter: Filter | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        orderby: str = "start desc,uuid",
        expand: list[str] | tuple[str, ...] | None = None,
    ) -> AsyncIterator[ReportHeader]:
        """Every header matching ``filter``, fetched a page at a time as you iterate."""
        size = _check_count(page_size, "page_size", 1, MAX_TOP)
        assert size is not None
        order = _check_orderby(orderby)
        filter_text = _filter_text(filter)
        expand_text = _check_expand(expand)
        skip = 0
        while True:
            page = await self._repo.query_headers(
                filter=filter_text, top=size, skip=skip, orderby=order, expand=expand_text
            )
            for header in page:
                yield header
            if len(page) < size:
                return
            skip += size

    async def find_headers(
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
        """Headers matching every criterion given, newest first (a trailing ``*`` on a part,
        serial or station matches a prefix). This is what a report list screen asks for."""
        flt = header_filter(
            part_number=part_number,
            serial_number=serial_number,
            result=result,
            start=start,
            end=end,
            station_name=station_name,
            process_code=process_code,
            report_type=report_type,
        )
        return await self.query_headers(flt, top=top, skip=skip, orderby="start desc,uuid")

    async def get_headers_by_serial(
        self,
        serial_number: str,
        *,
        report_type: ReportType | str | None = None,
        top: int | None = 100,
    ) -> list[ReportHeader]:
        """A unit's reports, tests and repairs alike unless ``report_type`` says which,
        newest first: its test history."""
        return await self.find_headers(
            serial_number=serial_number, report_type=report_type, top=top
        )

    async def get_headers_by_part_number(
        self,
        part_number: str,
        *,
        report_type: ReportType | str | None = None,
        top: int | None = 100,
    ) -> list[ReportHeader]:
        return await self.find_headers(part_number=part_number, report_type=report_type, top=top)

    async def get_headers_by_date_range(
        self,
        start: datetime,
        end: datetime,
        *,
        report_type: ReportType | str | None = None,
        top: int | None = 1000,
    ) -> list[ReportHeader]:
        """Reports that started between ``start`` and ``end`` (inclusive; naive = local)."""
        if start is None or end is None:
            raise WATSValidationError("a date range needs both start and end", field="start")
        return await self.find_headers(start=start, end=end, report_type=report_type, top=top)

    async def get_headers_by_result(
        self,
        result: HeaderResult | ReportResult | str,
        *,
        report_type: ReportType | str | None = None,
        top: int | None = 100,
    ) -> list[ReportHeader]:
        """Reports with this result (``HeaderResult.FAILED``, ``ReportResult.FAILED``, "F" or
        "Failed" all mean the same)."""
        return await self.find_headers(result=result, report_type=report_type, top=top)

    async def query_headers_by_misc_info(
        self,
        description: str | None = None,
        data: str | None = None,
        *,
        serial_number: str | None = None,
        process_code: int | None = None,
    ) -> list[MiscInfoHeader]:
        """Reports carrying a misc info with this description and/or value (e.g. a work order)."""
        if not description and not data and not serial_number:
            raise WATSValidationError(
                "give a misc info description, a value, or a serial number to search by",
                field="description",
            )
        return await self._repo.headers_by_misc_info(
            description=description,
            data=data,
            serial_number=serial_number,
            process_code=process_code,
        )

    # -- attachments -------------------------------------------------------------------------

    async def get_attachment(
        self,
        report_id: str,
        *,
        step_id: int | None = None,
        attachment_id: str | None = None,
    ) -> DownloadedFile | None:
        """One attachment: a test report's by the ``step_id`` carrying it, a repair report's by
        its ``attachment_id``. None when there is no such attachment."""
        report_id = _check_report_id(report_id)
        if (step_id is None) == (attachment_id is None):
            raise WATSValidationError(
                "give exactly one of step_id (test reports) or attachment_id (repair reports)",
                field="step_id",
            )
        _check_count(step_id, "step_id", 0, 2**31 - 1)
        if attachment_id is not None:
            attachment_id = _check_report_id(attachment_id, "attachment_id")
        return await self._repo.get_attachment(
            report_id, step_id=step_id, attachment_id=attachment_id
        )

    async def get_attachments_zip(self, report_id: str) -> bytes | None:
        """Every attachment of a report as the bytes of one zip file; None if no such report."""
        downloaded = await self._repo.get_attachments_zip(_check_report_id(report_id))
        return None if downloaded is None else downloaded.content
