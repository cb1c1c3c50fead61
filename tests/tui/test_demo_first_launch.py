"""The first demo on a fresh machine serves data at once, then swaps the factory in and caches it.

(`benchmarks/tui_startup.py` times the whole launch; this checks the mechanism.)
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tui import demo


def _count(app: object, table: str) -> int:
    store = app.emulator.store  # type: ignore[attr-defined]
    return int(store.scalar(f"SELECT COUNT(*) FROM {table}"))


def test_first_launch_serves_small_data_then_the_cached_factory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # a fresh machine: nothing cached
    monkeypatch.setattr(demo, "SEED_DELAY", 0.0)
    cache = demo.demo_cache_path()
    assert not cache.exists()

    app = demo._load_or_seed(demo.DEMO_SEED, "factory", "dG9rZW4=")
    small_reports = _count(app, "report")
    assert small_reports > 0  # data to show straight away
    assert _count(app, "product") < 1000  # the small set, not yet the factory

    deadline = time.monotonic() + 600
    while not cache.exists():
        assert time.monotonic() < deadline, "the factory was never seeded"
        time.sleep(0.2)
    assert _count(app, "product") == 10_000  # swapped in before it was cached
    assert _count(app, "report") > small_reports

    # The next launch of the day copies the cache: the factory at once, no thread.
    again = demo._load_or_seed(demo.DEMO_SEED, "factory", "dG9rZW4=")
    assert _count(again, "product") == 10_000
    assert _count(again, "report") == _count(app, "report")


def test_a_bad_size_is_refused_before_anything_is_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with pytest.raises(ValueError, match="size must be one of"):
        demo._load_or_seed(demo.DEMO_SEED, "enormous", "dG9rZW4=")
