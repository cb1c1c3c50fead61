"""Pytest fixtures for testing against the emulator.

Register with `pytest_plugins = ["pywats.emulator.pytest_plugin"]` in a conftest.py.
Override `emulator_config` in a test module to change the seed, size, token or faults.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx2
import pytest

from .config import EmulatorConfig
from .contract import Contract
from .runner import EmulatorServer
from .testing import InProcessEmulator


@pytest.fixture
def emulator_config() -> EmulatorConfig:
    """Settings for the emulator fixtures: seeded `small`, default token, no faults."""
    return EmulatorConfig()


@pytest.fixture
def emulator(emulator_config: EmulatorConfig) -> Iterator[InProcessEmulator]:
    """A fresh in-process emulator (its own database) for each test."""
    emu = InProcessEmulator(config=emulator_config)
    yield emu
    emu.close()


@pytest.fixture
async def emulator_client(emulator: InProcessEmulator) -> AsyncIterator[httpx2.AsyncClient]:
    """An authenticated httpx2.AsyncClient talking to `emulator` through ASGITransport."""
    async with emulator.client() as client:
        yield client


@pytest.fixture
def emulator_server(emulator_config: EmulatorConfig) -> Iterator[EmulatorServer]:
    """A real uvicorn server on an ephemeral 127.0.0.1 port; `.url` and `.token` to reach it."""
    with EmulatorServer(emulator_config) as server:
        yield server


@pytest.fixture(scope="session")
def contract() -> Contract:
    """The WATS API contract; `contract.check(response)` validates a response."""
    return Contract.bundled()
