"""The asset domain: fixtures and instruments with usage limits, calibration and maintenance,
the alarm state the server computes, the asset log, sub-assets and attached files."""

from .models import (
    AlarmState,
    Asset,
    AssetCheck,
    AssetLog,
    AssetLogType,
    AssetOverview,
    AssetSetting,
    AssetState,
    AssetStatus,
    AssetType,
)
from .repository import AssetRepository
from .service import AssetRef, AsyncAssetService
from .sync_service import SyncAssetService

__all__ = [
    "AlarmState",
    "Asset",
    "AssetCheck",
    "AssetLog",
    "AssetLogType",
    "AssetOverview",
    "AssetRef",
    "AssetRepository",
    "AssetSetting",
    "AssetState",
    "AssetStatus",
    "AssetType",
    "AsyncAssetService",
    "SyncAssetService",
]
