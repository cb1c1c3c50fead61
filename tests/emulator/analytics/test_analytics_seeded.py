"""Analytics over the seeded factory: the numbers come from the seeded reports, and a report
submitted on top of them moves them."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx2

from pywats.emulator.testing import InProcessEmulator
from tests.emulator.analytics.samples import uut

ALL_TIME = {"dateFrom": "2020-01-01T00:00:00Z"}


async def test_seeded_yield_agrees_with_the_report_table(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient
) -> None:
    response = await emulator_client.post(
        "/api/App/DynamicYield", json={**ALL_TIME, "dimensions": "partNumber;testOperation"}
    )
    rows = response.json()
    assert rows, "the seed has test reports"
    units = emulator.store.scalar(
        "SELECT COUNT(*) FROM (SELECT DISTINCT serial_number, part_number, process_code "
        "FROM report WHERE report_type = 'T')"
    )
    assert sum(row["unitCount"] for row in rows) == units
    reports = emulator.store.scalar("SELECT COUNT(*) FROM report WHERE report_type = 'T'")
    assert sum(row["testReportCount"] for row in rows) == reports
    assert all(0 <= row["fpy"] <= row["spy"] <= row["tpy"] <= 100 for row in rows)


async def test_submitting_on_top_of_the_seed_moves_the_numbers(
    emulator_client: httpx2.AsyncClient,
) -> None:
    body = {**ALL_TIME, "partNumber": "PCB-1001", "dimensions": "partNumber"}
    [before] = (await emulator_client.post("/api/App/DynamicYield", json=body)).json()
    report = uut("NEW-0001", datetime(2025, 12, 31, 9, tzinfo=UTC), passed=True, pn="PCB-1001")
    assert (await emulator_client.post("/api/Report/WSJF", json=report)).status_code == 200
    [after] = (await emulator_client.post("/api/App/DynamicYield", json=body)).json()
    assert after["unitCount"] == before["unitCount"] + 1
    assert after["fpCount"] == before["fpCount"] + 1


async def test_seeded_product_groups_and_failures(emulator_client: httpx2.AsyncClient) -> None:
    response = await emulator_client.post("/api/App/HighVolumeByProductGroup", json=ALL_TIME)
    groups = response.json()
    assert groups and all(isinstance(row["productGroup"], str) for row in groups)
    counts = [row["unitCount"] for row in groups]
    assert counts == sorted(counts, reverse=True)
    response = await emulator_client.post("/api/App/TopFailed", json={**ALL_TIME, "topCount": 3})
    rows = response.json()
    assert len(rows) == 3
    assert all("\u00b6" in row["stepPath"] and row["failCount"] > 0 for row in rows)
