from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def sample_text() -> str:
    """The genuine server export (FAT report, 186 steps), byte for byte."""
    return (DATA / "uut-wsjf-export.json").read_text(encoding="utf-8")
