"""The emulator's WSXF and certificate routes, through the SDK and on the wire."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from pywats import AsyncWATS
from pywats.domains.report.wsxf import dump_wsxf, load_wsxf
from pywats.emulator.domains.report.wsxf import wsjf_to_wsxf, wsxf_to_wsjf

from .wsxf_factory import wsxf_report

DATA = Path(__file__).parent / "data"
SERVER_ONLY = (
    "processName",
    "processCodeFormat",
    "origin",
    "startUTC",
    "assetStats",
    "productName",
)


def test_the_emulators_own_reader_and_writer_agree_with_the_samples() -> None:
    xml = (DATA / "uut-wsxf-export.xml").read_bytes()
    exported = json.loads((DATA / "uut-wsjf-export.json").read_text("utf-8"))
    # What a station posting the WSXF file says is what the WSJF export holds, minus what
    # the server adds on export.
    posted = wsxf_to_wsjf(xml)
    expected = {k: v for k, v in exported.items() if k not in SERVER_ONLY}
    assert {k: v for k, v in posted.items() if k not in SERVER_ONLY} == expected
    assert wsjf_to_wsxf(exported).encode("utf-8") == xml


async def test_wsxf_posted_is_served_as_wsxf_and_wsjf_alike(emulator) -> None:
    report = wsxf_report(serial="WSXF-0001")
    async with AsyncWATS(**emulator.sdk_kwargs()) as wats:
        report_id = await wats.report.submit_wsxf(dump_wsxf(report))
        assert report_id == report.id
        as_wsjf = await wats.report.get_report(report_id)
        as_wsxf = await wats.report.get_report_wsxf(report_id)
        assert as_wsjf is not None and as_wsxf is not None
        assert as_wsxf.startswith(b'<?xml version="1.0" encoding="utf-8"?><Reports')
        assert load_wsxf(as_wsxf) == as_wsjf  # the two exports read as one model
        assert as_wsjf.root.steps[0].steps[4].numeric_meas[1].value == 11.2
        # Posting a model sends the same document; a WSJF-posted report is served as WSXF.
        again = wsxf_report(serial="WSXF-0002")
        await wats.report.submit(again)
        served = await wats.report.get_report_wsxf(str(again.id))
        assert served is not None and load_wsxf(served) == await wats.report.get_report(
            str(again.id)
        )
        assert await wats.report.get_report_wsxf(str(uuid.uuid4())) is None


async def test_wsxf_queued_is_delivered_as_wsxf(emulator, tmp_path: Path) -> None:
    report = wsxf_report(serial="WSXF-Q")
    async with AsyncWATS(**emulator.sdk_kwargs(), queue_path=tmp_path / "q.sqlite3") as wats:
        await wats.report.submit_wsxf(dump_wsxf(report), queue=True)
        [item] = await wats.queue.pending()
        assert item.format == "WSXF"
        assert (await wats.queue.drain(10)).empty
    assert emulator.traffic.count_for("POST", "/api/Report/WSXF") == 1
    assert emulator.store.scalar("SELECT sn FROM (SELECT serial_number AS sn FROM report "
                                 "WHERE uuid = ?)", (report.id,)) == "WSXF-Q"  # fmt: skip


async def test_the_server_refuses_bad_wsxf_with_a_json_message(emulator_client, contract) -> None:
    fat = (DATA / "uut-wsxf-export.xml").read_bytes()
    headers = {"Content-Type": "application/xml"}
    cases = {
        b"<Reports><Report": "well-formed",
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><Reports>&b;</Reports>': "DTD",
        b"<Reports/>": "one WSXF <Report>",
        # The FAT export breaks a server rule (a step status differing from its only
        # measurement's), in WSXF as in WSJF: the same reasons come back.
        fat: "Status cannot be different from measurement status",
    }
    for body, reason in cases.items():
        response = await emulator_client.post("/api/Report/WSXF", content=body, headers=headers)
        assert response.status_code == 400, response.text
        assert reason in contract.check(response)["Message"]
    wsjf = (DATA / "uut-wsjf-export.json").read_bytes()
    as_json = await emulator_client.post("/api/Report/WSJF", content=wsjf)
    as_xml = await emulator_client.post("/api/Report/WSXF", content=fat, headers=headers)
    assert as_json.json()["Message"] == as_xml.json()["Message"]


async def test_certificate_of_a_test_report(emulator, emulator_client, contract) -> None:
    report = wsxf_report(serial="CERT-0001", failing=True)
    async with AsyncWATS(**emulator.sdk_kwargs()) as wats:
        await wats.report.submit(report)
        certificate = await wats.report.get_certificate(str(report.id))
        assert certificate is not None and certificate.content_type == "text/html"
        page = certificate.content.decode("utf-8")
        assert await wats.report.get_certificate(str(uuid.uuid4())) is None
    assert "<h1>Test certificate</h1>" in page and "CERT-0001" in page
    assert "Result: <b>Failed</b>" in page
    assert "Power/Rails/12V" in page  # the failed measurement, in the summary
    assert "<p>11 measured, 1 failed</p>" in page
    assert "<td>3.2 &lt;= x &lt;= 3.4</td>" in page and "<=" not in page
    assert "Callback/Power/Rails/12V: 11.2 V (11.5 &lt;= x &lt;= 12.5)</li>" in page  # escaped
    missing = await emulator_client.get(f"/api/Report/Certificate/{uuid.uuid4()}")
    assert missing.status_code == 404 and contract.check(missing)["Message"]
    bad = await emulator_client.get("/api/Report/Certificate/not-a-guid")
    assert bad.status_code == 400


async def test_certificate_follows_the_stored_data(emulator, emulator_client) -> None:
    report = wsxf_report(serial="CERT-0002", failing=False)
    async with AsyncWATS(**emulator.sdk_kwargs()) as wats:
        await wats.report.submit(report)
        first = await wats.report.get_certificate(str(report.id))
        changed = wsxf_report(serial="CERT-0002", failing=True)  # same id: replaces it
        await wats.report.submit(changed)
        second = await wats.report.get_certificate(str(report.id))
    assert first is not None and second is not None
    assert b"Result: <b>Passed</b>" in first.content
    assert b"Result: <b>Failed</b>" in second.content


async def test_wsxf_of_a_repair_report_is_refused(emulator_client) -> None:
    rows = await emulator_client.get(
        "/api/Report/Query/Header", params={"$filter": "reportType eq 'R'", "$top": 1}
    )
    [repair] = rows.json()
    response = await emulator_client.get(f"/api/Report/Wsxf/{repair['uuid']}")
    assert response.status_code == 400 and "repair" in response.json()["Message"]
