"""Hand-written WSJF dicts for the emulator's Report tests (no SDK models on this side)."""

from __future__ import annotations

import base64
import uuid
from typing import Any

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def uut_dict(
    *,
    report_id: str | None = None,
    sn: str = "TEST-00001",
    pn: str = "PCB-1001",
    result: str = "P",
    start: str = "2026-01-02T10:15:30.1234567+01:00",
    station: str = "LAB-01",
) -> dict[str, Any]:
    failed = result == "F"
    return {
        "type": "T",
        "id": report_id or str(uuid.uuid4()),
        "pn": pn,
        "sn": sn,
        "rev": "B",
        "processCode": 120,
        "result": result,
        "machineName": station,
        "location": "Lab",
        "purpose": "Development",
        "start": start,
        "root": {
            "id": 1,
            "group": "M",
            "stepType": "SequenceCall",
            "name": "MainSequence Callback",
            "status": "F" if failed else "P",
            "totTime": 1.5,
            "causedUUTFailure": False,
            "steps": [
                {
                    "id": 2,
                    "group": "M",
                    "stepType": "ET_NLT",
                    "name": "VCC 3V3",
                    "status": "F" if failed else "P",
                    "totTime": 0.2,
                    "causedUUTFailure": failed,
                    "numericMeas": [
                        {
                            "compOp": "GELE",
                            "name": None,
                            "status": "F" if failed else "P",
                            "unit": "V",
                            "value": 3.9 if failed else 3.31,
                            "highLimit": 3.465,
                            "lowLimit": 3.135,
                        }
                    ],
                },
                {
                    "id": 3,
                    "group": "M",
                    "stepType": "WATS_XYGMNLT",
                    "name": "Ripple",
                    "status": "P",
                    "totTime": 0.4,
                    "causedUUTFailure": False,
                    "numericMeas": [{"compOp": "LOG", "status": "P", "unit": "mV", "value": 12.0}],
                    "chart": {
                        "chartType": "Line",
                        "label": "Ripple",
                        "xLabel": "t",
                        "xUnit": "us",
                        "yLabel": "V",
                        "yUnit": "mV",
                        "series": [
                            {"dataType": "XYG", "name": "Out", "xdata": "0;1;2", "ydata": "1;3;2"}
                        ],
                    },
                },
                {
                    "id": 4,
                    "group": "M",
                    "stepType": "Action",
                    "name": "Save Picture",
                    "status": "D",
                    "totTime": 0.1,
                    "causedUUTFailure": False,
                    "attachment": {
                        "name": "board.png",
                        "contentType": "image/png",
                        "data": base64.b64encode(PNG_BYTES).decode(),
                    },
                },
            ],
            "seqCall": {"path": "lab.seq", "name": "MainSequence", "version": "1.0"},
        },
        "uut": {"user": "tester", "execTime": 1.5, "stepIdCausedUUTFailure": 2 if failed else None},
        "miscInfos": [{"description": "Work Order", "text": "WO-TEST-1"}],
        "subUnits": [{"partType": "PCBA", "pn": "PCB-1002", "rev": "A", "sn": "IO-TEST-1"}],
    }


def uur_dict(uut: dict[str, Any], *, report_id: str | None = None) -> dict[str, Any]:
    return {
        "type": "R",
        "id": report_id or str(uuid.uuid4()),
        "pn": uut["pn"],
        "sn": uut["sn"],
        "rev": uut["rev"],
        "processCode": 500,
        "result": "P",
        "machineName": "REPAIR-LAB",
        "location": "Lab",
        "purpose": "Repair",
        "start": "2026-01-02T12:00:00+01:00",
        "uur": {
            "user": "fixer",
            "processCode": uut["processCode"],
            "refUUT": uut["id"],
            "confirmDate": "2026-01-02T11:30:00+00:00",
            "finalizeDate": "2026-01-02T11:30:00+00:00",
            "execTime": 600.0,
        },
        "subUnits": [
            {
                "partType": "Main",
                "pn": uut["pn"],
                "rev": uut["rev"],
                "sn": uut["sn"],
                "idx": 0,
                "failures": [
                    {
                        "category": "Component",
                        "code": "Damaged component",
                        "comRef": "U3",
                        "refStepId": 2,
                    }
                ],
            }
        ],
        "binaryData": [
            {
                "contentType": "text/plain",
                "data": base64.b64encode(b"notes").decode(),
                "name": "notes.txt",
                "id": str(uuid.uuid4()),
            }
        ],
    }
