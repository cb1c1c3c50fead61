"""The emulator's /api/Report operations, each checked against the WATS API description."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx2
import pytest

from pywats.emulator.config import EmulatorConfig
from pywats.emulator.contract import Contract
from pywats.emulator.testing import InProcessEmulator
from tests.emulator.report_samples import PNG_BYTES, uur_dict, uut_dict

HEADER = "/api/Report/Query/Header"


@pytest.fixture
def emulator_config() -> EmulatorConfig:
    # Empty tables: these tests post what they read back.
    return EmulatorConfig(seed_data=False)


async def post(client: httpx2.AsyncClient, report: dict[str, Any]) -> httpx2.Response:
    return await client.post("/api/Report/WSJF", json=report)


# --- POST /api/Report/WSJF ------------------------------------------------------------------


async def test_post_answers_insert_report_result(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    report = uut_dict()
    response = await post(emulator_client, report)
    assert response.status_code == 200
    body = contract.check(response)
    assert body["ID"] == report["id"]
    assert body["uuid"] == report["id"]
    assert isinstance(body["Report_ID"], int)


async def test_same_id_posted_again_replaces(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    report = uut_dict(result="F")
    await post(emulator_client, report)
    fixed = uut_dict(report_id=report["id"], result="P")
    assert (await post(emulator_client, fixed)).status_code == 200

    headers = contract.check(await emulator_client.get(HEADER))
    assert len(headers) == 1
    assert headers[0]["result"] == "Passed"
    assert headers[0]["receiveCount"] == 2
    fetched = (await emulator_client.get(f"/api/Report/Wsjf/{report['id']}")).json()
    assert fetched["result"] == "P"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: r.pop("sn"), "report: sn is required."),
        (lambda r: r.update(type="X"), "type must be 'T' (test) or 'R' (repair)"),
        (lambda r: r.update(processCode="120"), "processCode must be an integer"),
        (lambda r: r.update(result="Passed"), "result must be one of P, F, E, T, D"),
        (lambda r: r.update(id="not-a-guid"), "id must be a GUID"),
        (
            lambda r: r["root"]["steps"][0]["numericMeas"][0].update(compOp="BETWEEN"),
            "root -> step VCC 3V3 -> numericMeas[0]: compOp 'BETWEEN' is not one of",
        ),
        (
            lambda r: r["root"]["steps"][0]["numericMeas"][0].update(lowLimit=4.0, highLimit=3.0),
            "root -> step VCC 3V3 -> numericMeas[0]: lowLimit 4.0 is above highLimit 3.0.",
        ),
        (
            lambda r: r["root"]["steps"][0].update(status="F"),
            "root -> step VCC 3V3: Status cannot be different from measurement status.",
        ),
    ],
)
async def test_bad_report_is_400_naming_the_problem(
    emulator_client: httpx2.AsyncClient, contract: Contract, change: Any, expected: str
) -> None:
    report = uut_dict()
    change(report)
    response = await post(emulator_client, report)
    assert response.status_code == 400
    assert expected in contract.check(response)["Message"]
    assert contract.check(await emulator_client.get(HEADER)) == []  # nothing stored


async def test_every_problem_is_listed_one_per_line(emulator_client: httpx2.AsyncClient) -> None:
    report = uut_dict()
    del report["pn"]
    report["root"]["steps"][0]["status"] = "X"
    message = (await post(emulator_client, report)).json()["Message"]
    lines = message.splitlines()
    assert "report: pn is required." in lines
    assert any(line.startswith("root -> step VCC 3V3: status must be one of") for line in lines)


@pytest.mark.parametrize("content", [b"", b"{not json", b"[]"])
async def test_body_that_is_not_a_report_is_400(
    emulator_client: httpx2.AsyncClient, contract: Contract, content: bytes
) -> None:
    response = await emulator_client.post(
        "/api/Report/WSJF", content=content, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert contract.check(response)["Message"]


# --- GET /api/Report/Wsjf/{id} ----------------------------------------------------------------


async def test_get_returns_what_was_posted_plus_server_keys(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    report = uut_dict()
    await post(emulator_client, report)
    response = await emulator_client.get(f"/api/Report/Wsjf/{report['id']}")
    assert response.status_code == 200
    fetched = contract.check(response)

    for key, value in report.items():
        if key not in ("uut", "root", "subUnits", "miscInfos"):
            assert fetched[key] == value, key
    # Keys the server adds on export (this emulator has no processes configured).
    assert "processName" in fetched and fetched["processName"] is None
    assert fetched["startUTC"] == "2026-01-02T09:15:30.1234567Z"
    assert fetched["origin"]
    assert fetched["productName"] is None or isinstance(fetched["productName"], str)
    assert fetched["processCodeFormat"] is None
    assert (
        fetched["assets"] == [] and fetched["assetStats"] == [] and fetched["additionalData"] == []
    )
    assert list(fetched)[:6] == ["type", "id", "pn", "sn", "rev", "productName"]
    # Header objects write every property, null where there is no value.
    assert fetched["uut"]["user"] == "tester"
    assert fetched["uut"]["batchSN"] is None
    assert fetched["miscInfos"] == [
        {"description": "Work Order", "text": "WO-TEST-1", "numeric": None}
    ]
    ripple = fetched["root"]["steps"][1]["numericMeas"][0]
    assert ripple["name"] is None and ripple["lowLimit"] is None and ripple["highLimit"] is None
    assert fetched["root"]["steps"][0] == report["root"]["steps"][0]


async def test_repair_export_names_the_failing_step_and_links_both_ways(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    uut = uut_dict(result="F")
    uur = uur_dict(uut)
    await post(emulator_client, uut)
    assert (await post(emulator_client, uur)).status_code == 200

    repair = contract.check(await emulator_client.get(f"/api/Report/Wsjf/{uur['id']}"))
    failure = repair["subUnits"][0]["failures"][0]
    assert failure["refStepName"] == "VCC 3V3"
    assert failure["artNumber"] is None
    assert repair["uur"]["processCode"] == 120
    assert repair["uur"]["children"] is None
    test = contract.check(await emulator_client.get(f"/api/Report/Wsjf/{uut['id']}"))
    assert test["uut"]["refUURs"] == [{"id": uur["id"], "start": uur["start"]}]


async def test_detail_level_and_include_flags(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    report = uut_dict()
    await post(emulator_client, report)
    path = f"/api/Report/Wsjf/{report['id']}"

    header_only = contract.check(await emulator_client.get(path, params={"detailLevel": 0}))
    assert "root" not in header_only and header_only["sn"] == report["sn"]
    lean = contract.check(
        await emulator_client.get(
            path, params={"includeChartdata": "false", "includeAttachments": "false"}
        )
    )
    steps = lean["root"]["steps"]
    assert steps[1]["chart"]["series"][0]["ydata"] is None
    assert steps[1]["chart"]["label"] == "Ripple"
    assert steps[2]["attachment"]["data"] is None
    assert steps[2]["attachment"]["name"] == "board.png"

    bad = await emulator_client.get(path, params={"detailLevel": 9})
    assert bad.status_code == 400
    assert "detailLevel" in contract.check(bad)["Message"]


async def test_unknown_report_is_404_and_bad_id_is_400(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    missing = await emulator_client.get(f"/api/Report/Wsjf/{uuid.uuid4()}")
    assert missing.status_code == 404
    assert contract.check(missing)["Message"]
    bad = await emulator_client.get("/api/Report/Wsjf/12345")
    assert bad.status_code == 400
    assert "GUID" in contract.check(bad)["Message"]


# --- attachments ------------------------------------------------------------------------------


async def test_attachment_by_step_and_by_id(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    uut = uut_dict(result="F")
    uur = uur_dict(uut)
    await post(emulator_client, uut)
    await post(emulator_client, uur)

    by_step = await emulator_client.get(
        "/api/Report/Attachment", params={"reportId": uut["id"], "stepId": 4}
    )
    assert by_step.status_code == 200
    assert contract.find("GET", by_step.request.url.path).operation_id == "Report_GetAttachment"
    assert by_step.content == PNG_BYTES
    assert by_step.headers["content-type"] == "image/png"
    assert 'filename="board.png"' in by_step.headers["content-disposition"]

    attachment_id = uur["binaryData"][0]["id"]
    by_id = await emulator_client.get(
        "/api/Report/Attachment", params={"reportId": uur["id"], "attachmentId": attachment_id}
    )
    assert by_id.content == b"notes"

    missing = await emulator_client.get(
        "/api/Report/Attachment", params={"reportId": uut["id"], "stepId": 2}
    )
    assert missing.status_code == 404
    assert "step 2" in contract.check(missing)["Message"]
    neither = await emulator_client.get("/api/Report/Attachment", params={"reportId": uut["id"]})
    assert neither.status_code == 400
    no_report = await emulator_client.get("/api/Report/Attachment", params={"stepId": 4})
    assert no_report.status_code == 400
    assert "reportId" in contract.check(no_report)["Message"]


async def test_all_attachments_as_zip(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    uut = uut_dict()
    await post(emulator_client, uut)
    response = await emulator_client.get(f"/api/Report/Attachments/{uut['id']}")
    assert response.status_code == 200
    assert contract.find("GET", response.request.url.path).operation_id == "Report_GetAttachments"
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.namelist() == ["board.png"]
        assert archive.read("board.png") == PNG_BYTES
    missing = await emulator_client.get(f"/api/Report/Attachments/{uuid.uuid4()}")
    assert missing.status_code == 404


# --- header queries over the seeded factory ---------------------------------------------------


@pytest.fixture(scope="module")
def seeded() -> Iterator[InProcessEmulator]:
    """One seeded emulator for the read-only query tests (seeding once keeps them fast)."""
    emulator = InProcessEmulator(config=EmulatorConfig())
    yield emulator
    emulator.close()


@pytest.fixture
async def seeded_client(seeded: InProcessEmulator) -> AsyncIterator[httpx2.AsyncClient]:
    async with seeded.client() as client:
        yield client


async def query(
    client: httpx2.AsyncClient, contract: Contract, **params: Any
) -> list[dict[str, Any]]:
    response = await client.get(HEADER, params={f"${k}": v for k, v in params.items()})
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = contract.check(response)
    return result


async def test_default_is_ten_newest(seeded_client: httpx2.AsyncClient, contract: Contract) -> None:
    headers = await query(seeded_client, contract)
    assert len(headers) == 10
    starts = [h["start"] for h in headers]
    assert starts == sorted(starts, reverse=True)


@pytest.mark.parametrize(
    ("expression", "check"),
    [
        ("partNumber eq 'PCB-1001'", lambda h: h["partNumber"] == "PCB-1001"),
        ("partNumber eq 'pcb-1001'", lambda h: h["partNumber"] == "PCB-1001"),
        ("serialNumber eq 'MB-00001'", lambda h: h["serialNumber"] == "MB-00001"),
        ("startswith(serialNumber,'SY-')", lambda h: h["serialNumber"].startswith("SY-")),
        ("result eq 'Failed'", lambda h: h["result"] == "Failed"),
        ("stationName eq 'FCT-01'", lambda h: h["stationName"] == "FCT-01"),
        ("processCode eq 130", lambda h: h["processName"] == "Burn-in test"),
        ("processName eq 'In-circuit test'", lambda h: h["processCode"] == 110),
        ("reportType eq 'R'", lambda h: h["referencedUut"] and h["processCode"] == 500),
        (
            "start ge 2025-12-01T00:00:00Z and start lt 2025-12-15T00:00:00Z",
            lambda h: "2025-12-01" <= h["start"][:10] < "2025-12-15",
        ),
        (
            "partNumber eq 'PCB-2001' and (result eq 'Failed' or run gt 1)",
            lambda h: h["partNumber"] == "PCB-2001" and (h["result"] == "Failed" or h["run"] > 1),
        ),
    ],
)
async def test_filters(
    seeded_client: httpx2.AsyncClient, contract: Contract, expression: str, check: Any
) -> None:
    headers = await query(seeded_client, contract, filter=expression, top=10000)
    assert headers, f"the seed should have reports matching {expression}"
    assert all(check(h) for h in headers)


async def test_report_type_parameter_older_clients_send(
    seeded_client: httpx2.AsyncClient, contract: Contract
) -> None:
    repairs = await query(seeded_client, contract, top=10000)  # both kinds without it
    assert {h["reportType"] for h in repairs} == {"T", "R"}
    response = await seeded_client.get(HEADER, params={"reportType": "R", "$top": 10000})
    only = contract.check(response)
    assert only and {h["reportType"] for h in only} == {"R"}
    bad = await seeded_client.get(HEADER, params={"reportType": "X"})
    assert bad.status_code == 400 and "reportType" in contract.check(bad)["Message"]


async def test_ordering_and_paging(seeded_client: httpx2.AsyncClient, contract: Contract) -> None:
    wanted = "partNumber eq 'PCB-1001'"
    everything = await query(seeded_client, contract, filter=wanted, orderby="start asc", top=10000)
    assert [h["start"] for h in everything] == sorted(h["start"] for h in everything)
    pages = []
    for skip in range(0, len(everything), 7):
        pages += await query(
            seeded_client, contract, filter=wanted, orderby="start asc", top=7, skip=skip
        )
    assert [h["uuid"] for h in pages] == [h["uuid"] for h in everything]
    by_serial = await query(seeded_client, contract, orderby="serialNumber desc,start", top=50)
    serials = [h["serialNumber"] for h in by_serial]
    assert serials == sorted(serials, reverse=True)


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"$orderby": "partNumber"}, "$orderby"),
        ({"$filter": "partNumber eq"}, "$filter"),
        ({"$filter": "bogusField eq 1"}, "$filter"),
        ({"$filter": "processCode eq 'x'"}, "$filter"),
        ({"$top": "10001"}, "$top"),
        ({"$top": "-1"}, "$top"),
        ({"$count": "true"}, "$count"),
        ({"$expand": "steps"}, "$expand"),
    ],
)
async def test_bad_query_is_400_naming_the_option(
    seeded_client: httpx2.AsyncClient, contract: Contract, params: dict[str, str], names: str
) -> None:
    response = await seeded_client.get(HEADER, params=params)
    assert response.status_code == 400
    assert names in contract.check(response)["Message"]


async def test_expand_and_select(seeded_client: httpx2.AsyncClient, contract: Contract) -> None:
    systems = await query(
        seeded_client,
        contract,
        filter="startswith(partNumber,'SYS-')",
        expand="subUnits,miscInfo",
        top=5,
    )
    assert systems and all(h["subUnits"] for h in systems)
    assert {"partType", "partNumber", "serialNumber", "revision"} <= set(systems[0]["subUnits"][0])
    assert any(m["description"] == "Work Order" for m in systems[0]["miscInfo"])
    repairs = await query(
        seeded_client, contract, filter="reportType eq 'R'", expand="uurAttachments", top=3
    )
    assert repairs and all(h["uurAttachments"][0]["filename"] for h in repairs)
    slim = await query(seeded_client, contract, select="uuid,serialNumber", top=3)
    assert all(set(h) == {"uuid", "serialNumber"} for h in slim)


async def test_header_by_misc_info(seeded_client: httpx2.AsyncClient, contract: Contract) -> None:
    response = await seeded_client.get(
        "/api/Report/Query/HeaderByMiscInfo", params={"description": "Firmware", "data": "2.5.0"}
    )
    assert response.status_code == 200
    found = contract.check(response)
    assert found
    assert all({"description": "Firmware", "data": "2.5.0"} in h["miscData"] for h in found)
    first = found[0]
    narrowed = contract.check(
        await seeded_client.get(
            "/api/Report/Query/HeaderByMiscInfo",
            params={
                "description": "Firmware",
                "data": "2.5.0",
                "serialNumber": first["serialNumber"],
                "processCode": first["processCode"],
            },
        )
    )
    assert narrowed and all(h["serialNumber"] == first["serialNumber"] for h in narrowed)
    nothing = await seeded_client.get("/api/Report/Query/HeaderByMiscInfo")
    assert nothing.status_code == 400


async def test_seeded_report_round_trips_through_export(
    seeded: InProcessEmulator, seeded_client: httpx2.AsyncClient, contract: Contract
) -> None:
    """A seeded export posted back under a new id is accepted and reads back the same."""
    header = (await query(seeded_client, contract, filter="result eq 'Failed'", top=1))[0]
    exported = contract.check(await seeded_client.get(f"/api/Report/Wsjf/{header['uuid']}"))
    assert exported["processName"] == header["processName"]
    product = seeded.store.scalar(
        "SELECT name FROM product WHERE part_number = ?", (header["partNumber"],)
    )
    assert exported["productName"] == product and product
    assert exported["uut"]["stepIdCausedUUTFailure"] is not None
    copy = json.loads(json.dumps(exported))
    copy["id"] = str(uuid.uuid4())
    assert (await post(seeded_client, copy)).status_code == 200
    again = contract.check(await seeded_client.get(f"/api/Report/Wsjf/{copy['id']}"))
    assert again["root"] == exported["root"]
    assert again["uut"] == exported["uut"]
