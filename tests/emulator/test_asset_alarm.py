"""The asset alarm state the emulator computes (issue 14, acceptance 1): each check at each
threshold (below warning, at warning, at alarm), by count and by days, from its own data."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
import pytest

from pywats.emulator.domains.asset import records
from pywats.emulator.testing import InProcessEmulator

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "now_for", lambda anchor: NOW)


@pytest.fixture
async def client(emulator: InProcessEmulator) -> AsyncIterator[httpx2.AsyncClient]:
    async with emulator.client() as http:
        yield http


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


async def make_type(client: httpx2.AsyncClient, name: str, **limits: Any) -> str:
    body = {"typeName": name, "warningThreshold": 80, "alarmThreshold": 100, **limits}
    response = await client.put("/api/Asset/Types", json=body)
    assert response.status_code == 200, response.text
    type_id: str = response.json()["typeId"]
    return type_id


async def make_asset(
    client: httpx2.AsyncClient, serial: str, type_id: str, **extra: Any
) -> dict[str, Any]:
    response = await client.put(
        "/api/Asset", json={"serialNumber": serial, "typeId": type_id, **extra}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def status(client: httpx2.AsyncClient, serial: str) -> dict[str, Any]:
    response = await client.get("/api/Asset/Status", params={"serialNumber": serial})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def count(client: httpx2.AsyncClient, serial: str, by: int) -> None:
    response = await client.put(
        "/api/Asset/Count", params={"serialNumber": serial, "incrementBy": by}
    )
    assert response.status_code == 200, response.text


async def test_a_new_asset_is_ok(client: httpx2.AsyncClient) -> None:
    type_id = await make_type(
        client,
        "Everything",
        runningCountLimit=10,
        totalCountLimit=100,
        calibrationInterval=30,
        maintenanceInterval=60,
    )
    await make_asset(client, "NEW-1", type_id)
    body = await status(client, "NEW-1")
    assert body["alarmState"] == 0
    assert body["reasons"] == []
    assert body["daysSinceCalibration"] == 0
    assert body["calibrationDaysLeft"] == 30
    assert body["nextCalibrationDate"].startswith("2026-03-31")


@pytest.mark.parametrize(
    ("limit_field", "used", "expected"),
    [
        ("runningCountLimit", 79, 0),
        ("runningCountLimit", 80, 1),
        ("runningCountLimit", 99, 1),
        ("runningCountLimit", 100, 2),
        ("runningCountLimit", 130, 2),
        ("totalCountLimit", 79, 0),
        ("totalCountLimit", 80, 1),
        ("totalCountLimit", 100, 2),
    ],
)
async def test_alarm_state_by_count(
    client: httpx2.AsyncClient, limit_field: str, used: int, expected: int
) -> None:
    type_id = await make_type(client, f"Counted {limit_field}", **{limit_field: 100})
    await make_asset(client, "CNT-1", type_id)
    await count(client, "CNT-1", used)
    body = await status(client, "CNT-1")
    assert body["alarmState"] == expected
    kind = "runningCount" if limit_field == "runningCountLimit" else "totalCount"
    assert [reason["type"] for reason in body["reasons"]] == ([kind] if expected else [])
    if expected == 2 and used > 100:
        assert "exceeds its limit 100 by 30" in body["message"]


@pytest.mark.parametrize(
    ("days", "expected"), [(0, 0), (79, 0), (80, 1), (99.5, 1), (100, 2), (140, 2)]
)
@pytest.mark.parametrize("kind", ["Calibration", "Maintenance"])
async def test_alarm_state_by_days(
    client: httpx2.AsyncClient, kind: str, days: float, expected: int
) -> None:
    type_id = await make_type(client, f"Timed {kind}", **{f"{kind.lower()}Interval": 100})
    await make_asset(client, "DAY-1", type_id, firstSeenDate=iso(NOW - timedelta(days=400)))
    response = await client.post(
        f"/api/Asset/{kind}",
        params={"serialNumber": "DAY-1", "dateTime": iso(NOW - timedelta(days=days))},
    )
    assert response.status_code == 200, response.text
    body = await status(client, "DAY-1")
    assert body["alarmState"] == expected
    assert body[f"daysSince{kind}"] == pytest.approx(days)
    assert body[f"{kind.lower()}DaysLeft"] == pytest.approx(100 - days)
    if days > 100:
        assert f"{kind} overdue by 40 days" in body["message"]


async def test_days_count_from_registration_without_a_calibration(
    client: httpx2.AsyncClient,
) -> None:
    type_id = await make_type(client, "Never calibrated", calibrationInterval=50)
    await make_asset(client, "OLD-1", type_id, firstSeenDate=iso(NOW - timedelta(days=45)))
    body = await status(client, "OLD-1")
    assert body["alarmState"] == 1
    assert body["daysSinceCalibration"] == pytest.approx(45)
    assert "lastCalibrationDate" not in body


async def test_the_worst_check_wins_and_every_reason_is_listed(
    client: httpx2.AsyncClient,
) -> None:
    type_id = await make_type(client, "Two problems", runningCountLimit=10, calibrationInterval=100)
    await make_asset(client, "TWO-1", type_id, firstSeenDate=iso(NOW - timedelta(days=85)))
    await count(client, "TWO-1", 10)
    body = await status(client, "TWO-1")
    assert body["alarmState"] == 2
    assert {r["type"]: r["alarmState"] for r in body["reasons"]} == {
        "runningCount": 2,
        "calibration": 1,
    }
    assert body["message"].startswith("Running count 10 has reached its limit 10")


async def test_thresholds_default_to_alarm_at_the_limit_and_no_warning(
    client: httpx2.AsyncClient,
) -> None:
    response = await client.put(
        "/api/Asset/Types", json={"typeName": "Plain", "runningCountLimit": 10}
    )
    type_id = response.json()["typeId"]
    await make_asset(client, "PLAIN-1", type_id)
    await count(client, "PLAIN-1", 9)
    assert (await status(client, "PLAIN-1"))["alarmState"] == 0
    await count(client, "PLAIN-1", 1)
    assert (await status(client, "PLAIN-1"))["alarmState"] == 2


async def test_asset_state_is_not_the_alarm_state(client: httpx2.AsyncClient) -> None:
    type_id = await make_type(client, "Stateful", runningCountLimit=10)
    await make_asset(client, "ST-1", type_id)
    await count(client, "ST-1", 10)
    response = await client.put("/api/Asset/State", params={"serialNumber": "ST-1", "state": 4})
    assert response.json()["state"] == 4
    body = await status(client, "ST-1")
    assert body["state"] == 4
    assert body["alarmState"] == 2


async def test_seeded_fleet_has_ok_warning_and_one_alarm(
    client: httpx2.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records, "now_for", lambda anchor: datetime(2026, 1, 1, tzinfo=UTC))
    assets = (await client.get("/api/Asset")).json()
    states: dict[str, int] = {}
    for asset in assets:
        states[asset["serialNumber"]] = (await status(client, asset["serialNumber"]))["alarmState"]
    assert [serial for serial, state in states.items() if state == 2] == ["PSU-E3631-05"]
    warnings = {serial for serial, state in states.items() if state == 1}
    assert {"DMM-34461-03", "PSU-E3631-03", "PRB-110-3"} <= warnings
    assert sum(1 for state in states.values() if state == 0) > len(states) / 2
    probe = await status(client, "PRB-110-3")
    assert [reason["type"] for reason in probe["reasons"]] == ["runningCount"]
    due_soon = [
        serial
        for serial in states
        if 0 <= (await status(client, serial)).get("calibrationDaysLeft", 999) <= 7
    ]
    assert sorted(due_soon) == ["DMM-34461-03", "PSU-E3631-03"]


def test_the_clock_lives_on_the_anchor_day_once_it_is_past(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.undo()  # the real now_for, with a chosen wall clock
    anchor = datetime(2026, 1, 1, tzinfo=UTC)
    monkeypatch.setattr(records, "clock", lambda: datetime(2026, 12, 1, 14, 30, tzinfo=UTC))
    assert records.now_for(anchor) == datetime(2026, 1, 1, 14, 30, tzinfo=UTC)
    today = datetime(2026, 12, 1, tzinfo=UTC)
    assert records.now_for(today) == datetime(2026, 12, 1, 14, 30, tzinfo=UTC)
    future = datetime(2027, 2, 1, 9, tzinfo=UTC)
    assert records.now_for(future) == future
