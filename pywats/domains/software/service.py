"""AsyncSoftwareService: software packages for test stations, and their release workflow.

    package = await wats.software.create_package("PCB-1001 ICT", tags={"PartNumber": "PCB-1001"})
    await wats.software.upload_zip(package.package_id, "ict.zip", progress=print)
    await wats.software.submit_for_review(package.package_id)
    await wats.software.release(package.package_id)      # stations now receive it

Status moves the server allows: Draft -> Pending (:meth:`submit_for_review`), Pending -> Draft
(:meth:`return_to_draft`), Pending -> Released (:meth:`release`), Released -> Revoked
(:meth:`revoke`); any other is a :class:`~pywats.errors.WATSBadRequestError` whose
``server_message`` says what is allowed. Only Draft and Revoked packages can be deleted, and
only a Draft's files can change.
"""

from __future__ import annotations

import io
import os
import uuid
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO

import anyio

from pywats.errors import WATSValidationError

from .models import FileAttribute, Package, PackageFile, PackageStatus, PackageTag, VirtualFolder
from .repository import SoftwareRepository

__all__ = ["NAME_MAX", "AsyncSoftwareService", "ProgressReader", "UploadProgress", "check_zip"]

NAME_MAX = 100

#: Called as the zip is sent: ``progress(bytes_sent, total_bytes)``, from the thread running
#: the client's event loop, at least at the start (0) and at the end (total).
UploadProgress = Callable[[int, int], None]

ZipSource = str | os.PathLike[str] | bytes


def _package_id(value: uuid.UUID | str, field: str = "package_id") -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value).strip())
    except ValueError:
        raise WATSValidationError(f"{field} must be a GUID, got {value!r}", field=field) from None


def _check_name(name: str, field: str = "name") -> str:
    if not isinstance(name, str) or not name.strip():
        raise WATSValidationError(f"{field} must be a non-empty package name", field=field)
    name = name.strip()
    if len(name) > NAME_MAX:
        raise WATSValidationError(
            f"{field} must be at most {NAME_MAX} characters, got {len(name)}", field=field
        )
    if any(ord(ch) < 32 for ch in name):
        raise WATSValidationError(f"{field} must not hold control characters", field=field)
    return name


def _check_version(version: int | None, field: str = "version") -> int | None:
    if version is None:
        return None
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise WATSValidationError(
            f"{field} must be a positive integer, got {version!r}", field=field
        )
    return version


def _status(value: PackageStatus | str) -> PackageStatus:
    try:
        return PackageStatus(value)
    except ValueError:
        for member in PackageStatus:
            if isinstance(value, str) and member.value.lower() == value.strip().lower():
                return member
        allowed = ", ".join(s.value for s in PackageStatus)
        raise WATSValidationError(
            f"status must be one of {allowed}, got {value!r}", field="status"
        ) from None


def _tags(tags: Mapping[str, str] | Iterable[PackageTag]) -> list[PackageTag]:
    items = (
        [PackageTag(key=k, value=v) for k, v in tags.items()]
        if isinstance(tags, Mapping)
        else list(tags)
    )
    seen: set[str] = set()
    for index, tag in enumerate(items):
        if not isinstance(tag, PackageTag):
            raise WATSValidationError(
                f"tags[{index}] must be a PackageTag, got {type(tag).__name__}", field="tags"
            )
        if not tag.key.strip():
            raise WATSValidationError(f"tags[{index}] has an empty key", field="tags")
        if tag.key in seen:
            raise WATSValidationError(f"the tag {tag.key!r} is given twice", field="tags")
        seen.add(tag.key)
    return items


def check_zip(handle: IO[bytes], where: str) -> int:
    """The number of files in the zip, after the checks the server makes: a zip, not empty,
    every file in a folder. Reads only the zip's central directory."""
    try:
        with zipfile.ZipFile(handle) as archive:
            names = [info.filename for info in archive.infolist() if not info.is_dir()]
    except zipfile.BadZipFile:
        raise WATSValidationError(f"{where} is not a zip file", field="path_or_bytes") from None
    if not names:
        raise WATSValidationError(f"{where} holds no files", field="path_or_bytes")
    at_root = [name for name in names if "/" not in name.replace("\\", "/").strip("/")]
    if at_root:
        shown = ", ".join(at_root[:3]) + (" ..." if len(at_root) > 3 else "")
        raise WATSValidationError(
            f"{where} has files at its root ({shown}); the server wants every file in a "
            "folder, e.g. Sequences/Main.seq",
            field="path_or_bytes",
        )
    return len(names)


def _open_zip(source: ZipSource) -> tuple[IO[bytes], str, int]:
    """The zip opened for reading (checked), the file name to send and its size."""
    if isinstance(source, bytes | bytearray | memoryview):
        handle: IO[bytes] = io.BytesIO(source)
        filename, where = "package.zip", "the zip"
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise WATSValidationError(f"{path} is not a file", field="path_or_bytes")
        handle = path.open("rb")
        filename, where = path.name, str(path)
    else:
        raise WATSValidationError(
            f"path_or_bytes must be a path or bytes, got {type(source).__name__}",
            field="path_or_bytes",
        )
    try:
        check_zip(handle, where)
        total = handle.seek(0, os.SEEK_END)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return handle, filename, total


class ProgressReader:
    """A binary file wrapper that reports how much of it has been read.

    httpx2 reads the multipart file part in pieces as it sends them, so the count follows the
    upload. Seeking back to the start (a resend) starts the count again.
    """

    def __init__(self, raw: IO[bytes], total: int, progress: UploadProgress | None) -> None:
        self._raw = raw
        self._total = total
        self._progress = progress
        self._done = 0

    def fileno(self) -> int:  # httpx2 takes the length from the file itself
        return self._raw.fileno()

    def tell(self) -> int:
        return self._raw.tell()

    def seek(self, offset: int, whence: int = os.SEEK_SET, /) -> int:
        position = self._raw.seek(offset, whence)
        if position == 0 and self._done:
            self._done = 0
            self._report()
        return position

    def read(self, size: int = -1, /) -> bytes:
        if self._done == 0:
            self._report()  # the start, before the first piece
        chunk = self._raw.read(size)
        if chunk:
            self._done += len(chunk)
            self._report()
        return chunk

    def _report(self) -> None:
        if self._progress is not None:
            self._progress(self._done, self._total)


class AsyncSoftwareService:
    """Software packages: create, find, edit and delete them, upload their files, move them
    through review and release."""

    def __init__(self, repository: SoftwareRepository) -> None:
        self._repo = repository

    # -- finding packages -----------------------------------------------------------------------

    async def get_packages(self) -> list[Package]:
        """Every package, every version and status (see :func:`group_by_name`)."""
        return await self._repo.list_packages()

    async def get_package(self, package_id: uuid.UUID | str) -> Package | None:
        """One package by id; None when there is none (e.g. it was deleted)."""
        return await self._repo.get(_package_id(package_id))

    async def get_package_by_name(
        self,
        name: str,
        status: PackageStatus | str = PackageStatus.RELEASED,
        version: int | None = None,
    ) -> Package | None:
        """The newest version of ``name`` in ``status`` (default: what stations receive), or
        that ``version`` if it is in that status; None when there is none."""
        return await self._repo.by_name(_check_name(name), _status(status),
                                        _check_version(version))

    async def get_package_versions(self, name: str) -> list[Package]:
        """Every version of ``name`` (any case), newest first, whatever its status."""
        wanted = _check_name(name).lower()
        packages = [p for p in await self._repo.list_packages() if p.name.lower() == wanted]
        return sorted(packages, key=lambda p: p.version or 0, reverse=True)

    async def get_packages_by_tag(
        self, tag: str, value: str, status: PackageStatus | str = PackageStatus.RELEASED
    ) -> list[Package]:
        """Packages in ``status`` with the tag ``tag`` (exact name) set to ``value`` (any case)."""
        if not isinstance(tag, str) or not tag.strip() or "=" in tag:
            raise WATSValidationError(
                f"tag must be a tag name without '=', got {tag!r}", field="tag"
            )
        if not isinstance(value, str):
            raise WATSValidationError(f"value must be a string, got {value!r}", field="value")
        return await self._repo.by_tag(f"{tag.strip()}={value.strip()}", _status(status))

    async def get_virtual_folders(self) -> list[VirtualFolder]:
        return await self._repo.virtual_folders()

    # -- writing packages -----------------------------------------------------------------------

    async def create_package(
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
        """A new Draft package; if ``name`` exists, the server makes it the next version."""
        body: dict[str, object] = {"name": _check_name(name)}
        if description is not None:
            body["description"] = description
        if install_on_root is not None:
            body["installOnRoot"] = bool(install_on_root)
        if root_directory is not None:
            body["rootDirectory"] = root_directory
        if priority is not None:
            if isinstance(priority, bool) or not isinstance(priority, int):
                raise WATSValidationError(
                    f"priority must be an integer, got {priority!r}", field="priority"
                )
            body["priority"] = priority
        if virtual_folder_id is not None:
            body["virtualFolderId"] = str(_package_id(virtual_folder_id, "virtual_folder_id"))
        if tags is not None:
            body["tags"] = [tag.to_wire() for tag in _tags(tags)]
        return await self._repo.create(body)

    async def update_package(self, package: Package) -> Package:
        """Write the fields of ``package`` that are set (a Draft: any; Pending or Released:
        tags and status only; Revoked: none) and return it as the server now has it."""
        if package.package_id is None:
            raise WATSValidationError(
                "update_package needs the package's package_id; use create_package for a new "
                "one",
                field="package_id",
            )
        if package.name:
            _check_name(package.name)
        _tags(package.tags)
        # Only the fields that were set: Package(package_id=..., description=...) changes the
        # description and leaves the tags alone.
        body = package.to_wire()
        await self._repo.put(package.package_id, body)
        updated = await self._repo.get(package.package_id)
        if updated is None:
            raise WATSValidationError(
                f"package {package.package_id} disappeared while it was updated",
                field="package_id",
            )
        return updated

    async def delete_package(self, package_id: uuid.UUID | str) -> bool:
        """Delete a Draft or Revoked package; False when there is no such package."""
        return await self._repo.delete(_package_id(package_id))

    async def delete_package_by_name(self, name: str, version: int) -> bool:
        """Delete one version (Draft or Revoked) by name; False when there is none."""
        checked = _check_version(version)
        if checked is None:
            raise WATSValidationError("version is required", field="version")
        return await self._repo.delete_by_name(_check_name(name), checked)

    # -- the release workflow -------------------------------------------------------------------

    async def set_package_status(
        self, package_id: uuid.UUID | str, status: PackageStatus | str
    ) -> Package:
        """Move a package to ``status`` (see the module docstring for the allowed moves)."""
        return await self._repo.set_status(_package_id(package_id), _status(status))

    async def submit_for_review(self, package_id: uuid.UUID | str) -> Package:
        """Draft -> Pending: its files and details are frozen while it is reviewed."""
        return await self.set_package_status(package_id, PackageStatus.PENDING)

    async def return_to_draft(self, package_id: uuid.UUID | str) -> Package:
        """Pending -> Draft: the review sends it back for changes."""
        return await self.set_package_status(package_id, PackageStatus.DRAFT)

    async def release(self, package_id: uuid.UUID | str) -> Package:
        """Pending -> Released: stations whose tags match start receiving it."""
        return await self.set_package_status(package_id, PackageStatus.RELEASED)

    async def revoke(self, package_id: uuid.UUID | str) -> Package:
        """Released -> Revoked: stations stop receiving it and remove it."""
        return await self.set_package_status(package_id, PackageStatus.REVOKED)

    # -- files ----------------------------------------------------------------------------------

    async def get_package_files(self, package_id: uuid.UUID | str) -> list[PackageFile]:
        """The package's files (names, folders, attributes; not their contents)."""
        return await self._repo.files(_package_id(package_id))

    async def set_file_attribute(self, file_id: str, attribute: FileAttribute | str) -> None:
        """Add ``attribute`` to a file of a Draft package (``NONE`` clears every attribute;
        one execution mode and one overwrite rule at a time)."""
        if not isinstance(file_id, str | uuid.UUID) or not str(file_id).strip():
            raise WATSValidationError(f"file_id must be a file's id, got {file_id!r}",
                                      field="file_id")
        try:
            member = FileAttribute.parse(attribute)
        except ValueError as exc:
            raise WATSValidationError(str(exc), field="attribute") from None
        await self._repo.set_file_attribute(str(file_id).strip(), member.value)

    async def upload_zip(
        self,
        package_id: uuid.UUID | str,
        path_or_bytes: ZipSource,
        clean_install: bool = False,
        *,
        progress: UploadProgress | None = None,
    ) -> None:
        """Upload a zip's files into a Draft package, keeping their folders.

        ``path_or_bytes`` is a path (streamed from disk, never read whole) or the zip's bytes. Files
        merge into the package (same path: replaced); ``clean_install=True`` removes every
        file first. The zip is checked before anything is sent: a zip, not empty, every file
        in a folder. ``progress(sent, total)`` follows the upload.
        """
        pid = _package_id(package_id)
        # Opening and checking the zip touch the disk: off the event loop. The upload itself
        # reads 64 KiB pieces as the connection takes them.
        handle, filename, total = await anyio.to_thread.run_sync(_open_zip, path_or_bytes)
        with handle:
            reader = ProgressReader(handle, total, progress)
            await self._repo.upload_zip(pid, reader, filename, clean_install)
