"""Software endpoints (``/api/Software``): paths, parameters and JSON; no business rules.

Three spellings follow the spec where other clients get them wrong: the zip goes as the file
part of a ``multipart/form-data`` body (not a raw body), a tag search is one ``tag=name=value``
parameter (not a tag and a value), and a file attribute is the ``attribute`` query parameter
(not a JSON body).
"""

from __future__ import annotations

import os
import uuid
from typing import Protocol

from pywats.domains._wire import expect_list, expect_object
from pywats.errors import WATSNotFoundError, WATSUnexpectedResponseError
from pywats.http import AsyncHttpClient

from .models import Package, PackageFile, PackageStatus, VirtualFolder

__all__ = ["ZIP_CONTENT_TYPE", "BinaryReader", "SoftwareRepository"]

_S = "/api/Software"
ZIP_CONTENT_TYPE = "application/zip"


def _missing(method: str, path: str, what: str) -> WATSNotFoundError:
    # Some servers answer "nothing" with 200 and an empty body instead of 404.
    return WATSNotFoundError(status_code=404, method=method, path=path, server_message=what)


class BinaryReader(Protocol):
    """What the zip upload reads from: an open binary file, or a wrapper around one."""

    def read(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = os.SEEK_SET, /) -> int: ...

    def tell(self) -> int: ...


class SoftwareRepository:
    def __init__(self, http: AsyncHttpClient) -> None:
        self._http = http

    # -- packages -----------------------------------------------------------------------------

    async def list_packages(self) -> list[Package]:
        path = f"{_S}/Packages"
        body = await self._http.get_json(path)
        return [Package.model_validate(item) for item in expect_list(body, path)]

    async def get(self, package_id: uuid.UUID) -> Package | None:
        """The package, or None when the server answers 404 or nothing."""
        path = f"{_S}/Package/{package_id}"
        try:
            body = expect_object(await self._http.get_json(path), path)
        except WATSNotFoundError:
            return None
        return None if body is None else Package.model_validate(body)

    async def by_name(
        self, name: str, status: PackageStatus, version: int | None
    ) -> Package | None:
        path = f"{_S}/PackageByName"
        params = {"name": name, "status": status.value, "version": version}
        try:
            body = expect_object(await self._http.get_json(path, params=params), path)
        except WATSNotFoundError:
            return None
        return None if body is None else Package.model_validate(body)

    async def by_tag(self, tag: str, status: PackageStatus) -> list[Package]:
        """``tag`` is one ``name=value`` string, as the spec wants."""
        path = f"{_S}/PackagesByTag"
        body = await self._http.get_json(path, params={"tag": tag, "status": status.value})
        return [Package.model_validate(item) for item in expect_list(body, path)]

    async def create(self, package: dict[str, object]) -> Package:
        path = f"{_S}/Package"
        body = expect_object(await self._http.send_json("POST", path, package), path, "POST")
        if body is None:
            raise WATSUnexpectedResponseError(
                f"POST {path} should answer with the created package, got an empty body",
                status_code=200, method="POST", path=path, body_excerpt="",
            )
        return Package.model_validate(body)

    async def put(self, package_id: uuid.UUID, package: dict[str, object]) -> None:
        """``PUT Package/{id}``: the server answers 200 without a body."""
        await self._http.request("PUT", f"{_S}/Package/{package_id}", json_body=package)

    async def delete(self, package_id: uuid.UUID) -> bool:
        """True when deleted, False when there is no such package."""
        try:
            await self._http.request("DELETE", f"{_S}/Package/{package_id}")
        except WATSNotFoundError:
            return False
        return True

    async def delete_by_name(self, name: str, version: int) -> bool:
        try:
            await self._http.request(
                "DELETE", f"{_S}/PackageByName", params={"name": name, "version": version}
            )
        except WATSNotFoundError:
            return False
        return True

    async def set_status(self, package_id: uuid.UUID, status: PackageStatus) -> Package:
        path = f"{_S}/PackageStatus/{package_id}"
        body = expect_object(
            await self._http.send_json("POST", path, params={"status": status.value}),
            path,
            "POST",
        )
        if body is None:
            # Older servers answer the move without the package: read it back.
            package = await self.get(package_id)
            if package is None:
                raise _missing("POST", path, f"no package {package_id}")
            return package
        return Package.model_validate(body)

    # -- files --------------------------------------------------------------------------------

    async def files(self, package_id: uuid.UUID) -> list[PackageFile]:
        path = f"{_S}/PackageFiles/{package_id}"
        body = await self._http.get_json(path)
        return [PackageFile.model_validate(item) for item in expect_list(body, path)]

    async def set_file_attribute(self, file_id: str, attribute: str) -> None:
        await self._http.request(
            "POST", f"{_S}/Package/FileAttribute/{file_id}", params={"attribute": attribute}
        )

    async def upload_zip(
        self, package_id: uuid.UUID, zip_file: BinaryReader, filename: str, clean_install: bool
    ) -> None:
        """The zip as the file part of a multipart body; httpx2 reads ``zip_file`` in 64 KiB
        pieces as it sends, so the zip is never in memory whole."""
        await self._http.request(
            "POST",
            f"{_S}/Package/UploadZip/{package_id}",
            params={"cleanInstall": "true" if clean_install else None},
            files={"file": (filename, zip_file, ZIP_CONTENT_TYPE)},
        )

    # -- folders ------------------------------------------------------------------------------

    async def virtual_folders(self) -> list[VirtualFolder]:
        path = f"{_S}/VirtualFolders"
        body = await self._http.get_json(path)
        return [VirtualFolder.model_validate(item) for item in expect_list(body, path)]
