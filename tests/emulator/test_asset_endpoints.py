"""/api/Asset and the internal asset files (issue 14, acceptance 1): counts from submitted
reports, what calibration, maintenance and a reset do, the log, sub-assets, files, and the
400s and 404s for bad input."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
import pytest

from pywats.emulator.contract import Contract
from pywats.emulator.domains.asset import records
from pywats.emulator.testing import InProcessEmulator

from .report_samples import uut_dict
from .test_asset_alarm import count, iso, make_asset, make_type, status

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "now_for", lambda anchor: NOW)


@pytest.fixture
async def client(emulator: InProcessEmulator) -> AsyncIterator[httpx2.AsyncClient]:
    async with emulator.client(headers={"Referer": emulator.base_url}) as http:
        yield http


@pytest.fixture
async def fixture_type(client: httpx2.AsyncClient) -> str:
    return await make_type(
        client,
        "Test fixture",
        runningCountLimit=100,
        totalCountLimit=1000,
        maintenanceInterval=90,
        calibrationInterval=365,
    )


async def log_of(client: httpx2.AsyncClient, asset_id: str) -> list[dict[str, Any]]:
    response = await client.get("/api/Asset/Log", params={"$filter": f"assetId eq '{asset_id}'"})
    assert response.status_code == 200
    body: list[dict[str, Any]] = response.json()
    return body


async def get(client: httpx2.AsyncClient, key: str) -> dict[str, Any]:
    response = await client.get(f"/api/Asset/{key}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# --- usage from reports --------------------------------------------------------------------


async def test_a_submitted_report_counts_its_assets_and_shows_their_stats(
    client: httpx2.AsyncClient, fixture_type: str
) -> None:
    await make_asset(client, "FIX-9", fixture_type, firstSeenDate=iso(NOW - timedelta(days=1)))
    await count(client, "FIX-9", 10)
    report = uut_dict(start=iso(NOW - timedelta(hours=1)))
    report["assets"] = [
        {"assetSN": "FIX-9", "usageCount": 3},
        {"assetSN": "NOT-AN-ASSET", "usageCount": 1},
    ]
    response = await client.post("/api/Report/WSJF", json=report)
    assert response.status_code == 200, response.text
    asset = await get(client, "FIX-9")
    assert (asset["runningCount"], asset["totalCount"]) == (13, 13)
    assert asset["lastSeenDate"] == "2026-03-01T12:00:00.000Z"  # the count, later than the test
    exported = (await client.get(f"/api/Report/Wsjf/{report['id']}")).json()
    stats = exported["assetStats"]
    assert stats[0]["assetSN"] == "FIX-9"
    assert (stats[0]["runningCount"], stats[0]["totalCount"]) == (13, 13)
    assert stats[0]["runningCountExceeded"] == 0
    assert stats[0]["daysSinceCalibration"] == pytest.approx(23 / 24, abs=0.01)
    assert stats[1] == {"assetSN": "NOT-AN-ASSET"}
    # Sent again (same id): not counted twice.
    assert (await client.post("/api/Report/WSJF", json=report)).status_code == 200
    assert (await get(client, "FIX-9"))["totalCount"] == 13


async def test_usage_count_defaults_to_one_and_exceeding_is_reported(
    client: httpx2.AsyncClient,
) -> None:
    type_id = await make_type(client, "Tiny", runningCountLimit=2)
    await make_asset(client, "TINY-1", type_id)
    for _ in range(3):
        report = uut_dict(start=iso(NOW))
        report["assets"] = [{"assetSN": "tiny-1"}]  # any case
        assert (await client.post("/api/Report/WSJF", json=report)).status_code == 200
    exported = (await client.get(f"/api/Report/Wsjf/{report['id']}")).json()
    assert exported["assetStats"][0]["runningCountExceeded"] == 1
    assert (await status(client, "TINY-1"))["alarmState"] == 2


async def test_a_report_run_before_the_last_calibration_adds_to_the_total_only(
    client: httpx2.AsyncClient, fixture_type: str
) -> None:
    await make_asset(client, "LATE-1", fixture_type, firstSeenDate=iso(NOW - timedelta(days=30)))
    await client.post(
        "/api/Asset/Calibration",
        params={"serialNumber": "LATE-1", "dateTime": iso(NOW - timedelta(days=2))},
    )
    report = uut_dict(start=iso(NOW - timedelta(days=5)))
    report["assets"] = [{"assetSN": "LATE-1", "usageCount": 4}]
    assert (await client.post("/api/Report/WSJF", json=report)).status_code == 200
    asset = await get(client, "LATE-1")
    assert (asset["runningCount"], asset["totalCount"]) == (0, 4)


async def test_seeded_counts_come_from_seeded_reports(
    client: httpx2.AsyncClient, emulator: InProcessEmulator
) -> None:
    store = emulator.store
    uses = store.scalar(
        "SELECT COUNT(*) FROM report WHERE report_type = 'T' AND fixture_id = 'FX-110-2'"
    )
    asset = await get(client, "FX-110-2")
    assert asset["totalCount"] == uses > 0
    child = await get(client, "PRB-110-2")
    assert child["totalCount"] == uses
    assert 0 < child["runningCount"] < uses  # cleaned since
    row = store.query_one(
        "SELECT uuid FROM report WHERE fixture_id = 'FX-110-2' ORDER BY start_utc DESC LIMIT 1"
    )
    assert row is not None
    exported = (await client.get(f"/api/Report/Wsjf/{row['uuid']}")).json()
    assert [a["assetSN"] for a in exported["assets"]] == ["FX-110-2", "PRB-110-2", "PSU-E3631-02"]
    assert exported["assetStats"][0]["totalCount"] == uses
    assert exported["assetStats"][1]["runningCount"] == child["runningCount"]


# --- counts, calibration, maintenance, reset -------------------------------------------------


async def test_count_by_total_and_to_children(
    client: httpx2.AsyncClient, fixture_type: str
) -> None:
    parent = await make_asset(client, "P-1", fixture_type)
    child = await make_asset(client, "C-1", fixture_type, parentAssetId=parent["assetId"])
    await make_asset(client, "G-1", fixture_type, parentSerialNumber="C-1")
    response = await client.put(
        "/api/Asset/Count",
        params={"id": parent["assetId"], "incrementBy": 5, "incrementChildren": "true"},
    )
    assert response.json()["totalCount"] == 5
    assert (await get(client, "G-1"))["runningCount"] == 5
    response = await client.put(
        "/api/Asset/Count", params={"serialNumber": "C-1", "totalCount": 12}
    )
    assert (response.json()["runningCount"], response.json()["totalCount"]) == (12, 12)
    assert (await get(client, "P-1"))["totalCount"] == 5
    assert (await get(client, child["assetId"]))["totalCount"] == 12
    bad = await client.put("/api/Asset/Count", params={"serialNumber": "C-1", "totalCount": 3})
    assert bad.status_code == 400
    assert bad.json()["ModelState"] == {"totalCount": [bad.json()["Message"]]}


async def test_calibration_sets_dates_resets_running_count_and_logs(
    client: httpx2.AsyncClient, fixture_type: str
) -> None:
    asset = await make_asset(client, "CAL-1", fixture_type)
    await count(client, "CAL-1", 40)
    when = NOW - timedelta(days=10)
    response = await client.post(
        "/api/Asset/Calibration",
        params={"serialNumber": "CAL-1", "dateTime": iso(when), "comment": "Certificate 778"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["lastCalibrationDate"].startswith("2026-02-19T12:00:00")
    assert body["nextCalibrationDate"].startswith("2027-02-19T12:00:00")
    assert (body["runningCount"], body["totalCount"]) == (0, 40)
    entry = (await log_of(client, asset["assetId"]))[0]
    assert entry["type"] == 4
    assert "Certificate 778" in entry["comment"]
    assert entry["user"] == "emulator"
    # An older calibration is logged but moves nothing back.
    await count(client, "CAL-1", 3)
    await client.post(
        "/api/Asset/Calibration",
        params={"serialNumber": "CAL-1", "dateTime": iso(NOW - timedelta(days=50))},
    )
    body = await get(client, "CAL-1")
    assert body["lastCalibrationDate"].startswith("2026-02-19")
    assert body["runningCount"] == 3
    future = await client.post(
        "/api/Asset/Calibration",
        params={"serialNumber": "CAL-1", "dateTime": iso(NOW + timedelta(days=1))},
    )
    assert future.status_code == 400


async def test_maintenance_defaults_to_now_and_resets_the_running_count(
    client: httpx2.AsyncClient, fixture_type: str
) -> None:
    asset = await make_asset(client, "MNT-1", fixture_type)
    await count(client, "MNT-1", 7)
    body = (await client.post("/api/Asset/Maintenance", params={"id": asset["assetId"]})).json()
    assert body["lastMaintenanceDate"] == "2026-03-01T12:00:00.000Z"
    assert body["nextMaintenanceDate"].startswith("2026-05-30T12:00:00")
    assert (body["runningCount"], body["totalCount"]) == (0, 7)
    assert "lastCalibrationDate" not in body
    assert (await log_of(client, asset["assetId"]))[0]["type"] == 5


async def test_reset_running_count_keeps_the_total(
    client: httpx2.AsyncClient, fixture_type: str
) -> None:
    asset = await make_asset(client, "RST-1", fixture_type)
    await count(client, "RST-1", 9)
    response = await client.post(
        "/api/Asset/ResetRunningCount",
        params={"serialNumber": "RST-1", "comment": "Probes replaced"},
    )
    assert (response.json()["runningCount"], response.json()["totalCount"]) == (0, 9)
    entry = (await log_of(client, asset["assetId"]))[0]
    assert (entry["type"], entry["comment"], entry["value"]) == (3, "Probes replaced", "9")


# --- the log ---------------------------------------------------------------------------------


async def test_log_records_registration_state_message_and_update(
    client: httpx2.AsyncClient, fixture_type: str
) -> None:
    asset = await make_asset(client, "LOG-1", fixture_type, location="Line 1")
    await client.put("/api/Asset/State", params={"serialNumber": "LOG-1", "state": 5})
    response = await client.post(
        "/api/Asset/Message",
        params={"serialNumber": "LOG-1"},
        json={"content": "Moved to the spare shelf"},
    )
    assert response.status_code == 200
    assert response.json()["comment"] == "Moved to the spare shelf"
    await make_asset(client, "LOG-1", fixture_type, location="Line 2")
    entries = await log_of(client, asset["assetId"])
    assert [e["type"] for e in entries] == [2, 0, 6, 1]
    assert entries[0]["property"] == "location" and entries[0]["value"] == "Line 2"
    assert entries[2]["comment"] == "State changed from In operation to In storage"
    assert (await get(client, "LOG-1"))["location"] == "Line 2"
    only_messages = await client.get(
        "/api/Asset/Log", params={"$filter": f"assetId eq '{asset['assetId']}' and type eq 0"}
    )
    assert [e["comment"] for e in only_messages.json()] == ["Moved to the spare shelf"]
    # The older body shape: the asset and the comment in the body.
    older = await client.post(
        "/api/Asset/Message", json={"assetId": asset["assetId"], "comment": "Old client"}
    )
    assert older.status_code == 200


# --- get, put, delete, sub-assets, types ----------------------------------------------------


async def test_get_by_id_or_serial_and_list_with_odata(
    client: httpx2.AsyncClient, contract: Contract
) -> None:
    listed = contract.check(
        await client.get(
            "/api/Asset",
            params={"$filter": "startswith(serialNumber, 'PSU-')", "$orderby": "serialNumber"},
        )
    )
    assert [a["serialNumber"] for a in listed][:2] == ["PSU-E3631-01", "PSU-E3631-02"]
    one = contract.check(await client.get(f"/api/Asset/{listed[0]['assetId']}"))
    assert one["serialNumber"] == "PSU-E3631-01"
    assert one["assetType"]["typeName"] == "DC power supply"
    assert one["parentSerialNumber"] == "FX-110-1"
    assert (await get(client, "psu-e3631-01"))["assetId"] == one["assetId"]
    assert (await client.get("/api/Asset/NO-SUCH-ASSET")).status_code == 404
    fixture = await get(client, "FX-150-1")
    assert [c["serialNumber"] for c in fixture["assetChildren"]] == ["DMM-34461-01", "PSU-E3631-04"]
    due = await client.get(
        "/api/Asset", params={"$filter": "nextCalibrationDate lt 2026-01-08T00:00:00Z"}
    )
    assert {a["serialNumber"] for a in due.json()} == {
        "DMM-34461-03",
        "PSU-E3631-03",
        "PSU-E3631-05",
    }


async def test_put_validates_and_rejects_cycles(
    client: httpx2.AsyncClient, fixture_type: str
) -> None:
    for body, field in [
        ({"typeId": fixture_type}, "serialNumber"),
        ({"serialNumber": "X-1"}, "typeId"),
        ({"serialNumber": "X-1", "typeId": "not-a-guid"}, "typeId"),
        ({"serialNumber": "X-1", "typeId": "00000000-0000-4000-8000-000000000000"}, "typeId"),
        ({"serialNumber": "X-1", "typeId": fixture_type, "state": 9}, "state"),
        (
            {"serialNumber": "X-1", "typeId": fixture_type, "parentSerialNumber": "NOPE"},
            "parentSerialNumber",
        ),
        ({"serialNumber": 5, "typeId": fixture_type}, "serialNumber"),
    ]:
        response = await client.put("/api/Asset", json=body)
        assert response.status_code == 400, body
        assert field in response.json()["ModelState"], (body, response.json())
    top = await make_asset(client, "TOP-1", fixture_type)
    await make_asset(client, "MID-1", fixture_type, parentSerialNumber="TOP-1")
    response = await client.put(
        "/api/Asset",
        json={"serialNumber": "TOP-1", "typeId": fixture_type, "parentSerialNumber": "MID-1"},
    )
    assert response.status_code == 400
    assert (await get(client, top["assetId"])).get("parentAssetId") is None


async def test_sub_assets_by_level_and_delete_moves_children_up(
    client: httpx2.AsyncClient, fixture_type: str
) -> None:
    await make_asset(client, "L0", fixture_type)
    await make_asset(client, "L1", fixture_type, parentSerialNumber="L0")
    await make_asset(client, "L2", fixture_type, parentSerialNumber="L1")
    await make_asset(client, "L3", fixture_type, parentSerialNumber="L2")

    async def subs(level: int | None) -> list[str]:
        params: dict[str, Any] = {"serialNumber": "L0"}
        if level is not None:
            params["level"] = level
        response = await client.get("/api/Asset/SubAssets", params=params)
        return [a["serialNumber"] for a in response.json()]

    assert await subs(1) == ["L1"]
    assert await subs(2) == ["L1", "L2"]
    assert await subs(0) == await subs(None) == ["L1", "L2", "L3"]
    assert (
        await client.get("/api/Asset/SubAssets", params={"serialNumber": "L0", "level": -1})
    ).status_code == 400
    deleted = await client.delete("/api/Asset", params={"serialNumber": "L1"})
    assert deleted.status_code == 200
    assert (await get(client, "L2"))["parentSerialNumber"] == "L0"
    assert await subs(0) == ["L2", "L3"]
    assert (await client.get("/api/Asset/L1")).status_code == 404


async def test_types_upsert_and_validation(client: httpx2.AsyncClient, contract: Contract) -> None:
    created = await client.put(
        "/api/Asset/Types",
        json={"typeName": "Oscilloscope", "calibrationInterval": 730, "warningThreshold": 90},
    )
    type_id = created.json()["typeId"]
    updated = await client.put(
        "/api/Asset/Types",
        json={"typeId": type_id, "typeName": "Oscilloscope", "calibrationInterval": 365},
    )
    assert updated.json()["calibrationInterval"] == 365
    assert "warningThreshold" not in updated.json()  # a PUT replaces the type
    listed = contract.check(
        await client.get("/api/Asset/Types", params={"$filter": "calibrationInterval eq 365"})
    )
    assert "Oscilloscope" in [t["typeName"] for t in listed]
    for body, field in [
        ({}, "typeName"),
        ({"typeName": "Bad", "runningCountLimit": -1}, "runningCountLimit"),
        ({"typeName": "Bad", "warningThreshold": 90, "alarmThreshold": 80}, "warningThreshold"),
        ({"typeName": "Bad", "calibrationInterval": "often"}, "calibrationInterval"),
    ]:
        response = await client.put("/api/Asset/Types", json=body)
        assert response.status_code == 400, body
        assert field in response.json()["ModelState"]


@pytest.mark.parametrize(
    ("method", "path", "params", "field"),
    [
        ("GET", "/api/Asset/Status", {}, "id"),
        ("PUT", "/api/Asset/State", {"serialNumber": "FX-110-1"}, "state"),
        ("PUT", "/api/Asset/State", {"serialNumber": "FX-110-1", "state": "x"}, "state"),
        ("PUT", "/api/Asset/State", {"serialNumber": "FX-110-1", "state": 7}, "state"),
        ("PUT", "/api/Asset/Count", {"serialNumber": "FX-110-1"}, "incrementBy"),
        ("PUT", "/api/Asset/Count", {"serialNumber": "FX-110-1", "incrementBy": -2}, "incrementBy"),
        (
            "PUT",
            "/api/Asset/Count",
            {"serialNumber": "FX-110-1", "incrementBy": 1, "incrementChildren": "maybe"},
            "incrementChildren",
        ),
        (
            "POST",
            "/api/Asset/Calibration",
            {"serialNumber": "FX-110-1", "dateTime": "soon"},
            "dateTime",
        ),
        ("GET", "/api/Asset/Log", {"$filter": "type eq"}, "$filter"),
        ("GET", "/api/Asset", {"$top": "-1"}, "$top"),
        (
            "GET",
            "/api/Asset/Status",
            {"id": "FX-110-1", "serialNumber": "FX-110-2"},
            "serialNumber",
        ),
    ],
)
async def test_bad_parameters_are_400s_naming_the_field(
    client: httpx2.AsyncClient, method: str, path: str, params: dict[str, Any], field: str
) -> None:
    response = await client.request(method, path, params=params)
    assert response.status_code == 400, response.text
    assert field in response.json()["ModelState"]


async def test_unknown_assets_are_404s(client: httpx2.AsyncClient) -> None:
    for method, path in [
        ("GET", "/api/Asset/Status"),
        ("POST", "/api/Asset/Maintenance"),
        ("DELETE", "/api/Asset"),
        ("GET", "/api/Asset/SubAssets"),
    ]:
        response = await client.request(method, path, params={"serialNumber": "GHOST"})
        assert response.status_code == 404, (method, path)


# --- files -----------------------------------------------------------------------------------


async def test_files_upload_list_download_delete(
    client: httpx2.AsyncClient, fixture_type: str, emulator: InProcessEmulator
) -> None:
    asset = await make_asset(client, "FILE-1", fixture_type)
    blob = "/api/internal/Blob/Asset"
    data = bytes(range(256)) * 4
    for name in ("certificate.pdf", "drawing.txt"):
        response = await client.post(
            blob, params={"assetId": asset["assetId"], "filename": name}, content=data
        )
        assert response.status_code == 200, response.text
    listed = await client.get(f"{blob}/List/{asset['assetId']}")
    assert listed.json() == ["certificate.pdf", "drawing.txt"]
    got = await client.get(
        blob, params={"assetId": asset["assetId"], "filename": "certificate.pdf"}
    )
    assert base64.b64decode(got.json()["content"]) == data
    assert got.json()["contentType"] == "application/pdf"
    gone = await client.request(
        "DELETE",
        "/api/internal/Blob/Assets",
        params={"assetId": asset["assetId"]},
        json=["drawing.txt"],
    )
    assert gone.status_code == 200
    assert (await client.get(f"{blob}/List/{asset['assetId']}")).json() == ["certificate.pdf"]
    missing = await client.request(
        "DELETE",
        "/api/internal/Blob/Assets",
        params={"assetId": asset["assetId"]},
        json=["drawing.txt"],
    )
    assert missing.status_code == 404
    for params in (
        {"assetId": asset["assetId"], "filename": "../etc/passwd"},
        {"assetId": asset["assetId"]},
        {"filename": "x.txt"},
    ):
        assert (await client.post(blob, params=params, content=b"x")).status_code == 400
    no_body = await client.request(
        "DELETE", "/api/internal/Blob/Assets", params={"assetId": asset["assetId"]}
    )
    assert no_body.status_code == 400
    async with emulator.client() as without_referer:
        refused = await without_referer.get(f"{blob}/List/{asset['assetId']}")
    assert refused.status_code in (400, 403)


async def test_seeded_calibration_certificates(client: httpx2.AsyncClient) -> None:
    dmm = await get(client, "DMM-34461-01")
    names = (await client.get(f"/api/internal/Blob/Asset/List/{dmm['assetId']}")).json()
    assert names == [f"calibration-{dmm['lastCalibrationDate'][:10]}.txt"]


async def test_out_of_range_input_is_a_400_not_a_500(
    client: httpx2.AsyncClient, fixture_type: str
) -> None:
    huge = await client.put(
        "/api/Asset/Types", json={"typeName": "Forever", "calibrationInterval": 2_000_000_000}
    )
    assert huge.status_code == 200
    await make_asset(client, "FOREVER-1", huge.json()["typeId"])
    body = await status(client, "FOREVER-1")
    assert body["alarmState"] == 0 and "nextCalibrationDate" not in body
    for body_json, field in [
        (
            {
                "serialNumber": "R-1",
                "typeId": fixture_type,
                "firstSeenDate": "0001-01-01T00:00:00+01:00",
            },
            "firstSeenDate",
        ),
        ({"serialNumber": "R-1", "typeId": fixture_type, "ClientId": 2**40}, "ClientId"),
    ]:
        response = await client.put("/api/Asset", json=body_json)
        assert response.status_code == 400, body_json
        assert field in response.json()["ModelState"]
    response = await client.put(
        "/api/Asset/Types",
        content=b'{"typeName": "N", "alarmThreshold": NaN}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    response = await client.post(
        "/api/Asset/Calibration",
        params={"serialNumber": "FOREVER-1", "dateTime": "9999-12-31T23:59:59-05:00"},
    )
    assert response.status_code == 400
