"""WSJF date strings <-> datetime.

Models keep dates as the exact strings read (the server writes up to 7 fractional digits,
which datetime cannot hold); these helpers convert at the edges.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

__all__ = ["format_wats_datetime", "format_wats_utc", "parse_wats_datetime"]

_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_wats_datetime(text: str) -> datetime:
    """Parse a WSJF date; fractions beyond microseconds are dropped, ``Z`` means UTC."""
    return datetime.fromisoformat(_FRACTION.sub(r"\1", text))


def _aware(moment: datetime) -> datetime:
    # A naive datetime is the station's local time, as a station script would expect.
    return moment if moment.tzinfo is not None else moment.astimezone()


def format_wats_datetime(moment: datetime) -> str:
    """Local time with its UTC offset, e.g. ``2026-01-30T22:01:41.470735+01:00``."""
    return _aware(moment).isoformat()


def format_wats_utc(moment: datetime) -> str:
    """The same instant in UTC ending in ``Z``, the form of ``startUTC``."""
    return _aware(moment).astimezone(UTC).isoformat().replace("+00:00", "Z")
