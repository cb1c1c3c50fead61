"""Asset SDK tests run against the emulator with its clock pinned to the seed's anchor, so the
seeded fleet's alarm states and due dates are the same on every run."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pywats.emulator.domains.asset import records

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "now_for", lambda anchor: NOW)
