"""SyncAssetService: the blocking twin of AsyncAssetService, one line per method."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from pywats.odata import Filter
from pywats.sync_service import SyncService

from .models import Asset, AssetLog, AssetLogType, AssetOverview, AssetState, AssetStatus, AssetType
from .service import AssetRef, AsyncAssetService

__all__ = ["SyncAssetService"]


class SyncAssetService(SyncService[AsyncAssetService]):
    """See :class:`AsyncAssetService` for what each method does."""

    def get_assets(
        self,
        filter: Filter | str | None = None,
        *,
        orderby: str | None = None,
        top: int | None = None,
        skip: int | None = None,
    ) -> list[Asset]:
        return self._call(AsyncAssetService.get_assets, filter, orderby=orderby, top=top,
                          skip=skip)

    def get_asset(self, id_or_serial: AssetRef) -> Asset | None:
        return self._call(AsyncAssetService.get_asset, id_or_serial)

    def require_asset(self, id_or_serial: AssetRef) -> Asset:
        return self._call(AsyncAssetService.require_asset, id_or_serial)

    def save_asset(self, asset: Asset) -> Asset:
        return self._call(AsyncAssetService.save_asset, asset)

    def create_asset(
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
        return self._call(
            AsyncAssetService.create_asset, serial_number, type_id, asset_name=asset_name,
            part_number=part_number, revision=revision, description=description,
            location=location, parent=parent, state=state,
            last_calibration_date=last_calibration_date,
            last_maintenance_date=last_maintenance_date,
        )

    def delete_asset(self, asset: AssetRef) -> None:
        return self._call(AsyncAssetService.delete_asset, asset)

    def get_status(self, asset: AssetRef) -> AssetStatus:
        return self._call(AsyncAssetService.get_status, asset)

    def get_overview(
        self, filter: Filter | str | None = None, *, concurrency: int = 8
    ) -> list[AssetOverview]:
        return self._call(AsyncAssetService.get_overview, filter, concurrency=concurrency)

    def assets_in_alarm(self, filter: Filter | str | None = None) -> list[AssetOverview]:
        return self._call(AsyncAssetService.assets_in_alarm, filter)

    def assets_in_warning(self, filter: Filter | str | None = None) -> list[AssetOverview]:
        return self._call(AsyncAssetService.assets_in_warning, filter)

    def assets_due(self, days: float, filter: Filter | str | None = None) -> list[AssetOverview]:
        return self._call(AsyncAssetService.assets_due, days, filter)

    def set_state(self, asset: AssetRef, state: AssetState | int) -> Asset:
        return self._call(AsyncAssetService.set_state, asset, state)

    def increment_count(
        self, asset: AssetRef, amount: int = 1, *, increment_children: bool = False
    ) -> Asset:
        return self._call(AsyncAssetService.increment_count, asset, amount,
                          increment_children=increment_children)

    def count_to_total(
        self, asset: AssetRef, total_count: int, *, increment_children: bool = False
    ) -> Asset:
        return self._call(AsyncAssetService.count_to_total, asset, total_count,
                          increment_children=increment_children)

    def reset_running_count(self, asset: AssetRef, comment: str | None = None) -> Asset:
        return self._call(AsyncAssetService.reset_running_count, asset, comment)

    def record_calibration(
        self, asset: AssetRef, when: datetime | None = None, comment: str | None = None
    ) -> Asset:
        return self._call(AsyncAssetService.record_calibration, asset, when, comment)

    def record_maintenance(
        self, asset: AssetRef, when: datetime | None = None, comment: str | None = None
    ) -> Asset:
        return self._call(AsyncAssetService.record_maintenance, asset, when, comment)

    def get_log(
        self,
        asset: AssetRef | None = None,
        *,
        types: Iterable[AssetLogType | int] | None = None,
        filter: Filter | str | None = None,
        top: int | None = None,
    ) -> list[AssetLog]:
        return self._call(AsyncAssetService.get_log, asset, types=types, filter=filter, top=top)

    def add_message(self, asset: AssetRef, text: str, user: str | None = None) -> AssetLog:
        return self._call(AsyncAssetService.add_message, asset, text, user)

    def get_types(self, filter: Filter | str | None = None) -> list[AssetType]:
        return self._call(AsyncAssetService.get_types, filter)

    def get_type(self, type_id_or_name: uuid.UUID | str) -> AssetType | None:
        return self._call(AsyncAssetService.get_type, type_id_or_name)

    def save_type(self, asset_type: AssetType) -> AssetType:
        return self._call(AsyncAssetService.save_type, asset_type)

    def create_type(
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
        return self._call(
            AsyncAssetService.create_type, type_name, running_count_limit=running_count_limit,
            total_count_limit=total_count_limit, calibration_interval=calibration_interval,
            maintenance_interval=maintenance_interval, warning_threshold=warning_threshold,
            alarm_threshold=alarm_threshold, icon=icon,
        )

    def get_sub_assets(self, asset: AssetRef, level: int = 0) -> list[Asset]:
        return self._call(AsyncAssetService.get_sub_assets, asset, level)

    def add_child_asset(self, parent: AssetRef, child: AssetRef) -> Asset:
        return self._call(AsyncAssetService.add_child_asset, parent, child)

    def upload_file(self, asset: AssetRef, filename: str, content: bytes) -> None:
        return self._call(AsyncAssetService.upload_file, asset, filename, content)

    def list_files(self, asset: AssetRef) -> list[str]:
        return self._call(AsyncAssetService.list_files, asset)

    def download_file(self, asset: AssetRef, filename: str) -> bytes:
        return self._call(AsyncAssetService.download_file, asset, filename)

    def delete_files(self, asset: AssetRef, filenames: Iterable[str]) -> None:
        return self._call(AsyncAssetService.delete_files, asset, filenames)
