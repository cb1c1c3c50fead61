"""Serial-number types, take, by range / reference, export and import."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import httpx2
import pytest

from pywats.emulator.contract import Contract
from pywats.emulator.testing import InProcessEmulator

from .conftest import count

SN = "/api/Production/SerialNumbers"


def _free(emulator: InProcessEmulator, type_name: str) -> int:
    return int(
        emulator.store.scalar(
            "SELECT COUNT(*) FROM production_sn WHERE type_name = ? AND taken_utc IS NULL",
            (type_name,),
        )
    )


async def test_types_contract(emulator_client: httpx2.AsyncClient, contract: Contract) -> None:
    types = contract.check(await emulator_client.get(f"{SN}/Types"))
    mac = next(t for t in types if t["name"] == "EthernetMAC")
    assert (mac["identifier"], mac["identifierName"]) == (1, "MACAddress")


async def test_take_xml_registers_the_reference(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient
) -> None:
    contract_op: dict[str, Any] = {
        "serialNumberType": "BoardSN",
        "quantity": 2,
        "refSN": "SY-00001",
        "refPN": "SYS-9000",
        "stationName": "PACK-1",
    }
    response = await emulator_client.post(f"{SN}/Take", params=contract_op)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    taken = [e.get("id") for e in ET.fromstring(response.text)]
    assert len(taken) == 2
    records = (
        await emulator_client.get(
            f"{SN}/ByReference", params={"serialNumberType": "BoardSN", "refSN": "SY-00001"}
        )
    ).json()
    assert [r["serialNumber"] for r in records] == taken
    assert all(r["stationName"] == "PACK-1" and r["taken"] for r in records)


async def test_take_csv_in_sequence_skips_gaps(emulator_client: httpx2.AsyncClient) -> None:
    # BRD-000037 is taken in the seed; 31..36 is a run of 6, so a run of 8 starts at 38.
    params: dict[str, Any] = {
        "serialNumberType": "BoardSN",
        "quantity": 8,
        "onlyInSequence": "true",
        "format": "CSV",
    }
    response = await emulator_client.post(f"{SN}/Take", params=params)
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.split()
    assert lines[0] == "SerialNumber"
    assert lines[1:] == [f"BRD-{n:06d}" for n in range(38, 46)]


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"serialNumberType": "Nope", "quantity": 1}, 400, "serialNumberType"),
        ({"serialNumberType": "BoardSN", "quantity": 0}, 400, "quantity"),
        ({"serialNumberType": "BoardSN"}, 400, "quantity"),
        ({"serialNumberType": "BoardSN", "quantity": 1, "format": "json"}, 400, "format"),
        (
            {"serialNumberType": "BoardSN", "quantity": 500, "onlyInSequence": "true"},
            400,
            "onlyInSequence",
        ),
    ],
)
async def test_take_errors_change_nothing(
    emulator: InProcessEmulator,
    emulator_client: httpx2.AsyncClient,
    contract: Contract,
    params: dict[str, Any],
    status: int,
    field: str,
) -> None:
    before = _free(emulator, "BoardSN")
    response = await emulator_client.post(f"{SN}/Take", params=params)
    assert response.status_code == status
    assert field in contract.check(response)["ModelState"]
    assert _free(emulator, "BoardSN") == before


async def test_take_from_an_empty_pool_is_404(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient
) -> None:
    free = _free(emulator, "SystemSN")
    response = await emulator_client.post(
        f"{SN}/Take", params={"serialNumberType": "SystemSN", "quantity": free + 5}
    )
    assert len(ET.fromstring(response.text)) == free  # not enough: takes all that are left
    response = await emulator_client.post(
        f"{SN}/Take", params={"serialNumberType": "SystemSN", "quantity": 1}
    )
    assert response.status_code == 404


async def test_by_range_contract(emulator_client: httpx2.AsyncClient, contract: Contract) -> None:
    params = {
        "serialNumberType": "EthernetMAC",
        "startAddress": "00:1b:7a:10:00:00",
        "endAddress": "00:1B:7A:10:00:04",
    }
    records = contract.check(await emulator_client.get(f"{SN}/ByRange", params=params))
    assert [r["serialNumber"][-2:] for r in records] == ["00", "01", "02", "03", "04"]
    assert records[0]["referencePartNumber"] == "MOD-4100"


@pytest.mark.parametrize(
    "params",
    [
        {"serialNumberType": "BoardSN", "startAddress": "BRD-1", "endAddress": "BRD-000009"},
        {"serialNumberType": "BoardSN", "startAddress": "BRD-000009", "endAddress": "BRD-000001"},
        {"serialNumberType": "BoardSN", "startAddress": "BRD-000001"},
        {
            "serialNumberType": "BoardSN",
            "startAddress": "BRD-000001",
            "endAddress": "BRD-000002",
            "startDate": "yesterday",
        },
    ],
)
async def test_by_range_errors(emulator_client: httpx2.AsyncClient, params: dict[str, str]) -> None:
    response = await emulator_client.get(f"{SN}/ByRange", params=params)
    assert response.status_code == 400


async def test_by_reference_needs_a_reference(emulator_client: httpx2.AsyncClient) -> None:
    response = await emulator_client.get(
        f"{SN}/ByReference", params={"serialNumberType": "BoardSN"}
    )
    assert response.status_code == 400
    assert "refSN" in response.json()["ModelState"]


@pytest.mark.parametrize("fmt", ["csv", "xml"])
async def test_export_then_import_round_trip(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient, fmt: str
) -> None:
    params = {
        "serialNumberType": "BoardSN",
        "format": fmt.upper(),
        "startAddress": "BRD-000001",
        "endAddress": "BRD-000040",
    }
    exported = await emulator_client.get(SN, params=params)
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    # Re-import the same file: every number exists already, so nothing is added.
    upload = await emulator_client.put(
        SN,
        params={"serialNumberType": "BoardSN", "format": fmt},
        files={"file": (f"boards.{fmt}", exported.content)},
    )
    assert upload.json() == {"serialNumberType": "BoardSN", "imported": 0, "skipped": 40}


async def test_import_csv_adds_free_and_taken_numbers(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    text = "SerialNumber,Taken,StationName\nBRD-900001,false,\nBRD-900002,true,ICT-09\n"
    response = await emulator_client.put(
        SN,
        params={"serialNumberType": "BoardSN", "format": "CSV"},
        files={"file": ("new.csv", text.encode())},
    )
    assert contract.check(response)["imported"] == 2
    records = (
        await emulator_client.get(
            f"{SN}/ByRange",
            params={
                "serialNumberType": "BoardSN",
                "startAddress": "BRD-900001",
                "endAddress": "BRD-900002",
            },
        )
    ).json()
    assert [(r["taken"], r.get("stationName")) for r in records] == [
        (False, None),
        (True, "ICT-09"),
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("Serial,Taken\nBRD-900001,false\n", "unknown column"),
        ("Taken\nfalse\n", "no SerialNumber column"),
        ("SerialNumber,Taken\nBRD-900001\n", "Line 2: 1 value(s)"),
        ("SerialNumber\nBRD-900001\nBRD-9\n", "Line 3: 'BRD-9' is not a valid"),
        ("SerialNumber\nBRD-900001\nBRD-900001\n", "appears twice"),
        ("SerialNumber,Taken\nBRD-900001,maybe\n", "maybe"),
    ],
)
async def test_malformed_csv_is_rejected_and_nothing_is_imported(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient, text: str, words: str
) -> None:
    before = count(emulator, "production_sn")
    response = await emulator_client.put(
        SN,
        params={"serialNumberType": "BoardSN", "format": "csv"},
        files={"file": ("bad.csv", text.encode())},
    )
    assert response.status_code == 400
    assert words in response.json()["Message"]
    assert count(emulator, "production_sn") == before


@pytest.mark.parametrize(
    "text",
    ["<SerialNumbers><SN id='BRD-900001'>", "<Numbers />", "<SerialNumbers><X /></SerialNumbers>"],
)
async def test_malformed_xml_is_rejected(emulator_client: httpx2.AsyncClient, text: str) -> None:
    response = await emulator_client.put(
        SN,
        params={"serialNumberType": "BoardSN", "format": "xml"},
        content=text.encode(),
        headers={"Content-Type": "application/xml"},
    )
    assert response.status_code == 400


async def test_export_errors(emulator_client: httpx2.AsyncClient) -> None:
    assert (
        await emulator_client.get(SN, params={"serialNumberType": "BoardSN"})
    ).status_code == 400
    response = await emulator_client.get(SN, params={"serialNumberType": "Nope", "format": "csv"})
    assert response.status_code == 400


async def test_oversized_upload_is_refused(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient
) -> None:
    before = count(emulator, "production_sn")
    body = b"SerialNumber\n" + b"BRD-000001\n" * 1_000_000
    response = await emulator_client.put(
        SN,
        params={"serialNumberType": "BoardSN", "format": "csv"},
        content=body,
        headers={"Content-Type": "text/csv"},
    )
    assert response.status_code == 400
    assert "at most" in response.json()["Message"]
    assert count(emulator, "production_sn") == before
