"""Zips on disk and in memory for the software SDK tests."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

ICT = "PCB-1001 ICT"  # seeded v1 Revoked, v2 and v3 Released, v4 Pending, v5 Draft


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_on_disk(path: Path, files: dict[str, bytes]) -> Path:
    path.write_bytes(zip_bytes(files))
    return path
