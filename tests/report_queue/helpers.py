"""Reports for queue tests, and a way to count what the emulator stored."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from pywats.domains.report import UUTBuilder, UUTReport


def make_report(serial: str, *, valid: bool = True) -> UUTReport:
    """A small passing test report with a fresh id; ``valid=False`` makes one the server
    refuses (a process code it does not know) although the SDK's own checks pass."""
    report = UUTBuilder(
        part_number="PCB-1001",
        revision="A",
        serial_number=serial,
        process_code=100 if valid else 98765,
        station="ICT-01",
        location="Line 1",
        purpose="Production",
        operator="ola",
        report_id=str(uuid.uuid4()),
    )
    with report.sequence("Power") as power:
        power.numeric("VCC 3V3", 3.31, "V", low=3.2, high=3.4)
    return report.build()


def stored_counts(db_path: Path, serial_prefix: str) -> dict[str, int]:
    """report id -> how many rows the emulator's database holds for it."""
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT lower(uuid), count(*) FROM report WHERE serial_number LIKE ? GROUP BY uuid",
            (serial_prefix + "%",),
        ).fetchall()
    return {row[0]: row[1] for row in rows}
