"""Package rows and their JSON: statuses and the moves between them, file attributes, tags,
and who made a change and when."""

from __future__ import annotations

import base64
import binascii
import sqlite3
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request

from ...auth import token_from_header
from ...errors import BadRequest, NotFound
from ...storage import Storage

STATUSES = ("Draft", "Pending", "Released", "Revoked")

# The moves the server allows (the spec's PackageStatus and PUT Package rules).
MOVES: dict[str, tuple[str, ...]] = {
    "Draft": ("Pending",),
    "Pending": ("Draft", "Released"),
    "Released": ("Revoked",),
    "Revoked": (),
}

DELETABLE = ("Draft", "Revoked")

# FileAttribute flags, in bit order, by their public names. Execution modes exclude each
# other, and so do the two overwrite rules: setting one clears the others of its group.
ATTRIBUTES: dict[str, int] = {
    "None": 0,
    "ExecuteAlways": 1,
    "ExecuteOnce": 2,
    "ExecuteOncePerVersion": 4,
    "TopLevelFile": 8,
    "OverwriteNever": 16,
    "OverwriteOnNewPackageVersion": 32,
}
ATTRIBUTE_ALIASES = {"overwriteonnewversion": "OverwriteOnNewPackageVersion"}
EXCLUSIVE_GROUPS = (1 | 2 | 4, 16 | 32)


def parse_status(value: str, name: str = "status") -> str:
    for status in STATUSES:
        if status.lower() == value.strip().lower():
            return status
    raise BadRequest(
        f"The value '{value}' is not valid for {name}. Supported values: {', '.join(STATUSES)}.",
        field=name,
    )


def move_problem(name: str, version: int, current: str, target: str) -> str | None:
    """Why a package may not go from `current` to `target`, or None when it may."""
    allowed = MOVES[current]
    if target in allowed:
        return None
    if target == current:
        return f"Package '{name}' version {version} is already {current}."
    if allowed:
        options = " or ".join(allowed)
        return (
            f"Package '{name}' version {version} cannot go from {current} to {target}: "
            f"a {current} package can only go to {options}."
        )
    return (
        f"Package '{name}' version {version} cannot go from {current} to {target}: "
        f"a {current} package is final; create a new version instead."
    )


def parse_attribute(value: str, name: str = "attribute") -> int:
    """One attribute name (any case), or several separated by commas, as a bitmask."""
    words = [word.strip() for word in value.split(",") if word.strip()]
    if not words:
        raise BadRequest(_attribute_message(value, name), field=name)
    mask = 0
    for word in words:
        key = ATTRIBUTE_ALIASES.get(word.lower(), word)
        match = next((bit for label, bit in ATTRIBUTES.items() if label.lower() == key.lower()),
                     None)
        if match is None:
            raise BadRequest(_attribute_message(word, name), field=name)
        mask |= match
    return mask


def _attribute_message(value: str, name: str) -> str:
    return (
        f"The value '{value}' is not valid for {name}. Accepted values: "
        f"{', '.join(ATTRIBUTES)}."
    )


def add_attribute(current: int, added: int) -> int:
    """`current` with the flags of `added`; None (0) clears every flag."""
    if added == 0:
        return 0
    for group in EXCLUSIVE_GROUPS:
        if added & group:
            current &= ~group
    return current | added


def attribute_text(mask: int) -> str:
    names = [label for label, bit in ATTRIBUTES.items() if bit and mask & bit]
    return ", ".join(names) or "None"


def now_text() -> str:
    return iso(datetime.now(UTC))


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def user_of(request: Request) -> str:
    """The user behind the request's token (base64 of ``user:secret``), as the server records
    it in ``createdBy``/``modifiedBy``; a token that is not of that form is recorded as "api"."""
    token = token_from_header(request.headers.get("authorization")) or ""
    try:
        decoded = base64.b64decode(token, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return "api"
    user, sep, _ = decoded.partition(":")
    return user if sep and user else "api"


def tags_of(store: Storage, package_id: str) -> list[dict[str, str]]:
    rows = store.query(
        "SELECT key, value FROM software_package_tag WHERE package_id = ? ORDER BY position",
        (package_id,),
    )
    return [{"key": row["key"], "value": row["value"]} for row in rows]


def package_json(store: Storage, row: sqlite3.Row) -> dict[str, Any]:
    body: dict[str, Any] = {
        "packageId": row["package_id"],
        "name": row["name"],
        "version": row["version"],
        "status": row["status"],
        "description": row["description"],
        "installOnRoot": bool(row["install_on_root"]),
        "rootDirectory": row["root_directory"],
        "priority": row["priority"],
        "tags": tags_of(store, row["package_id"]),
        "created": row["created"],
        "createdBy": row["created_by"],
        "modified": row["modified"],
        "modifiedBy": row["modified_by"],
    }
    # The spec types these as non-null strings: a package never released has none.
    for field, column in (
        ("virtualFolderId", "virtual_folder_id"),
        ("released", "released"),
        ("releasedBy", "released_by"),
        ("revoked", "revoked"),
        ("revokedBy", "revoked_by"),
    ):
        if row[column] is not None:
            body[field] = row[column]
    return body


def file_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "packageFileId": row["file_id"],
        "name": row["name"],
        "packageFolderName": row["folder"],
        "attributes": attribute_text(row["attributes"]),
        "Description": row["description"],
    }


def get_package(store: Storage, package_id: str) -> sqlite3.Row | None:
    return store.query_one("SELECT * FROM software_package WHERE package_id = ?", (package_id,))


def require_package(store: Storage, package_id: str) -> sqlite3.Row:
    row = get_package(store, package_id)
    if row is None:
        raise NotFound(f"No software package has the id '{package_id}'.")
    return row


def next_version(store: Storage, name: str) -> int:
    return int(
        store.scalar(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM software_package WHERE name = ?", (name,)
        )
    )


def describe(row: sqlite3.Row) -> str:
    return f"Package '{row['name']}' version {row['version']}"
