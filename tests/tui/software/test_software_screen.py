"""The Software screen with Pilot against the in-process emulator: the grouped list, the file
tree, every action with its confirmation (Cancel by default, saying what stations receive),
the upload with its progress bar, and a failed load replacing what was shown."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Input, ProgressBar, Static, Tree

from pywats.domains.software import PackageStatus
from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import idle
from tests.tui.station.confirming import confirm
from tui.screens.software import SoftwareScreen
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.software_dialogs import UploadDialog

from .conftest import ICT, SoftwareAppFactory, highlight, open_software, status_of


@pytest.fixture
def start_screen() -> str:
    return "software"


def labels(node: Any) -> list[str]:
    return [str(child.label) for child in node.children]


def text_of(widget: Static) -> str:
    return str(widget.render())


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


async def test_packages_grouped_by_name_with_versions_and_badges(
    software_app: SoftwareAppFactory,
) -> None:
    async with software_app().run_test(size=(80, 24)) as pilot:
        screen = await open_software(pilot)
        tree = screen.query_one("#software-packages", Tree)
        names = [child.data for child in tree.root.children]
        assert names == sorted(names, key=str.lower) and ICT in names
        ict = next(n for n in tree.root.children if n.data == ICT)
        assert str(ict.label) == f"{ICT}  5"
        versions = [label.split()[:2] for label in labels(ict)]
        assert versions == [
            ["v5", "Draft"],
            ["v4", "Pending"],
            ["v3", "Released"],
            ["v2", "Released"],
            ["v1", "Revoked"],
        ]
        badge = ict.children[0].label.spans  # the status word carries its badge style
        assert any("on" in str(span.style) for span in badge)
        # The first name opens with its newest version highlighted.
        assert screen.selected is not None and screen.selected.name == names[0]


async def test_detail_shows_tags_and_files_by_folder_with_attributes(
    software_app: SoftwareAppFactory,
) -> None:
    async with software_app().run_test(size=(80, 24)) as pilot:
        screen = await open_software(pilot)
        await highlight(pilot, screen, ICT, 3)
        summary = text_of(screen.query_one("#software-summary", Static))
        assert f"{ICT} v3" in summary and "Released" in summary
        assert "PartNumber=PCB-1001, StationType=ICT" in summary
        files = screen.query_one("#software-files", Tree)
        assert str(files.root.label) == f"{ICT} v3: 5 files"
        assert labels(files.root) == ["Limits/", "Sequences/", "Setup/"]
        sequences = files.root.children[1]
        assert labels(sequences) == ["Subsequences/", "Main.seq  top level"]
        assert labels(sequences.children[0]) == ["Boundary scan.seq", "Power.seq"]
        assert labels(files.root.children[2]) == ["install.cmd  run once per version"]
        # A name's own line sums it up.
        tree = screen.query_one("#software-packages", Tree)
        group = next(n for n in tree.root.children if n.data == ICT)
        tree.move_cursor(group)
        await idle(pilot)
        assert screen.selected is None
        assert "stations receive v3" in text_of(screen.query_one("#software-summary", Static))


async def test_submit_asks_with_cancel_focused_and_says_what_stations_get(
    software_app: SoftwareAppFactory, emulator: InProcessEmulator
) -> None:
    async with software_app().run_test(size=(80, 24)) as pilot:
        screen = await open_software(pilot)
        await highlight(pilot, screen, ICT, 5)
        await pilot.press("s")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.question == f"Submit {ICT} v5 for review?"
        assert "Stations keep receiving v3 (Released)" in dialog.detail
        assert isinstance(dialog.focused, Button) and dialog.focused.id == "confirm-no"
        await pilot.press("enter")  # the default cancels
        await idle(pilot)
        assert status_of(emulator, ICT, 5) == "Draft"
        await pilot.press("s")
        await pilot.pause()
        await confirm(pilot)
        await idle(pilot)
        assert status_of(emulator, ICT, 5) == "Pending"
        assert screen.selected is not None and screen.selected.version == 5
        assert screen.selected.status is PackageStatus.PENDING
        # The cursor stays on the same line; the detail shows the new status all the same.
        summary = text_of(screen.query_one("#software-summary", Static))
        assert f"{ICT} v5" in summary and "Pending" in summary and "Draft" not in summary


async def test_return_to_draft(
    software_app: SoftwareAppFactory, emulator: InProcessEmulator
) -> None:
    async with software_app().run_test(size=(80, 24)) as pilot:
        screen = await open_software(pilot)
        await highlight(pilot, screen, ICT, 4)
        await pilot.press("b")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.question == f"Return {ICT} v4 to Draft?"
        assert "keep receiving v3" in dialog.detail
        await confirm(pilot)
        await idle(pilot)
        assert status_of(emulator, ICT, 4) == "Draft"


async def test_release_names_what_stations_will_receive(
    software_app: SoftwareAppFactory, emulator: InProcessEmulator
) -> None:
    async with software_app().run_test(size=(80, 24)) as pilot:
        screen = await open_software(pilot)
        await highlight(pilot, screen, ICT, 4)
        await pilot.press("l")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.question == f"Release {ICT} v4 to stations?"
        assert dialog.detail == (
            "Stations matching PartNumber=PCB-1001, StationType=ICT will "
            "receive v4 (5 files) instead of v3."
        )
        await pilot.press("escape")
        await idle(pilot)
        assert status_of(emulator, ICT, 4) == "Pending"
        await pilot.press("l")
        await pilot.pause()
        await confirm(pilot)
        await idle(pilot)
        assert status_of(emulator, ICT, 4) == "Released"
        assert "Released" in text_of(screen.query_one("#software-summary", Static))


async def test_revoke_needs_the_version_typed(
    software_app: SoftwareAppFactory, emulator: InProcessEmulator
) -> None:
    async with software_app().run_test(size=(80, 24)) as pilot:
        screen = await open_software(pilot)
        await highlight(pilot, screen, ICT, 3)
        await pilot.press("x")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog) and dialog.expected == "3"
        assert "they will receive v2 instead" in dialog.detail
        assert "cannot be undone" in dialog.detail
        assert dialog.query_one("#confirm-yes", Button).disabled
        await pilot.press("enter")  # a stray Enter cancels
        await idle(pilot)
        assert status_of(emulator, ICT, 3) == "Released"
        await pilot.press("x")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        dialog.query_one("#confirm-typed", Input).focus()
        await pilot.press("2", "enter")  # the wrong version: nothing happens
        await pilot.pause()
        assert pilot.app.screen is dialog and dialog.query_one("#confirm-yes", Button).disabled
        await pilot.press("backspace", "3", "enter")  # right, but Enter in the field: still no
        await pilot.pause()
        assert pilot.app.screen is dialog
        assert not dialog.query_one("#confirm-yes", Button).disabled
        await pilot.press("tab", "enter")
        await idle(pilot)
        assert status_of(emulator, ICT, 3) == "Revoked"


async def test_delete_a_draft(
    software_app: SoftwareAppFactory, emulator: InProcessEmulator
) -> None:
    async with software_app().run_test(size=(80, 24)) as pilot:
        screen = await open_software(pilot)
        await highlight(pilot, screen, ICT, 5)
        await pilot.press("d")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog) and dialog.expected == "5"
        assert dialog.question == f"Delete {ICT} v5?"
        assert "its 5 files" in dialog.detail and "never received it" in dialog.detail
        await pilot.press("escape")
        await idle(pilot)
        assert status_of(emulator, ICT, 5) == "Draft"
        await pilot.press("d")
        await pilot.pause()
        await confirm(pilot, typed="5")
        await idle(pilot)
        assert status_of(emulator, ICT, 5) is None
        assert screen.selected is not None and screen.selected.version == 4  # the next one
        tree = screen.query_one("#software-packages", Tree)
        ict = next(n for n in tree.root.children if n.data == ICT)
        assert len(ict.children) == 4


@pytest.mark.parametrize(
    ("version", "refused"), [(3, "s"), (3, "d"), (3, "u"), (5, "l"), (5, "x"), (4, "s"), (1, "x")]
)
async def test_actions_that_do_not_fit_the_status_are_not_offered(
    software_app: SoftwareAppFactory, emulator: InProcessEmulator, version: int, refused: str
) -> None:
    async with software_app().run_test(size=(80, 24)) as pilot:
        screen = await open_software(pilot)
        package = await highlight(pilot, screen, ICT, version)
        action = {"s": "submit", "d": "delete", "u": "upload", "l": "release", "x": "revoke"}[
            refused
        ]
        assert screen.check_action(action, ()) is False
        footer_keys = {b.binding.key for b in screen.active_bindings.values()}
        assert refused not in footer_keys
        await pilot.press(refused)
        await idle(pilot)
        assert isinstance(pilot.app.screen, SoftwareScreen)  # no dialog opened
        assert status_of(emulator, ICT, version) == package.status


async def test_upload_shows_progress_and_the_new_files(
    software_app: SoftwareAppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_zip(
        tmp_path / "ict-v5.zip",
        {"Sequences/Main.seq": bytes(range(256)) * 4096, "Drivers/x64/new.dll": b"\x01" * 500_000},
    )
    updates: list[tuple[float | None, float, bool]] = []
    real_update = ProgressBar.update

    def spy(self: ProgressBar, **kwargs: Any) -> None:
        real_update(self, **kwargs)
        if self.id == "software-progress" and self.is_attached:
            shown = bool(self.screen.query_one("#software-upload").display)
            updates.append((self.total, self.progress, shown))

    monkeypatch.setattr(ProgressBar, "update", spy)
    async with software_app().run_test(size=(80, 24)) as pilot:
        screen = await open_software(pilot)
        await highlight(pilot, screen, ICT, 5)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(pilot.app.screen, UploadDialog)
        pilot.app.screen.query_one("#upload-path", Input).value = str(path)
        await pilot.press("enter")
        await idle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.question == f"Upload ict-v5.zip into {ICT} v5?"
        assert dialog.detail.startswith("2 files, 1.5 MB. Merged into its 5 files")
        await confirm(pilot)
        await idle(pilot)
        size = path.stat().st_size
        shown = [
            (total, progress) for total, progress, visible in updates if visible and total == size
        ]
        assert shown[-1] == (size, size)  # the bar reached the end, on screen
        assert len({progress for _, progress in shown}) > 10  # it moved as it went
        assert [p for _, p in shown] == sorted(p for _, p in shown)
        assert not screen.query_one("#software-upload").display  # hidden once done
        files = screen.query_one("#software-files", Tree)
        assert str(files.root.label) == f"{ICT} v5: 6 files"
        assert "Drivers/" in labels(files.root)


async def test_upload_of_a_zip_with_root_files_is_refused_before_sending(
    software_app: SoftwareAppFactory, emulator: InProcessEmulator, tmp_path: Path
) -> None:
    path = write_zip(tmp_path / "flat.zip", {"Main.seq": b"m"})
    async with software_app().run_test(size=(80, 24)) as pilot:
        screen = await open_software(pilot)
        await highlight(pilot, screen, ICT, 5)
        before = emulator.traffic.count
        await pilot.press("u")
        await pilot.pause()
        pilot.app.screen.query_one("#upload-path", Input).value = str(path)
        await pilot.press("enter")
        await idle(pilot)
        assert isinstance(pilot.app.screen, SoftwareScreen)  # no confirmation for a bad zip
        assert emulator.traffic.count == before
        assert any("files at its root" in n.message for n in pilot.app._notifications)
        missing = tmp_path / "nope.zip"
        await pilot.press("u")
        await pilot.pause()
        pilot.app.screen.query_one("#upload-path", Input).value = str(missing)
        await pilot.press("enter")
        await pilot.pause()
        assert "is not a file" in text_of(pilot.app.screen.query_one("#upload-error", Static))
        await pilot.press("escape")
        await idle(pilot)
        assert isinstance(pilot.app.screen, SoftwareScreen)


async def test_a_failed_load_replaces_what_was_shown(
    software_app: SoftwareAppFactory, emulator: InProcessEmulator
) -> None:
    async with software_app().run_test(size=(80, 24)) as pilot:
        screen = await open_software(pilot)
        assert screen.query_one("#software-packages", Tree).root.children
        emulator.faults.update(
            error_rate=1.0, error_status=500, path_prefix="/api/Software/Packages"
        )
        await pilot.press("r")
        await idle(pilot)
        assert not screen.query_one("#software-packages", Tree).root.children
        assert screen.selected is None
        assert "Server error" in text_of(
            screen.query_one("#software-summary", Static)
        ) or "500" in text_of(screen.query_one("#software-summary", Static))
        emulator.faults.update(error_rate=0.0)
        await pilot.press("r")
        await idle(pilot)
        assert screen.query_one("#software-packages", Tree).root.children


async def test_escape_cancels_an_upload_in_flight(
    software_app: SoftwareAppFactory, emulator: InProcessEmulator, tmp_path: Path
) -> None:
    path = write_zip(tmp_path / "slow.zip", {"Sequences/Slow.seq": b"s" * 300_000})
    async with software_app().run_test(size=(80, 24)) as pilot:
        screen = await open_software(pilot)
        await highlight(pilot, screen, ICT, 5)
        emulator.faults.update(latency=30.0, path_prefix="/api/Software/Package/UploadZip")
        await pilot.press("u")
        await pilot.pause()
        pilot.app.screen.query_one("#upload-path", Input).value = str(path)
        await pilot.press("enter")
        await idle(pilot)
        await confirm(pilot)
        for _ in range(100):
            if screen.task_running("change"):
                break
            await pilot.pause(0.02)
        assert screen.query_one("#software-upload").display  # the bar is up while it runs
        await pilot.press("escape")
        await idle(pilot)
        assert not screen.task_running("change")
        assert not screen.query_one("#software-upload").display
        assert isinstance(pilot.app.screen, SoftwareScreen)  # Escape cancelled, did not leave
        emulator.faults.update(latency=0.0)
        names = emulator.store.query(
            "SELECT f.name FROM software_file f JOIN software_package p USING (package_id) "
            "WHERE p.name = ? AND p.version = 5",
            (ICT,),
        )
        assert "Slow.seq" not in {row["name"] for row in names}


async def test_slash_filters_names_as_you_type(software_app: SoftwareAppFactory) -> None:
    async with software_app().run_test(size=(80, 24)) as pilot:
        screen = await open_software(pilot)
        tree = screen.query_one("#software-packages", Tree)
        await pilot.press("slash", *"pcb-1001")
        await idle(pilot)
        assert [n.data for n in tree.root.children] == ["PCB-1001 FCT limits", ICT]
        assert screen.selected is not None and screen.selected.name == "PCB-1001 FCT limits"
        await pilot.press("s")  # typed into the filter, not a command
        await idle(pilot)
        assert not tree.root.children
        assert "No package name holds 'pcb-1001s'" in text_of(
            screen.query_one("#software-summary", Static)
        )
        assert screen.selected is None
        await pilot.press("backspace", "enter")  # Enter goes back to the list
        await idle(pilot)
        assert screen.focused is tree and len(tree.root.children) == 2
