"""The report seed generating in a worker process: the same database as in one process,
whatever the scheduling, and body text the same as the stdlib encoder writes."""

from __future__ import annotations

import json
import multiprocessing
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from pywats.emulator import EmulatorConfig, SeedContext, Storage
from pywats.emulator.domains.report import seed as report_seed
from pywats.emulator.domains.report import store as report_store
from pywats.emulator.registry import discover_domains
from pywats.emulator.seeding import create_schema, domain_rng, seed_domains


def _seeded(seed: int = 1) -> Storage:
    domains = discover_domains()
    store = Storage()
    create_schema(store, domains)
    seed_domains(store, domains, EmulatorConfig(seed=seed, size="small"))
    return store


def _dump(store: Storage) -> list[str]:
    return list(store.connection.iterdump())


@pytest.fixture
def worker_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Force the worker on and count the seeds that really went through it."""
    calls: list[int] = []
    real = report_seed._in_worker

    def counting(ctx: Any, planned: Any) -> Iterator[Any]:
        calls.append(len(planned))
        return real(ctx, planned)

    monkeypatch.setattr(report_seed, "_in_worker", counting)
    monkeypatch.setattr(report_seed, "WORKER", True)
    return calls


@pytest.mark.parametrize("chunk", [1, 7, 100_000])
def test_worker_seeds_the_same_database_as_one_process(
    monkeypatch: pytest.MonkeyPatch, worker_calls: list[int], chunk: int
) -> None:
    # Chunks of one report, of a few, and all in one message: different interleavings of
    # the two processes, one database.
    monkeypatch.setattr(report_seed, "_CHUNK", chunk)
    in_worker = _dump(_seeded(seed=3))
    assert worker_calls, "the worker process was not used"
    monkeypatch.setattr(report_seed, "WORKER", False)
    in_process = _dump(_seeded(seed=3))
    assert len(worker_calls) == 1
    assert any(line.startswith('INSERT INTO "report"') for line in in_process)
    assert in_worker == in_process


def test_a_failing_worker_fails_the_seed(
    monkeypatch: pytest.MonkeyPatch, worker_calls: list[int]
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("no sequence today")

    monkeypatch.setattr(report_seed._Writer, "uut", broken)  # the forked worker inherits it
    with pytest.raises(RuntimeError, match="worker process failed: ValueError: no sequence"):
        _seeded()
    assert worker_calls


def test_a_failing_writer_stops_the_worker(
    monkeypatch: pytest.MonkeyPatch, worker_calls: list[int]
) -> None:
    # The writer fails on its 40th report: the seed fails with that error, and the worker
    # process and the reader thread are gone.
    real = report_store.ReportBatch.add
    seen: list[int] = []

    def failing(self: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(1)
        if len(seen) == 40:
            raise OSError("disk full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(report_seed, "_CHUNK", 1)
    monkeypatch.setattr(report_store.ReportBatch, "add", failing)
    with pytest.raises(OSError, match="disk full"):
        _seeded()
    assert worker_calls
    assert not [t for t in threading.enumerate() if t.name == "report-seed-reader"]
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("seed", [1, 7])
def test_seed_bodies_are_the_text_the_stdlib_writes(seed: int) -> None:
    # orjson writes the seed's bodies when installed: each must be the text the stdlib
    # encoder (what the seed wrote before, and what API saves write) gives for its report.
    ctx = SeedContext(Storage(), seed, "small", EmulatorConfig().anchor, domain_rng(seed, "report"))
    items = [item for item in report_seed._generate(ctx, report_seed._planned_fallback(ctx))]
    reports = [(report, body) for report, body, _, _ in items if report is not None]
    assert len(reports) > 30
    for report, body in reports:
        assert body == report_store._ENCODER.encode(report)


def test_encoder_text_means_the_same_where_it_differs() -> None:
    # The one known difference is the exponent of small floats (1e-05 / 0.00001): the same
    # number; integers beyond 64 bits fall back to the stdlib's text.
    report = {"value": 1e-05, "tiny": 2.5e-07, "big": 2**70, "text": 'Ø\u2028 "q"'}
    text = report_seed._encode(report)
    assert json.loads(text) == report
    assert report_seed._encode({"big": 2**70}) == '{"big":1180591620717411303424}'


def test_worker_only_where_it_pays_and_is_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_seed, "WORKER", None)
    monkeypatch.setattr(report_seed.os, "cpu_count", lambda: 2)
    load = [1.2]
    monkeypatch.setattr(report_seed.os, "getloadavg", lambda: (load[0], 0.0, 0.0))
    run = report_seed.PlannedRun(110, None, "ICT-01", True, False)  # type: ignore[arg-type]
    unit = report_seed.PlannedUnit("SN", "PN", "A", None, [run] * 10)
    many, few = [unit] * 300, [unit] * 3
    assert not report_seed.use_worker(few)
    alone = threading.active_count() == 1
    assert report_seed.use_worker(many) == alone
    load[0] = 2.3  # both cores busy with other work: no second process
    assert not report_seed.use_worker(many)
    load[0] = 1.2
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not report_seed.use_worker(many)  # fork copies only this thread
    finally:
        stop.set()
        other.join()
