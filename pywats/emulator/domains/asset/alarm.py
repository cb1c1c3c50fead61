"""The alarm state the server computes for an asset, from its type's limits.

Four checks, each against a limit of the asset type; a limit that is null or not positive is
not checked:

* running count (usage since the last reset) against ``runningCountLimit``;
* total count (lifetime usage) against ``totalCountLimit``;
* days since the last calibration against ``calibrationInterval``;
* days since the last maintenance against ``maintenanceInterval``.

An asset that was never calibrated (or maintained) counts its days from its registration
(``firstSeenDate``), so a new asset starts OK. A check is in *alarm* when its value reaches
``alarmThreshold`` percent of the limit (100 when the type leaves it null) and in *warning* when
it reaches ``warningThreshold`` percent (no warning stage when null). The asset's ``alarmState``
is the worst of its checks: 0 OK, 1 warning, 2 alarm. ``AssetState`` (in operation, in
calibration, ...) plays no part in it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ...isotime import parse_iso

#: A database row or a dict with the same keys (the seed builds rows without a query).
RowLike = sqlite3.Row | Mapping[str, Any]

OK, WARNING, ALARM = 0, 1, 2
ALARM_WORDS = {OK: "OK", WARNING: "Warning", ALARM: "Alarm"}
DEFAULT_ALARM_THRESHOLD = 100.0


def wire_time(moment: datetime) -> str:
    """The one spelling of a stored date: UTC, milliseconds, Z (naive means UTC)."""
    utc = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class Check:
    kind: str  # runningCount, totalCount, calibration, maintenance
    value: float
    limit: float
    state: int
    message: str

    @property
    def percent(self) -> float:
        return round(self.value * 100.0 / self.limit, 1)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.kind,
            "alarmState": self.state,
            "value": self.value,
            "limit": self.limit,
            "percent": self.percent,
            "message": self.message,
        }


def level(value: float, limit: float, warning: float | None, alarm: float | None) -> int:
    """OK, WARNING or ALARM for `value` against `limit` (thresholds in percent of it)."""
    alarm_at = DEFAULT_ALARM_THRESHOLD if alarm is None else alarm
    # value/limit*100 >= threshold, without a division that could round across it.
    if value * 100.0 >= alarm_at * limit:
        return ALARM
    if warning is not None and value * 100.0 >= warning * limit:
        return WARNING
    return OK


def days_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400.0


def _limit(value: Any) -> float | None:
    return float(value) if value is not None and float(value) > 0 else None


@dataclass(frozen=True)
class Status:
    state: int
    checks: tuple[Check, ...]
    values: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        worst = [check for check in self.checks if check.state == self.state and self.state]
        message = "; ".join(check.message for check in worst) or "OK"
        body = dict(self.values)
        body["alarmState"] = self.state
        body["message"] = message
        body["reasons"] = [check.to_json() for check in self.checks if check.state != OK]
        body["checks"] = [check.to_json() for check in self.checks]
        return body


def _count_check(kind: str, word: str, value: int, limit: float, row: RowLike) -> Check:
    state = level(value, limit, row["warning_threshold"], row["alarm_threshold"])
    if state == ALARM:
        over = value - limit
        message = (
            f"{word} {value} has reached its limit {limit:g}"
            if over <= 0
            else f"{word} {value} exceeds its limit {limit:g} by {over:g}"
        )
    elif state == WARNING:
        message = f"{word} {value} is {value * 100 / limit:.0f}% of its limit {limit:g}"
    else:
        message = f"{word} {value} of {limit:g}"
    return Check(kind, float(value), limit, state, message)


def _days_check(kind: str, word: str, since: datetime, interval: float, now: datetime,
                row: RowLike) -> Check:
    days = round(days_between(since, now), 3)
    state = level(days, interval, row["warning_threshold"], row["alarm_threshold"])
    left = interval - days
    if left < 0:
        message = f"{word} overdue by {-left:.0f} days"
    elif state != OK:
        message = f"{word} due in {left:.0f} days"
    else:
        message = f"{word} in {left:.0f} days"
    return Check(kind, days, interval, state, message)


def compute_status(row: RowLike, now: datetime) -> Status:
    """The status of one asset; `row` has the asset's and its type's columns (the asset view)."""
    first_seen = parse_iso(row["first_seen"])
    checks: list[Check] = []
    values: dict[str, Any] = {
        "assetId": row["asset_id"],
        "serialNumber": row["serial_number"],
        "state": row["state"],
        "runningCount": row["running_count"],
        "totalCount": row["total_count"],
    }
    running_limit = _limit(row["running_count_limit"])
    if running_limit is not None:
        values["runningCountLimit"] = int(running_limit)
        checks.append(_count_check(
            "runningCount", "Running count", row["running_count"], running_limit, row))
    total_limit = _limit(row["total_count_limit"])
    if total_limit is not None:
        values["totalCountLimit"] = int(total_limit)
        checks.append(_count_check(
            "totalCount", "Total count", row["total_count"], total_limit, row))
    for kind, word, column, interval_column in (
        ("calibration", "Calibration", "last_calibration", "calibration_interval"),
        ("maintenance", "Maintenance", "last_maintenance", "maintenance_interval"),
    ):
        interval = _limit(row[interval_column])
        last = row[column]
        since = parse_iso(last) if last else first_seen
        if last:
            values[f"last{word}Date"] = last
        if interval is None:
            continue
        check = _days_check(kind, word, since, interval, now, row)
        checks.append(check)
        values[f"daysSince{word}"] = check.value
        values[f"{kind}Interval"] = interval
        with contextlib.suppress(OverflowError):  # past the year 9999: no date to give
            values[f"next{word}Date"] = wire_time(since + timedelta(days=interval))
        values[f"{kind}DaysLeft"] = round(interval - check.value, 3)
    if row["warning_threshold"] is not None:
        values["warningThreshold"] = row["warning_threshold"]
    values["alarmThreshold"] = (
        DEFAULT_ALARM_THRESHOLD if row["alarm_threshold"] is None else row["alarm_threshold"]
    )
    state = max((check.state for check in checks), default=OK)
    return Status(state, tuple(checks), values)
