"""The Software screen: packages for the test stations, grouped by name, and their release
workflow.

Left: each package name with its versions and their status badges (newest first). Right: the
highlighted version (status, who changed it when, tags) and its files as a tree by folder with
their attributes; an upload shows its progress bar there.

Keys: s submit for review, b back to draft, l release, x revoke, u upload a zip (drafts),
d delete (drafts and revoked versions), / filter names, r reload; Escape cancels a load or an
upload. Only the keys the highlighted version allows are active. Every
change asks first with Cancel as the default and says what stations will receive; revoking
and deleting, which cannot be undone, need the version number typed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import anyio
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, ProgressBar, Static, Tree
from textual.widgets.tree import TreeNode

from pywats.domains.software import Package, PackageFile, PackageStatus, group_by_name
from pywats.domains.software.service import check_zip
from tui.errors import describe_error
from tui.navigation import register_screen
from tui.screen import WATSScreen
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.software_dialogs import UploadDialog, UploadRequest
from tui.widgets.software_views import (
    FileTree,
    package_summary,
    release_effect,
    revoke_effect,
    status_badge,
    unchanged_effect,
)

__all__ = ["SoftwareScreen"]

S = PackageStatus
# The change actions and the status a package must be in for each.
_NEEDS: dict[str, tuple[PackageStatus, ...]] = {
    "submit": (S.DRAFT,),
    "return_to_draft": (S.PENDING,),
    "release": (S.PENDING,),
    "revoke": (S.RELEASED,),
    "upload": (S.DRAFT,),
    "delete": (S.DRAFT, S.REVOKED),
}
_CHANGES = [*_NEEDS, "reload"]

NodeData = Package | str  # a version, or a name's group


@dataclass(frozen=True)
class ZipFacts:
    path: Path
    clean: bool
    files: int
    size: int


def _size(size: int) -> str:
    if size < 1024:
        return f"{size:,} bytes"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def _inspect(path: Path, clean: bool) -> ZipFacts:
    with path.open("rb") as handle:
        count = check_zip(handle, str(path))
    return ZipFacts(path, clean, count, path.stat().st_size)


@register_screen(
    key="8",
    title="Software",
    label="Software",
    short="Soft",
    description="Software packages for stations: versions, files, review and release",
)
class SoftwareScreen(WATSScreen):
    AUTO_FOCUS = "#software-packages"
    FILTERS = ("#software-filter",)  # Enter or Down moves to the tree
    BINDINGS = [
        # Only the moves the highlighted version allows are active (and in the footer), so
        # at most three show at a time and F1 still fits at 80 columns.
        Binding("s", "submit", "Submit", tooltip="Submit the draft for review"),
        Binding("b", "return_to_draft", "To draft", tooltip="Return the pending version to Draft"),
        Binding("l", "release", "Release", tooltip="Release the pending version to stations"),
        Binding("x", "revoke", "Revoke", tooltip="Revoke the released version"),
        Binding("u", "upload", "Upload", tooltip="Upload a zip into the draft"),
        Binding("d", "delete", "Delete", tooltip="Delete the draft or revoked version"),
        Binding("r", "reload", "Reload", show=False, tooltip="Read the packages again"),
        Binding("slash", "focus_filter", "Filter", show=False, tooltip="Filter package names"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.packages: list[Package] = []
        self.selected: Package | None = None
        self.files: dict[uuid.UUID, list[PackageFile]] = {}
        self._keep: uuid.UUID | None = None  # the version to highlight after a reload
        # Where the cursor goes once the rebuilt tree is drawn (a node has no line before).
        self._cursor_target: TreeNode[NodeData] | None = None
        self._expanded: set[str] = set()

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder="/ filter names", id="software-filter", compact=True)
        with Horizontal(id="software-main"):
            tree: Tree[NodeData] = Tree("Packages", id="software-packages")
            tree.show_root = False
            tree.auto_expand = True
            yield tree
            with Vertical(id="software-detail"):
                yield Static("Loading packages…", id="software-summary")
                with Horizontal(id="software-upload"):
                    yield Static("", id="software-upload-label", markup=False)
                    yield ProgressBar(id="software-progress", show_eta=False)
                yield FileTree("Files", id="software-files")

    def on_mount(self) -> None:
        self.query_one("#software-upload").display = False
        self.query_one(FileTree).show_message("Select a version to see its files.")
        self.action_reload()

    # ----------------------------------------------------------------- the list

    def action_reload(self) -> None:
        self.run_task(
            "list",
            lambda: self.wats.software.get_packages(),
            self.show_packages,
            self._list_failed,
            controls=["reload"],
            loading="#software-packages",
            description="Loading software packages",
        )

    def _list_failed(self, exc: Exception) -> None:
        # A failure replaces what was shown: stale packages must not look current.
        friendly = describe_error(exc)
        self.packages, self.selected = [], None
        self.query_one("#software-packages", Tree).clear()
        self.query_one("#software-summary", Static).update(
            Text(f"{friendly.title}: {friendly.message}", style="red")
        )
        self.query_one(FileTree).show_message("No packages loaded.", error=True)
        self.notify(
            friendly.message, title=friendly.title, severity="error", timeout=10, markup=False
        )

    def show_packages(self, packages: list[Package]) -> None:
        self.packages = packages
        self.files.clear()  # read again on highlight: another user may have changed them
        self._render_tree()

    def _render_tree(self) -> None:
        tree: Tree[NodeData] = self.query_one("#software-packages", Tree)
        keep = self._keep or (self.selected.package_id if self.selected else None)
        self._keep = None
        wanted = self.query_one("#software-filter", Input).value.strip().lower()
        shown = [p for p in self.packages if wanted in p.name.lower()]
        tree.clear()
        target: TreeNode[NodeData] | None = None
        for index, (name, versions) in enumerate(group_by_name(shown).items()):
            label = Text(name, style="bold")
            label.append(f"  {len(versions)}", style="dim")
            has_keep = any(p.package_id == keep for p in versions)
            expand = has_keep or name.lower() in self._expanded or (keep is None and index == 0)
            if expand:
                self._expanded.add(name.lower())  # stays open across reloads
            group = tree.root.add(label, data=name, expand=expand)
            for package in versions:
                node = group.add_leaf(self._version_label(package), data=package)
                if package.package_id == keep or (keep is None and target is None and index == 0):
                    target = node
        if not shown:
            self.selected = None
            self.query_one("#software-summary", Static).update(
                f"No package name holds '{wanted}'."
                if wanted and self.packages
                else "No software packages."
            )
            self.query_one(FileTree).show_message("Nothing to show.")
            self.refresh_bindings()
            return
        if target is None:
            # The kept version is gone (deleted, filtered out): the first name's newest.
            target = next(iter(tree.root.children), None)
            if target is not None and target.children:
                target = target.children[0]
        if target is not None:
            # Shown now: the cursor may land on the same line as before, which posts no
            # highlight, and the detail must not keep showing the version as it was.
            if isinstance(target.data, Package):
                self.show_package(target.data)
            else:
                self.selected = None
            self.refresh_bindings()
            # One pending target: typing rebuilds the tree per key, and a move queued for an
            # earlier tree would land on whatever now holds that node's old line.
            self._cursor_target = target
            self.call_after_refresh(self._move_to_target)

    def _move_to_target(self) -> None:
        target, self._cursor_target = self._cursor_target, None
        if target is None:
            return  # an earlier call already moved there
        tree = self.query_one("#software-packages", Tree)
        # Tree numbers its lines lazily, when it next renders; a refresh can come first, and
        # a node with no line yet (-1) would put the cursor on line 0, the first name.
        # last_line builds the numbering.
        if tree.last_line >= 0 and target.line >= 0:
            tree.move_cursor(target)

    @on(Input.Changed, "#software-filter")
    def _filter_changed(self) -> None:
        self._render_tree()

    @on(Input.Submitted, "#software-filter")
    def _filter_done(self) -> None:
        self.query_one("#software-packages", Tree).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#software-filter", Input).focus()

    @staticmethod
    def _version_label(package: Package) -> Text:
        text = Text(f"v{package.version} ")
        text.append_text(status_badge(package.status))
        if package.modified is not None:
            text.append(f" {package.modified:%Y-%m-%d}", style="dim")
        return text

    @on(Tree.NodeExpanded, "#software-packages")
    def _expanded_group(self, event: Tree.NodeExpanded[NodeData]) -> None:
        if isinstance(event.node.data, str):
            self._expanded.add(event.node.data.lower())

    @on(Tree.NodeCollapsed, "#software-packages")
    def _collapsed_group(self, event: Tree.NodeCollapsed[NodeData]) -> None:
        if isinstance(event.node.data, str):
            self._expanded.discard(event.node.data.lower())

    # ----------------------------------------------------------------- the detail

    @on(Tree.NodeHighlighted, "#software-packages")
    def _highlighted(self, event: Tree.NodeHighlighted[NodeData]) -> None:
        if self._cursor_target is not None or event.node is not event.control.cursor_node:
            # Posted for a tree since rebuilt, or before the cursor reached the version the
            # detail already shows: it follows the cursor as it will be, not a node gone by.
            return
        data = event.node.data
        if isinstance(data, Package):
            if data is not self.selected:  # already shown by _render_tree
                self.show_package(data)
        elif isinstance(data, str):
            self.selected = None
            self._show_group(data)
        self.refresh_bindings()

    def versions_of(self, package: Package) -> list[Package]:
        return [p for p in self.packages if p.name.lower() == package.name.lower()]

    def _show_group(self, name: str) -> None:
        versions = sorted(
            (p for p in self.packages if p.name.lower() == name.lower()),
            key=lambda p: p.version or 0,
            reverse=True,
        )
        text = Text(name, style="bold")
        text.append(f"\n{len(versions)} version{'s' if len(versions) != 1 else ''}")
        released = [p for p in versions if p.status is S.RELEASED]
        if released:
            text.append(f"; stations receive v{released[0].version}")
        else:
            text.append("; none released", style="yellow")
        self.query_one("#software-summary", Static).update(text)
        self.query_one(FileTree).show_message("Open a version to see its files.")

    def show_package(self, package: Package) -> None:
        self.selected = package
        self.query_one("#software-summary", Static).update(package_summary(package))
        pid = package.package_id
        files = self.query_one(FileTree)
        if pid is None:
            files.show_message("This package has no id.", error=True)
            return
        if pid in self.files:
            files.show_files(package, self.files[pid])
            return
        files.show_message(f"Loading the files of {package.label}…")
        self.run_task(
            "files",
            lambda: self.wats.software.get_package_files(pid),
            lambda found: self._files_loaded(package, found),
            lambda exc: self._files_failed(package, exc),
            loading="#software-files",
            description=f"Loading the files of {package.label}",
            supersede=True,
        )

    def _files_loaded(self, package: Package, files: list[PackageFile]) -> None:
        if package.package_id is not None:
            self.files[package.package_id] = files
        if self.selected is not None and self.selected.package_id == package.package_id:
            self.query_one(FileTree).show_files(package, files)

    def _files_failed(self, package: Package, exc: Exception) -> None:
        friendly = describe_error(exc)
        if self.selected is not None and self.selected.package_id == package.package_id:
            self.query_one(FileTree).show_message(
                f"Could not load the files: {friendly.message}", error=True
            )
        self.notify(
            friendly.message, title=friendly.title, severity="error", timeout=10, markup=False
        )

    # ----------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs = _NEEDS.get(action)
        if needs is not None:
            package = self.selected
            if package is None or package.status not in needs:
                return False  # not possible for what is highlighted: not offered at all
        return super().check_action(action, parameters)

    def _require(self, action: str) -> Package | None:
        package = self.selected
        if package is None or package.package_id is None:
            self.notify("Highlight a package version first.", timeout=3)
            return None
        if package.status not in _NEEDS[action]:
            self.notify(f"{package.label} is {package.status}.", timeout=3, markup=False)
            return None
        return package

    def _file_count(self, package: Package) -> int | None:
        files = self.files.get(package.package_id) if package.package_id else None
        return None if files is None else len(files)

    def action_submit(self) -> None:
        package = self._require("submit")
        if package is None:
            return
        detail = (
            f"Its files and details are frozen while it is reviewed. "
            f"{unchanged_effect(package, self.versions_of(package))}"
        )
        self._confirm_move(
            package, S.PENDING, f"Submit {package.label} for review?", detail, "Submit"
        )

    def action_return_to_draft(self) -> None:
        package = self._require("return_to_draft")
        if package is None:
            return
        detail = (
            f"It can be edited again and needs a new review. "
            f"{unchanged_effect(package, self.versions_of(package))}"
        )
        self._confirm_move(package, S.DRAFT, f"Return {package.label} to Draft?", detail, "Return")

    def action_release(self) -> None:
        package = self._require("release")
        if package is None:
            return
        detail = release_effect(package, self.versions_of(package), self._file_count(package))
        self._confirm_move(
            package, S.RELEASED, f"Release {package.label} to stations?", detail, "Release"
        )

    def action_revoke(self) -> None:
        package = self._require("revoke")
        if package is None:
            return
        self.app.push_screen(
            ConfirmDialog(
                f"Revoke {package.label}?",
                revoke_effect(package, self.versions_of(package)),
                confirm="Revoke",
                type_to_confirm=str(package.version),
            ),
            lambda yes: self._move(package, S.REVOKED) if yes else None,
        )

    def _confirm_move(
        self, package: Package, target: PackageStatus, question: str, detail: str, verb: str
    ) -> None:
        self.app.push_screen(
            ConfirmDialog(question, detail, confirm=verb),
            lambda yes: self._move(package, target) if yes else None,
        )

    def _move(self, package: Package, target: PackageStatus) -> None:
        pid = package.package_id
        assert pid is not None
        self.run_task(
            "change",
            lambda: self.wats.software.set_package_status(pid, target),
            self._moved,
            controls=_CHANGES,
            description=f"Moving {package.label} to {target.value}",
        )

    def _moved(self, package: Package) -> None:
        self.notify(f"{package.label} is now {package.status}.", timeout=4, markup=False)
        self._keep = package.package_id
        self.action_reload()

    def action_delete(self) -> None:
        package = self._require("delete")
        if package is None:
            return
        count = self._file_count(package)
        files = "its files" if count is None else f"its {count} file{'s' if count != 1 else ''}"
        if package.status is S.DRAFT:
            detail = f"The draft and {files} are removed; stations never received it."
        else:
            detail = f"The revoked version and {files} are removed; stations no longer get it."
        self.app.push_screen(
            ConfirmDialog(
                f"Delete {package.label}?",
                f"{detail} This cannot be undone.",
                confirm="Delete",
                type_to_confirm=str(package.version),
            ),
            lambda yes: self._delete(package) if yes else None,
        )

    def _delete(self, package: Package) -> None:
        pid = package.package_id
        assert pid is not None
        others = [p for p in self.versions_of(package) if p.package_id != pid]
        self.run_task(
            "change",
            lambda: self.wats.software.delete_package(pid),
            lambda deleted: self._deleted(package, deleted, others),
            controls=_CHANGES,
            description=f"Deleting {package.label}",
        )

    def _deleted(self, package: Package, deleted: bool, others: list[Package]) -> None:
        word = "Deleted" if deleted else "Already gone:"
        self.notify(f"{word} {package.label}.", timeout=4, markup=False)
        if package.package_id is not None:
            self.files.pop(package.package_id, None)
        newest = max(others, key=lambda p: p.version or 0, default=None)
        self._keep = newest.package_id if newest is not None else None
        self.selected = None
        self.action_reload()

    # ----------------------------------------------------------------- upload

    def action_upload(self) -> None:
        package = self._require("upload")
        if package is None:
            return
        self.app.push_screen(
            UploadDialog(package.label), lambda request: self._inspect(package, request)
        )

    def _inspect(self, package: Package, request: UploadRequest | None) -> None:
        if request is None:
            return
        path, clean = request
        self.run_task(
            "change",
            lambda: anyio.to_thread.run_sync(_inspect, path, clean),
            lambda facts: self._confirm_upload(package, facts),
            controls=_CHANGES,
            description=f"Reading {path.name}",
        )

    def _confirm_upload(self, package: Package, facts: ZipFacts) -> None:
        count = self._file_count(package)
        now = "its files" if count is None else f"its {count} file{'s' if count != 1 else ''}"
        how = (
            f"Clean install: {now} are removed first."
            if facts.clean
            else f"Merged into {now}; files at the same path are replaced."
        )
        detail = (
            f"{facts.files} file{'s' if facts.files != 1 else ''}, {_size(facts.size)}. "
            f"{how} Stations receive nothing of it until it is released."
        )
        self.app.push_screen(
            ConfirmDialog(
                f"Upload {facts.path.name} into {package.label}?", detail, confirm="Upload"
            ),
            lambda yes: self._upload(package, facts) if yes else None,
        )

    def _upload(self, package: Package, facts: ZipFacts) -> None:
        pid = package.package_id
        assert pid is not None
        bar = self.query_one("#software-progress", ProgressBar)
        bar.update(total=facts.size, progress=0)
        self.query_one("#software-upload-label", Static).update(f"Uploading {facts.path.name}")
        self.query_one("#software-upload").display = True

        def progress(done: int, total: int) -> None:
            bar.update(total=total, progress=done)

        self.run_task(
            "change",
            lambda: self.wats.software.upload_zip(pid, facts.path, facts.clean, progress=progress),
            lambda _: self._uploaded(package, facts),
            self._upload_failed,
            controls=_CHANGES,
            description=f"Uploading {facts.path.name} into {package.label}",
            on_cancelled=self._hide_progress,
        )

    def _hide_progress(self) -> None:
        self.query_one("#software-upload").display = False

    def _uploaded(self, package: Package, facts: ZipFacts) -> None:
        self._hide_progress()
        self.notify(f"Uploaded {facts.path.name} into {package.label}.", timeout=4, markup=False)
        if package.package_id is not None:
            self.files.pop(package.package_id, None)
        self._keep = package.package_id
        self.action_reload()

    def _upload_failed(self, exc: Exception) -> None:
        self._hide_progress()
        friendly = describe_error(exc)
        self.notify(
            friendly.message,
            title=f"Upload failed: {friendly.title}",
            severity="error",
            timeout=10,
            markup=False,
        )
