"""SyncSoftwareService: the blocking twin of AsyncSoftwareService, one line per method."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

from pywats.sync_service import SyncService

from .models import FileAttribute, Package, PackageFile, PackageStatus, PackageTag, VirtualFolder
from .service import AsyncSoftwareService, UploadProgress, ZipSource

__all__ = ["SyncSoftwareService"]


class SyncSoftwareService(SyncService[AsyncSoftwareService]):
    """See :class:`AsyncSoftwareService` for what each method does. An upload's ``progress``
    callback runs on the client's event-loop thread, not the caller's."""

    def get_packages(self) -> list[Package]:
        return self._call(AsyncSoftwareService.get_packages)

    def get_package(self, package_id: uuid.UUID | str) -> Package | None:
        return self._call(AsyncSoftwareService.get_package, package_id)

    def get_package_by_name(
        self,
        name: str,
        status: PackageStatus | str = PackageStatus.RELEASED,
        version: int | None = None,
    ) -> Package | None:
        return self._call(AsyncSoftwareService.get_package_by_name, name, status, version)

    def get_package_versions(self, name: str) -> list[Package]:
        return self._call(AsyncSoftwareService.get_package_versions, name)

    def get_packages_by_tag(
        self, tag: str, value: str, status: PackageStatus | str = PackageStatus.RELEASED
    ) -> list[Package]:
        return self._call(AsyncSoftwareService.get_packages_by_tag, tag, value, status)

    def get_virtual_folders(self) -> list[VirtualFolder]:
        return self._call(AsyncSoftwareService.get_virtual_folders)

    def create_package(
        self,
        name: str,
        *,
        description: str | None = None,
        install_on_root: bool | None = None,
        root_directory: str | None = None,
        priority: int | None = None,
        virtual_folder_id: uuid.UUID | str | None = None,
        tags: Mapping[str, str] | Iterable[PackageTag] | None = None,
    ) -> Package:
        return self._call(
            AsyncSoftwareService.create_package,
            name,
            description=description,
            install_on_root=install_on_root,
            root_directory=root_directory,
            priority=priority,
            virtual_folder_id=virtual_folder_id,
            tags=tags,
        )

    def update_package(self, package: Package) -> Package:
        return self._call(AsyncSoftwareService.update_package, package)

    def delete_package(self, package_id: uuid.UUID | str) -> bool:
        return self._call(AsyncSoftwareService.delete_package, package_id)

    def delete_package_by_name(self, name: str, version: int) -> bool:
        return self._call(AsyncSoftwareService.delete_package_by_name, name, version)

    def set_package_status(
        self, package_id: uuid.UUID | str, status: PackageStatus | str
    ) -> Package:
        return self._call(AsyncSoftwareService.set_package_status, package_id, status)

    def submit_for_review(self, package_id: uuid.UUID | str) -> Package:
        return self._call(AsyncSoftwareService.submit_for_review, package_id)

    def return_to_draft(self, package_id: uuid.UUID | str) -> Package:
        return self._call(AsyncSoftwareService.return_to_draft, package_id)

    def release(self, package_id: uuid.UUID | str) -> Package:
        return self._call(AsyncSoftwareService.release, package_id)

    def revoke(self, package_id: uuid.UUID | str) -> Package:
        return self._call(AsyncSoftwareService.revoke, package_id)

    def get_package_files(self, package_id: uuid.UUID | str) -> list[PackageFile]:
        return self._call(AsyncSoftwareService.get_package_files, package_id)

    def set_file_attribute(self, file_id: str, attribute: FileAttribute | str) -> None:
        return self._call(AsyncSoftwareService.set_file_attribute, file_id, attribute)

    def upload_zip(
        self,
        package_id: uuid.UUID | str,
        path_or_bytes: ZipSource,
        clean_install: bool = False,
        *,
        progress: UploadProgress | None = None,
    ) -> None:
        return self._call(
            AsyncSoftwareService.upload_zip,
            package_id,
            path_or_bytes,
            clean_install,
            progress=progress,
        )
