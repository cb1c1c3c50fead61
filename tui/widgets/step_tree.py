"""A report's step tree: status colours, passing sequences collapsed, jump to the next failure.

Failures open up: every sequence on the path to a failed step starts expanded, the rest start
collapsed, so a technician sees where the unit failed without scrolling through what passed.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from pywats.domains.report import Step, UUTReport

__all__ = ["STATUS_LOOK", "StepTree", "status_text"]

# status -> (glyph, word, Rich style); readable in 256 colours on dark and light themes.
STATUS_LOOK: dict[str, tuple[str, str, str]] = {
    "P": ("✓", "Passed", "green"),
    "F": ("✗", "Failed", "bold red"),
    "E": ("!", "Error", "bold magenta"),
    "T": ("■", "Terminated", "bold yellow"),
    "S": ("○", "Skipped", "dim"),
    "D": ("•", "Done", ""),
    "U": ("?", "Unknown", "dim"),
}
_FAILING = ("F", "E", "T")


def status_text(status: object) -> Text:
    """``✓ Passed`` in the status colour."""
    code = str(status or "U")
    glyph, word, style = STATUS_LOOK.get(code, ("?", code, ""))
    return Text(f"{glyph} {word}", style=style)


def _value_hint(step: Step) -> str:
    """A short summary after the name: the single value with its unit, or a count."""
    measures = step.measurements
    if not measures:
        return ""
    if len(measures) > 1:
        return f"  [{len(measures)}]"
    if step.numeric_meas:
        meas = step.numeric_meas[0]
        if meas.value is None:
            return ""
        unit = f" {meas.unit}" if meas.unit else ""
        return f"  {meas.value:g}{unit}" if isinstance(meas.value, int | float) else ""
    if step.string_meas:
        value = step.string_meas[0].value or ""
        return f"  {value[:16]!r}" if value else ""
    return ""


def step_label(step: Step) -> Text:
    code = str(step.status or "U")
    glyph, _, style = STATUS_LOOK.get(code, ("?", code, ""))
    label = Text(f"{glyph} ", style=style)
    label.append(step.name or "(unnamed)", style=style if code in _FAILING else "")
    if step.chart is not None:
        label.append(" ⌁", style="cyan")
    hint = _value_hint(step)
    if hint:
        label.append(hint, style="dim")
    return label


def _is_failure_origin(step: Step) -> bool:
    """A failing step whose failure did not come from a failing child."""
    if str(step.status) not in _FAILING:
        return False
    return not any(str(child.status) in _FAILING for child in step.steps or ())


class StepTree(Tree[Step]):
    """The step tree of one test report. ``f``/``F`` move to the next/previous failure."""

    BINDINGS = [
        Binding("f", "next_failure", "Next failure", id="steps-next-failure"),
        Binding("F", "previous_failure", "Prev failure", show=False, id="steps-prev-failure"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Steps", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.failures: list[TreeNode[Step]] = []

    def show_report(self, report: UUTReport) -> None:
        self.clear()
        self.failures = []
        root = report.root
        if root is None:
            self.root.add_leaf(Text("This report has no steps.", style="italic"))
            return
        self._add(self.root, root)
        self.root.expand()
        self._relayout()
        self.move_cursor(self.root.children[0] if self.root.children else None)

    def _add(self, parent: TreeNode[Step], step: Step) -> None:
        children = step.steps or []
        if children:
            node = parent.add(step_label(step), data=step)
            for child in children:
                self._add(node, child)
            # Open only what leads to a failure; the root always shows its groups.
            if str(step.status) in _FAILING or parent is self.root:
                node.expand()
        else:
            node = parent.add_leaf(step_label(step), data=step)
        if _is_failure_origin(step):
            self.failures.append(node)

    def action_next_failure(self) -> None:
        self._jump(forward=True)

    def action_previous_failure(self) -> None:
        self._jump(forward=False)

    def _jump(self, *, forward: bool) -> None:
        if not self.failures:
            self.notify("No step failed in this report.", timeout=3)
            return
        current = self.cursor_node
        order = [node.id for node in self._pre_order()]
        position = order.index(current.id) if current is not None and current.id in order else -1
        ranked = sorted(self.failures, key=lambda node: order.index(node.id))
        if forward:
            target = next((n for n in ranked if order.index(n.id) > position), ranked[0])
        else:
            target = next((n for n in reversed(ranked) if order.index(n.id) < position),
                          ranked[-1])  # fmt: skip
        self.select_step(target)

    def select_step(self, node: TreeNode[Step]) -> None:
        """Open the sequences above ``node``, put the cursor on it and scroll it into view."""
        ancestor = node.parent
        while ancestor is not None:
            ancestor.expand()
            ancestor = ancestor.parent
        self._relayout()
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)

    def _relayout(self) -> None:
        # Line numbers of nodes are assigned when the lines are rebuilt; moving the cursor
        # right after expanding needs them now, not at the next repaint.
        _ = self._tree_lines

    def find_step(self, step_id: int) -> TreeNode[Step] | None:
        return next(
            (n for n in self._pre_order() if n.data is not None and n.data.id == step_id), None
        )

    def _pre_order(self) -> list[TreeNode[Step]]:
        found: list[TreeNode[Step]] = []

        def visit(node: TreeNode[Step]) -> None:
            found.append(node)
            for child in node.children:
                visit(child)

        for child in self.root.children:
            visit(child)
        return found
