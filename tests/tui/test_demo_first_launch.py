"""The first demo on a fresh machine serves data at once, then swaps the factory in and caches it.

(`benchmarks/tui_startup.py` times the whole launch; this checks the mechanism.)

The factory's own data is what `tests/emulator/analytics/test_seed_story.py` checks and
`benchmarks/seed_timing.py` times. Here the seeding thread seeds a stand-in instead: the
small set under another seed, which the test can tell from the set served first. Seeding
the real factory made this one test 13 s of CPU and a 243 MB cache file.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from pywats.emulator import seeding
from pywats.emulator.app import create_app
from pywats.emulator.config import EmulatorConfig
from pywats.emulator.plugin import Domain
from pywats.emulator.storage import Storage
from tui import demo

STAND_IN_SEED = demo.DEMO_SEED + 1


def _count(app: object, table: str) -> int:
    store = app.emulator.store  # type: ignore[attr-defined]
    return int(store.scalar(f"SELECT COUNT(*) FROM {table}"))


@pytest.fixture
def stand_in_factory(monkeypatch: pytest.MonkeyPatch) -> int:
    """Factory-sized seeding seeds the small set under STAND_IN_SEED; returns its report count."""
    real = seeding.seed_domains

    def seed_domains(store: Storage, domains: Sequence[Domain], config: EmulatorConfig) -> None:
        if config.size == "factory":
            config = dataclasses.replace(config, size="small", seed=STAND_IN_SEED)
        real(store, domains, config)

    monkeypatch.setattr(seeding, "seed_domains", seed_domains)
    stand_in = create_app(EmulatorConfig(seed=STAND_IN_SEED, anchor=demo._demo_anchor()))
    reports = _count(stand_in, "report")
    stand_in.emulator.store.close()
    return reports


def test_first_launch_serves_small_data_then_the_cached_factory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stand_in_factory: int
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # a fresh machine: nothing cached
    monkeypatch.setattr(demo, "SEED_DELAY", 0.0)
    cache = demo.demo_cache_path()
    assert not cache.exists()

    app = demo._load_or_seed(demo.DEMO_SEED, "factory", "dG9rZW4=")
    small_reports = _count(app, "report")
    assert small_reports > 0  # data to show straight away
    assert small_reports != stand_in_factory  # so the test can tell which set is served

    deadline = time.monotonic() + 600
    while not cache.exists():
        assert time.monotonic() < deadline, "the factory was never seeded"
        time.sleep(0.05)
    assert _count(app, "report") == stand_in_factory  # swapped in before it was cached

    # The next launch of the day copies the cache: the factory at once, no thread.
    again = demo._load_or_seed(demo.DEMO_SEED, "factory", "dG9rZW4=")
    assert _count(again, "report") == stand_in_factory


def test_a_bad_size_is_refused_before_anything_is_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with pytest.raises(ValueError, match="size must be one of"):
        demo._load_or_seed(demo.DEMO_SEED, "enormous", "dG9rZW4=")
