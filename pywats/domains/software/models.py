"""Software distribution models: packages (with their release status), their files, tags and the
virtual folders they are filed in.

A package is what a test station installs: test sequences, limits files, drivers. It is written
as a Draft, submitted for review (Pending), released to stations (Released) and revoked when it
turns out bad (Revoked). A name has many versions; the server numbers them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from pydantic import AliasChoices, Field

from pywats.models import WATSModel

__all__ = [
    "FileAttribute",
    "Package",
    "PackageFile",
    "PackageStatus",
    "PackageTag",
    "VirtualFolder",
    "group_by_name",
]


class PackageStatus(StrEnum):
    """Where a package is in its release workflow (sent and received as these strings)."""

    DRAFT = "Draft"
    PENDING = "Pending"
    RELEASED = "Released"
    REVOKED = "Revoked"

    @property
    def allowed_moves(self) -> tuple[PackageStatus, ...]:
        """The statuses the server lets a package in this status go to."""
        return _MOVES[self]

    def can_move_to(self, target: PackageStatus | str) -> bool:
        return PackageStatus(target) in _MOVES[self]

    @property
    def deletable(self) -> bool:
        """Only a Draft or a Revoked package may be deleted."""
        return self in (PackageStatus.DRAFT, PackageStatus.REVOKED)

    @property
    def editable(self) -> bool:
        """A Draft may change anything (files too); other statuses at most tags and status."""
        return self is PackageStatus.DRAFT


_MOVES: dict[PackageStatus, tuple[PackageStatus, ...]] = {
    PackageStatus.DRAFT: (PackageStatus.PENDING,),
    PackageStatus.PENDING: (PackageStatus.DRAFT, PackageStatus.RELEASED),
    PackageStatus.RELEASED: (PackageStatus.REVOKED,),
    PackageStatus.REVOKED: (),
}


class FileAttribute(StrEnum):
    """How a station treats a file of a package (the public names; any case on the wire).

    A file may have several: one execution mode (ExecuteAlways, ExecuteOnce,
    ExecuteOncePerVersion), TopLevelFile, and one overwrite rule (OverwriteNever,
    OverwriteOnNewPackageVersion). Setting ``NONE`` clears them all.
    """

    NONE = "None"
    EXECUTE_ALWAYS = "ExecuteAlways"
    EXECUTE_ONCE = "ExecuteOnce"
    EXECUTE_ONCE_PER_VERSION = "ExecuteOncePerVersion"
    TOP_LEVEL_FILE = "TopLevelFile"
    OVERWRITE_NEVER = "OverwriteNever"
    OVERWRITE_ON_NEW_PACKAGE_VERSION = "OverwriteOnNewPackageVersion"

    @classmethod
    def parse(cls, value: FileAttribute | str) -> FileAttribute:
        """The attribute named ``value`` in any case; ValueError for an unknown name."""
        if isinstance(value, FileAttribute):
            return value
        wanted = value.strip().lower()
        for member in cls:
            if member.value.lower() == wanted:
                return member
        raise ValueError(
            f"{value!r} is not a file attribute; use one of {', '.join(m.value for m in cls)}"
        )


class PackageTag(WATSModel):
    """A key/value tag of a package; stations find packages by them (``PartNumber=PCB-1001``)."""

    key: str
    value: str = ""


class Package(WATSModel):
    """A software package, one version of a name."""

    package_id: uuid.UUID | None = Field(
        default=None, validation_alias=AliasChoices("packageId", "id"),
        serialization_alias="packageId",
    )
    name: str = ""
    version: int | None = None
    status: PackageStatus | None = None
    description: str | None = None
    install_on_root: bool | None = None
    root_directory: str | None = None
    priority: int | None = None
    virtual_folder_id: uuid.UUID | None = None
    tags: list[PackageTag] = Field(default_factory=list)
    created: datetime | None = Field(
        default=None, validation_alias=AliasChoices("created", "createdUtc"),
        serialization_alias="created",
    )
    created_by: str | None = None
    modified: datetime | None = Field(
        default=None, validation_alias=AliasChoices("modified", "modifiedUtc"),
        serialization_alias="modified",
    )
    modified_by: str | None = None
    released: datetime | None = None
    released_by: str | None = None
    revoked: datetime | None = None
    revoked_by: str | None = None

    def tag(self, key: str) -> str | None:
        """The value of the tag ``key`` (exact name), or None."""
        return next((tag.value for tag in self.tags if tag.key == key), None)

    @property
    def label(self) -> str:
        """``name v3``: how people name one version."""
        return f"{self.name} v{self.version}" if self.version is not None else self.name


class PackageFile(WATSModel):
    """A file of a package, in its folder, with its attributes (from ``PackageFiles/{id}``)."""

    package_file_id: str | None = Field(
        default=None, validation_alias=AliasChoices("packageFileId", "fileId", "id"),
        serialization_alias="packageFileId",
    )
    name: str = Field(
        default="", validation_alias=AliasChoices("name", "filename", "fileName"),
        serialization_alias="name",
    )
    package_folder_name: str = Field(
        default="", validation_alias=AliasChoices("packageFolderName", "path"),
        serialization_alias="packageFolderName",
    )
    attributes: str = "None"
    description: str | None = Field(
        default=None, validation_alias=AliasChoices("Description", "description"),
        serialization_alias="Description",
    )

    @property
    def folder(self) -> str:
        """The folder inside the package, '/'-separated (``Sequences/Subsequences``)."""
        return self.package_folder_name.replace("\\", "/").strip("/")

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.name}" if self.folder else self.name

    @property
    def attribute_set(self) -> frozenset[FileAttribute]:
        """The attributes as members (``"ExecuteOnce, TopLevelFile"``); unknown names are left
        out, and None is the empty set."""
        found = set()
        for word in self.attributes.replace(";", ",").split(","):
            try:
                member = FileAttribute.parse(word)
            except ValueError:
                continue
            if member is not FileAttribute.NONE:
                found.add(member)
        return frozenset(found)


class VirtualFolder(WATSModel):
    """A folder of the Production Manager's software tree that packages are filed in."""

    id: uuid.UUID | None = Field(default=None, validation_alias=AliasChoices("id", "folderId"))
    parent_id: uuid.UUID | None = None
    name: str = ""
    description: str | None = None


def group_by_name(packages: Iterable[Package]) -> dict[str, list[Package]]:
    """Packages by name (names in any case are one name, as on the server), each list newest
    version first; names sorted without regard to case."""
    groups: dict[str, list[Package]] = {}
    spelling: dict[str, str] = {}
    for package in packages:
        key = package.name.lower()
        spelling.setdefault(key, package.name)
        groups.setdefault(key, []).append(package)
    return {
        spelling[key]: sorted(groups[key], key=lambda p: p.version or 0, reverse=True)
        for key in sorted(groups)
    }
