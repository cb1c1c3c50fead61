"""Shared test configuration."""

import gc
from collections.abc import Iterator

import pytest

from tui.gc_policy import FULL_PASS_THRESHOLD

# Emulator fixtures: emulator, emulator_client, emulator_server, emulator_config, contract.
pytest_plugins = ["pywats.emulator.pytest_plugin"]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what importing and collecting made: it lives as long as the run, and full
    collector passes skip frozen objects."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _one_full_collection_per_test() -> Iterator[None]:
    """Full passes between tests, not during them, as pywats-tui keeps them off its hot path.

    A Textual app makes about 100,000 cyclic objects, so a test started two or three full
    passes, each walking everything alive; with one pass here after each test, and what
    survives it frozen, the TUI tests took 15-25 % less CPU.
    """
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_THRESHOLD)  # set again: a test may change it
    yield
    gc.collect()
    gc.freeze()
