"""When Python's cyclic garbage collector may run, so that it never freezes the screen.

A full (generation 2) pass walks every tracked object; in a Textual app that is hundreds of
thousands of widgets, styles and render caches, and a pass took 100-350 ms on a 2-core station
PC: long enough to eat keystrokes from a barcode scanner. So:

- during start-up the collector is off (start-up allocates much and frees little);
- what start-up made, and then the first screen, is frozen: it lives as long as the app, and
  frozen objects are skipped by every later pass;
- full passes are taken off the hot path (a high generation-2 threshold) and run instead when
  the app is idle: no key or mouse input for a while and no server call in flight.

Young generations still run as usual, so short-lived cycles are freed promptly.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

__all__ = ["IdleCollector", "after_first_screen", "after_start_up", "before_start_up"]

# Generation 2 runs after this many generation-1 passes (CPython's default is 10).
FULL_PASS_THRESHOLD = 1_000
IDLE_AFTER_INPUT = 5.0  # seconds without input before the app counts as idle
CHECK_EVERY = 15.0  # seconds between idle checks


def before_start_up() -> None:
    gc.disable()


def after_start_up() -> None:
    """Freeze what start-up made and turn the collector back on, without full passes."""
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_THRESHOLD)
    gc.enable()


def after_first_screen() -> None:
    """Freeze the first screen's widgets too: they live as long as the app."""
    gc.freeze()


class IdleCollector:
    """Runs a full collection when nothing is happening; ``tick`` is called every CHECK_EVERY.

    ``busy`` tells whether server calls are in flight; ``note_input`` is called on every key
    and mouse event.
    """

    def __init__(self, busy: Callable[[], bool], clock: Callable[[], float] = time.monotonic):
        self._busy = busy
        self._clock = clock
        self._last_input = clock()
        self._collected_since_input = False

    def note_input(self) -> None:
        self._last_input = self._clock()
        self._collected_since_input = False

    def tick(self) -> bool:
        """Collect if idle and not done since the last input; True when it collected."""
        if self._collected_since_input or self._busy():
            return False
        if self._clock() - self._last_input < IDLE_AFTER_INPUT:
            return False
        gc.collect()
        self._collected_since_input = True
        return True
