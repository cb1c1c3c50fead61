"""Asset models: fixtures and instruments, their types (limits and intervals), their log and
the status the server computes.

Two different things are easy to mix up: :class:`AssetState` is what a person sets (in
operation, in calibration, in storage...), :class:`AlarmState` is what the server computes from
the type's limits (OK, warning, alarm) and only comes with :class:`AssetStatus`. Alarm helpers
in this package always read the status.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import IntEnum

from pydantic import Field

from pywats.models import WATSModel

__all__ = [
    "AlarmState",
    "Asset",
    "AssetCheck",
    "AssetLog",
    "AssetLogType",
    "AssetOverview",
    "AssetSetting",
    "AssetState",
    "AssetStatus",
    "AssetType",
]


class AssetState(IntEnum):
    """What the asset is doing, as set with ``set_state`` (PUT /api/Asset/State)."""

    UNKNOWN = 0
    IN_OPERATION = 1
    IN_TRANSIT = 2
    IN_MAINTENANCE = 3
    IN_CALIBRATION = 4
    IN_STORAGE = 5
    SCRAPPED = 6

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()


class AlarmState(IntEnum):
    """The alarm state the server computes from the asset type's limits."""

    OK = 0
    WARNING = 1
    ALARM = 2


class AssetLogType(IntEnum):
    MESSAGE = 0
    REGISTER = 1
    UPDATE = 2
    RESET_COUNT = 3
    CALIBRATION = 4
    MAINTENANCE = 5
    STATE_CHANGE = 6

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()


class AssetType(WATSModel):
    """A kind of asset and its limits. Intervals are in days; thresholds are percent of each
    limit (warning at ``warning_threshold``%, alarm at ``alarm_threshold``%)."""

    type_name: str
    type_id: uuid.UUID | None = None
    running_count_limit: int | None = None
    total_count_limit: int | None = None
    maintenance_interval: float | None = None
    calibration_interval: float | None = None
    warning_threshold: float | None = None
    alarm_threshold: float | None = None
    is_readonly: bool | None = None
    icon: str | None = None


class AssetSetting(WATSModel):
    """A name/value tag on an asset."""

    name: str
    value: str | None = None


class AssetLog(WATSModel):
    """One record of an asset's history."""

    log_id: int | None = None
    asset_id: str | None = None
    serial_number: str | None = None
    date: datetime | None = None
    user: str | None = None
    type: int | None = None
    property_name: str | None = Field(default=None, alias="property")  # what an update changed
    value: str | None = None
    comment: str | None = None

    @property
    def kind(self) -> str:
        """The record's type in words ("Calibration", "State change"...)."""
        try:
            return AssetLogType(self.type).label if self.type is not None else ""
        except ValueError:
            return f"Type {self.type}"


class Asset(WATSModel):
    """A fixture, instrument or any tracked equipment. Counts and calibration/maintenance
    dates change only through their own operations (``increment_count``,
    ``record_calibration``...), not by saving the asset."""

    serial_number: str
    type_id: uuid.UUID | None = None
    asset_id: str | None = None
    parent_asset_id: str | None = None
    parent_serial_number: str | None = None
    asset_name: str | None = None
    part_number: str | None = None
    revision: str | None = None
    client_id: int | None = Field(default=None, alias="ClientId")
    state: int | None = None
    description: str | None = None
    location: str | None = None
    first_seen_date: datetime | None = None
    last_seen_date: datetime | None = None
    last_maintenance_date: datetime | None = None
    next_maintenance_date: datetime | None = None
    last_calibration_date: datetime | None = None
    next_calibration_date: datetime | None = None
    total_count: int | None = None
    running_count: int | None = None
    tags: list[AssetSetting] | None = None
    asset_children: list[Asset] | None = None
    asset_type: AssetType | None = None
    asset_log: list[AssetLog] | None = None

    @property
    def state_label(self) -> str:
        try:
            return AssetState(self.state).label if self.state is not None else "Unknown"
        except ValueError:
            return f"State {self.state}"


class AssetCheck(WATSModel):
    """One limit the status was computed from: running count, total count, calibration or
    maintenance (``type``), its value, limit, percent of the limit and alarm state."""

    type: str
    alarm_state: AlarmState = AlarmState.OK
    value: float | None = None
    limit: float | None = None
    percent: float | None = None
    message: str | None = None


class AssetStatus(WATSModel):
    """``GET /api/Asset/Status``: the computed alarm state with the counts and the reasons."""

    alarm_state: AlarmState = AlarmState.OK
    asset_id: str | None = None
    serial_number: str | None = None
    state: int | None = None
    running_count: int | None = None
    running_count_limit: int | None = None
    total_count: int | None = None
    total_count_limit: int | None = None
    days_since_calibration: float | None = None
    calibration_interval: float | None = None
    next_calibration_date: datetime | None = None
    calibration_days_left: float | None = None
    days_since_maintenance: float | None = None
    maintenance_interval: float | None = None
    next_maintenance_date: datetime | None = None
    maintenance_days_left: float | None = None
    warning_threshold: float | None = None
    alarm_threshold: float | None = None
    message: str | None = None
    reasons: list[AssetCheck] = Field(default_factory=list)
    checks: list[AssetCheck] = Field(default_factory=list)

    @property
    def in_alarm(self) -> bool:
        return self.alarm_state == AlarmState.ALARM

    @property
    def in_warning(self) -> bool:
        return self.alarm_state == AlarmState.WARNING

    def days_left(self, now: datetime | None = None) -> float | None:
        """Days until the next calibration or maintenance, whichever is first (negative when
        overdue); None when neither is scheduled. Uses the server's numbers when it sends
        them, else the next dates against `now`."""
        found: list[float] = []
        for left, next_date, since, interval in (
            (self.calibration_days_left, self.next_calibration_date,
             self.days_since_calibration, self.calibration_interval),
            (self.maintenance_days_left, self.next_maintenance_date,
             self.days_since_maintenance, self.maintenance_interval),
        ):
            if left is not None:
                found.append(left)
            elif since is not None and interval is not None:
                found.append(interval - since)
            elif next_date is not None:
                moment = now or datetime.now(UTC)
                if next_date.tzinfo is None:
                    next_date = next_date.replace(tzinfo=UTC)
                found.append((next_date - moment).total_seconds() / 86400)
        return min(found) if found else None


class AssetOverview(WATSModel):
    """An asset together with its status, as the alarm and due-date helpers return them."""

    asset: Asset
    status: AssetStatus

    @property
    def days_left(self) -> float | None:
        return self.status.days_left()
