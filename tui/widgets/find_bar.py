"""``/`` on any list or tree: find rows or nodes by their text, without asking the server.

The bar opens at the bottom of the screen's body. Typing moves the cursor of the list to the
first row (or tree node) whose text holds what was typed, any case; Down / Up go to the next /
previous match, Enter goes back to the list at the match, Escape closes the bar. In a tree of
report steps (nodes whose data have a ``status``), ctrl+f toggles "failed steps only": matches
are then failed, errored or terminated steps, and an empty search lists all of them.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, DataTable, Input, Static, Tree
from textual.widgets.tree import NodeID, TreeNode

from tui.widgets.clipboard import cell_text

__all__ = ["FindBar"]

_FAILING = ("F", "E", "T")

Target = DataTable[Any] | Tree[Any]


def _has_status(tree: Tree[Any]) -> bool:
    return any(hasattr(node.data, "status") for node in _nodes(tree))


def _nodes(tree: Tree[Any]) -> list[TreeNode[Any]]:
    found: list[TreeNode[Any]] = []

    def visit(node: TreeNode[Any]) -> None:
        found.append(node)
        for child in node.children:
            visit(child)

    if tree.show_root:
        visit(tree.root)
    else:
        for child in tree.root.children:
            visit(child)
    return found


class FindBar(Horizontal):
    """Find within ``target`` (a table or tree). See the module docstring."""

    BINDINGS = [
        Binding("escape", "close", "Close find", id="find-close"),
        Binding("down", "step(1)", "Next match", id="find-next"),
        Binding("up", "step(-1)", "Previous match", id="find-previous"),
        Binding("ctrl+f", "toggle_failed", "Failed only", id="find-failed"),
    ]

    def __init__(self, target: Target, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.target: Target = target
        self.matches: list[int] = []  # row indexes, or node ids (NodeID) in a tree
        self.position = -1

    def compose(self) -> ComposeResult:
        yield Static("Find", id="find-label")
        yield Input(placeholder="text in the list; ↓↑ next/previous", id="find-input",
                    compact=True)  # fmt: skip
        yield Checkbox("failed only ^f", id="find-failed-only", compact=True)
        yield Static("", id="find-count")

    def on_mount(self) -> None:
        self._offer_failed_toggle()
        self.query_one("#find-input", Input).focus()

    # ----------------------------------------------------------------- public

    @property
    def can_filter_failed(self) -> bool:
        return isinstance(self.target, Tree) and _has_status(self.target)

    @property
    def failed_only(self) -> bool:
        return self.can_filter_failed and self.query_one("#find-failed-only", Checkbox).value

    def attach(self, target: Target) -> None:
        """Search ``target`` from now on (``/`` again, maybe on another list)."""
        self.target = target
        self.display = True
        self._offer_failed_toggle()
        self.query_one("#find-input", Input).focus()
        self._search(jump=False)

    # ----------------------------------------------------------------- events

    def _offer_failed_toggle(self) -> None:
        self.query_one("#find-failed-only", Checkbox).display = self.can_filter_failed

    @on(Input.Changed, "#find-input")
    def _changed(self) -> None:
        self._search(jump=True)

    @on(Checkbox.Changed, "#find-failed-only")
    def _toggled(self) -> None:
        self._search(jump=True)

    @on(Input.Submitted, "#find-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.target.focus()

    def action_close(self) -> None:
        self.display = False
        self.target.focus()

    def action_step(self, delta: int) -> None:
        if not self.matches:
            self.app.bell()
            return
        self.position = (self.position + delta) % len(self.matches)
        self._show(self.position)

    def action_toggle_failed(self) -> None:
        if self.can_filter_failed:
            box = self.query_one("#find-failed-only", Checkbox)
            box.value = not box.value

    # ----------------------------------------------------------------- searching

    def _search(self, *, jump: bool) -> None:
        needle = self.query_one("#find-input", Input).value.strip().casefold()
        target = self.target
        if isinstance(target, DataTable):
            self.matches = [
                index
                for index in range(target.row_count)
                if needle
                and any(needle in cell_text(value).casefold() for value in target.get_row_at(index))
            ]
        else:
            failed_only = self.failed_only
            self.matches = [
                node.id
                for node in _nodes(target)
                if (not failed_only or str(getattr(node.data, "status", "")) in _FAILING)
                and (needle or failed_only)
                and needle in self._node_text(node).casefold()
            ]
        self.position = 0 if self.matches else -1
        if jump and self.matches:
            self._show(0)
        else:
            self._count()

    @staticmethod
    def _node_text(node: TreeNode[Any]) -> str:
        name = getattr(node.data, "name", None)
        return name if isinstance(name, str) else cell_text(node.label)

    def _show(self, position: int) -> None:
        target = self.target
        match = self.matches[position]
        if isinstance(target, DataTable):
            target.move_cursor(row=match, animate=False)
        else:
            node = target.get_node_by_id(NodeID(match))
            select = getattr(target, "select_step", None)
            if callable(select):
                select(node)  # opens the sequences above it and scrolls it into view
            else:
                ancestor = node.parent
                while ancestor is not None:
                    ancestor.expand()
                    ancestor = ancestor.parent
                _ = target._tree_lines  # line numbers now, so the cursor can move to it
                target.move_cursor(node)
                target.scroll_to_node(node, animate=False)
        self._count()

    def _count(self) -> None:
        text = self.query_one("#find-input", Input).value.strip()
        count = self.query_one("#find-count", Static)
        if not self.matches:
            count.update("no match" if text or self.failed_only else "")
        else:
            count.update(f"{self.position + 1}/{len(self.matches)}")
