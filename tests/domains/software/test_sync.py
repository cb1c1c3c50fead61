"""SyncSoftwareService: every operation, blocking, against the in-process emulator."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from pywats import SyncWATS
from pywats.domains.software import FileAttribute, PackageStatus, group_by_name
from pywats.errors import WATSBadRequestError

from .conftest import ICT, zip_bytes, zip_on_disk


def test_every_operation_through_the_sync_client(sync_wats: SyncWATS, tmp_path: Path) -> None:
    software = sync_wats.software
    packages = software.get_packages()
    assert len(group_by_name(packages)[ICT]) == 5
    assert [p.version for p in software.get_package_versions(ICT)] == [5, 4, 3, 2, 1]
    newest = software.get_package_by_name(ICT)
    assert newest is not None and newest.version == 3
    assert software.get_package(newest.package_id) == newest  # type: ignore[arg-type]
    assert software.get_packages_by_tag("StationType", "ict", PackageStatus.DRAFT)
    assert software.get_virtual_folders()

    package = software.create_package("Sync package", tags={"Line": "1"})
    pid = package.package_id
    assert pid is not None and package.status is PackageStatus.DRAFT
    package.description = "Edited from a script"
    assert software.update_package(package).description == "Edited from a script"

    calls: list[tuple[int, int, str]] = []
    path = zip_on_disk(tmp_path / "p.zip", {"Seq/Main.seq": b"m" * 100_000})
    software.upload_zip(
        pid,
        path,
        progress=lambda done, total: calls.append((done, total, threading.current_thread().name)),
    )
    assert calls[-1][:2] == (path.stat().st_size, path.stat().st_size)
    software.upload_zip(pid, zip_bytes({"Lim/l.csv": b"1"}), clean_install=True)
    [only] = software.get_package_files(pid)
    assert only.path == "Lim/l.csv" and only.package_file_id is not None
    software.set_file_attribute(only.package_file_id, FileAttribute.OVERWRITE_NEVER)
    assert software.get_package_files(pid)[0].attribute_set == {FileAttribute.OVERWRITE_NEVER}

    assert software.submit_for_review(pid).status is PackageStatus.PENDING
    assert software.return_to_draft(pid).status is PackageStatus.DRAFT
    software.set_package_status(pid, "Pending")
    assert software.release(pid).status is PackageStatus.RELEASED
    with pytest.raises(WATSBadRequestError, match="only a Draft or a Revoked"):
        software.delete_package(pid)
    assert software.revoke(pid).status is PackageStatus.REVOKED
    assert software.delete_package_by_name("Sync package", 1) is True
    assert software.get_package(pid) is None
    assert software.delete_package(pid) is False
