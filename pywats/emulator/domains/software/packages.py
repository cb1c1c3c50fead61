"""Package operations: list, get (by id, by name, by tag), create, edit, delete, status moves,
files and their attributes, and the virtual folders packages sit in.

Server rules kept here:

* POST creates a Draft; a name that exists gets the next version. Read-only fields of the body
  (``packageId``, ``version``, ``status``, ``created``...) are ignored, so a package fetched from
  the server can be posted back as its next version.
* PUT writes the fields the body holds (an absent field keeps its value; ``tags`` replaces the
  whole list). A Draft may change anything; a Pending or Released package only its status and
  tags; a Revoked package nothing.
* Status moves: Draft -> Pending, Pending -> Draft or Released, Released -> Revoked.
* Only a Draft or a Revoked package may be deleted; only a Draft's files may change.
* Every change records who made it and when (``modified``/``modifiedBy``; a release and a
  revocation also ``released``/``revoked`` and their ``...By``).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ...errors import BadRequest, Conflict, NotFound
from ...params import Fields, json_object, path_uuid, query_int, query_str
from ...state import get_store
from ...storage import Storage
from .records import (
    DELETABLE,
    add_attribute,
    describe,
    file_json,
    get_package,
    move_problem,
    next_version,
    now_text,
    package_json,
    parse_attribute,
    parse_status,
    require_package,
    user_of,
)

NAME_MAX = 100
# The fields a client may write, by their wire names.
_WRITABLE = (
    "name",
    "description",
    "installOnRoot",
    "rootDirectory",
    "priority",
    "virtualFolderId",
    "tags",
    "status",
)
_COLUMNS = {
    "name": "name",
    "description": "description",
    "installOnRoot": "install_on_root",
    "rootDirectory": "root_directory",
    "priority": "priority",
    "virtualFolderId": "virtual_folder_id",
}


def _canonical(body: Mapping[str, Any]) -> dict[str, Any]:
    """The body with writable names in their spec spelling: the server's JSON binding ignores
    case, so ``Name`` and ``installonroot`` are the fields ``name`` and ``installOnRoot``."""
    by_lower = {name.lower(): name for name in _WRITABLE}
    out: dict[str, Any] = {}
    for key, value in body.items():
        out[by_lower.get(key.lower(), key)] = value
    return out


def _read_tags(value: Any) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        raise BadRequest("The field 'tags' must be an array of {key, value}.", field="tags")
    tags: list[tuple[str, str]] = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise BadRequest(
                f"The field 'tags[{index}]' must be an object with a key and a value.",
                field=f"tags[{index}]",
            )
        fields = Fields(_lower_keys(item), f"tags[{index}]")
        key = (fields.get_str("key", required=True) or "").strip()
        if not key:
            raise BadRequest(f"The field 'tags[{index}].key' must not be empty.",
                             field=f"tags[{index}].key")
        if key in seen:
            raise BadRequest(f"The tag '{key}' is given twice.", field=f"tags[{index}].key")
        seen.add(key)
        tags.append((key, fields.get_str("value") or ""))
    return tags


def _lower_keys(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key.lower(): value for key, value in item.items()}


def _read_config(store: Storage, body: Mapping[str, Any]) -> dict[str, Any]:
    """The writable columns the body holds, checked (400s name the field)."""
    fields = Fields(body)
    config: dict[str, Any] = {}
    if "name" in body:
        name = (fields.get_str("name") or "").strip()
        if not name:
            raise BadRequest("The field 'name' is required and must not be empty.", field="name")
        if len(name) > NAME_MAX:
            raise BadRequest(f"The field 'name' must be at most {NAME_MAX} characters.",
                             field="name")
        if any(ord(ch) < 32 for ch in name):
            raise BadRequest("The field 'name' must not hold control characters.", field="name")
        config["name"] = name
    if "description" in body:
        config["description"] = fields.get_str("description") or ""
    if "rootDirectory" in body:
        config["root_directory"] = fields.get_str("rootDirectory") or ""
    if "installOnRoot" in body:
        config["install_on_root"] = int(bool(fields.get_bool("installOnRoot")))
    if "priority" in body:
        priority = fields.get_int("priority") or 0
        if not -(2**31) <= priority < 2**31:
            raise BadRequest("The field 'priority' must be a 32-bit integer.", field="priority")
        config["priority"] = priority
    if "virtualFolderId" in body:
        folder = fields.get_uuid("virtualFolderId")
        if folder is not None and store.query_one(
            "SELECT 1 FROM software_virtual_folder WHERE folder_id = ?", (folder,)
        ) is None:
            raise BadRequest(f"No virtual folder has the id '{folder}'.", field="virtualFolderId")
        config["virtual_folder_id"] = folder
    if "tags" in body and body["tags"] is not None:
        config["tags"] = _read_tags(body["tags"])
    return config


def _write_tags(store: Storage, package_id: str, tags: list[tuple[str, str]]) -> None:
    store.execute("DELETE FROM software_package_tag WHERE package_id = ?", (package_id,))
    store.executemany(
        "INSERT INTO software_package_tag (package_id, position, key, value) VALUES (?, ?, ?, ?)",
        [(package_id, index, key, value) for index, (key, value) in enumerate(tags)],
    )


def _answer(store: Storage, package_id: str) -> JSONResponse:
    row = get_package(store, package_id)
    assert row is not None
    return JSONResponse(package_json(store, row))


def _status_query(request: Request, *, required: bool) -> str | None:
    value = query_str(request, "status", required=required)
    return None if value is None else parse_status(value)


# -- reading --------------------------------------------------------------------------------


async def get_packages(request: Request) -> JSONResponse:
    store = get_store(request)
    rows = store.query("SELECT * FROM software_package ORDER BY name, version")
    return JSONResponse([package_json(store, row) for row in rows])


async def get_package_by_id(request: Request) -> JSONResponse:
    store = get_store(request)
    row = require_package(store, path_uuid(request, "id"))
    return JSONResponse(package_json(store, row))


def _name_query(request: Request) -> str:
    name = query_str(request, "name", required=True)
    assert name is not None
    if not name.strip():
        raise BadRequest("The query parameter 'name' must not be empty.", field="name")
    return name.strip()


def _version_query(request: Request, *, required: bool) -> int | None:
    version = query_int(request, "version", required=required)
    if version is not None and not 0 < version < 2**31:
        raise BadRequest("The query parameter 'version' must be a positive integer.",
                         field="version")
    return version


async def get_package_by_name(request: Request) -> JSONResponse:
    """The newest version in the status asked for, or the version asked for."""
    store = get_store(request)
    name = _name_query(request)
    status = _status_query(request, required=True)
    version = _version_query(request, required=False)
    sql = "SELECT * FROM software_package WHERE name = ? AND status = ?"
    params: list[Any] = [name, status]
    if version is not None:
        sql += " AND version = ?"
        params.append(version)
    row = store.query_one(sql + " ORDER BY version DESC LIMIT 1", params)
    if row is None:
        which = f" with version {version}" if version is not None else ""
        raise NotFound(f"No {status} package named '{name}'{which} was found.")
    return JSONResponse(package_json(store, row))


async def get_packages_by_tag(request: Request) -> JSONResponse:
    """``tag=name=value``: the tag name matches exactly, the value in any case."""
    store = get_store(request)
    tag = query_str(request, "tag", required=True)
    assert tag is not None
    key, sep, value = tag.partition("=")
    if not sep or not key.strip():
        raise BadRequest(
            f"The value '{tag}' is not valid for tag: write it as \"tagName=tagValue\".",
            field="tag",
        )
    status = _status_query(request, required=True)
    rows = store.query(
        "SELECT p.* FROM software_package p WHERE p.status = ? AND EXISTS ("
        "SELECT 1 FROM software_package_tag t WHERE t.package_id = p.package_id "
        "AND t.key = ? COLLATE BINARY AND t.value = ? COLLATE NOCASE) ORDER BY p.name, p.version",
        (status, key.strip(), value.strip()),
    )
    return JSONResponse([package_json(store, row) for row in rows])


async def get_package_files(request: Request) -> JSONResponse:
    store = get_store(request)
    package = require_package(store, path_uuid(request, "id"))
    rows = store.query(
        "SELECT * FROM software_file WHERE package_id = ? ORDER BY folder, name",
        (package["package_id"],),
    )
    return JSONResponse([file_json(row) for row in rows])


async def get_virtual_folders(request: Request) -> JSONResponse:
    store = get_store(request)
    rows = store.query("SELECT * FROM software_virtual_folder ORDER BY name")
    folders = []
    for row in rows:
        folder: dict[str, Any] = {
            "id": row["folder_id"],
            "name": row["name"],
            "description": row["description"],
        }
        if row["parent_id"] is not None:
            folder["parentId"] = row["parent_id"]
        folders.append(folder)
    return JSONResponse(folders)


# -- writing --------------------------------------------------------------------------------


async def post_package(request: Request) -> JSONResponse:
    store = get_store(request)
    body = _canonical(await json_object(request))
    if not isinstance(body.get("name"), str) or not body["name"].strip():
        raise BadRequest("The field 'name' is required and must not be empty.", field="name")
    config = _read_config(store, body)
    tags = config.pop("tags", [])
    user, moment = user_of(request), now_text()
    package_id = str(uuid.uuid4())
    with store.transaction():
        version = next_version(store, config["name"])
        columns = {
            "package_id": package_id,
            "version": version,
            "status": "Draft",
            "created": moment,
            "created_by": user,
            "modified": moment,
            "modified_by": user,
            **config,
        }
        names = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        # Column names come from this module, never from the request.
        sql = f"INSERT INTO software_package ({names}) VALUES ({marks})"  # noqa: S608
        store.execute(sql, list(columns.values()))
        _write_tags(store, package_id, tags)
    return _answer(store, package_id)


def _changed_fields(row: sqlite3.Row, config: Mapping[str, Any], tags_now: list[Any]) -> list[str]:
    changed = []
    for wire, column in _COLUMNS.items():
        if column in config and config[column] != row[column]:
            if column == "name" and str(config[column]).lower() == str(row[column]).lower():
                continue
            changed.append(wire)
    if "tags" in config and [tuple(tag) for tag in config["tags"]] != tags_now:
        changed.append("tags")
    return changed


def _apply_status(
    store: Storage, row: sqlite3.Row, target: str, user: str, moment: str
) -> None:
    problem = move_problem(row["name"], row["version"], row["status"], target)
    if problem is not None:
        raise BadRequest(problem, field="status")
    extra = ""
    params: list[Any] = [target, moment, user]
    if target == "Released":
        extra = ", released = ?, released_by = ?"
        params += [moment, user]
    elif target == "Revoked":
        extra = ", revoked = ?, revoked_by = ?"
        params += [moment, user]
    sql = (
        f"UPDATE software_package SET status = ?, modified = ?, modified_by = ?{extra} "  # noqa: S608
        "WHERE package_id = ?"
    )
    store.execute(sql, [*params, row["package_id"]])


async def put_package(request: Request) -> Response:
    store = get_store(request)
    package_id = path_uuid(request, "id")
    body = _canonical(await json_object(request))
    fields = Fields(body)
    given_id = fields.get_uuid("packageId")
    if given_id is not None and given_id != package_id:
        raise BadRequest(
            f"The body's packageId '{given_id}' is not the package in the path ('{package_id}').",
            field="packageId",
        )
    config = _read_config(store, body)
    target = None if body.get("status") is None else parse_status(
        fields.get_str("status") or "", "status"
    )
    row = require_package(store, package_id)
    version = fields.get_int("version")
    if version is not None and version != row["version"]:
        raise BadRequest(
            f"The version of a package is set by the server; {describe(row).lower()} "
            f"cannot become version {version}.",
            field="version",
        )
    tags_now = [(tag["key"], tag["value"]) for tag in _current_tags(store, package_id)]
    changed = _changed_fields(row, config, tags_now)
    status_changes = target is not None and target != row["status"]
    if row["status"] != "Draft":
        editable = ("tags",) if row["status"] in ("Pending", "Released") else ()
        fixed = [name for name in changed if name not in editable]
        if fixed or (row["status"] == "Revoked" and (changed or status_changes)):
            what = "only its status and tags" if editable else "nothing"
            raise BadRequest(
                f"{describe(row)} is {row['status']}: {what} can be changed "
                f"(the request changes {', '.join(fixed or changed or ['status'])}).",
                field=(fixed or changed or ["status"])[0],
            )
    if "name" in config and "name" in changed:
        clash = store.query_one(
            "SELECT 1 FROM software_package WHERE name = ? AND version = ? AND package_id <> ?",
            (config["name"], row["version"], package_id),
        )
        if clash is not None:
            raise Conflict(
                f"A package named '{config['name']}' already has version {row['version']}.",
                field="name",
            )
    user, moment = user_of(request), now_text()
    with store.transaction():
        tags = config.pop("tags", None)
        if changed:
            sets = ", ".join(f"{column} = ?" for column in config)
            prefix = sets + ", " if sets else ""
            sql = (
                f"UPDATE software_package SET {prefix}"  # noqa: S608 - columns of _COLUMNS
                "modified = ?, modified_by = ? WHERE package_id = ?"
            )
            store.execute(sql, [*config.values(), moment, user, package_id])
            if tags is not None:
                _write_tags(store, package_id, tags)
        if status_changes:
            assert target is not None
            fresh = require_package(store, package_id)
            _apply_status(store, fresh, target, user, moment)
    return Response(status_code=200)


def _current_tags(store: Storage, package_id: str) -> list[sqlite3.Row]:
    return store.query(
        "SELECT key, value FROM software_package_tag WHERE package_id = ? ORDER BY position",
        (package_id,),
    )


async def post_package_status(request: Request) -> JSONResponse:
    store = get_store(request)
    package_id = path_uuid(request, "id")
    status = _status_query(request, required=True)
    assert status is not None
    with store.transaction():
        row = require_package(store, package_id)
        _apply_status(store, row, status, user_of(request), now_text())
    return _answer(store, package_id)


def _delete(store: Storage, row: sqlite3.Row) -> Response:
    if row["status"] not in DELETABLE:
        raise BadRequest(
            f"{describe(row)} is {row['status']}: only a Draft or a Revoked package can be "
            + ("deleted; revoke it first." if row["status"] == "Released"
               else "deleted; return it to Draft first."),
            field="status",
        )
    store.execute("DELETE FROM software_package WHERE package_id = ?", (row["package_id"],))
    return Response(status_code=204)


async def delete_package(request: Request) -> Response:
    store = get_store(request)
    package_id = path_uuid(request, "id")
    with store.transaction():
        return _delete(store, require_package(store, package_id))


async def delete_package_by_name(request: Request) -> Response:
    store = get_store(request)
    name = _name_query(request)
    version = _version_query(request, required=True)
    with store.transaction():
        row = store.query_one(
            "SELECT * FROM software_package WHERE name = ? AND version = ?", (name, version)
        )
        if row is None:
            raise NotFound(f"No package named '{name}' has version {version}.")
        return _delete(store, row)


def require_draft(row: sqlite3.Row, action: str) -> None:
    """Files belong to what stations receive: once submitted they are frozen."""
    if row["status"] != "Draft":
        raise BadRequest(
            f"{describe(row)} is {row['status']}: only a Draft package's files can change "
            f"({action}); return it to Draft or create a new version.",
            field="status",
        )


async def post_file_attribute(request: Request) -> Response:
    store = get_store(request)
    file_id = path_uuid(request, "id")
    value = query_str(request, "attribute", required=True)
    assert value is not None
    added = parse_attribute(value)
    with store.transaction():
        row = store.query_one("SELECT * FROM software_file WHERE file_id = ?", (file_id,))
        if row is None:
            raise NotFound(f"No package file has the id '{file_id}'.")
        package = require_package(store, row["package_id"])
        require_draft(package, "setting a file attribute")
        user, moment = user_of(request), now_text()
        store.execute(
            "UPDATE software_file SET attributes = ?, modified = ?, modified_by = ? "
            "WHERE file_id = ?",
            (add_attribute(row["attributes"], added), moment, user, file_id),
        )
        store.execute(
            "UPDATE software_package SET modified = ?, modified_by = ? WHERE package_id = ?",
            (moment, user, package["package_id"]),
        )
    return Response(status_code=200)
