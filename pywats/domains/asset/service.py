"""AsyncAssetService: fixtures and instruments, their usage, calibration and maintenance.

An asset is named by its id (a GUID) or its serial number; every method taking ``asset``
accepts either, or an :class:`Asset`. Alarm helpers (:meth:`assets_in_alarm`,
:meth:`assets_due`...) read each asset's computed status, never its :class:`AssetState`.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pywats.errors import WATSNotFoundError, WATSValidationError
from pywats.odata import F, Filter

from .models import (
    Asset,
    AssetLog,
    AssetLogType,
    AssetOverview,
    AssetState,
    AssetStatus,
    AssetType,
)
from .repository import AssetKey, AssetRepository

__all__ = ["AssetRef", "AsyncAssetService"]

AssetRef = str | uuid.UUID | Asset
STATUS_CONCURRENCY = 8
_BAD_FILENAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def _text(value: Any, field: str, limit: int = 100) -> str:
    if not isinstance(value, str) or not value.strip():
        raise WATSValidationError("must be a non-empty string", field=field)
    if len(value) > limit:
        raise WATSValidationError(f"must be at most {limit} characters", field=field)
    return value.strip()


def _key(asset: AssetRef, field: str = "asset") -> AssetKey:
    """The query parameters naming an asset: a GUID is an id, anything else a serial number."""
    if isinstance(asset, Asset):
        if asset.asset_id:
            return {"id": asset.asset_id}
        return {"serialNumber": _text(asset.serial_number, f"{field}.serial_number")}
    if isinstance(asset, uuid.UUID):
        return {"id": str(asset)}
    text = _text(asset, field)
    try:
        return {"id": str(uuid.UUID(text))}
    except ValueError:
        return {"serialNumber": text}


def _path_key(asset: AssetRef) -> str:
    key = _key(asset)
    return key.get("id") or key["serialNumber"]


def _count(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise WATSValidationError(f"must be an integer, got {value!r}", field=field)
    if value < 0:
        raise WATSValidationError(f"must not be negative, got {value}", field=field)
    return value


def _moment(value: datetime | None, field: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise WATSValidationError("must be a datetime", field=field)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _filename(value: str, field: str = "filename") -> str:
    name = _text(value, field, 255)
    if _BAD_FILENAME.search(name) or name in (".", ".."):
        raise WATSValidationError(
            "must be a plain file name (no path, no \\ / : * ? \" < > |)", field=field
        )
    return name


def _filter_text(filter: Filter | str | None) -> str | None:
    return None if filter is None else str(filter)


class AsyncAssetService:
    """Assets of the server: list and look up, register, count usage, service, log, files."""

    def __init__(self, repository: AssetRepository) -> None:
        self._repo = repository

    # -- assets -----------------------------------------------------------------------------

    async def get_assets(
        self,
        filter: Filter | str | None = None,
        *,
        orderby: str | None = None,
        top: int | None = None,
        skip: int | None = None,
    ) -> list[Asset]:
        """Assets matching an OData filter (e.g. ``F("typeId") == type_id``); without
        ``top`` the server answers at most 1000."""
        return await self._repo.list_assets(
            filter=_filter_text(filter), orderby=orderby, top=top, skip=skip
        )

    async def get_asset(self, id_or_serial: AssetRef) -> Asset | None:
        """The asset with this id or serial number (with its type and direct children), or
        None when there is no such asset."""
        return await self._repo.get_asset(_path_key(id_or_serial))

    async def require_asset(self, id_or_serial: AssetRef) -> Asset:
        asset = await self.get_asset(id_or_serial)
        if asset is None:
            raise WATSNotFoundError(status_code=404, method="GET", path="/api/Asset",
                                    server_message=f"no asset {_path_key(id_or_serial)}")
        return asset

    async def save_asset(self, asset: Asset) -> Asset:
        """Create or update (``PUT /api/Asset``); a new asset needs ``type_id``."""
        _text(asset.serial_number, "serial_number")
        if asset.type_id is None:
            raise WATSValidationError("is required (see get_types())", field="type_id")
        if asset.state is not None and asset.state not in AssetState._value2member_map_:
            raise WATSValidationError(f"must be an AssetState, got {asset.state}", field="state")
        body = asset.to_wire()
        for read_only in ("assetChildren", "assetType", "assetLog", "runningCount",
                          "totalCount", "nextCalibrationDate", "nextMaintenanceDate"):
            body.pop(read_only, None)
        return await self._repo.put_asset(body)

    async def create_asset(
        self,
        serial_number: str,
        type_id: uuid.UUID | str,
        *,
        asset_name: str | None = None,
        part_number: str | None = None,
        revision: str | None = None,
        description: str | None = None,
        location: str | None = None,
        parent: AssetRef | None = None,
        state: AssetState = AssetState.IN_OPERATION,
        last_calibration_date: datetime | None = None,
        last_maintenance_date: datetime | None = None,
    ) -> Asset:
        """Register an asset. A calibration or maintenance date (a vendor certificate) may be
        given now; later ones go through :meth:`record_calibration`."""
        try:
            type_uuid = type_id if isinstance(type_id, uuid.UUID) else uuid.UUID(str(type_id))
        except ValueError:
            raise WATSValidationError(f"must be a GUID, got {type_id!r}", field="type_id") from None
        asset = Asset(
            serial_number=_text(serial_number, "serial_number"),
            type_id=type_uuid,
            state=AssetState(state),
        )
        for name, value in (("asset_name", asset_name), ("part_number", part_number),
                            ("revision", revision), ("description", description),
                            ("location", location)):
            if value is not None:
                setattr(asset, name, value)
        if last_calibration_date is not None:
            asset.last_calibration_date = _moment(last_calibration_date, "last_calibration_date")
        if last_maintenance_date is not None:
            asset.last_maintenance_date = _moment(last_maintenance_date, "last_maintenance_date")
        if parent is not None:
            key = _key(parent, "parent")
            if "id" in key:
                asset.parent_asset_id = key["id"]
            else:
                asset.parent_serial_number = key["serialNumber"]
        return await self.save_asset(asset)

    async def delete_asset(self, asset: AssetRef) -> None:
        """Delete the asset and its log; its sub-assets move up to its parent."""
        await self._repo.delete_asset(_key(asset))

    # -- status and alarms -------------------------------------------------------------------

    async def get_status(self, asset: AssetRef) -> AssetStatus:
        """The computed status: alarm state, counts against limits, days to the next
        calibration and maintenance, and the reasons for any warning or alarm."""
        return await self._repo.status(_key(asset), translate=False)

    async def get_overview(
        self, filter: Filter | str | None = None, *, concurrency: int = STATUS_CONCURRENCY
    ) -> list[AssetOverview]:
        """Every asset matching `filter` with its status (statuses fetched `concurrency` at a
        time: the server has no bulk status)."""
        assets = await self.get_assets(filter)
        limit = asyncio.Semaphore(max(1, concurrency))

        async def one(asset: Asset) -> AssetOverview:
            async with limit:
                return AssetOverview(asset=asset, status=await self.get_status(asset))

        return list(await asyncio.gather(*(one(asset) for asset in assets)))

    async def assets_in_alarm(self, filter: Filter | str | None = None) -> list[AssetOverview]:
        """Assets whose computed alarm state is Alarm."""
        return [o for o in await self.get_overview(filter) if o.status.in_alarm]

    async def assets_in_warning(self, filter: Filter | str | None = None) -> list[AssetOverview]:
        """Assets whose computed alarm state is Warning (not Alarm)."""
        return [o for o in await self.get_overview(filter) if o.status.in_warning]

    async def assets_due(
        self, days: float, filter: Filter | str | None = None
    ) -> list[AssetOverview]:
        """Assets whose next calibration or maintenance falls within `days` days (overdue ones
        included), soonest first."""
        if isinstance(days, bool) or not isinstance(days, int | float) or days < 0:
            raise WATSValidationError(f"must be a non-negative number, got {days!r}",
                                      field="days")
        due = []
        for overview in await self.get_overview(filter):
            left = overview.status.days_left()
            if left is not None and left <= days:
                due.append((left, overview))
        return [overview for _, overview in sorted(due, key=lambda item: item[0])]

    # -- state, counts, services -------------------------------------------------------------

    async def _after(self, asset: AssetRef, changed: Asset | None) -> Asset:
        return changed if changed is not None else await self.require_asset(asset)

    async def set_state(self, asset: AssetRef, state: AssetState | int) -> Asset:
        """Set what the asset is doing (in operation, in calibration...); it is logged."""
        try:
            value = AssetState(state)
        except ValueError:
            raise WATSValidationError(f"must be an AssetState, got {state!r}",
                                      field="state") from None
        return await self._after(asset, await self._repo.set_state(_key(asset), int(value)))

    async def increment_count(
        self, asset: AssetRef, amount: int = 1, *, increment_children: bool = False
    ) -> Asset:
        """Add `amount` uses to the running and total counts (and to every sub-asset's)."""
        return await self._after(asset, await self._repo.count(
            _key(asset), increment_by=_count(amount, "amount"),
            increment_children=increment_children or None,
        ))

    async def count_to_total(
        self, asset: AssetRef, total_count: int, *, increment_children: bool = False
    ) -> Asset:
        """Raise the total count to `total_count`; the difference is added to the running
        count too (and to sub-assets). Counts never go down."""
        return await self._after(asset, await self._repo.count(
            _key(asset), total_count=_count(total_count, "total_count"),
            increment_children=increment_children or None,
        ))

    async def reset_running_count(self, asset: AssetRef, comment: str | None = None) -> Asset:
        """Set the running count to 0 (the total stays); it is logged with `comment`."""
        return await self._after(asset, await self._repo.reset_running_count(_key(asset),
                                                                             comment))

    async def record_calibration(
        self, asset: AssetRef, when: datetime | None = None, comment: str | None = None
    ) -> Asset:
        """Record a calibration (now, or at `when`): sets the last and next calibration dates
        and resets the running count; it is logged."""
        return await self._after(asset, await self._repo.record_service(
            "Calibration", _key(asset), _moment(when, "when"), comment))

    async def record_maintenance(
        self, asset: AssetRef, when: datetime | None = None, comment: str | None = None
    ) -> Asset:
        """Record maintenance (now, or at `when`): sets the last and next maintenance dates
        and resets the running count; it is logged."""
        return await self._after(asset, await self._repo.record_service(
            "Maintenance", _key(asset), _moment(when, "when"), comment))

    # -- log -------------------------------------------------------------------------------

    async def get_log(
        self,
        asset: AssetRef | None = None,
        *,
        types: Iterable[AssetLogType | int] | None = None,
        filter: Filter | str | None = None,
        top: int | None = None,
    ) -> list[AssetLog]:
        """Log records, newest first: of one asset, of some types, or any OData filter."""
        parts: list[Filter | None] = []
        if asset is not None:
            key = _key(asset)
            parts.append(F("assetId") == key["id"] if "id" in key
                         else F("serialNumber") == key["serialNumber"])
        if types is not None:
            parts.append(F("type").in_([int(t) for t in types]))
        if filter is not None:
            parts.append(Filter(f"({filter})"))
        combined = Filter.all_of(*parts)
        return await self._repo.log(filter=_filter_text(combined), top=top)

    async def add_message(self, asset: AssetRef, text: str, user: str | None = None) -> AssetLog:
        """Write a message into the asset's log."""
        content = _text(text, "text", 2000)
        logged = await self._repo.message(_key(asset), content, user)
        return logged if logged is not None else AssetLog(comment=content, type=0)

    # -- types -----------------------------------------------------------------------------

    async def get_types(self, filter: Filter | str | None = None) -> list[AssetType]:
        return await self._repo.types(filter=_filter_text(filter))

    async def get_type(self, type_id_or_name: uuid.UUID | str) -> AssetType | None:
        """One type by id or by name (any case), or None."""
        text = str(type_id_or_name)
        try:
            wanted: Filter = F("typeId") == uuid.UUID(text)
        except ValueError:
            wanted = F("typeName") == text
        found = await self._repo.types(filter=str(wanted))
        return found[0] if found else None

    async def save_type(self, asset_type: AssetType) -> AssetType:
        """Create or update an asset type (a PUT replaces it: a limit left out is none)."""
        _text(asset_type.type_name, "type_name")
        warning, alarm = asset_type.warning_threshold, asset_type.alarm_threshold
        if warning is not None and alarm is not None and warning > alarm:
            raise WATSValidationError(
                f"warning_threshold ({warning:g}) must not exceed alarm_threshold ({alarm:g})",
                field="warning_threshold",
            )
        for name in ("running_count_limit", "total_count_limit", "maintenance_interval",
                     "calibration_interval", "warning_threshold", "alarm_threshold"):
            value = getattr(asset_type, name)
            if value is not None and value < 0:
                raise WATSValidationError(f"must not be negative, got {value}", field=name)
        return await self._repo.put_type(asset_type.to_wire())

    async def create_type(
        self,
        type_name: str,
        *,
        running_count_limit: int | None = None,
        total_count_limit: int | None = None,
        calibration_interval: float | None = None,
        maintenance_interval: float | None = None,
        warning_threshold: float | None = None,
        alarm_threshold: float | None = None,
        icon: str | None = None,
    ) -> AssetType:
        asset_type = AssetType(type_name=type_name)
        for name, value in (
            ("running_count_limit", running_count_limit), ("total_count_limit", total_count_limit),
            ("calibration_interval", calibration_interval),
            ("maintenance_interval", maintenance_interval),
            ("warning_threshold", warning_threshold), ("alarm_threshold", alarm_threshold),
            ("icon", icon),
        ):
            if value is not None:
                setattr(asset_type, name, value)
        return await self.save_type(asset_type)

    # -- sub-assets -------------------------------------------------------------------------

    async def get_sub_assets(self, asset: AssetRef, level: int = 0) -> list[Asset]:
        """Sub-assets, nearest first: `level` 1 = direct children, 0 = every level."""
        return await self._repo.sub_assets(_key(asset), _count(level, "level") or None)

    async def add_child_asset(self, parent: AssetRef, child: AssetRef) -> Asset:
        """Move `child` under `parent` (the server refuses a loop)."""
        parent_asset = await self.require_asset(parent)
        child_asset = await self.require_asset(child)
        child_asset.parent_asset_id = parent_asset.asset_id
        return await self.save_asset(child_asset)

    # -- files ------------------------------------------------------------------------------

    async def _asset_id(self, asset: AssetRef) -> str:
        key = _key(asset)
        if "id" in key:
            return key["id"]
        found = await self.require_asset(asset)
        assert found.asset_id is not None
        return found.asset_id

    async def upload_file(self, asset: AssetRef, filename: str, content: bytes) -> None:
        """Attach a file (a calibration certificate, a drawing); same name replaces it."""
        if not isinstance(content, bytes | bytearray | memoryview):
            raise WATSValidationError("must be bytes", field="content")
        await self._repo.upload_file(await self._asset_id(asset), _filename(filename),
                                     bytes(content))

    async def list_files(self, asset: AssetRef) -> list[str]:
        return await self._repo.list_files(await self._asset_id(asset))

    async def download_file(self, asset: AssetRef, filename: str) -> bytes:
        return await self._repo.download_file(await self._asset_id(asset), _filename(filename))

    async def delete_files(self, asset: AssetRef, filenames: Iterable[str]) -> None:
        """Delete the named files (all or none)."""
        names = [_filename(name, "filenames") for name in filenames]
        if not names:
            raise WATSValidationError("name at least one file", field="filenames")
        await self._repo.delete_files(await self._asset_id(asset), names)
