"""The step index written as reports are saved is the one parsing the stored bodies gives."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pywats.emulator.config import EmulatorConfig
from pywats.emulator.domains.analytics import steps
from pywats.emulator.domains.analytics.steps import sync_index
from pywats.emulator.testing import InProcessEmulator


def _index(emulator: InProcessEmulator) -> list[tuple[object, ...]]:
    rows = emulator.store.query("SELECT * FROM analytics_step")
    return sorted((tuple(row) for row in rows), key=repr)


def test_seeded_rows_match_the_rows_parsed_from_the_bodies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed: list[str] = []

    def counting(body: str) -> Any:
        parsed.append(body)
        return json.loads(body)

    monkeypatch.setattr(steps, "_load_body", counting)
    # A seed no other test uses, so it is really seeded here (not copied from a template).
    emulator = InProcessEmulator(config=EmulatorConfig(seed=4242))
    try:
        assert parsed == []  # the seed indexed every report as it saved it: none parsed
        saved = _index(emulator)
        reports = emulator.store.scalar("SELECT COUNT(*) FROM report WHERE report_type = 'T'")
        assert len(saved) > 10 * reports  # every step of every test report, and measurements
        with emulator.store.transaction():
            emulator.store.execute("DELETE FROM analytics_step")
            emulator.store.execute("DELETE FROM analytics_index_state")
        sync_index(emulator.store)  # nothing indexed: every body is parsed again
        assert len(parsed) == reports
        assert _index(emulator) == saved
        # The indexes a bulk seed drops while it inserts are all back.
        names = {
            row[0]
            for row in emulator.store.query(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = 'analytics_step'"
            )
        }
        assert {"analytics_step_report", "analytics_step_meas", "analytics_step_failed"} <= names
    finally:
        emulator.close()
