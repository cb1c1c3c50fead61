"""WSJF date strings: the server keeps up to 7 fractional digits, so fractions stay text."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_DATE = re.compile(
    r"^(?P<base>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(?P<frac>\d{1,7})\d*)?"
    r"(?P<zone>Z|[+-]\d{2}:?\d{2})?$"
)


def split(text: str) -> tuple[datetime, str]:
    """(the instant to whole seconds in UTC, the fraction digits as written). ValueError if bad.

    A date without an offset is taken as UTC, as the server stores it.
    """
    match = _DATE.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not an ISO 8601 date and time")
    zone = match["zone"] or "+00:00"
    moment = datetime.fromisoformat(match["base"] + ("+00:00" if zone == "Z" else zone))
    return moment.astimezone(UTC), match["frac"] or ""


def utc_text(text: object) -> str:
    """Fixed-width UTC text (``2026-01-30T21:01:41.4707353Z``) that sorts like the instant."""
    if not isinstance(text, str):
        return "0001-01-01T00:00:00.0000000Z"
    moment, fraction = split(text)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + "." + fraction.ljust(7, "0") + "Z"


def start_utc_key(text: str) -> str:
    """The ``startUTC`` the server writes next to ``start``: same instant, same digits, ``Z``."""
    moment, fraction = split(text)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction}" if fraction else "") + "Z"


def from_utc_text(text: str) -> datetime:
    """The datetime of a stored ``utc_text`` (microseconds kept)."""
    return datetime.strptime(text[:26], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=UTC)


def header_time(text: str) -> str:
    """How header queries show a start: UTC, milliseconds, ``Z``."""
    moment = from_utc_text(text)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
