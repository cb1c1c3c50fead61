"""How long seeding takes, per size and per domain (a script, not a timed test).

Targets: `small` under 1 s (tests seed it constantly) and `factory` at most 5 s (a new
user's first demo waits for it; issue 12). Each size is seeded into a fresh in-memory
database with every discovered domain, bypassing the template cache, so a domain added
later counts against the same budget; each domain's share is printed.

Wall time is what the budget is judged on; CPU time is printed beside it, this process's
and the report seed's worker process's (it generates reports on the second core while this
one writes them), because on a shared 2-core machine the wall time also measures other
people's processes. The worker is used when a core is free (report.seed.use_worker);
`--worker` and `--in-process` force it on or off, to compare.
Each size is seeded ``--runs`` times (3) and judged on its best run, the one least disturbed
by them; the median is printed too. Exit status 1 when a size misses its target.

    .venv/bin/python benchmarks/seed_timing.py [SEED] [--runs N] [--worker | --in-process]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pywats.emulator import EmulatorConfig, Storage
from pywats.emulator.config import SEED_SIZES, SeedSize
from pywats.emulator.domains.report import seed as report_seed
from pywats.emulator.plugin import Domain
from pywats.emulator.registry import discover_domains
from pywats.emulator.seeding import create_schema, seed_domains

TARGETS = {"small": 1.0, "factory": 5.0}


def row_counts(store: Storage) -> dict[str, int]:
    tables = [
        row["name"]
        for row in store.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'emulator_meta' ORDER BY name"
        )
    ]
    return {table: int(store.scalar(f'SELECT COUNT(*) FROM "{table}"')) for table in tables}


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


def seed_once(
    domains: list[Domain], seed: int, size: SeedSize
) -> tuple[float, float, float, list[tuple[str, float]], Storage]:
    """(wall seconds, CPU seconds here, CPU seconds of worker processes, seconds per domain,
    the seeded store) of one fresh seed."""
    per_domain: list[tuple[str, float]] = []
    store = Storage()
    started, cpu_started = time.perf_counter(), time.process_time()
    children_started = _children_cpu()
    create_schema(store, domains)
    seed_domains(
        store,
        domains,
        EmulatorConfig(seed=seed, size=size),
        on_seeded=lambda name, seconds, into=per_domain: into.append((name, seconds)),
    )
    return (
        time.perf_counter() - started,
        time.process_time() - cpu_started,
        _children_cpu() - children_started,
        per_domain,
        store,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seed", nargs="?", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--worker", action="store_true", help="always the report seed's worker")
    mode.add_argument("--in-process", action="store_true", help="never the worker")
    args = parser.parse_args()
    if args.worker or args.in_process:
        report_seed.WORKER = bool(args.worker)
    seed = args.seed
    domains = discover_domains()
    print(f"domains: {', '.join(d.name for d in domains)}  (seed {seed})")
    print(f"load average (1 min): {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    failed = False
    for size in SEED_SIZES:
        walls: list[float] = []
        best = None
        for _ in range(max(1, args.runs)):
            run = seed_once(domains, seed, size)
            walls.append(run[0])
            if best is None or run[0] < best[0]:
                if best is not None:
                    best[4].close()  # a factory database is a few hundred MB: keep one
                best = run
            else:
                run[4].close()
        assert best is not None
        total, cpu, worker_cpu, per_domain, store = best
        median = statistics.median(walls)
        target = TARGETS[size]
        verdict = "ok" if total <= target else "TOO SLOW"
        failed |= total > target
        print(
            f"\n{size}: best {total:.3f} s of {len(walls)}, CPU {cpu:.3f} s here + "
            f"{worker_cpu:.3f} s worker, median {median:.3f} s (target <= {target:g} s) {verdict}"
        )
        for name, seconds in per_domain:
            print(f"  {name:<14} {seconds:8.3f} s  {seconds / total:6.1%}")
        counts = row_counts(store)
        biggest = sorted(counts.items(), key=lambda item: -item[1])[:8]
        print("  rows: " + ", ".join(f"{table} {count}" for table, count in biggest))
        store.close()
    print(f"\nload average (1 min) at the end: {os.getloadavg()[0]:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
