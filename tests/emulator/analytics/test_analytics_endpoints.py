"""The emulator's /api/App analytics: reports with a known outcome in, numbers checked against
what the test works out on its own from the same reports."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
import pytest

from pywats.emulator.config import EmulatorConfig
from pywats.emulator.contract import Contract
from tests.emulator.analytics.samples import (
    CURRENT_PATH,
    HIGH,
    LOW,
    PN,
    VOLT_PATH,
    history,
    uut,
)

BASE = datetime(2025, 12, 1, 8, 0, tzinfo=UTC)
WINDOW = {"dateFrom": "2025-11-01T00:00:00Z", "dateTo": "2025-12-31T00:00:00Z"}


@pytest.fixture
def emulator_config() -> EmulatorConfig:
    return EmulatorConfig(seed_data=False)


async def submit(client: httpx2.AsyncClient, reports: list[dict[str, Any]]) -> None:
    for report in reports:
        response = await client.post("/api/Report/WSJF", json=report)
        assert response.status_code == 200, response.text


def expected_yield(reports: list[dict[str, Any]]) -> dict[str, int]:
    """Units and their first/second/third/last-pass counts, worked out from the reports."""
    runs: dict[str, list[str]] = defaultdict(list)
    for report in sorted(reports, key=lambda r: r["start"]):
        runs[report["sn"]].append(report["result"])
    first_pass = {sn: (results.index("P") + 1 if "P" in results else None)
                  for sn, results in runs.items()}  # fmt: skip
    return {
        "unitCount": len(runs),
        "fpCount": sum(1 for n in first_pass.values() if n == 1),
        "spCount": sum(1 for n in first_pass.values() if n is not None and n <= 2),
        "tpCount": sum(1 for n in first_pass.values() if n is not None and n <= 3),
        "lpCount": sum(1 for results in runs.values() if results[-1] == "P"),
        "testReportCount": len(reports),
        "testYieldCount": sum(1 for r in reports if r["result"] == "P"),
    }


def volt_values(reports: list[dict[str, Any]]) -> list[float]:
    return [r["root"]["steps"][0]["steps"][0]["numericMeas"][0]["value"] for r in reports]


async def dynamic_yield(client: httpx2.AsyncClient, dimensions: str, **extra: Any) -> Any:
    response = await client.post(
        "/api/App/DynamicYield", json={**WINDOW, "dimensions": dimensions, **extra}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_yields_and_counts_match_the_submitted_history(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    reports = history(BASE)
    await submit(emulator_client, reports)
    response = await emulator_client.post(
        "/api/App/DynamicYield",
        json={**WINDOW, "partNumber": PN},
        params={"dimensions": "partNumber"},
    )
    contract.check(response)
    [row] = response.json()
    want = expected_yield(reports)
    for key, value in want.items():
        assert row[key] == value, key
    assert row["partNumber"] == PN
    assert row["fpy"] == pytest.approx(100 * want["fpCount"] / want["unitCount"], abs=1e-3)
    assert row["spy"] == pytest.approx(100 * want["spCount"] / want["unitCount"], abs=1e-3)
    assert row["tpy"] == pytest.approx(100 * want["tpCount"] / want["unitCount"], abs=1e-3)
    assert row["lpy"] == pytest.approx(100 * want["lpCount"] / want["unitCount"], abs=1e-3)
    assert row["retestCount"] == want["testReportCount"] - want["unitCount"]
    assert row["fpFailCount"] == want["unitCount"] - want["fpCount"]
    assert isinstance(row["unitCount"], int) and isinstance(row["partNumber"], str)


async def test_a_submitted_report_changes_the_numbers_at_once(
    emulator_client: httpx2.AsyncClient,
) -> None:
    reports = history(BASE)
    await submit(emulator_client, reports)
    [before] = await dynamic_yield(emulator_client, "partNumber")
    retest = uut("U6", BASE + timedelta(days=2), passed=True)
    await submit(emulator_client, [retest])
    [after] = await dynamic_yield(emulator_client, "partNumber")
    assert after["lpCount"] == before["lpCount"] + 1
    assert after["spCount"] == before["spCount"] + 1  # U6 now passed on its second run
    assert after["unitCount"] == before["unitCount"]
    assert after["testReportCount"] == before["testReportCount"] + 1
    assert after == {**after, **expected_yield([*reports, retest])}


async def test_only_requested_kpis_and_ordering(emulator_client: httpx2.AsyncClient) -> None:
    reports = [*history(BASE), uut("X1", BASE, passed=True, station="ANA-ST-2")]
    await submit(emulator_client, reports)
    rows = await dynamic_yield(emulator_client, "unitCount desc;stationName;fpy")
    assert [row["stationName"] for row in rows] == ["ANA-ST-1", "ANA-ST-2"]
    assert set(rows[0]) == {"stationName", "unitCount", "fpy"}
    assert rows[1] == {"stationName": "ANA-ST-2", "unitCount": 1, "fpy": 100.0}


async def test_period_grouping_by_day(emulator_client: httpx2.AsyncClient) -> None:
    day1 = [uut("D1", BASE, passed=True), uut("D2", BASE, passed=False, volts=3.0)]
    day2 = [uut("D3", BASE + timedelta(days=1), passed=True)]
    await submit(emulator_client, day1 + day2)
    rows = await dynamic_yield(emulator_client, "period;unitCount;fpy", dateGrouping=4)
    assert rows == [
        {"period": "2025-12-01", "unitCount": 2, "fpy": 50.0},
        {"period": "2025-12-02", "unitCount": 1, "fpy": 100.0},
    ]
    weeks = await dynamic_yield(emulator_client, "period;unitCount", dateGrouping=3)
    assert weeks == [{"period": "2025-12-01", "unitCount": 3}]  # 2025-12-01 is a Monday


async def test_period_count_counts_back_from_the_emulator_clock(
    emulator_client: httpx2.AsyncClient,
) -> None:
    # The emulator's "now" is on its anchor day (2026-01-01): 3 days back covers Dec 30-Jan 1.
    recent = uut("R1", datetime(2025, 12, 30, 12, tzinfo=UTC), passed=True)
    old = uut("R2", datetime(2025, 12, 20, 12, tzinfo=UTC), passed=True)
    await submit(emulator_client, [recent, old])
    response = await emulator_client.post(
        "/api/App/DynamicYield",
        json={"periodCount": 3, "dateGrouping": 4, "includeCurrentPeriod": True,
              "dimensions": "partNumber;unitCount"},
    )  # fmt: skip
    assert response.json() == [{"partNumber": PN, "unitCount": 1}]


async def test_top_failed_counts_failing_runs(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    reports = history(BASE)
    await submit(emulator_client, reports)
    response = await emulator_client.post("/api/App/TopFailed", json={**WINDOW, "topCount": 5})
    contract.check(response)
    rows = {row["stepPath"]: row for row in response.json()}
    volt_fails = sum(1 for r in reports if not LOW <= volt_values([r])[0] <= HIGH)
    current_fails = sum(1 for r in reports if r["root"]["steps"][0]["steps"][1]["causedUUTFailure"])
    assert rows[VOLT_PATH]["failCount"] == volt_fails == 5  # U2 once, U4 four times
    assert rows[CURRENT_PATH]["failCount"] == current_fails == 3
    assert rows[VOLT_PATH]["totalCount"] == len(reports)
    assert rows[VOLT_PATH]["failRate"] == pytest.approx(100 * volt_fails / len(reports), abs=1e-3)
    assert list(rows) == [VOLT_PATH, CURRENT_PATH]  # most failures first
    assert rows[VOLT_PATH]["stepName"] == "VCC 3V3" and rows[VOLT_PATH]["partNumber"] == PN


async def test_top_failed_get_takes_the_spec_parameters(
    emulator_client: httpx2.AsyncClient,
) -> None:
    await submit(emulator_client, history(BASE))
    params = {"partNumber": PN, "processCode": "120", "productGroupId": "", "levelId": "",
              "days": "60", "count": "1"}  # fmt: skip
    response = await emulator_client.get("/api/App/TopFailed", params=params)
    assert response.status_code == 200, response.text
    [row] = response.json()
    assert row["stepPath"] == VOLT_PATH
    # testOperation/processCode matches a process by code; none here is 999.
    response = await emulator_client.get(
        "/api/App/TopFailed", params={**params, "processCode": "999"}
    )
    assert response.json() == []
    missing = {key: value for key, value in params.items() if key != "days"}
    response = await emulator_client.get("/api/App/TopFailed", params=missing)
    assert response.status_code == 400 and "days" in response.text


async def test_measurement_statistics_match_the_values(
    emulator_client: httpx2.AsyncClient,
) -> None:
    reports = history(BASE)
    await submit(emulator_client, reports)
    values = volt_values(reports)
    response = await emulator_client.post(
        "/api/App/AggregatedMeasurements",
        params={"measurementPaths": VOLT_PATH},
        json={**WINDOW, "partNumber": PN, "testOperation": "120"},
    )
    assert response.status_code == 200, response.text
    [row] = response.json()
    mean, stdev = statistics.fmean(values), statistics.stdev(values)
    assert row["count"] == len(values)
    assert row["min"] == min(values) and row["max"] == max(values)
    assert row["avg"] == pytest.approx(mean, rel=1e-6)
    assert row["stdev"] == pytest.approx(stdev, rel=1e-6)
    assert row["cp"] == pytest.approx((HIGH - LOW) / (6 * stdev), rel=1e-4)
    assert row["cpk"] == pytest.approx(min(HIGH - mean, mean - LOW) / (3 * stdev), rel=1e-4)
    assert (row["limit1"], row["limit2"]) == (LOW, HIGH)

    response = await emulator_client.post(
        "/api/App/Measurements",
        params={"measurementPaths": VOLT_PATH},
        json={**WINDOW, "partNumber": PN, "testOperation": "Functional test"},
    )
    # No process table without seeding: by name nothing matches, by code it does.
    assert response.json() == [{"measurementPath": VOLT_PATH, "measurements": []}]
    response = await emulator_client.post(
        "/api/App/Measurements",
        params={"measurementPaths": VOLT_PATH},
        json={**WINDOW, "partNumber": PN, "testOperation": "120"},
    )
    [group] = response.json()
    assert sorted(item["value"] for item in group["measurements"]) == sorted(values)
    assert {item["unit"] for item in group["measurements"]} == {"V"}


async def test_measurements_need_part_number_and_test_operation(
    emulator_client: httpx2.AsyncClient,
) -> None:
    for path in ("/api/App/Measurements", "/api/App/AggregatedMeasurements",
                 "/api/App/TestStepAnalysis"):  # fmt: skip
        response = await emulator_client.post(
            path, params={"measurementPaths": VOLT_PATH}, json={"partNumber": PN}
        )
        assert response.status_code == 400 and "testOperation" in response.text, path


async def test_step_analysis_counts_by_status(emulator_client: httpx2.AsyncClient) -> None:
    reports = history(BASE)
    await submit(emulator_client, reports)
    response = await emulator_client.post(
        "/api/App/TestStepAnalysis",
        json={**WINDOW, "partNumber": PN, "testOperation": "120", "run": -2},
    )
    rows = {row["stepPath"]: row for row in response.json()}
    volt = rows[VOLT_PATH]
    failed = sum(1 for v in volt_values(reports) if not LOW <= v <= HIGH)
    assert volt["stepCount"] == len(reports)
    assert volt["stepFailedCount"] == failed
    assert volt["stepPassedCount"] == len(reports) - failed
    assert volt["stepCausedUutFailed"] == failed
    assert volt["measureCount"] == len(reports)
    assert volt["avg"] == pytest.approx(statistics.fmean(volt_values(reports)), rel=1e-6)
    passing = [v for v in volt_values(reports) if LOW <= v <= HIGH]
    assert volt["avgWof"] == pytest.approx(statistics.fmean(passing), rel=1e-6)
    # Default run filter: first runs only (six units).
    response = await emulator_client.post(
        "/api/App/TestStepAnalysis", json={**WINDOW, "partNumber": PN, "testOperation": "120"}
    )
    first = {row["stepPath"]: row for row in response.json()}
    assert first[VOLT_PATH]["stepCount"] == 6


async def test_yield_lists_get_and_post(emulator_client: httpx2.AsyncClient) -> None:
    await submit(emulator_client, [*history(BASE), uut("Z1", BASE, passed=True, pn="ANA-200")])
    response = await emulator_client.get(
        "/api/App/WorstYield", params={"days": "60", "productGroupId": "", "levelId": ""}
    )
    assert response.status_code == 200, response.text
    rows = response.json()
    assert [row["partNumber"] for row in rows] == [PN, "ANA-200"]  # lowest FPY first
    assert rows[0]["fpy"] == pytest.approx(100 * 2 / 6, abs=1e-3)
    response = await emulator_client.post("/api/App/HighVolume", json=WINDOW)
    assert [row["partNumber"] for row in response.json()] == [PN, "ANA-200"]
    response = await emulator_client.get("/api/App/VolumeYield", params={"days": "60"})
    assert response.status_code == 400 and "productGroupId" in response.text


async def test_report_lists_and_serial_history(emulator_client: httpx2.AsyncClient) -> None:
    reports = history(BASE)
    await submit(emulator_client, reports)
    response = await emulator_client.get(
        "/api/App/UutReport", params={"serialNumber": "U4", "status": "Failed"}
    )
    rows = response.json()
    assert len(rows) == 4 and {row["serialNumber"] for row in rows} == {"U4"}
    assert rows[0]["start"] > rows[-1]["start"]  # newest first
    response = await emulator_client.post(
        "/api/App/UutReport", json={"partNumber": "ANA-%", "topCount": 3}
    )
    assert len(response.json()) == 3
    response = await emulator_client.post(
        "/api/App/SerialNumberHistory", json={"serialNumber": "U3"}
    )
    assert [row["run"] for row in response.json()] == [1, 2, 3]


async def test_dynamic_repair_counts_repairs(emulator_client: httpx2.AsyncClient) -> None:
    failing = uut("R9", BASE, passed=False, volts=3.0)
    await submit(emulator_client, [failing])
    repair = {
        "type": "R", "id": "6b3c1f0e-1111-4a2b-9c3d-000000000001", "pn": PN, "sn": "R9",
        "rev": "A", "processCode": 500, "result": "P", "machineName": "REP-1",
        "location": "Lab", "purpose": "Repair", "start": (BASE + timedelta(hours=2)).isoformat(),
        "uur": {"user": "tech", "processCode": 120, "refUUT": failing["id"], "comment": "fixed"},
        "subUnits": [{"partType": "Main", "pn": PN, "rev": "A", "sn": "R9", "idx": 0,
                      "failures": [
                          {"category": "Component", "code": "Damaged", "comRef": "U1",
                           "refStepId": 3},
                          {"category": "Solder", "code": "Cold joint", "comRef": "R2",
                           "refStepId": 3}]}],
    }  # fmt: skip
    await submit(emulator_client, [repair])
    response = await emulator_client.post(
        "/api/App/DynamicRepair",
        json={**WINDOW},
        params={"dimensions": "repairCount desc;partNumber;repairCategory;referencedStep"},
    )
    assert response.status_code == 200, response.text
    rows = response.json()
    assert {(r["repairCategory"], r["referencedStep"], r["repairCount"]) for r in rows} == {
        ("Component", "VCC 3V3", 1),
        ("Solder", "VCC 3V3", 1),
    }
    response = await emulator_client.get(
        "/api/App/RelatedRepairHistory", params={"partNumber": PN, "revision": "A"}
    )
    history_rows = response.json()
    assert {row["failCode"] for row in history_rows} == {"Damaged", "Cold joint"}
    assert {row["failStepPath"] for row in history_rows} == {VOLT_PATH}
    response = await emulator_client.post("/api/App/UurReport", json={"serialNumber": "R9"})
    assert [row["reportType"] for row in response.json()] == ["R"]


async def test_oee_from_available_time(emulator_client: httpx2.AsyncClient) -> None:
    reports = history(BASE)
    await submit(emulator_client, reports)
    day = {"dateFrom": "2025-12-01T00:00:00Z", "dateTo": "2025-12-02T00:00:00Z"}
    response = await emulator_client.post(
        "/api/App/OeeAnalysis", params={"availableTime": "8,8,8,8,8,0,0"}, json=day
    )
    assert response.status_code == 200, response.text
    result = response.json()
    good = sum(1 for r in reports if r["result"] == "P")
    assert result["totalCount"] == len(reports) and result["goodCount"] == good
    assert result["plannedProductionTime"] == pytest.approx(8 * 3600)  # a Monday
    assert result["runTime"] == pytest.approx(10.0 * len(reports))
    assert result["quality"] == pytest.approx(100 * good / len(reports), abs=1e-3)
    assert result["availability"] == pytest.approx(100 * 10 * len(reports) / (8 * 3600), abs=1e-3)
    expected = result["availability"] * result["performance"] * result["quality"] / 10_000
    assert result["oee"] == pytest.approx(expected, abs=1e-3)
    response = await emulator_client.post("/api/App/OeeAnalysis", json=day)
    assert response.status_code == 400 and "availableTime" in response.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"dimensions": "partNumber;nonsense"}, "dimensions"),
        ({"dimensions": "period"}, "dateGrouping"),
        ({"dateGrouping": 9}, "dateGrouping"),
        ({"topCount": "ten"}, "topCount"),
        ({"dateFrom": "yesterday"}, "dateFrom"),
        ({"run": 7}, "run"),
    ],
)
async def test_bad_filters_are_400_naming_the_field(
    emulator_client: httpx2.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await emulator_client.post("/api/App/DynamicYield", json=body)
    assert response.status_code == 400
    assert field in response.text


async def test_replaced_report_counts_once(emulator_client: httpx2.AsyncClient) -> None:
    report = uut("S1", BASE, passed=False, volts=3.0)
    await submit(emulator_client, [report])
    fixed = uut("S1", BASE, passed=True, report_id=report["id"])
    await submit(emulator_client, [fixed])
    response = await emulator_client.post("/api/App/TopFailed", json=WINDOW)
    assert response.json() == []
    [row] = await dynamic_yield(emulator_client, "partNumber")
    assert (row["unitCount"], row["fpCount"], row["testReportCount"]) == (1, 1, 1)
