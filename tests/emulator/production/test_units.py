"""/api/Production units: get, bulk add/update, phase, process, the change feed, batches."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from pywats.emulator.contract import Contract
from pywats.emulator.testing import InProcessEmulator

from .conftest import SYSTEM, count

P = "/api/Production"


async def test_get_unit_contract_and_three_levels(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    unit = contract.check(await emulator_client.get(f"{P}/Unit/{SYSTEM[0]}/{SYSTEM[1]}"))
    assert unit["serialNumber"] == SYSTEM[0]
    assert unit["unitPhase"]
    module = next(s for s in unit["subUnits"] if s["partNumber"] == "MOD-4100")
    assert module["parentSerialNumber"] == SYSTEM[0]
    boards = {s["partNumber"] for s in module["subUnits"]}
    assert boards == {"PCB-1001", "PCB-1002"}


async def test_get_unit_is_case_insensitive_like_the_server(
    emulator_client: httpx2.AsyncClient,
) -> None:
    response = await emulator_client.get(f"{P}/Unit/sy-00001/sys-9000")
    assert response.json()["serialNumber"] == "SY-00001"


async def test_get_unknown_unit_is_404_with_message(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    response = await emulator_client.get(f"{P}/Unit/NOPE-1/SYS-9000")
    assert response.status_code == 404
    assert "NOPE-1" in contract.check(response)["Message"]


async def test_unauthenticated_is_401(emulator: InProcessEmulator) -> None:
    async with emulator.client(authenticated=False) as client:
        response = await client.get(f"{P}/Unit/{SYSTEM[0]}/{SYSTEM[1]}")
    assert response.status_code == 401


async def test_put_units_adds_then_updates(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    new = {
        "serialNumber": "T-1",
        "partNumber": "PCB-1001",
        "revision": "A",
        "currentLocation": "Bench",
        "xmlData": '<Root><Fw Value="1.0" /></Root>',
    }
    saved = contract.check(await emulator_client.put(f"{P}/Units", json=[new]))
    assert saved[0]["unitPhase"] == "Under production"
    assert saved[0]["tags"] == [{"key": "Fw", "value": "1.0"}]
    update = {"serialNumber": "T-1", "partNumber": "PCB-1001", "revision": "B"}
    contract.check(await emulator_client.put(f"{P}/Units", json=[update]))
    unit = (await emulator_client.get(f"{P}/Unit/T-1/PCB-1001")).json()
    assert unit["revision"] == "B"
    assert unit["currentLocation"] == "Bench"  # fields not sent are kept
    changes = (await emulator_client.get(f"{P}/Units/Changes", params={"maxCount": 1000})).json()
    assert {"unitSerialNumber": "T-1", "newRevision": "B"} in [
        {k: v for k, v in c.items() if k != "id"} for c in changes
    ]


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"partNumber": "PCB-1001", "revision": "A"}, "[1].serialNumber"),
        ({"serialNumber": "T-2", "partNumber": "NOPE", "revision": "A"}, "[1].partNumber"),
        ({"serialNumber": "T-2", "partNumber": "PCB-1001", "revision": "Z"}, "[1].revision"),
        ({"serialNumber": "T-2", "partNumber": "PCB-1001"}, "[1].revision"),
        (
            {"serialNumber": "T-2", "partNumber": "PCB-1001", "revision": "A", "batchNumber": "NO"},
            "[1].batchNumber",
        ),
        (
            {"serialNumber": "T-2", "partNumber": "PCB-1001", "revision": "A", "unitPhaseId": 3},
            "[1].unitPhaseId",
        ),
        (
            {
                "serialNumber": "T-2",
                "partNumber": "PCB-1001",
                "revision": "A",
                "parentSerialNumber": "SY-00001",
            },
            "[1].parentSerialNumber",
        ),
        (
            {"serialNumber": "T-2", "partNumber": "PCB-1001", "revision": "A", "xmlData": "<a>"},
            "[1].xmlData",
        ),
        ({"serialNumber": "T-1", "partNumber": "PCB-1001", "revision": "A"}, "[1].serialNumber"),
    ],
)
async def test_put_units_rejects_bad_items_and_writes_nothing(
    emulator: InProcessEmulator,
    emulator_client: httpx2.AsyncClient,
    contract: Contract,
    item: dict[str, object],
    field: str,
) -> None:
    before = count(emulator, "production_unit")
    good = {"serialNumber": "T-1", "partNumber": "PCB-1001", "revision": "A"}
    response = await emulator_client.put(f"{P}/Units", json=[good, item])
    assert response.status_code == 400
    assert field in contract.check(response)["ModelState"]
    assert count(emulator, "production_unit") == before


async def test_put_units_needs_an_array(emulator_client: httpx2.AsyncClient) -> None:
    response = await emulator_client.put(f"{P}/Units", json={"serialNumber": "x"})
    assert response.status_code == 400


async def test_set_unit_phase_records_a_change(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    params: dict[str, Any] = {"serialNumber": "CM-00001", "partNumber": "MOD-4100", "phase": 4}
    unit = contract.check(await emulator_client.put(f"{P}/SetUnitPhase", params=params))
    assert unit["unitPhaseId"] == 4 and unit["unitPhase"] == "Production repair"
    changes = (await emulator_client.get(f"{P}/Units/Changes", params={"maxCount": 1000})).json()
    assert changes[-1]["unitSerialNumber"] == "CM-00001"
    assert changes[-1]["newUnitPhaseId"] == 4


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"serialNumber": "CM-00001", "partNumber": "MOD-4100", "phase": 3}, 400, "phase"),
        ({"serialNumber": "CM-00001", "partNumber": "MOD-4100", "phase": "x"}, 400, "phase"),
        ({"serialNumber": "CM-00001", "partNumber": "MOD-4100"}, 400, "phase"),
        ({"serialNumber": "NOPE", "partNumber": "MOD-4100", "phase": 16}, 404, None),
    ],
)
async def test_set_unit_phase_errors(
    emulator_client: httpx2.AsyncClient,
    contract: Contract,
    params: dict[str, Any],
    status: int,
    field: str | None,
) -> None:
    response = await emulator_client.put(f"{P}/SetUnitPhase", params=params)
    assert response.status_code == status
    body = contract.check(response)
    if field:
        assert field in body["ModelState"]


async def test_set_unit_process_by_name(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    params = {"serialNumber": "CM-00001", "partNumber": "MOD-4100", "processName": "burn-in test"}
    unit = contract.check(await emulator_client.put(f"{P}/SetUnitProcess", params=params))
    assert unit["processCode"] == "130"
    params["processName"] = "Teleportation"
    response = await emulator_client.put(f"{P}/SetUnitProcess", params=params)
    assert response.status_code == 400
    assert "Teleportation" in contract.check(response)["Message"]


async def test_unit_changes_get_and_delete(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    changes = contract.check(
        await emulator_client.get(f"{P}/Units/Changes", params={"maxCount": 3})
    )
    assert len(changes) == 3
    first = changes[0]["id"]
    deleted = contract.check(await emulator_client.delete(f"{P}/Units/Changes/{first}"))
    assert deleted["id"] == first
    again = await emulator_client.delete(f"{P}/Units/Changes/{first}")
    assert again.status_code == 404
    contract.check(again)
    remaining = (await emulator_client.get(f"{P}/Units/Changes", params={"maxCount": 3})).json()
    assert first not in [c["id"] for c in remaining]


@pytest.mark.parametrize("params", [{}, {"maxCount": 0}, {"maxCount": "many"}])
async def test_unit_changes_needs_a_max_count(
    emulator_client: httpx2.AsyncClient, params: dict[str, Any]
) -> None:
    response = await emulator_client.get(f"{P}/Units/Changes", params=params)
    assert response.status_code == 400
    assert "maxCount" in response.json()["ModelState"]


async def test_put_batches_then_use_one(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    saved = contract.check(
        await emulator_client.put(f"{P}/Batches", json=[{"batchNumber": "LOT-7", "batchSize": 20}])
    )
    assert saved == [{"batchNumber": "LOT-7", "batchSize": 20}]
    unit = {
        "serialNumber": "T-9",
        "partNumber": "PCB-1002",
        "revision": "A",
        "batchNumber": "LOT-7",
    }
    assert (await emulator_client.put(f"{P}/Units", json=[unit])).json()[0][
        "batchNumber"
    ] == "LOT-7"


@pytest.mark.parametrize(
    "body",
    [[{"batchSize": 3}], [{"batchNumber": " "}], [{"batchNumber": "X", "batchSize": -1}], {}],
)
async def test_put_batches_errors(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient, body: object
) -> None:
    before = count(emulator, "production_batch")
    response = await emulator_client.put(f"{P}/Batches", json=body)
    assert response.status_code == 400
    assert count(emulator, "production_batch") == before


async def test_unit_phases_internal(internal: httpx2.AsyncClient, contract: Contract) -> None:
    phases = contract.check(await internal.get("/api/internal/Mes/GetUnitPhases"))
    assert {
        "UnitPhaseId": 16,
        "Code": "Finalized",
        "Name": "Finalized",
        "Description": "Unit is finalized",
    } in phases


async def test_unit_phases_needs_referer(emulator_client: httpx2.AsyncClient) -> None:
    response = await emulator_client.get("/api/internal/Mes/GetUnitPhases")
    assert response.status_code == 400


async def test_units_of_any_catalog_product(emulator_client: httpx2.AsyncClient) -> None:
    # SEN-10000 comes from the product domain's seed, not from the production catalog.
    body = [{"serialNumber": "S-1", "partNumber": "SEN-10000", "revision": "A"}]
    saved = (await emulator_client.put(f"{P}/Units", json=body)).json()
    assert saved[0]["product"]["partNumber"] == "SEN-10000"
    assert saved[0]["productRevision"]["PartNumber"] == "SEN-10000"


async def test_non_serial_products_have_no_units(emulator_client: httpx2.AsyncClient) -> None:
    body = [{"serialNumber": "F-1", "partNumber": "FIX-10000", "revision": "A"}]
    response = await emulator_client.put(f"{P}/Units", json=body)
    assert response.status_code == 400
    assert "non-serial" in response.json()["Message"]


def _production_routes() -> list[tuple[str, str]]:
    from starlette.routing import Route

    from pywats.emulator.domains.production import DOMAIN

    found = []
    for route in DOMAIN.routes:
        assert isinstance(route, Route)
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                path = route.path.replace("{serialNumber}", "SY-00001")
                path = path.replace("{partNumber}", "SYS-9000").replace("{id}", "1")
                found.append((method, path))
    return found


@pytest.mark.parametrize(("method", "path"), _production_routes())
async def test_every_operation_needs_the_token(
    emulator: InProcessEmulator, contract: Contract, method: str, path: str
) -> None:
    async with emulator.client(authenticated=False, headers={"Referer": emulator.base_url}) as c:
        response = await c.request(method, path)
    assert response.status_code == 401
    contract.check(response)
