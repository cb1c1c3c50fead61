"""Software distribution end to end over real loopback HTTP (uvicorn), and the 50 MB upload
streamed from disk with its memory peak measured."""

from __future__ import annotations

import os
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from pywats import AsyncWATS, SyncWATS
from pywats.domains.software import FileAttribute, PackageStatus
from pywats.emulator.runner import EmulatorServer
from pywats.emulator.testing import InProcessEmulator

from .conftest import zip_on_disk

pytestmark = pytest.mark.e2e

MB = 1 << 20
ZIP_SIZE = 50 * MB


def big_zip(path: Path, size: int = ZIP_SIZE) -> Path:
    """A zip of about `size` bytes of incompressible data, written a megabyte at a time."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive,
        archive.open("Drivers/runtime.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(size // MB):
            member.write(os.urandom(MB))
    return path


async def test_release_path_over_http(emulator_server: EmulatorServer, tmp_path: Path) -> None:
    async with AsyncWATS(**emulator_server.sdk_kwargs()) as wats:
        package = await wats.software.create_package(
            "E2E ICT", description="Loopback", tags={"PartNumber": "E2E-1", "StationType": "ICT"}
        )
        pid = package.package_id
        assert pid is not None
        path = zip_on_disk(
            tmp_path / "ict.zip",
            {"Sequences/Main.seq": b"seq" * 10_000, "Limits/limits.csv": b"a,b\n"},
        )
        await wats.software.upload_zip(pid, path)
        files = {f.path: f for f in await wats.software.get_package_files(pid)}
        main_id = files["Sequences/Main.seq"].package_file_id
        assert main_id is not None
        await wats.software.set_file_attribute(main_id, FileAttribute.TOP_LEVEL_FILE)
        await wats.software.submit_for_review(pid)
        released = await wats.software.release(pid)
        assert released.status is PackageStatus.RELEASED
        found = await wats.software.get_packages_by_tag("PartNumber", "e2e-1")
        assert [p.package_id for p in found] == [pid]
        assert (await wats.software.get_package_by_name("E2E ICT")) == released
        assert (await wats.software.revoke(pid)).status is PackageStatus.REVOKED
        assert await wats.software.delete_package(pid) is True
        assert await wats.software.get_package(pid) is None


def test_sync_client_over_http(emulator_server: EmulatorServer) -> None:
    with SyncWATS(**emulator_server.sdk_kwargs()) as wats:
        package = wats.software.create_package("E2E sync")
        assert package.version == 1
        assert wats.software.create_package("E2E sync").version == 2
        assert [p.version for p in wats.software.get_package_versions("E2E sync")] == [2, 1]


async def _upload_peak(wats: AsyncWATS, path: Path) -> tuple[int, list[int]]:
    package = await wats.software.create_package("Big runtime")
    assert package.package_id is not None
    seen: list[int] = []
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        await wats.software.upload_zip(
            package.package_id, path, progress=lambda done, total: seen.append(done)
        )
        _, peak = tracemalloc.get_traced_memory()
        print(f"upload of {path.stat().st_size / MB:.0f} MB: peak {peak / MB:.2f} MB traced")
    finally:
        tracemalloc.stop()
    [runtime] = await wats.software.get_package_files(package.package_id)
    assert runtime.path == "Drivers/runtime.bin"
    return peak, seen


async def test_50_mb_zip_streams_over_http_with_a_flat_memory_peak(
    emulator_server: EmulatorServer, tmp_path: Path
) -> None:
    path = big_zip(tmp_path / "big.zip")
    size = path.stat().st_size
    async with AsyncWATS(**emulator_server.sdk_kwargs()) as wats:
        peak, seen = await _upload_peak(wats, path)
    # Client and server (both in this process) together stay far below the zip's size.
    assert peak < 8 * MB, f"peak {peak / MB:.1f} MB for a {size / MB:.0f} MB zip"
    assert seen[-1] == size and len(seen) > 500  # 64 KiB pieces as it was sent


async def test_50_mb_zip_in_process_keeps_memory_flat(
    emulator: InProcessEmulator, tmp_path: Path
) -> None:
    path = big_zip(tmp_path / "big.zip")
    async with AsyncWATS(**emulator.sdk_kwargs(), max_retries=0) as wats:
        peak, seen = await _upload_peak(wats, path)
    assert peak < 8 * MB, f"peak {peak / MB:.1f} MB for a {path.stat().st_size / MB:.0f} MB zip"
    assert seen[-1] == path.stat().st_size
