"""What the seeded factory went through, so that yield and measurement charts show something.

Everything is relative to the seed's anchor (its "now": 2026-01-01 by default, today for the
demo) and drawn from the seeding domain's own random stream, so the same seed tells the same
story:

* **A bad station.** ``FCT-03``'s fixture is worn: a unit's first run there fails about three
  times as often as on the other functional testers (first pass yield ~64 % against ~88 %).
* **A change that made a step fail more.** Six weeks before the anchor the C7 decoupling
  capacitor on the boards changed vendor. From then on in-circuit test fails twice as often,
  and most of those failures are at ``C7 Decoupling`` (a fail rate of ~2 % before, ~20 % after).
* **A drift.** The functional tester's voltage reference ages: ``Reference Voltage`` reads
  2.5 mV higher at the anchor than half a year before, rising evenly week by week (its
  limits are 2.495-2.505 V, so the mean walks towards the upper limit and Cpk falls).

The production seed decides which runs fail (``first_run_fail_rate``); the report seed picks
the failing step (``failing_step``) and plays the drifting measurement (``nominal_offsets``).
"""

from __future__ import annotations

import random
from collections.abc import Mapping

BASE_FAIL_RATE = 0.12  # a unit's first run at a process fails this often, normally

BAD_STATION = "FCT-03"
BAD_STATION_FAIL_RATE = 0.36

CHANGE_DAYS_BEFORE_ANCHOR = 42.0
CHANGED_PROCESS = 110  # in-circuit test
CHANGED_STEP = "C7 Decoupling"
CHANGED_FAIL_RATE = 0.26  # the process's first-run fail rate after the change
CHANGED_STEP_SHARE = 0.7  # of the failures after the change, this share is at CHANGED_STEP

DRIFTING_MEASUREMENT = "Reference Voltage"  # functional test (120), Analog group
DRIFT_DAYS = 182.0  # the drift rises evenly over this many days before the anchor ...
DRIFT_TOTAL = 0.0025  # ... by this much (volts), centred on the nominal value


def first_run_fail_rate(process_code: int, station: str, days_before_anchor: float) -> float:
    """How often a unit's first run at this process and station fails at that time."""
    if station == BAD_STATION:
        return BAD_STATION_FAIL_RATE
    if process_code == CHANGED_PROCESS and days_before_anchor < CHANGE_DAYS_BEFORE_ANCHOR:
        return CHANGED_FAIL_RATE
    return BASE_FAIL_RATE


def failing_step(process_code: int, days_before_anchor: float, rng: random.Random) -> str | None:
    """The step a failing run fails at because of the story, or None (any test may fail)."""
    if process_code != CHANGED_PROCESS or days_before_anchor >= CHANGE_DAYS_BEFORE_ANCHOR:
        return None
    return CHANGED_STEP if rng.random() < CHANGED_STEP_SHARE else None


def nominal_offsets(days_before_anchor: float) -> Mapping[str, float]:
    """How far each drifting measurement's nominal value has moved at that time."""
    age = min(max(days_before_anchor, 0.0), DRIFT_DAYS)
    return {DRIFTING_MEASUREMENT: DRIFT_TOTAL * (0.5 - age / DRIFT_DAYS)}
