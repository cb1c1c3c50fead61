"""Test reports with a known outcome for the analytics tests, written as plain WSJF dicts."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

PN = "ANA-100"
ROOT = "MainSequence Callback"
SEP = "\u00b6"
VOLT_PATH = f"{ROOT}{SEP}Power{SEP}VCC 3V3"
CURRENT_PATH = f"{ROOT}{SEP}Power{SEP}Current"
LOW, HIGH = 3.135, 3.465


def uut(
    sn: str,
    start: datetime,
    *,
    passed: bool,
    volts: float = 3.3,
    fail_current: bool = False,
    pn: str = PN,
    station: str = "ANA-ST-1",
    process_code: int = 120,
    report_id: str | None = None,
) -> dict[str, Any]:
    """A test report: VCC 3V3 (numeric, limits 3.135-3.465) then Current (pass/fail).

    When it fails, the failing step caused it: VCC 3V3 if the voltage is outside its limits,
    else Current (``fail_current``).
    """
    volt_ok = LOW <= volts <= HIGH
    current_ok = not fail_current
    if passed:
        assert volt_ok and current_ok
    caused_volt = not volt_ok
    caused_current = volt_ok and not current_ok
    status = "P" if passed else "F"
    return {
        "type": "T",
        "id": report_id or str(uuid.uuid4()),
        "pn": pn,
        "sn": sn,
        "rev": "A",
        "processCode": process_code,
        "result": status,
        "machineName": station,
        "location": "Lab",
        "purpose": "Production",
        "start": start.isoformat(),
        "uut": {"user": "tester", "execTime": 10.0},
        "root": {
            "id": 1, "group": "M", "stepType": "SequenceCall", "name": ROOT, "status": status,
            "totTime": 1.0, "causedUUTFailure": False,
            "steps": [
                {
                    "id": 2, "group": "M", "stepType": "SequenceCall", "name": "Power",
                    "status": status, "totTime": 0.8, "causedUUTFailure": False,
                    "steps": [
                        {
                            "id": 3, "group": "M", "stepType": "ET_NLT", "name": "VCC 3V3",
                            "status": "P" if volt_ok else "F", "totTime": 0.2,
                            "causedUUTFailure": caused_volt,
                            "numericMeas": [
                                {"compOp": "GELE", "name": None,
                                 "status": "P" if volt_ok else "F", "unit": "V",
                                 "value": volts, "highLimit": HIGH, "lowLimit": LOW}
                            ],
                        },
                        {
                            "id": 4, "group": "M", "stepType": "ET_PFT", "name": "Current",
                            "status": "P" if current_ok else "F", "totTime": 0.1,
                            "causedUUTFailure": caused_current,
                            "booleanMeas": [{"name": None, "status": "P" if current_ok else "F"}],
                        },
                    ],
                }
            ],
        },
    }  # fmt: skip


def history(base: datetime) -> list[dict[str, Any]]:
    """Six units with known runs, all on ANA-ST-1 in process 120, an hour apart.

    U1 P            -> FP, SP, TP, LP
    U2 F(volt) P    -> SP, TP, LP
    U3 F(cur) F(cur) P -> TP, LP
    U4 F(volt) F(volt) F(volt) F(volt) -> none
    U5 P            -> FP, SP, TP, LP
    U6 F(cur)       -> none (no retest yet)
    """
    plan: list[tuple[str, list[tuple[bool, float, bool]]]] = [
        ("U1", [(True, 3.30, False)]),
        ("U2", [(False, 3.60, False), (True, 3.31, False)]),
        ("U3", [(False, 3.29, True), (False, 3.28, True), (True, 3.32, False)]),
        ("U4", [(False, 3.00, False)] * 4),
        ("U5", [(True, 3.33, False)]),
        ("U6", [(False, 3.27, True)]),
    ]
    reports = []
    moment = base
    for sn, runs in plan:
        for passed, volts, fail_current in runs:
            reports.append(uut(sn, moment, passed=passed, volts=volts, fail_current=fail_current))
            moment += timedelta(hours=1)
    return reports
