"""Fixtures for the production domain's emulator tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx2
import pytest

from pywats.emulator.testing import InProcessEmulator

# A seeded, fully built system: SY-00001 <- CM-00001 (MOD-4100) <- MB/IO boards, + 2 PSUs.
SYSTEM = ("SY-00001", "SYS-9000")


@pytest.fixture
async def internal(emulator: InProcessEmulator) -> AsyncIterator[httpx2.AsyncClient]:
    async with emulator.client(headers={"Referer": emulator.base_url}) as client:
        yield client


def count(emulator: InProcessEmulator, table: str) -> int:
    """Rows in one of the production tables: to prove a rejected call changed nothing."""
    assert table.isidentifier()
    return int(emulator.store.scalar(f"SELECT COUNT(*) FROM {table}"))
