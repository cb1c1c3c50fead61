"""AsyncSoftwareService against the in-process emulator: every operation, the workflow with its
refusals, uploads from a path and from bytes with progress, and what is checked before sending."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from pywats import AsyncWATS
from pywats.domains.software import (
    FileAttribute,
    Package,
    PackageStatus,
    PackageTag,
    group_by_name,
)
from pywats.emulator.testing import InProcessEmulator
from pywats.errors import WATSBadRequestError, WATSConflictError, WATSValidationError

from .conftest import ICT, zip_bytes, zip_on_disk

S = PackageStatus


async def test_lists_by_name_and_versions(wats: AsyncWATS) -> None:
    packages = await wats.software.get_packages()
    assert {p.status for p in packages} == set(PackageStatus)
    groups = group_by_name(packages)
    assert [(p.version, p.status) for p in groups[ICT]] == [
        (5, S.DRAFT),
        (4, S.PENDING),
        (3, S.RELEASED),
        (2, S.RELEASED),
        (1, S.REVOKED),
    ]
    assert list(groups) == sorted(groups, key=str.lower)
    versions = await wats.software.get_package_versions(ICT.upper())
    assert [p.version for p in versions] == [5, 4, 3, 2, 1]
    revoked = versions[-1]
    assert revoked.released and revoked.revoked and revoked.revoked_by
    assert revoked.released < revoked.revoked


async def test_get_package_and_by_name(wats: AsyncWATS) -> None:
    released = await wats.software.get_package_by_name(ICT)  # default: Released, newest
    assert released is not None and (released.version, released.status) == (3, S.RELEASED)
    again = await wats.software.get_package(released.package_id)  # type: ignore[arg-type]
    assert again == released
    assert await wats.software.get_package(str(released.package_id)) == released
    older = await wats.software.get_package_by_name(ICT, "released", 2)
    assert older is not None and older.version == 2
    assert await wats.software.get_package_by_name(ICT, S.RELEASED, 4) is None
    assert await wats.software.get_package_by_name("No such package") is None
    assert await wats.software.get_package(uuid.uuid4()) is None
    assert released.tag("PartNumber") == "PCB-1001" and released.tag("partnumber") is None
    assert released.label == f"{ICT} v3"


async def test_by_tag(wats: AsyncWATS) -> None:
    found = await wats.software.get_packages_by_tag("PartNumber", "pcb-1001")
    assert {(p.name, p.version) for p in found} == {(ICT, 2), (ICT, 3), ("PCB-1001 FCT limits", 1)}
    pending = await wats.software.get_packages_by_tag("StationType", "ICT", S.PENDING)
    assert [(p.name, p.version) for p in pending] == [(ICT, 4)]
    assert await wats.software.get_packages_by_tag("PartNumber", "NOPE") == []


async def test_create_update_and_versions(wats: AsyncWATS) -> None:
    folders = await wats.software.get_virtual_folders()
    limits = next(f for f in folders if f.name == "Limits")
    created = await wats.software.create_package(
        "Line 3 limits",
        description="Limits for line 3",
        priority=7,
        install_on_root=False,
        root_directory=r"C:\Limits",
        virtual_folder_id=limits.id,
        tags={"Line": "3", "StationType": "FCT"},
    )
    assert (created.status, created.version, created.created_by) == (S.DRAFT, 1, "emulator")
    assert created.tags == [
        PackageTag(key="Line", value="3"),
        PackageTag(key="StationType", value="FCT"),
    ]
    assert created.virtual_folder_id == limits.id
    second = await wats.software.create_package(
        "line 3 LIMITS", tags=[PackageTag(key="Line", value="3")]
    )
    assert second.version == 2
    created.description = "Reworked"
    created.tags = [*created.tags, PackageTag(key="Site", value="Oslo")]
    updated = await wats.software.update_package(created)
    assert updated.description == "Reworked" and updated.tag("Site") == "Oslo"
    assert updated.modified is not None and created.modified is not None
    assert updated.modified >= created.modified
    # Only what is set is written: the tags stay.
    partial = await wats.software.update_package(Package(package_id=created.package_id, priority=1))
    assert partial.priority == 1 and partial.tag("Site") == "Oslo"
    assert partial.description == "Reworked"
    # A released package takes tags, nothing else.
    released = await wats.software.get_package_by_name(ICT)
    assert released is not None
    released.tags = [PackageTag(key="Approved", value="QA")]
    assert (await wats.software.update_package(released)).tag("Approved") == "QA"
    released.description = "changed after release"
    with pytest.raises(WATSBadRequestError) as refused:
        await wats.software.update_package(released)
    assert "only its status and tags" in (refused.value.server_message or "")
    other = await wats.software.create_package("Other name")
    other.name = "MOD-4100 Calibration"  # that name already has a version 1
    with pytest.raises(WATSConflictError):
        await wats.software.update_package(other)


async def test_workflow_methods_and_refused_moves(wats: AsyncWATS) -> None:
    package = await wats.software.create_package("Workflow")
    pid = package.package_id
    assert pid is not None
    assert (await wats.software.submit_for_review(pid)).status is S.PENDING
    assert (await wats.software.return_to_draft(pid)).status is S.DRAFT
    assert (await wats.software.submit_for_review(str(pid))).status is S.PENDING
    released = await wats.software.release(pid)
    assert released.status is S.RELEASED and released.released_by == "emulator"
    with pytest.raises(WATSBadRequestError) as wrong:
        await wats.software.return_to_draft(pid)
    message = wrong.value.server_message or ""
    assert "from Released to Draft" in message and "can only go to Revoked" in message
    revoked = await wats.software.revoke(pid)
    assert revoked.status is S.REVOKED and revoked.revoked_by == "emulator"
    for move in (
        wats.software.submit_for_review,
        wats.software.release,
        wats.software.return_to_draft,
    ):
        with pytest.raises(WATSBadRequestError, match="final"):
            await move(pid)
    with pytest.raises(WATSBadRequestError, match="already Revoked"):
        await wats.software.set_package_status(pid, "revoked")
    assert S.PENDING.allowed_moves == (S.DRAFT, S.RELEASED)
    assert S.DRAFT.can_move_to("Pending") and not S.RELEASED.can_move_to(S.DRAFT)


async def test_delete_rules(wats: AsyncWATS) -> None:
    draft = await wats.software.create_package("Delete me")
    assert draft.package_id is not None
    assert await wats.software.delete_package(draft.package_id) is True
    assert await wats.software.get_package(draft.package_id) is None  # 404 once deleted
    assert await wats.software.delete_package(draft.package_id) is False
    released = await wats.software.get_package_by_name(ICT)
    assert released is not None and released.package_id is not None
    with pytest.raises(WATSBadRequestError, match="only a Draft or a Revoked"):
        await wats.software.delete_package(released.package_id)
    assert await wats.software.get_package(released.package_id) == released
    assert await wats.software.delete_package_by_name(ICT, 1) is True  # v1 is Revoked
    assert await wats.software.delete_package_by_name(ICT, 1) is False
    with pytest.raises(WATSBadRequestError):
        await wats.software.delete_package_by_name(ICT, 4)  # Pending
    assert S.REVOKED.deletable and not S.PENDING.deletable


async def test_upload_from_disk_with_progress_merge_and_clean_install(
    wats: AsyncWATS, tmp_path: Path
) -> None:
    package = await wats.software.create_package("Upload")
    pid = package.package_id
    assert pid is not None
    first = zip_on_disk(
        tmp_path / "v1.zip",
        {"Sequences/Main.seq": b"main" * 50_000, "Limits/limits.csv": b"a,b\n" * 1000},
    )
    seen: list[tuple[int, int]] = []
    await wats.software.upload_zip(
        pid, first, progress=lambda done, total: seen.append((done, total))
    )
    size = first.stat().st_size
    assert seen[0] == (0, size) and seen[-1] == (size, size)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    files = {f.path: f for f in await wats.software.get_package_files(pid)}
    assert set(files) == {"Sequences/Main.seq", "Limits/limits.csv"}
    main = files["Sequences/Main.seq"]
    assert main.package_file_id is not None
    await wats.software.set_file_attribute(main.package_file_id, FileAttribute.TOP_LEVEL_FILE)
    await wats.software.set_file_attribute(main.package_file_id, "executeonce")
    await wats.software.upload_zip(str(pid), zip_bytes({"Drivers/x64/dmm.dll": b"\0" * 10}))
    files = {f.path: f for f in await wats.software.get_package_files(pid)}
    assert set(files) == {"Sequences/Main.seq", "Limits/limits.csv", "Drivers/x64/dmm.dll"}
    assert files["Sequences/Main.seq"].attribute_set == {
        FileAttribute.TOP_LEVEL_FILE,
        FileAttribute.EXECUTE_ONCE,
    }
    await wats.software.upload_zip(pid, zip_bytes({"Only/this.txt": b"x"}), True)
    assert [f.path for f in await wats.software.get_package_files(pid)] == ["Only/this.txt"]
    await wats.software.set_file_attribute(
        (await wats.software.get_package_files(pid))[0].package_file_id or "", "None"
    )
    assert (await wats.software.get_package_files(pid))[0].attribute_set == frozenset()


async def test_upload_into_a_released_package_is_refused(wats: AsyncWATS) -> None:
    released = await wats.software.get_package_by_name(ICT)
    assert released is not None and released.package_id is not None
    before = await wats.software.get_package_files(released.package_id)
    with pytest.raises(WATSBadRequestError, match="only a Draft package's files can change"):
        await wats.software.upload_zip(released.package_id, zip_bytes({"A/b": b"b"}))
    assert await wats.software.get_package_files(released.package_id) == before


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda s: s.get_package("not-a-guid"), "package_id"),
        (lambda s: s.get_package_by_name(""), "name"),
        (lambda s: s.get_package_by_name(ICT, "Live"), "status"),
        (lambda s: s.get_package_by_name(ICT, S.DRAFT, 0), "version"),
        (lambda s: s.get_packages_by_tag("Part=Number", "x"), "tag"),
        (lambda s: s.get_packages_by_tag(" ", "x"), "tag"),
        (lambda s: s.create_package("x" * 101), "name"),
        (lambda s: s.create_package("A", priority="high"), "priority"),
        (lambda s: s.create_package("A", virtual_folder_id="nope"), "virtual_folder_id"),
        (lambda s: s.create_package("A", tags=[PackageTag(key="K"), PackageTag(key="K")]), "tags"),
        (lambda s: s.update_package(Package(name="No id")), "package_id"),
        (lambda s: s.delete_package_by_name(ICT, -3), "version"),
        (lambda s: s.set_package_status(uuid.uuid4(), "Approved"), "status"),
        (lambda s: s.set_file_attribute("some-id", "Executable"), "attribute"),
        (lambda s: s.upload_zip(uuid.uuid4(), b"not a zip"), "path_or_bytes"),
        (lambda s: s.upload_zip(uuid.uuid4(), zip_bytes({})), "path_or_bytes"),
        (lambda s: s.upload_zip(uuid.uuid4(), zip_bytes({"root.txt": b"r"})), "path_or_bytes"),
        (lambda s: s.upload_zip(uuid.uuid4(), "/no/such/file.zip"), "path_or_bytes"),
        (lambda s: s.upload_zip(uuid.uuid4(), 12), "path_or_bytes"),
    ],
)
async def test_bad_arguments_are_refused_before_sending(
    wats: AsyncWATS,
    emulator: InProcessEmulator,
    call,
    field: str,  # type: ignore[no-untyped-def]
) -> None:
    before = emulator.traffic.count
    with pytest.raises(WATSValidationError) as raised:
        await call(wats.software)
    assert raised.value.field == field
    assert emulator.traffic.count == before  # nothing was sent


async def test_root_files_message_names_them(wats: AsyncWATS) -> None:
    with pytest.raises(WATSValidationError, match=r"files at its root \(readme.txt\)"):
        await wats.software.upload_zip(
            uuid.uuid4(), zip_bytes({"readme.txt": b"r", "A/b.txt": b"b"})
        )
