"""AddChildUnit / RemoveChildUnit / CheckChildUnits and UnitVerification."""

from __future__ import annotations

import httpx2
import pytest

from pywats.emulator.contract import Contract
from pywats.emulator.testing import InProcessEmulator

from .conftest import SYSTEM

P = "/api/Production"


def relation(
    parent: tuple[str, str], child: tuple[str, str], check: tuple[str, str] = ("", "")
) -> dict[str, str]:
    return {
        "parentSerialNumber": parent[0],
        "parentPartNumber": parent[1],
        "childSerialNumber": child[0],
        "childPartNumber": child[1],
        "checkPartNumber": check[0],
        "checkRevision": check[1],
    }


async def _new_unit(
    client: httpx2.AsyncClient, serial: str, part: str, revision: str, phase: int = 16
) -> tuple[str, str]:
    body = [
        {"serialNumber": serial, "partNumber": part, "revision": revision, "unitPhaseId": phase}
    ]
    assert (await client.put(f"{P}/Units", json=body)).status_code == 200
    return serial, part


async def test_build_a_module_and_take_it_apart(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    module = await _new_unit(emulator_client, "M-1", "MOD-4100", "1.0", phase=2)
    board = await _new_unit(emulator_client, "B-1", "PCB-1001", "A")
    parent = contract.check(
        await emulator_client.post(f"{P}/AddChildUnit", params=relation(module, board))
    )
    assert [s["serialNumber"] for s in parent["subUnits"]] == ["B-1"]
    check = contract.check(
        await emulator_client.get(
            f"{P}/CheckChildUnits",
            params={"parentSerialNumber": "M-1", "parentPartNumber": "MOD-4100"},
        )
    )
    assert check["isValid"] is False  # the I/O board is still missing
    assert {line["partNumber"]: line["count"] for line in check["boxBuild"]} == {
        "PCB-1001": 1,
        "PCB-1002": 0,
    }
    removed = contract.check(
        await emulator_client.post(f"{P}/RemoveChildUnit", params=relation(module, board))
    )
    assert removed["subUnits"] == []
    changes = (await emulator_client.get(f"{P}/Units/Changes", params={"maxCount": 1000})).json()
    assert changes[-2]["newParentSerialNumber"] == "M-1"
    assert changes[-1] == {"id": changes[-1]["id"], "unitSerialNumber": "B-1"}


async def test_cycle_is_refused_and_nothing_changes(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    # CM-00001 is inside SY-00001: making the system a child of its own module is a loop.
    before = (await emulator_client.get(f"{P}/Unit/{SYSTEM[0]}/{SYSTEM[1]}")).json()
    response = await emulator_client.post(
        f"{P}/AddChildUnit", params=relation(("CM-00001", "MOD-4100"), SYSTEM, ("SYS-9000", ""))
    )
    assert response.status_code == 400
    assert "loop" in contract.check(response)["Message"]
    assert (await emulator_client.get(f"{P}/Unit/{SYSTEM[0]}/{SYSTEM[1]}")).json() == before


@pytest.mark.parametrize(
    ("child", "check", "words"),
    [
        (("SY-00001", "SYS-9000"), ("", ""), "own child"),
        (("MB-00001", "PCB-1001"), ("", ""), "already has parent"),
        (("NEWSB", "PCB-3001"), ("", ""), "does not contain PCB-3001"),
        (("NEWMB-C", "PCB-1001"), ("", ""), "revision mask"),
        (("NEWMB-A", "PCB-1001"), ("PCB-1002", ""), "is not part number"),
        (("NEWMB-U", "PCB-1001"), ("", ""), "must be 'Finalized'"),
    ],
)
async def test_add_child_refusals(
    emulator_client: httpx2.AsyncClient,
    contract: Contract,
    child: tuple[str, str],
    check: tuple[str, str],
    words: str,
) -> None:
    await _new_unit(emulator_client, "NEWSB", "PCB-3001", "1.0")
    await _new_unit(emulator_client, "NEWMB-C", "PCB-1001", "C")
    await _new_unit(emulator_client, "NEWMB-A", "PCB-1001", "A")
    await _new_unit(emulator_client, "NEWMB-U", "PCB-1001", "A", phase=2)
    module = await _new_unit(emulator_client, "M-2", "MOD-4100", "1.0", phase=2)
    parent = SYSTEM if child == SYSTEM else module
    response = await emulator_client.post(
        f"{P}/AddChildUnit", params=relation(parent, child, check)
    )
    assert response.status_code == 400
    assert words in contract.check(response)["Message"]


async def test_box_build_quantity_is_enforced(emulator_client: httpx2.AsyncClient) -> None:
    # SY-00001 already holds the two PSUs its box build calls for.
    psu = await _new_unit(emulator_client, "PS-NEW", "PSU-200", "A", phase=1024)
    response = await emulator_client.post(f"{P}/AddChildUnit", params=relation(SYSTEM, psu))
    assert response.status_code == 400
    assert "already has 2 of 2" in response.json()["Message"]


async def test_check_part_number_overrides_the_box_build(
    emulator_client: httpx2.AsyncClient,
) -> None:
    board = await _new_unit(emulator_client, "SB-X", "PCB-3001", "1.1")
    response = await emulator_client.post(
        f"{P}/AddChildUnit", params=relation(SYSTEM, board, ("PCB-3001", "1.%"))
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("endpoint", "params", "status"),
    [
        ("AddChildUnit", relation(("NOPE", "SYS-9000"), ("MB-00001", "PCB-1001")), 404),
        ("AddChildUnit", relation(SYSTEM, ("NOPE", "PCB-1001")), 404),
        ("RemoveChildUnit", relation(SYSTEM, ("MB-00001", "PCB-1001")), 400),
        ("RemoveChildUnit", relation(SYSTEM, ("NOPE", "PCB-1001")), 404),
    ],
)
async def test_relation_errors(
    emulator_client: httpx2.AsyncClient,
    contract: Contract,
    endpoint: str,
    params: dict[str, str],
    status: int,
) -> None:
    response = await emulator_client.post(f"{P}/{endpoint}", params=params)
    assert response.status_code == status
    contract.check(response)


async def test_add_child_needs_the_check_parameters(emulator_client: httpx2.AsyncClient) -> None:
    params = relation(SYSTEM, ("MB-00001", "PCB-1001"))
    del params["checkRevision"]
    response = await emulator_client.post(f"{P}/AddChildUnit", params=params)
    assert response.status_code == 400
    assert "checkRevision" in response.json()["ModelState"]


async def test_check_child_units_unknown_parent(emulator_client: httpx2.AsyncClient) -> None:
    response = await emulator_client.get(
        f"{P}/CheckChildUnits", params={"parentSerialNumber": "NOPE", "parentPartNumber": "X"}
    )
    assert response.status_code == 404


async def test_unit_verification_contract(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    grade = contract.check(
        await emulator_client.get(f"{P}/UnitVerification", params={"serialNumber": SYSTEM[0]})
    )
    assert grade["grade"] in {"A", "B", "C", "D", "F"}
    assert [r["processCode"] for r in grade["results"]] == [100, 140]
    by_pn = await emulator_client.get(
        f"{P}/UnitVerification", params={"serialNumber": SYSTEM[0], "partNumber": SYSTEM[1]}
    )
    assert by_pn.json() == grade


async def test_unit_verification_of_an_untested_unit(emulator_client: httpx2.AsyncClient) -> None:
    await _new_unit(emulator_client, "FRESH", "PCB-1001", "A", phase=2)
    grade = (
        await emulator_client.get(f"{P}/UnitVerification", params={"serialNumber": "FRESH"})
    ).json()
    assert (grade["status"], grade["grade"]) == ("Incomplete", "D")
    assert {r["status"] for r in grade["results"]} == {"Unknown"}


@pytest.mark.parametrize(("params", "status"), [({}, 400), ({"serialNumber": "NOPE"}, 404)])
async def test_unit_verification_errors(
    emulator_client: httpx2.AsyncClient, params: dict[str, str], status: int
) -> None:
    response = await emulator_client.get(f"{P}/UnitVerification", params=params)
    assert response.status_code == status


async def test_unit_verification_ambiguous_serial(emulator_client: httpx2.AsyncClient) -> None:
    await _new_unit(emulator_client, "SY-00001", "PCB-1001", "A")
    response = await emulator_client.get(
        f"{P}/UnitVerification", params={"serialNumber": "SY-00001"}
    )
    assert response.status_code == 400
    assert "partNumber" in response.json()["ModelState"]


async def test_phase_finalized_tag_of_the_child_revision(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient
) -> None:
    # PCB-3001 rev 1.0 says its units are ready once "In storage" (not Finalized).
    emulator.store.execute(
        'UPDATE product_revision SET xml_data = \'<Root><PhaseFinalized Value="In storage" />'
        "</Root>' WHERE revision = '1.0' AND product_id = "
        "(SELECT product_id FROM product WHERE part_number = 'PCB-3001')"
    )
    finalized = await _new_unit(emulator_client, "SB-F", "PCB-3001", "1.0", phase=16)
    stored = await _new_unit(emulator_client, "SB-S", "PCB-3001", "1.0", phase=1024)
    override = ("PCB-3001", "")
    refused = await emulator_client.post(
        f"{P}/AddChildUnit", params=relation(SYSTEM, finalized, override)
    )
    assert refused.status_code == 400 and "'In storage'" in refused.json()["Message"]
    accepted = await emulator_client.post(
        f"{P}/AddChildUnit", params=relation(SYSTEM, stored, override)
    )
    assert accepted.status_code == 200
