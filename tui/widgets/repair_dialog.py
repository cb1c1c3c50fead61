"""The repair (UUR) form of the Units screen, and how its answer becomes a repair report.

The dialog only collects input: which failed test report is repaired, the repair operation,
the fail codes found (from that operation's fail-code tree), the component reference and a
comment. The Units screen confirms the change and submits it through its worker;
:func:`build_repair` turns the answer into a report with the SDK's :class:`UURBuilder`.
"""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, Tree
from textual.widgets.tree import TreeNode

from pywats.domains.process.models import RepairCategory
from pywats.domains.report import UURBuilder, UURReport, UUTReport
from pywats.domains.report.query import ReportHeader
from tui.widgets.unit_views import failure_step_path, header_when

__all__ = [
    "FailCodeTree",
    "RepairDialog",
    "RepairProcess",
    "RepairRequest",
    "build_repair",
    "describe_repair",
    "operator_name",
    "station_name",
]

REPAIR_PURPOSE = "Repair"


def station_name() -> str:
    """The station a repair is recorded at: this machine's name."""
    return socket.gethostname() or "unknown station"


def operator_name() -> str:
    """Who repaired it: the login name on this station."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container), no login name
        return "unknown"


@dataclass(frozen=True)
class RepairProcess:
    """A repair operation and its fail-code tree (categories holding fail codes)."""

    code: int
    name: str
    categories: list[RepairCategory]


@dataclass(frozen=True)
class RepairRequest:
    """What the technician entered: the failed report, the repair operation, the fail codes
    found as ``(category, code)`` pairs, the component reference and a comment."""

    report: ReportHeader
    process: RepairProcess
    fail_codes: tuple[tuple[str, str], ...]
    com_ref: str
    comment: str


def describe_repair(request: RepairRequest) -> str:
    """What a confirmation says will be sent."""
    header = request.report
    codes = "; ".join(f"{category} / {code}" for category, code in request.fail_codes)
    lines = [
        f"{request.process.name} ({request.process.code}) of the {header.process_name or 'test'} "
        f"failure of {header_when(header.start)} at {header.station_name or '?'}.",
        f"Fail codes: {codes}",
    ]
    if request.com_ref:
        lines.append(f"Component: {request.com_ref}")
    if request.comment:
        lines.append(f"Comment: {request.comment}")
    lines.append(f"Recorded at {station_name()} by {operator_name()}.")
    return "\n".join(lines)


def build_repair(
    failed: UUTReport,
    request: RepairRequest,
    *,
    station: str | None = None,
    operator: str | None = None,
) -> UURReport:
    """The repair report, built with the SDK's UURBuilder from the failed test report.

    Each fail code becomes a failure on the repaired unit, pointing at the step where the
    test failed (the header's failing step if the report has it, else its first failed step).
    """
    builder = UURBuilder.from_uut(
        failed,
        repair_process_code=request.process.code,
        station=station or station_name(),
        location=failed.location or "",
        purpose=REPAIR_PURPOSE,
        operator=operator or operator_name(),
        comment=request.comment or None,
    )
    paths = {path for path, _ in failed.walk()}
    wanted = request.report.caused_uut_failure_path
    step: str | int | None = wanted if wanted in paths else None
    if step is None and builder.failed_steps:
        step = builder.failed_steps[0].id
    for category, code in request.fail_codes:
        builder.add_failure(
            category,
            code,
            step=step,
            com_ref=request.com_ref or None,
            comment=request.comment or None,
        )
    return builder.build()


# ----------------------------------------------------------------- the fail-code tree


@dataclass(frozen=True)
class _Code:
    category: str
    code: str


class FailCodeTree(Tree[_Code | None]):
    """Categories with their fail codes; Space or Enter marks a code (several may be), and
    opens or closes a category."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Fail codes", id=id)
        self.border_title = "Fail codes"
        self.show_root = False
        self.guide_depth = 2
        self.marked: list[_Code] = []

    def show_categories(self, categories: list[RepairCategory]) -> None:
        self.clear()
        self.marked = []
        ordered = sorted(categories, key=lambda c: (c.sort_order is None, c.sort_order or 0))
        for category in ordered:
            node = self.root.add(Text(category.description, style="bold"), data=None)
            for code in sorted(
                category.failcodes, key=lambda c: (c.sort_order is None, c.sort_order or 0)
            ):
                if code.selectable:
                    item = _Code(category.description, code.description)
                    node.add_leaf(self._label(item), data=item)
            node.expand()
        if not categories:
            self.root.add_leaf(Text("This repair operation has no fail codes.", style="italic"))
        self.root.expand()
        # Once the new nodes are laid out in lines: the cursor on the first code.
        self.call_after_refresh(self.move_cursor, self._first_code())

    def _first_code(self) -> TreeNode[_Code | None] | None:
        for category in self.root.children:
            if category.children:
                return category.children[0]
        return None

    def _label(self, code: _Code) -> Text:
        marked = code in self.marked
        text = Text("[x] " if marked else "[ ] ", style="bold green" if marked else "dim")
        text.append(code.code, style="bold" if marked else "")
        return text

    def action_toggle_mark(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.data is None:
            node.toggle()  # a category opens and closes
            return
        code = node.data
        if code in self.marked:
            self.marked.remove(code)
        else:
            self.marked.append(code)
        node.set_label(self._label(code))
        self._show_marks()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[_Code | None]) -> None:
        event.stop()
        self._show_marks()

    def _show_marks(self) -> None:
        """The border says what Space does here and how many codes are marked."""
        node = self.cursor_node
        what = "Space marks it" if node is not None and node.data is not None else "Space opens"
        self.border_subtitle = f"{what} · {len(self.marked)} marked"

    def action_toggle_node(self) -> None:
        """Space (the Tree's own toggle key) marks the highlighted code."""
        self.action_toggle_mark()

    def on_tree_node_selected(self, event: Tree.NodeSelected[_Code | None]) -> None:
        event.stop()
        if event.node.data is not None:
            self.action_toggle_mark()


# ----------------------------------------------------------------- the dialog


class RepairDialog(ModalScreen[RepairRequest | None]):
    """The repair form; returns the technician's answer, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Submit", show=False),
    ]

    def __init__(
        self, unit_label: str, failed: list[ReportHeader], processes: list[RepairProcess]
    ) -> None:
        super().__init__()
        self.unit_label = unit_label
        self.failed = failed
        self.processes = processes

    def compose(self) -> ComposeResult:
        with Vertical(id="repair-panel"):
            yield Static(Text(f"Repair {self.unit_label}", style="bold"), id="repair-title")
            with Horizontal(classes="repair-row"):
                yield Label("Report", classes="repair-label")
                yield Select(
                    [(self._report_prompt(h), h.uuid or "") for h in self.failed],
                    value=self.failed[0].uuid or "",
                    allow_blank=False,
                    compact=True,
                    id="repair-report",
                )
            with Horizontal(classes="repair-row"):
                yield Label("Process", classes="repair-label")
                yield Select(
                    [(f"{p.name} ({p.code})", p.code) for p in self.processes],
                    value=self.processes[0].code,
                    allow_blank=False,
                    compact=True,
                    id="repair-process",
                )
            yield Static(id="repair-step")
            yield FailCodeTree(id="repair-codes")
            with Horizontal(classes="repair-row"):
                yield Label("Comp ref", classes="repair-label")
                yield Input(placeholder="component reference, e.g. U7", compact=True,
                            id="repair-ref")  # fmt: skip
            with Horizontal(classes="repair-row"):
                yield Label("Comment", classes="repair-label")
                yield Input(placeholder="what was done", compact=True, id="repair-comment")
            yield Static("", id="repair-error")
            with Horizontal(id="repair-buttons"):
                yield Button("Submit…", id="repair-submit", variant="warning", compact=True)
                yield Button("Cancel", id="repair-cancel", compact=True)
            yield Static(self._hint(), id="repair-hint")

    # What the keys do where the focus is, so a technician (or a script) knows before typing.
    _HINTS: ClassVar[dict[str, str]] = {
        "repair-report": "Enter lists the unit's failed reports",
        "repair-process": "Enter lists the repair operations",
        "repair-codes": "Space marks a code · Tab next field",
        "repair-ref": "The component repaired, e.g. U7 · Enter or Tab: next",
        "repair-comment": "What was done · Enter goes to Submit",
        "repair-submit": "Enter asks to confirm the repair",
        "repair-cancel": "Enter cancels",
    }

    def _hint(self, focused: str = "repair-codes") -> str:
        what = self._HINTS.get(focused, "Tab next field")
        return f"{what} · Esc cancels · as {operator_name()} at {station_name()}"

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.query_one("#repair-hint", Static).update(self._hint(event.widget.id or ""))

    @staticmethod
    def _report_prompt(header: ReportHeader) -> str:
        return (
            f"{header_when(header.start)} {header.process_name or header.process_code} "
            f"{header.station_name or ''}"
        ).strip()

    def on_mount(self) -> None:
        self._show_report()
        self._show_codes()
        self.query_one(FailCodeTree).focus()

    @property
    def report(self) -> ReportHeader:
        uuid = self.query_one("#repair-report", Select).value
        return next((h for h in self.failed if h.uuid == uuid), self.failed[0])

    @property
    def process(self) -> RepairProcess:
        code = self.query_one("#repair-process", Select).value
        return next((p for p in self.processes if p.code == code), self.processes[0])

    def _show_report(self) -> None:
        where = failure_step_path(self.report)
        text = Text("Failed at: ", style="bold red")
        text.append(where or "(the report names no step)")
        self.query_one("#repair-step", Static).update(text)

    def _show_codes(self) -> None:
        self.query_one(FailCodeTree).show_categories(self.process.categories)

    @on(Select.Changed, "#repair-report")
    def _report_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._show_report()

    @on(Select.Changed, "#repair-process")
    def _process_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._show_codes()  # another operation, another tree: marks start over

    @on(Input.Submitted, "#repair-ref")
    def _ref_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#repair-comment", Input).focus()

    @on(Input.Submitted, "#repair-comment")
    def _comment_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#repair-submit", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "repair-submit":
            self.action_submit()
        else:
            self.action_cancel()

    def action_submit(self) -> None:
        marked = self.query_one(FailCodeTree).marked
        if not marked:
            self.query_one("#repair-error", Static).update(
                Text("Mark at least one fail code (Space).", style="bold red")
            )
            self.query_one(FailCodeTree).focus()
            return
        self.dismiss(
            RepairRequest(
                report=self.report,
                process=self.process,
                fail_codes=tuple((code.category, code.code) for code in marked),
                com_ref=self.query_one("#repair-ref", Input).value.strip(),
                comment=self.query_one("#repair-comment", Input).value.strip(),
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
