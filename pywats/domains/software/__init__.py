"""The software domain: packages of test sequences, limits and drivers for test stations, their
files and tags, and the release workflow (Draft, Pending, Released, Revoked)."""

from .models import (
    FileAttribute,
    Package,
    PackageFile,
    PackageStatus,
    PackageTag,
    VirtualFolder,
    group_by_name,
)
from .repository import SoftwareRepository
from .service import NAME_MAX, AsyncSoftwareService, UploadProgress
from .sync_service import SyncSoftwareService

__all__ = [
    "NAME_MAX",
    "AsyncSoftwareService",
    "FileAttribute",
    "Package",
    "PackageFile",
    "PackageStatus",
    "PackageTag",
    "SoftwareRepository",
    "SyncSoftwareService",
    "UploadProgress",
    "VirtualFolder",
    "group_by_name",
]
