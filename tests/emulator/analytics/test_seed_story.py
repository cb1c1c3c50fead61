"""The factory seed has a story the analytics show (issue 13): a bad station, a step that fails
more after a change, and a measurement that drifts. Each is read back through the /api/App
endpoints a chart would use, not from the tables."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

import httpx2
import pytest

from pywats.emulator.config import EmulatorConfig
from pywats.emulator.domains.production import story
from pywats.emulator.testing import InProcessEmulator

ANCHOR = EmulatorConfig().anchor
CHANGE = ANCHOR - timedelta(days=story.CHANGE_DAYS_BEFORE_ANCHOR)
HALF_A_YEAR_BEFORE = ANCHOR - timedelta(days=182)
REFERENCE = "MainSequence Callback\u00b6Analog\u00b6Reference Voltage"


def wire(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def factory() -> Iterator[InProcessEmulator]:
    emulator = InProcessEmulator(config=EmulatorConfig(size="factory"))
    yield emulator
    emulator.close()


@pytest.fixture
async def client(factory: InProcessEmulator) -> AsyncIterator[httpx2.AsyncClient]:
    async with factory.client() as client:
        yield client


async def post(client: httpx2.AsyncClient, path: str, body: dict[str, Any]) -> Any:
    response = await client.post(f"/api/App/{path}", json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_bad_station_has_a_clearly_lower_first_pass_yield(
    client: httpx2.AsyncClient,
) -> None:
    rows = await post(
        client,
        "DynamicYield",
        {"dateFrom": wire(HALF_A_YEAR_BEFORE), "testOperation": "120", "dimensions": "stationName"},
    )
    fpy = {row["stationName"]: row["fpy"] for row in rows}
    units = {row["stationName"]: row["unitCount"] for row in rows}
    assert len(fpy) >= 3, fpy
    assert all(count >= 300 for count in units.values()), units
    worst = min(fpy, key=fpy.__getitem__)
    assert worst == story.BAD_STATION
    others = [value for station, value in fpy.items() if station != worst]
    assert fpy[worst] <= min(others) - 15, fpy  # ~64 % against ~88 %
    assert max(others) - min(others) < 6, fpy  # the other testers are alike


async def failure_rate(client: httpx2.AsyncClient, start: datetime, end: datetime) -> float:
    """The changed step's fail rate (failing runs / runs) over every part that runs it."""
    rows = await post(
        client, "TopFailed", {"dateFrom": wire(start), "dateTo": wire(end), "topCount": 200}
    )
    mine = [row for row in rows if row["stepName"] == story.CHANGED_STEP]
    assert mine, f"{story.CHANGED_STEP} never failed between {start} and {end}"
    total = sum(row["totalCount"] for row in mine)
    assert total >= 300
    return 100.0 * sum(row["failCount"] for row in mine) / total


async def test_the_changed_step_fails_more_after_the_change(client: httpx2.AsyncClient) -> None:
    before = await failure_rate(client, HALF_A_YEAR_BEFORE, CHANGE)
    after = await failure_rate(client, CHANGE, ANCHOR)
    assert after >= 3 * before, (before, after)  # ~3 % before, ~17 % after
    assert after - before >= 8, (before, after)


async def test_the_reference_voltage_drifts_up_week_by_week(client: httpx2.AsyncClient) -> None:
    means = []
    start = HALF_A_YEAR_BEFORE
    while start + timedelta(weeks=4) <= ANCHOR:
        end = start + timedelta(weeks=4)
        [row] = await post(
            client,
            "AggregatedMeasurements",
            {
                "dateFrom": wire(start),
                "dateTo": wire(end),
                "partNumber": "PCB-1001",
                "testOperation": "120",
                "measurementPaths": REFERENCE,
            },
        )
        assert row["count"] >= 20
        means.append(row["avg"])
        start = end
    assert len(means) == 6
    rises = sum(later > earlier for earlier, later in pairwise(means))
    assert rises >= 4, means  # noise may flatten one step, not the trend
    assert means[-1] - means[0] >= 0.0015, means  # volts: ~2 mV over the half year
