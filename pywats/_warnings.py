"""Warnings that point at the caller's line, not at the pywats line that noticed the problem."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

__all__ = ["warn_caller"]

_PACKAGE_DIR = str(Path(__file__).resolve().parent)


def _outside_pywats_level() -> int:
    """The ``stacklevel`` of the first frame outside the pywats package, seen from warn()."""
    frame = sys._getframe(2)  # the caller of warn_caller
    level = 2
    while frame is not None and str(Path(frame.f_code.co_filename).resolve()).startswith(
        _PACKAGE_DIR
    ):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def warn_caller(message: str, category: type[Warning] = UserWarning) -> None:
    """``warnings.warn`` attributed to the user's code that called into pywats."""
    warnings.warn(message, category, stacklevel=_outside_pywats_level())
