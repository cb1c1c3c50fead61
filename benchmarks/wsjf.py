"""WSJF benchmarks (issue 7, acceptance 6).

Parse + serialise of the real server export with pywats, as a ratio to plain ``json.loads`` +
``json.dumps`` of the same bytes. Target: at most 3x. Run: ``.venv/bin/python benchmarks/wsjf.py``
(exits 1 when a target is missed).
"""

from __future__ import annotations

import json
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

from pywats.domains.report import dump_wsjf, load_wsjf

SAMPLE = Path(__file__).resolve().parents[1] / "tests/report/data/uut-wsjf-export.json"
PARSE_SERIALISE_TARGET = 3.0


def _best_seconds(action: Callable[[], object], number: int, repeat: int = 7) -> float:
    # The fastest run is the least disturbed by the rest of the machine.
    return min(timeit.repeat(action, number=number, repeat=repeat)) / number


def parse_serialise_ratio(raw: bytes, number: int = 200) -> tuple[float, float, float]:
    """(pywats seconds, plain json seconds, ratio) for one parse + serialise of ``raw``."""
    ours = _best_seconds(lambda: dump_wsjf(load_wsjf(raw)), number)
    plain = _best_seconds(lambda: json.dumps(json.loads(raw)), number)
    return ours, plain, ours / plain


def main() -> int:
    raw = SAMPLE.read_bytes()
    ours, plain, ratio = parse_serialise_ratio(raw)
    verdict = "ok" if ratio <= PARSE_SERIALISE_TARGET else "TOO SLOW"
    print(
        f"wsjf parse+serialise ({len(raw):,} bytes): pywats {ours * 1e6:,.0f} us, "
        f"json {plain * 1e6:,.0f} us, ratio {ratio:.2f}x "
        f"(target <= {PARSE_SERIALISE_TARGET:.0f}x) {verdict}"
    )
    return 0 if ratio <= PARSE_SERIALISE_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
