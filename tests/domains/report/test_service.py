"""AsyncReportService and SyncReportService against the in-process emulator (seeded factory)."""

from __future__ import annotations

import inspect
import io
import json
import uuid
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from pywats import AsyncWATS, SyncWATS, WATSValidationError
from pywats.domains.report import ReportResult, ReportType, UURReport, UUTReport, dump_wsjf
from pywats.domains.report.query import HeaderFields, HeaderResult, ReportHeader, header_filter
from pywats.domains.report.service import AsyncReportService
from pywats.domains.report.sync_service import SyncReportService
from pywats.domains.report.validation import ReportValidationError
from pywats.emulator.testing import InProcessEmulator
from tests.domains.report.sample_reports import repair_of, station_report

# --- submit and read back ----------------------------------------------------------------------


async def test_submit_returns_the_id_and_get_report_reads_it_back(wats: AsyncWATS) -> None:
    built = station_report("SDK-10001")
    report_id = await wats.report.submit(built)
    assert report_id == built.id

    fetched = await wats.report.get_report(report_id)
    assert isinstance(fetched, UUTReport)
    assert fetched.serial_number == "SDK-10001"
    assert fetched.process_name == "Functional test"  # added by the server
    paths = [path for path, _ in fetched.walk()]
    assert "MainSequence Callback/Power Up/VCC 3V3" in paths


async def test_builder_report_round_trips_through_the_server(wats: AsyncWATS) -> None:
    """Acceptance 1 (second half): what the server sends back re-serialises identically."""
    built = station_report("SDK-10002", fail=True)
    await wats.report.submit(built)
    http = wats.http
    raw = (await http.request("GET", f"/api/Report/Wsjf/{built.id}")).content
    fetched = await wats.report.get_report(built.id)
    assert fetched is not None
    assert json.loads(dump_wsjf(fetched)) == json.loads(raw)
    # and it is the report the script built, plus what the server adds
    sent = json.loads(dump_wsjf(built))
    received = json.loads(raw)
    assert received["root"]["steps"][0]["steps"][0]["numericMeas"][0]["value"] == 3.52
    assert {k: received[k] for k in ("id", "pn", "sn", "result", "start")} == {
        k: sent[k] for k in ("id", "pn", "sn", "result", "start")
    }


async def test_repair_report_links_to_the_failed_test(wats: AsyncWATS) -> None:
    uut = station_report("SDK-10003", fail=True)
    await wats.report.submit(uut)
    uur = repair_of(uut)
    assert await wats.report.submit(uur) == uur.id

    fetched = await wats.report.get_report(uur.id)
    assert isinstance(fetched, UURReport)
    main = fetched.main_unit()
    assert main is not None and main.failures
    assert main.failures[0].ref_step_name == "VCC 3V3"
    test = await wats.report.get_report(uut.id)
    assert isinstance(test, UUTReport) and test.uut is not None
    assert [r.id for r in test.uut.ref_uurs or []] == [uur.id]


async def test_submit_accepts_wsjf_dicts_and_text(wats: AsyncWATS) -> None:
    text = dump_wsjf(station_report("SDK-10004"))
    as_dict = json.loads(text)
    as_dict["id"] = str(uuid.uuid4())
    assert await wats.report.submit(as_dict) == as_dict["id"]
    assert await wats.report.submit(text) == json.loads(text)["id"]


async def test_same_id_submitted_again_replaces(wats: AsyncWATS) -> None:
    first = station_report("SDK-10005", fail=True)
    await wats.report.submit(first)
    second = station_report("SDK-10005")
    second.id = first.id
    await wats.report.submit(second)
    headers = await wats.report.get_headers_by_serial("SDK-10005")
    assert [(h.uuid, h.result, h.receive_count) for h in headers] == [(first.id, "Passed", 2)]


async def test_invalid_report_is_refused_before_sending(
    wats: AsyncWATS, emulator: InProcessEmulator
) -> None:
    report = station_report("SDK-10006")
    assert report.root is not None and report.root.steps
    report.root.steps[0].steps[0].numeric_meas[0].comp_op = "BETWEEN"  # type: ignore[index]
    before = emulator.traffic.count
    with pytest.raises(ReportValidationError) as caught:
        await wats.report.submit(report)
    assert "Power Up/VCC 3V3" in str(caught.value)
    assert emulator.traffic.count == before  # nothing went over the wire
    with pytest.raises(WATSValidationError, match="report"):
        await wats.report.submit(42)  # type: ignore[arg-type]


async def test_get_report_options_and_missing_report(wats: AsyncWATS) -> None:
    built = station_report("SDK-10007")
    await wats.report.submit(built)
    header_only = await wats.report.get_report(built.id, detail_level=0)
    assert isinstance(header_only, UUTReport) and header_only.root is None
    lean = await wats.report.get_report(
        built.id, include_chart_data=False, include_attachments=False
    )
    assert lean is not None
    charts = [s.chart for _, s in lean.walk() if s.chart is not None]
    assert charts and charts[0].series and charts[0].series[0].ydata is None
    assert await wats.report.get_report(str(uuid.uuid4())) is None
    with pytest.raises(WATSValidationError, match="report_id"):
        await wats.report.get_report("SN-1234")
    with pytest.raises(WATSValidationError, match="detail_level"):
        await wats.report.get_report(built.id, detail_level=8)


# --- header queries ------------------------------------------------------------------------------


async def test_query_headers_with_the_filter_builder(wats: AsyncWATS) -> None:
    flt = (HeaderFields.part_number == "PCB-1001") & (
        HeaderFields.result == HeaderResult.FAILED.value
    )
    headers = await wats.report.query_headers(flt, top=50)
    assert headers
    assert all(h.part_number == "PCB-1001" and h.failed for h in headers)
    assert all(isinstance(h.start, datetime) and h.start.tzinfo for h in headers)
    starts = [h.start for h in headers]
    assert starts == sorted(starts, reverse=True)  # type: ignore[type-var]


async def test_helpers_by_serial_part_date_and_result(wats: AsyncWATS) -> None:
    history = await wats.report.get_headers_by_serial("MB-00001")
    assert history and {h.serial_number for h in history} == {"MB-00001"}
    tests_only = await wats.report.get_headers_by_serial("MB-00001", report_type=ReportType.UUT)
    assert all(h.report_type == "T" for h in tests_only)

    by_part = await wats.report.get_headers_by_part_number("SYS-9000", top=20)
    assert by_part and all(h.part_number == "SYS-9000" for h in by_part)

    end = datetime(2025, 12, 20, tzinfo=UTC)
    start = end - timedelta(days=14)
    in_range = await wats.report.get_headers_by_date_range(start, end)
    assert in_range and all(start <= h.start <= end for h in in_range if h.start)

    for spelling in (HeaderResult.FAILED, ReportResult.FAILED, "F", "failed"):
        failed = await wats.report.get_headers_by_result(spelling, top=5)
        assert failed and all(h.result == "Failed" for h in failed)


async def test_find_headers_combines_criteria_and_prefixes(wats: AsyncWATS) -> None:
    found = await wats.report.find_headers(
        serial_number="SY-*", station_name="EOL-01", result="Passed", process_code=100, top=500
    )
    assert found
    assert all(
        h.serial_number and h.serial_number.startswith("SY-") and h.station_name == "EOL-01"
        and h.passed and h.process_code == 100
        for h in found
    )  # fmt: skip


async def test_iter_headers_pages_through_everything(
    wats: AsyncWATS, emulator: InProcessEmulator
) -> None:
    flt = header_filter(part_number="PCB-1001")
    expected = emulator.store.scalar("SELECT COUNT(*) FROM report WHERE part_number = 'PCB-1001'")
    before = emulator.traffic.count
    seen = [h async for h in wats.report.iter_headers(flt, page_size=7)]
    assert len(seen) == expected > 14
    assert len({h.uuid for h in seen}) == expected
    assert emulator.traffic.count - before == expected // 7 + 1  # one request per page


async def test_expand_and_misc_info_lookup(wats: AsyncWATS) -> None:
    systems = await wats.report.query_headers(
        HeaderFields.part_number == "SYS-9000", top=3, expand=["subUnits", "miscinfo"]
    )
    assert systems and systems[0].sub_units and systems[0].misc_info
    work_order = next(m.value for m in systems[0].misc_info if m.description == "Work Order")
    found = await wats.report.query_headers_by_misc_info("Work Order", work_order)
    assert systems[0].uuid in {h.uuid for h in found}
    assert all(
        any(m.description == "Work Order" and m.data == work_order for m in h.misc_data)
        for h in found
    )


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda s: s.query_headers(top=0), "top"),
        (lambda s: s.query_headers(top=10_001), "top"),
        (lambda s: s.query_headers(skip=-1), "skip"),
        (lambda s: s.query_headers(orderby="partNumber"), "orderby"),
        (lambda s: s.query_headers(expand=["steps"]), "expand"),
        (lambda s: s.query_headers("partNumber eq 'x'"), "filter"),
        (lambda s: s.find_headers(serial_number="  "), "serial_number"),
        (lambda s: s.find_headers(result="Maybe"), "result"),
        (lambda s: s.find_headers(report_type="X"), "report_type"),
        (
            lambda s: s.find_headers(start=datetime(2026, 2, 1), end=datetime(2026, 1, 1)),
            "start",
        ),
        (lambda s: s.query_headers_by_misc_info(), "description"),
        (lambda s: s.get_attachment(str(uuid.uuid4())), "step_id"),
        (lambda s: s.get_attachment(str(uuid.uuid4()), step_id=1, attachment_id="x"), "step_id"),
        (lambda s: s.get_attachment(str(uuid.uuid4()), attachment_id="x"), "attachment_id"),
    ],
)
async def test_bad_input_names_the_field(wats: AsyncWATS, call: object, field: str) -> None:
    with pytest.raises(WATSValidationError) as caught:
        await call(wats.report)  # type: ignore[operator]
    assert caught.value.field == field


# --- attachments ---------------------------------------------------------------------------------


async def test_attachments_one_by_one_and_as_zip(wats: AsyncWATS) -> None:
    uut = station_report("SDK-10008", fail=True)
    await wats.report.submit(uut)
    flash = next(step for path, step in uut.walk() if path.endswith("Program Flash"))
    assert flash.id is not None
    downloaded = await wats.report.get_attachment(uut.id or "", step_id=flash.id)
    assert downloaded is not None
    assert (downloaded.name, downloaded.content_type, downloaded.content) == (
        "flash.log", "text/plain", b"flash ok\n",
    )  # fmt: skip
    uur = repair_of(uut)
    await wats.report.submit(uur)
    photo_id = (uur.binary_data or [])[0].id
    photo = await wats.report.get_attachment(uur.id or "", attachment_id=photo_id)
    assert photo is not None and photo.content == b"before/after"
    assert await wats.report.get_attachment(uut.id or "", step_id=999) is None

    archive = await wats.report.get_attachments_zip(uut.id or "")
    assert archive is not None
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        assert zipped.read("flash.log") == b"flash ok\n"
    assert await wats.report.get_attachments_zip(str(uuid.uuid4())) is None


# --- the sync twin -------------------------------------------------------------------------------


def test_sync_service_submits_queries_and_reads(sync_wats: SyncWATS) -> None:
    built = station_report("SDK-20001", fail=True)
    assert sync_wats.report.submit(built) == built.id
    fetched = sync_wats.report.get_report(built.id or "")
    assert isinstance(fetched, UUTReport) and fetched.result == "F"
    headers = sync_wats.report.find_headers(serial_number="SDK-20001")
    assert [h.uuid for h in headers] == [built.id]
    assert headers[0].caused_uut_failure == "VCC 3V3"
    assert sync_wats.report.get_headers_by_result("F", top=3)
    assert sync_wats.report.query_headers(HeaderFields.serial_number == "SDK-20001")
    every = list(
        sync_wats.report.iter_headers(header_filter(serial_number="MB-0000*"), page_size=5)
    )
    assert len(every) > 5 and all(isinstance(h, ReportHeader) for h in every)
    flash = next(s for p, s in built.walk() if p.endswith("Program Flash"))
    attachment = sync_wats.report.get_attachment(built.id or "", step_id=flash.id)
    assert attachment is not None and attachment.content == b"flash ok\n"
    assert sync_wats.report.get_attachments_zip(built.id or "")
    with pytest.raises(WATSValidationError):
        sync_wats.report.get_report("nope")


def test_every_async_method_has_a_sync_twin_with_the_same_signature() -> None:
    public = [
        name for name, member in inspect.getmembers(AsyncReportService, inspect.isfunction)
        if not name.startswith("_")
    ]  # fmt: skip
    assert {"submit", "get_report", "query_headers", "iter_headers"} <= set(public)
    for name in public:
        twin = getattr(SyncReportService, name)
        async_params = list(
            inspect.signature(getattr(AsyncReportService, name)).parameters.values()
        )
        sync_params = list(inspect.signature(twin).parameters.values())
        assert [(p.name, p.kind, p.default) for p in async_params] == [
            (p.name, p.kind, p.default) for p in sync_params
        ], name
