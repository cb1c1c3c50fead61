"""How the Software screen shows packages: status badges, the summary of one version, its files
as a tree by folder, and the sentences its confirmations use to say what stations receive."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from pywats.domains.software import FileAttribute, Package, PackageFile, PackageStatus

__all__ = [
    "FileTree",
    "package_summary",
    "release_effect",
    "revoke_effect",
    "status_badge",
    "tag_text",
    "unchanged_effect",
]

# 256-colour styles: readable on dark and light themes, distinct without colour (the word).
_BADGE = {
    PackageStatus.DRAFT: "bold black on rgb(215,175,0)",
    PackageStatus.PENDING: "bold white on rgb(0,95,175)",
    PackageStatus.RELEASED: "bold white on rgb(0,135,0)",
    PackageStatus.REVOKED: "bold white on rgb(175,0,0)",
}
_ATTRIBUTE_WORDS = {
    FileAttribute.EXECUTE_ALWAYS: "run always",
    FileAttribute.EXECUTE_ONCE: "run once",
    FileAttribute.EXECUTE_ONCE_PER_VERSION: "run once per version",
    FileAttribute.TOP_LEVEL_FILE: "top level",
    FileAttribute.OVERWRITE_NEVER: "never overwrite",
    FileAttribute.OVERWRITE_ON_NEW_PACKAGE_VERSION: "overwrite on new version",
}


def status_badge(status: PackageStatus | None) -> Text:
    if status is None:
        return Text(" ? ", style="reverse")
    return Text(f" {status.value} ", style=_BADGE[status])


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else "-"


def tag_text(package: Package) -> str:
    return ", ".join(f"{tag.key}={tag.value}" for tag in package.tags) or "no tags"


def package_summary(package: Package) -> Text:
    """Name, version and status; description; who did what when; tags."""
    text = Text()
    text.append(package.label, style="bold")
    text.append("  ")
    text.append_text(status_badge(package.status))
    if package.description:
        text.append(f"\n{package.description}", style="italic")
    text.append(f"\nCreated  {_when(package.created)}  {package.created_by or ''}", style="dim")
    text.append(f"\nModified {_when(package.modified)}  {package.modified_by or ''}", style="dim")
    if package.released is not None:
        text.append(f"\nReleased {_when(package.released)}  {package.released_by or ''}")
    if package.revoked is not None:
        text.append(f"\nRevoked  {_when(package.revoked)}  {package.revoked_by or ''}", style="red")
    text.append("\nTags ", style="bold")
    text.append(tag_text(package))
    return text


def attribute_words(file: PackageFile) -> str:
    members = [m for m in FileAttribute if m in file.attribute_set]  # in declaration order
    return ", ".join(_ATTRIBUTE_WORDS[m] for m in members)


@dataclass
class _Folder:
    name: str
    folders: dict[str, _Folder] = field(default_factory=dict)
    files: list[PackageFile] = field(default_factory=list)


class FileTree(Tree[PackageFile | None]):
    """A package's files by folder (folders first, then files, each in name order), each file
    with its attributes."""

    def show_files(self, package: Package, files: Sequence[PackageFile]) -> None:
        self.clear()
        count = len(files)
        self.root.set_label(Text(f"{package.label}: {count} file{'s' if count != 1 else ''}"))
        top = _Folder("")
        for file in files:
            folder = top
            for part in [p for p in file.folder.split("/") if p]:
                folder = folder.folders.setdefault(part.lower(), _Folder(part))
            folder.files.append(file)
        self._add(self.root, top)
        self.root.expand_all()

    def _add(self, node: TreeNode[PackageFile | None], folder: _Folder) -> None:
        for key in sorted(folder.folders):
            child = folder.folders[key]
            branch = node.add(Text(f"{child.name}/", style="bold"), data=None, expand=True)
            self._add(branch, child)
        for file in sorted(folder.files, key=lambda f: f.name.lower()):
            label = Text(file.name)
            words = attribute_words(file)
            if words:
                label.append(f"  {words}", style="dim italic")
            node.add_leaf(label, data=file)

    def show_message(self, message: str, *, error: bool = False) -> None:
        self.clear()
        self.root.set_label(Text(message, style="red" if error else "dim"))


def _stations(package: Package) -> str:
    """Which stations a package goes to: those whose tags match its tags."""
    if package.tags:
        return f"Stations matching {tag_text(package)}"
    return f"Stations that install {package.name}"


def _others(package: Package, versions: Iterable[Package]) -> list[Package]:
    return [
        p
        for p in versions
        if p.status is PackageStatus.RELEASED and p.package_id != package.package_id
    ]


def _newest(packages: list[Package]) -> Package | None:
    return max(packages, key=lambda p: p.version or 0, default=None)


def release_effect(package: Package, versions: Iterable[Package], file_count: int | None) -> str:
    """What stations receive once ``package`` is released."""
    current = _newest(_others(package, versions))
    files = (
        "its files" if file_count is None else f"{file_count} file{'s' if file_count != 1 else ''}"
    )
    who = _stations(package)
    if current is None:
        return f"{who} will receive {package.label} ({files}); no version is released now."
    if (current.version or 0) > (package.version or 0):
        return (
            f"{who} keep receiving v{current.version}, the newer release; "
            f"v{package.version} ({files}) is released beside it."
        )
    return f"{who} will receive v{package.version} ({files}) instead of v{current.version}."


def revoke_effect(package: Package, versions: Iterable[Package]) -> str:
    """What stations receive once ``package`` is revoked."""
    fallback = _newest(_others(package, versions))
    who = _stations(package)
    if fallback is None:
        return (
            f"{who} stop receiving {package.label} and remove it; no other version of "
            f"{package.name} is released, so they will receive none. This cannot be undone."
        )
    return (
        f"{who} stop receiving v{package.version} and remove it; they will receive "
        f"v{fallback.version} instead. This cannot be undone."
    )


def unchanged_effect(package: Package, versions: Iterable[Package]) -> str:
    """Stations' view while ``package`` moves between Draft and Pending."""
    current = _newest(_others(package, versions))
    if current is None:
        return f"Stations receive nothing of {package.name} until a version is released."
    return f"Stations keep receiving v{current.version} (Released) until a new one is released."
