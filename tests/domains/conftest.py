"""SDK clients wired to a fresh in-process emulator: ``wats`` (async) and ``sync_wats``.

Sync tests are plain functions: calling SyncWATS from inside a running loop would work but
warn, and that is not what a script writer does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from pywats import AsyncWATS, SyncWATS
from pywats.emulator.testing import InProcessEmulator


@pytest.fixture
async def wats(emulator: InProcessEmulator) -> AsyncIterator[AsyncWATS]:
    async with AsyncWATS(
        emulator.base_url, emulator.token, transport=emulator.transport(), max_retries=0
    ) as client:
        yield client


@pytest.fixture
def sync_wats(emulator: InProcessEmulator) -> Iterator[SyncWATS]:
    with SyncWATS(
        emulator.base_url, emulator.token, transport=emulator.transport(), max_retries=0
    ) as client:
        yield client
