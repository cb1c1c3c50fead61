"""POST /api/Software/Package/UploadZip/{id}: a zip's files into a Draft package.

The zip is the file part of a ``multipart/form-data`` body (any field name) with content type
``application/zip``. Its files are merged into the package with their folders (a file at the
same path is replaced and keeps its attributes); ``cleanInstall=true`` removes every file
first. Every file must be inside a folder: a zip with files at its root, a path leaving the
package (``..``, absolute), a body that is not a zip or a zip with nothing in it is refused.

Starlette spools the part to a temporary file, and the zip is read from there in a worker
thread a megabyte at a time, so a large upload neither fills memory nor stalls other requests.
"""

from __future__ import annotations

import hashlib
import posixpath
import uuid
import zipfile
from dataclasses import dataclass
from typing import IO

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from ...errors import BadRequest
from ...params import path_uuid, query_bool
from ...state import get_store
from .packages import require_draft
from .records import now_text, require_package, user_of

ZIP_TYPES = ("application/zip", "application/x-zip-compressed")
_CHUNK = 1 << 20
MAX_FILES = 10_000


@dataclass(frozen=True)
class ZipEntry:
    folder: str
    name: str
    size: int
    checksum: str


def _clean_path(raw: str) -> str | None:
    """The entry's path inside the package, or None for a directory entry."""
    path = raw.replace("\\", "/")
    if path.endswith("/"):
        return None
    while path.startswith("./"):
        path = path[2:]
    parts = path.split("/")
    if path.startswith("/") or ":" in parts[0] or ".." in parts or "" in parts:
        raise BadRequest(
            f"The zip entry '{raw}' is not a relative path inside the package.", field="file"
        )
    return posixpath.normpath(path)


def read_entries(fileobj: IO[bytes]) -> list[ZipEntry]:
    """Every file of the zip with its size and SHA-256, checked; raises BadRequest."""
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BadRequest("The uploaded file is not a zip archive.", field="file") from None
    entries: dict[str, ZipEntry] = {}
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(infos) > MAX_FILES:
            raise BadRequest(f"The zip holds {len(infos)} files; at most {MAX_FILES} are allowed.",
                             field="file")
        root_files = []
        for info in infos:
            path = _clean_path(info.filename)
            if path is None:
                continue
            folder, _, name = path.rpartition("/")
            if not folder:
                root_files.append(path)
                continue
            digest = hashlib.sha256()
            try:
                with archive.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        digest.update(chunk)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
                raise BadRequest(
                    f"The zip entry '{info.filename}' cannot be read: {exc}.", field="file"
                ) from None
            entries[path.lower()] = ZipEntry(folder, name, info.file_size,
                                             f"sha256:{digest.hexdigest()}")
    if root_files:
        shown = ", ".join(root_files[:3]) + (" ..." if len(root_files) > 3 else "")
        raise BadRequest(
            f"The zip has files at its root ({shown}); every file must be in a folder, "
            "e.g. myFolder/myFile.txt.",
            field="file",
        )
    if not entries:
        raise BadRequest("The zip holds no files.", field="file")
    return list(entries.values())


async def _zip_part(request: Request) -> tuple[UploadFile, list[ZipEntry]]:
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != "multipart/form-data":
        raise BadRequest(
            "The zip must be sent as multipart/form-data with the zip as its file part "
            f"(content type application/zip), not as '{content_type or 'no content type'}'.",
            field="file",
        )
    try:
        form = await request.form(max_files=2, max_fields=10)
    except Exception as exc:  # malformed multipart: python-multipart and Starlette raise several
        raise BadRequest(f"The multipart body cannot be read: {exc}.", field="file") from None
    uploads = [value for _, value in form.multi_items() if isinstance(value, UploadFile)]
    if not uploads:
        await form.close()
        raise BadRequest("The multipart body has no file part holding the zip.", field="file")
    if len(uploads) > 1:
        await form.close()
        raise BadRequest("Send one zip per upload; the body has several files.", field="file")
    upload = uploads[0]
    part_type = (upload.content_type or "").split(";")[0].strip().lower()
    if part_type not in ZIP_TYPES:
        await form.close()
        raise BadRequest(
            f"The file part must have content type application/zip, not "
            f"'{upload.content_type or 'none'}'.",
            field="file",
        )
    try:
        entries = await run_in_threadpool(read_entries, upload.file)
    finally:
        await form.close()
    return upload, entries


async def upload_zip(request: Request) -> Response:
    store = get_store(request)
    package_id = path_uuid(request, "id")
    clean = query_bool(request, "cleanInstall", False)
    require_draft(require_package(store, package_id), "uploading a zip")
    _, entries = await _zip_part(request)
    user, moment = user_of(request), now_text()
    with store.transaction():
        package = require_package(store, package_id)  # still there, still a draft
        require_draft(package, "uploading a zip")
        if clean:
            store.execute("DELETE FROM software_file WHERE package_id = ?", (package_id,))
        for entry in entries:
            # Same path (any case): replaced, keeping its id and attributes.
            store.execute(
                "INSERT INTO software_file (file_id, package_id, folder, name, size, checksum, "
                "modified, modified_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (package_id, folder, name) DO UPDATE SET folder = excluded.folder, "
                "name = excluded.name, size = excluded.size, checksum = excluded.checksum, "
                "modified = excluded.modified, modified_by = excluded.modified_by",
                (str(uuid.uuid4()), package_id, entry.folder, entry.name, entry.size,
                 entry.checksum, moment, user),
            )
        store.execute(
            "UPDATE software_package SET modified = ?, modified_by = ? WHERE package_id = ?",
            (moment, user, package_id),
        )
    return Response(status_code=200)
