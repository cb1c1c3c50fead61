"""Shared test configuration."""

import gc
from collections.abc import Iterator

import pytest

# Emulator fixtures: emulator, emulator_client, emulator_server, emulator_config, contract.
pytest_plugins = ["pywats.emulator.pytest_plugin"]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what importing and collecting made: it lives as long as the run, and full
    collector passes skip frozen objects."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _one_full_collection_per_test() -> Iterator[None]:
    """No collector passes during a test, one full pass after it, as pywats-tui keeps them
    off its hot path.

    A Textual app makes about 100,000 cyclic objects. With full passes only between tests
    (and what survives them frozen) the TUI tests took 15-25 % less CPU; pausing the young
    generations too took 9 % more off (tests/tui/screens and station on 2 workers: 86-87 s
    of CPU before, 78-80 s after) for 10 % more peak memory, since a test's garbage waits
    for the pass after it.
    """
    gc.disable()
    yield
    gc.collect()
    gc.freeze()
    gc.enable()
