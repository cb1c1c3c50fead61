"""pywats.domains.analytics against the in-process emulator: every operation, async and sync,
with the request each one sends checked against the spec (method, path, parameters)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest
from pydantic import ValidationError

from pywats import AsyncWATS, SyncWATS
from pywats.domains.analytics import (
    KPI,
    AggregatedMeasurement,
    DateGrouping,
    Dimension,
    Measurement,
    OeeResult,
    RelatedRepair,
    RepairRow,
    RunFilter,
    SortDirection,
    StepAnalysisRow,
    TopFailedStep,
    WATSFilter,
    YieldRow,
    dimensions_text,
    measurement_path,
)
from pywats.domains.report.query import ReportHeader
from pywats.emulator.testing import InProcessEmulator
from pywats.errors import WATSValidationError

SINCE = datetime(2020, 1, 1, tzinfo=UTC)
SEP = "\u00b6"
VOLT_3V3 = "MainSequence Callback/Power Up/VCC 3V3"


class Recorder(httpx2.AsyncBaseTransport):
    """Passes every request on to the emulator and keeps it for the test to look at."""

    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx2.Request] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        await request.aread()
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    @property
    def last(self) -> httpx2.Request:
        return self.requests[-1]

    def query(self) -> dict[str, str]:
        return dict(self.last.url.params.multi_items())


@pytest.fixture
def recorder(emulator: InProcessEmulator) -> Recorder:
    return Recorder(emulator.transport())


@pytest.fixture
async def wats(emulator: InProcessEmulator, recorder: Recorder) -> AsyncIterator[AsyncWATS]:
    async with AsyncWATS(emulator.base_url, emulator.token, transport=recorder, max_retries=0) as c:
        yield c


@pytest.fixture
def sync_wats(emulator: InProcessEmulator, recorder: Recorder) -> Iterator[SyncWATS]:
    with SyncWATS(emulator.base_url, emulator.token, transport=recorder, max_retries=0) as c:
        yield c


def body(recorder: Recorder) -> Any:
    import json

    content = recorder.last.content
    return json.loads(content) if content else None


async def a_failing_step(wats: AsyncWATS) -> TopFailedStep:
    [step] = await wats.analytics.get_top_failed(WATSFilter(date_from=SINCE, top_count=1))
    return step


# --- the filter ------------------------------------------------------------------------------


def test_filter_speaks_the_wire_names_and_typed_dimensions() -> None:
    flt = WATSFilter(
        part_number="PCB-%",
        date_grouping="week",
        run="last",
        dimensions=[(KPI.UNIT_COUNT, SortDirection.DESC), Dimension.PART_NUMBER, "period"],
        yield_=90,
        date_from=SINCE,
    )
    assert flt.to_wire() == {
        "partNumber": "PCB-%",
        "dateGrouping": 3,
        "run": -1,
        "dimensions": "unitCount desc;partNumber;period",
        "yield": 90,
        "dateFrom": "2020-01-01T00:00:00Z",
    }
    assert WATSFilter.model_validate({"partNumber": "X", "topCount": 3}).top_count == 3
    assert flt.date_grouping is DateGrouping.WEEK and flt.run is RunFilter.LAST


def test_filter_refuses_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        WATSFilter(days=30)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="dimension"):
        dimensions_text(["partNumber;period"])


def test_measurement_paths_take_slashes_or_pilcrows() -> None:
    assert measurement_path("Main/Power/VCC") == f"Main{SEP}Power{SEP}VCC"
    assert measurement_path("Main/Multi::M0") == f"Main{SEP}Multi{SEP}{SEP}M0"
    assert measurement_path(f"A/B{SEP}C") == f"A/B{SEP}C"  # a name holding "/" stays


# --- yield -----------------------------------------------------------------------------------


async def test_dynamic_yield_posts_dimensions_in_query_and_body(
    wats: AsyncWATS, recorder: Recorder
) -> None:
    rows = await wats.analytics.get_dynamic_yield(
        WATSFilter(date_from=SINCE, dimensions=[Dimension.PART_NUMBER, Dimension.TEST_OPERATION])
    )
    assert recorder.last.method == "POST" and recorder.last.url.path == "/api/App/DynamicYield"
    assert recorder.query() == {"dimensions": "partNumber;testOperation"}
    assert body(recorder)["dimensions"] == "partNumber;testOperation"
    assert rows and all(isinstance(row, YieldRow) for row in rows)
    assert all(isinstance(row.unit_count, int) and isinstance(row.part_number, str) for row in rows)
    assert all(row.fpy is not None and 0 <= row.fpy <= 100 for row in rows)


async def test_yield_summary_and_station_yield(wats: AsyncWATS, recorder: Recorder) -> None:
    rows = await wats.analytics.yield_summary("PCB-2001", days=400)
    assert body(recorder) == {
        "partNumber": "PCB-2001", "dateGrouping": 4, "periodCount": 400,
        "includeCurrentPeriod": True, "dimensions": "partNumber;period",
    }  # fmt: skip
    assert rows and {row.part_number for row in rows} == {"PCB-2001"}
    periods = [row.period or "" for row in rows]
    assert periods == sorted(periods) and all(periods)
    weekly = await wats.analytics.station_yield("ICT-01", days=400, grouping=DateGrouping.WEEK)
    assert body(recorder)["periodCount"] == 58 and body(recorder)["stationName"] == "ICT-01"
    assert weekly and {row.station_name for row in weekly} == {"ICT-01"}


@pytest.mark.parametrize("name", ["get_volume_yield", "get_high_volume", "get_worst_yield"])
async def test_yield_lists_get_sends_the_spec_parameters(
    wats: AsyncWATS, recorder: Recorder, name: str
) -> None:
    rows = await getattr(wats.analytics, name)(product_group_id=[1, 2], days=400)
    assert recorder.last.method == "GET"
    assert recorder.query() == {"days": "400", "productGroupId": "1;2", "levelId": ""}
    assert rows and all(isinstance(row, YieldRow) for row in rows)
    await getattr(wats.analytics, name)(WATSFilter(date_from=SINCE))
    assert recorder.last.method == "POST" and body(recorder) == {"dateFrom": "2020-01-01T00:00:00Z"}


async def test_worst_yield_in_user_terms(wats: AsyncWATS, recorder: Recorder) -> None:
    rows = await wats.analytics.worst_yield(days=400, top=3)
    assert len(rows) == 3
    fpys = [row.fpy for row in rows]
    assert fpys == sorted(fpys)  # type: ignore[type-var]
    assert recorder.query()["days"] == "400"


async def test_by_product_group(wats: AsyncWATS, recorder: Recorder) -> None:
    high = await wats.analytics.get_high_volume_by_product_group(WATSFilter(date_from=SINCE))
    worst = await wats.analytics.get_worst_yield_by_product_group(WATSFilter(date_from=SINCE))
    assert recorder.last.url.path == "/api/App/WorstYieldByProductGroup"
    assert {row.product_group for row in high} == {row.product_group for row in worst} != set()


# --- failures and steps ------------------------------------------------------------------


async def test_top_failed_get_sends_all_six_parameters(wats: AsyncWATS, recorder: Recorder) -> None:
    rows = await wats.analytics.get_top_failed(days=400, count=3)
    assert recorder.last.method == "GET"
    assert recorder.query() == {
        "partNumber": "", "processCode": "", "productGroupId": "", "levelId": "",
        "days": "400", "count": "3",
    }  # fmt: skip
    assert len(rows) == 3 and all(isinstance(row, TopFailedStep) for row in rows)
    assert all(isinstance(row.fail_count, int) and SEP in (row.step_path or "") for row in rows)
    with pytest.raises(WATSValidationError):
        await wats.analytics.get_top_failed(days=0)


async def test_test_step_analysis(wats: AsyncWATS, recorder: Recorder) -> None:
    step = await a_failing_step(wats)
    assert step.part_number
    rows = await wats.analytics.get_test_step_analysis_for_operation(
        step.part_number, "Functional test", days=400, run=RunFilter.ALL
    )
    assert body(recorder)["run"] == -2 and body(recorder)["testOperation"] == "Functional test"
    assert rows and all(isinstance(row, StepAnalysisRow) for row in rows)
    assert any(row.cpk is not None for row in rows)
    with pytest.raises(WATSValidationError, match="test_operation"):
        await wats.analytics.get_test_step_analysis(WATSFilter(part_number="X"))


# --- measurements ----------------------------------------------------------------------------


async def test_measurements_and_aggregates(wats: AsyncWATS, recorder: Recorder) -> None:
    flt = WATSFilter(part_number="PCB-1001", test_operation="Functional test", date_from=SINCE)
    found = await wats.analytics.get_measurements(flt, VOLT_3V3)
    assert recorder.query() == {"measurementPaths": VOLT_3V3.replace("/", SEP)}
    assert found and all(isinstance(m, Measurement) for m in found)
    assert {m.measurement_path for m in found} == {VOLT_3V3.replace("/", SEP)}
    assert {m.part_number for m in found} == {"PCB-1001"}
    [stats] = await wats.analytics.get_aggregated_measurements(flt, [VOLT_3V3])
    assert isinstance(stats, AggregatedMeasurement) and stats.count == len(found)
    values = [m.value for m in found if m.value is not None]
    assert stats.min == min(values) and stats.max == max(values)
    assert stats.avg == pytest.approx(sum(values) / len(values))
    assert stats.cpk is not None and stats.limit1 is not None
    with pytest.raises(WATSValidationError):
        await wats.analytics.get_measurements(flt, [])


# --- OEE, repair, report lists ---------------------------------------------------------------


async def test_oee_sends_available_time(wats: AsyncWATS, recorder: Recorder) -> None:
    result = await wats.analytics.get_oee_analysis(
        WATSFilter(date_from=datetime(2025, 12, 1, tzinfo=UTC)),
        available_hours=(16, 16, 16, 16, 16, 0, 0),
        target_output=100,
    )
    assert recorder.query() == {"availableTime": "16,16,16,16,16,0,0", "targetOutput": "100"}
    assert isinstance(result, OeeResult) and result.total_count
    assert result.quality is not None and 0 < result.quality <= 100
    with pytest.raises(WATSValidationError, match="available_hours"):
        await wats.analytics.get_oee_analysis(available_hours=(8, 8))


async def test_repairs(wats: AsyncWATS, recorder: Recorder) -> None:
    rows = await wats.analytics.get_dynamic_repair(
        WATSFilter(date_from=SINCE, dimensions="repairCount desc;partNumber;repairCategory")
    )
    assert recorder.query() == {"dimensions": "repairCount desc;partNumber;repairCategory"}
    assert rows and all(isinstance(row, RepairRow) and row.repair_count for row in rows)
    [repair] = await wats.analytics.get_uur_reports(WATSFilter(top_count=1))
    assert repair.part_number and repair.revision
    history = await wats.analytics.get_related_repair_history(repair.part_number, repair.revision)
    assert recorder.query() == {"partNumber": repair.part_number, "revision": repair.revision}
    assert history and all(isinstance(item, RelatedRepair) for item in history)


async def test_report_lists(wats: AsyncWATS, recorder: Recorder) -> None:
    failed = await wats.analytics.get_uut_reports(status="Failed", product_group_id=1)
    assert recorder.last.method == "GET"
    assert recorder.query() == {"status": "Failed", "productGroupId": "1"}
    assert failed and all(isinstance(h, ReportHeader) and h.failed for h in failed)
    posted = await wats.analytics.get_uut_reports(WATSFilter(status="Failed", top_count=2))
    assert recorder.last.method == "POST" and len(posted) == 2
    serial = failed[0].serial_number
    history = await wats.analytics.get_serial_number_history(WATSFilter(serial_number=serial))
    assert history and {h.serial_number for h in history} == {serial}


# --- the sync twin -------------------------------------------------------------------------


def test_every_operation_has_a_working_sync_twin(sync_wats: SyncWATS, recorder: Recorder) -> None:
    analytics = sync_wats.analytics
    since = WATSFilter(date_from=SINCE)
    assert analytics.get_dynamic_yield(since)
    assert analytics.yield_summary("PCB-1001", days=400)
    assert analytics.station_yield("ICT-01", days=400)
    assert analytics.worst_yield(days=400)
    assert analytics.get_volume_yield(days=400)
    assert analytics.get_high_volume(since)
    assert analytics.get_worst_yield(since)
    assert analytics.get_high_volume_by_product_group(since)
    assert analytics.get_worst_yield_by_product_group(since)
    [step] = analytics.get_top_failed(days=400, count=1)
    assert isinstance(step, TopFailedStep) and step.part_number and step.step_path
    flt = WATSFilter(part_number=step.part_number, test_operation="Functional test",
                     date_from=SINCE)  # fmt: skip
    assert analytics.get_test_step_analysis(flt)
    assert analytics.get_test_step_analysis_for_operation(step.part_number, 120, days=400)
    assert isinstance(analytics.get_measurements(flt, step.step_path), list)
    assert isinstance(analytics.get_aggregated_measurements(flt, step.step_path), list)
    assert isinstance(analytics.get_oee_analysis(since), OeeResult)
    assert analytics.get_dynamic_repair(since)
    [repair] = analytics.get_uur_reports(WATSFilter(top_count=1))
    assert repair.part_number and repair.revision
    assert analytics.get_related_repair_history(repair.part_number, repair.revision)
    assert analytics.get_uut_reports(part_number=step.part_number)
    assert analytics.get_serial_number_history(WATSFilter(serial_number=repair.serial_number))
    paths = {request.url.path for request in recorder.requests}
    assert len({p for p in paths if p.startswith("/api/App/")}) == 16
