"""The Tickets screen: root-cause tickets by status, with search, and each ticket's thread.

Left: tickets in the chosen status (number, status, priority, subject), newest first; ``/``
searches subjects, tag names and tag values as you type. Right: the highlighted ticket and its
history. Keys: c comment, a assign, s status, x attach a file, o open the linked report,
n new ticket, A archive (Solved only), f cycle the status filter, v all tickets / assigned to
you / followed by you, r reload. Every change asks first, naming what will change.

The server never says who a ticket is assigned to; the screen shows what this session learnt
and asks for the assignee when a change needs one it does not know.
"""

from __future__ import annotations

import mimetypes
import uuid
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select, Static

from pywats.domains.rootcause import Ticket, TicketPriority, TicketStatus, TicketView
from tui.errors import describe_error
from tui.navigation import register_screen
from tui.screen import WATSScreen
from tui.screens.report_viewer import ReportViewerScreen
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.form_dialog import FormDialog, FormField
from tui.widgets.table import Table
from tui.widgets.ticket_views import PRIORITY_CHOICES, TicketDetail, status_text

__all__ = ["STATUS_FILTERS", "TicketsScreen"]

SEARCH_DELAY = 0.3
MAX_ATTACHMENT = 10 * 1024 * 1024

STATUS_FILTERS: list[tuple[str, int]] = [
    ("Active", int(TicketStatus.active())),
    ("Open", int(TicketStatus.OPEN)),
    ("In progress", int(TicketStatus.IN_PROGRESS)),
    ("On hold", int(TicketStatus.ON_HOLD)),
    ("Solved", int(TicketStatus.SOLVED)),
    ("Closed", int(TicketStatus.CLOSED)),
    ("Archived", int(TicketStatus.ARCHIVED)),
    ("All", int(TicketStatus.every())),
]
_CHANGES: list[tuple[str, str]] = [
    (status.label, str(int(status)))
    for status in (
        TicketStatus.OPEN,
        TicketStatus.IN_PROGRESS,
        TicketStatus.ON_HOLD,
        TicketStatus.SOLVED,
        TicketStatus.CLOSED,
    )
]


_VIEW_WORDS = {
    TicketView.ALL: "",
    TicketView.ASSIGNED: ", assigned to you (v: all)",
    TicketView.FOLLOWING: ", that you follow (v: all)",
}


def _check_file(text: str) -> str | None:
    path = Path(text).expanduser()
    if not path.is_file():
        return f"No file at {path}."
    if path.stat().st_size > MAX_ATTACHMENT:
        return "The file is larger than 10 MB."
    return None


@register_screen(
    key="9",
    title="Root-cause tickets",
    label="Tickets",
    short="Tkts",
    description="Root-cause tickets: the thread, comments, assignment, status",
)
class TicketsScreen(WATSScreen):
    AUTO_FOCUS = "#tickets-table"
    FILTERS = ("#tickets-search",)  # Enter or Down moves to the list
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="tickets-search", show=False),
        Binding("m", "comment", "Comment", id="tickets-comment"),  # c copies (every screen)
        Binding("a", "assign", "Assign", id="tickets-assign"),
        Binding("s", "change_status", "Status", id="tickets-status"),
        Binding("o", "open_report", "Report", id="tickets-report"),
        Binding("x", "attach", "Attach file", id="tickets-attach", show=False),
        Binding("n", "new_ticket", "New", id="tickets-new", show=False),
        Binding("A", "archive", "Archive", id="tickets-archive", show=False),
        Binding("f", "cycle_status", "Status filter", id="tickets-filter", show=False),
        Binding("v", "cycle_view", "All / mine / following", id="tickets-view", show=False),
        Binding("r", "reload", "Reload", id="tickets-reload"),
    ]
    PALETTE_LOOKUPS = {"Search tickets for": "search_for"}

    def __init__(self) -> None:
        super().__init__()
        self.tickets: dict[str, Ticket] = {}
        self._search_timer: Timer | None = None
        self._keep: str | None = None  # the ticket to highlight again after a reload
        self.view = TicketView.ALL

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="tickets-filter-bar"):
            yield Select(
                [(label, value) for label, value in STATUS_FILTERS],
                value=STATUS_FILTERS[0][1],
                allow_blank=False,
                id="tickets-status-select",
                compact=True,
            )
            yield Input(placeholder="/ Search subject and tags", id="tickets-search", compact=True)
        with Horizontal(id="tickets-main"):
            with Vertical(id="tickets-list"):
                yield Table(id="tickets-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="tickets-count", markup=False)
            yield TicketDetail(id="ticket-detail")

    def on_mount(self) -> None:
        table = self.query_one("#tickets-table", DataTable)
        table.add_column("#", key="number")
        table.add_column("Status", key="status")
        table.add_column("Pri", key="priority")
        table.add_column("Subject", key="subject")  # last: a long subject is cut
        self.action_reload()

    # ----------------------------------------------------------------- the list

    @property
    def status_filter(self) -> int:
        return int(str(self.query_one("#tickets-status-select", Select).value))

    @property
    def search_text(self) -> str:
        return self.query_one("#tickets-search", Input).value.strip()

    def action_reload(self) -> None:
        status, search, view = self.status_filter, self.search_text, self.view
        self.run_task(
            "list",
            lambda: self.wats.rootcause.get_tickets(status, view, search or None),
            self.show_tickets,
            on_error=self._list_failed,
            controls=["reload"],
            loading="#tickets-table",
            description="Loading tickets",
            supersede=True,  # the newest filter wins
        )

    def show_tickets(self, tickets: list[Ticket]) -> None:
        table = self.query_one("#tickets-table", DataTable)
        keep = self._keep or self.current_key
        self._keep = None
        table.clear()
        self.tickets = {}
        for ticket in tickets:
            key = str(ticket.ticket_id)
            self.tickets[key] = ticket
            table.add_row(
                str(ticket.ticket_number or ""),
                status_text(ticket.status),
                Text(
                    {0: "low", 1: "med", 2: "HI"}.get(ticket.priority or 0, "?"),
                    style="bold red" if ticket.priority == 2 else "dim",
                ),
                Text(ticket.subject or ""),  # Text: DataTable reads str cells as markup
                key=key,
            )
        label = next(name for name, value in STATUS_FILTERS if value == self.status_filter)
        found = f"{len(tickets)} {label.lower()} ticket{'s' if len(tickets) != 1 else ''}"
        if self.search_text:
            found += f" matching '{self.search_text}'"
        found += _VIEW_WORDS[self.view]
        self.query_one("#tickets-count", Static).update(found)
        if keep in self.tickets:
            table.move_cursor(row=table.get_row_index(keep))
        if not tickets:
            self.query_one(TicketDetail).show_ticket(None, "No ticket matches.")
        elif table.row_count:
            self._show_current()

    def _list_failed(self, error: Exception) -> None:
        # A failure replaces the list: never leave stale tickets looking current.
        self.query_one("#tickets-table", DataTable).clear()
        self.tickets = {}
        self.query_one("#tickets-count", Static).update("The tickets could not be loaded.")
        friendly = describe_error(error)
        self.query_one(TicketDetail).show_ticket(None, f"{friendly.title}: {friendly.message}")
        self.notify(
            friendly.message, title=friendly.title, severity="error", timeout=10, markup=False
        )

    @on(Select.Changed, "#tickets-status-select")
    def _status_changed(self) -> None:
        self.action_reload()

    @on(Input.Changed, "#tickets-search")
    def _search_changed(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self.action_reload)

    @on(Input.Submitted, "#tickets-search")
    def _search_submitted(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self.action_reload()
        self.query_one("#tickets-table", DataTable).focus()

    def action_focus_search(self) -> None:
        self.query_one("#tickets-search", Input).focus()

    def action_cycle_status(self) -> None:
        select = self.query_one("#tickets-status-select", Select)
        values = [value for _, value in STATUS_FILTERS]
        select.value = values[(values.index(int(str(select.value))) + 1) % len(values)]

    def action_cycle_view(self) -> None:
        """All tickets, those assigned to the signed-in user, those they follow."""
        order = [TicketView.ALL, TicketView.ASSIGNED, TicketView.FOLLOWING]
        self.view = order[(order.index(self.view) + 1) % len(order)]
        self.action_reload()

    def search_for(self, text: str) -> None:
        """From the command palette: every ticket matching ``text``."""
        self.query_one("#tickets-status-select", Select).value = int(TicketStatus.every())
        self.query_one("#tickets-search", Input).value = text
        self.action_reload()

    # ----------------------------------------------------------------- the detail

    @property
    def current_key(self) -> str | None:
        table = self.query_one("#tickets-table", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    @property
    def current(self) -> Ticket | None:
        key = self.current_key
        return self.tickets.get(key) if key is not None else None

    @on(DataTable.RowHighlighted, "#tickets-table")
    def _row_highlighted(self) -> None:
        self._show_current()

    def _show_current(self) -> None:
        self.query_one(TicketDetail).show_ticket(self.current)
        self.refresh_bindings()

    def _changed(self, ticket: Ticket) -> None:
        """A change went through: show it at once, then reload (it may leave the filter)."""
        key = str(ticket.ticket_id)
        if key in self.tickets:
            self.tickets[key] = ticket
            self.query_one(TicketDetail).show_ticket(ticket)
        self._keep = key
        self.notify(f"Ticket #{ticket.ticket_number}: {ticket.status_label}", timeout=3)
        self.action_reload()

    def _selected(self) -> Ticket | None:
        ticket = self.current
        if ticket is None:
            self.notify("No ticket is selected.", timeout=3)
        return ticket

    def _needs_assignee(self, ticket: Ticket, status: TicketStatus | None) -> bool:
        return not ticket.assignee and status is not None and status is not TicketStatus.OPEN

    def _assignee_field(self, ticket: Ticket) -> FormField:
        return FormField(
            "assignee",
            "Assignee",
            ticket.assignee or "",
            required=True,
            placeholder="the server does not report it; type it",
        )

    def _change(
        self, question: str, detail: str, work: object, verb: str, typed: str | None = None
    ) -> None:
        """Ask, then run ``work`` (a factory of the SDK call) in the "change" group; ``typed``
        is what an irreversible change asks to be typed first."""

        def run(yes: bool | None) -> None:
            if yes:
                self.run_task(
                    "change",
                    work,  # type: ignore[arg-type]
                    self._changed,
                    controls=[
                        "comment",
                        "assign",
                        "change_status",
                        "attach",
                        "archive",
                        "new_ticket",
                    ],
                    loading="#ticket-detail",
                    description=verb,
                )

        self.app.push_screen(
            ConfirmDialog(question, detail, confirm="Yes", type_to_confirm=typed), run
        )

    # ----------------------------------------------------------------- actions

    def action_comment(self) -> None:
        ticket = self._selected()
        if ticket is None:
            return
        fields = [FormField("text", "Comment", required=True)]
        if self._needs_assignee(ticket, ticket.status):
            fields.append(self._assignee_field(ticket))

        def ask(values: dict[str, str] | None) -> None:
            if values is None:
                return
            self._change(
                f"Add a comment to ticket #{ticket.ticket_number}?",
                values["text"],
                lambda: self.wats.rootcause.add_comment(
                    ticket.ticket_id or "", values["text"], assignee=values.get("assignee") or None
                ),
                f"Commenting on ticket #{ticket.ticket_number}",
            )

        self.app.push_screen(FormDialog(f"Comment on ticket #{ticket.ticket_number}", fields), ask)

    def action_assign(self) -> None:
        ticket = self._selected()
        if ticket is None:
            return
        fields = [
            FormField(
                "assignee",
                "Assign to",
                ticket.assignee or "",
                required=True,
                placeholder="WATS user name",
            )
        ]

        def ask(values: dict[str, str] | None) -> None:
            if values is None:
                return
            who = values["assignee"]
            self._change(
                f"Assign ticket #{ticket.ticket_number} to {who}?",
                f"Now: {ticket.assignee or 'not reported by the server'}",
                lambda: self.wats.rootcause.assign(ticket.ticket_id or "", who),
                f"Assigning ticket #{ticket.ticket_number}",
            )

        self.app.push_screen(FormDialog(f"Assign ticket #{ticket.ticket_number}", fields), ask)

    def action_change_status(self) -> None:
        ticket = self._selected()
        if ticket is None:
            return
        if ticket.status is TicketStatus.ARCHIVED:
            self.notify("An archived ticket cannot be changed.", timeout=3)
            return
        current = str(int(ticket.status)) if ticket.status is not None else "1"
        choices = sorted(_CHANGES, key=lambda choice: choice[1] == current)  # others first
        fields = [FormField("status", "New status", choices=choices)]
        if not ticket.assignee:
            fields.append(
                FormField(
                    "assignee",
                    "Assignee",
                    placeholder="needed unless Open; the server does not report it",
                )
            )
        fields.append(FormField("comment", "Comment", placeholder="optional"))

        def ask(values: dict[str, str] | None) -> None:
            if values is None:
                return
            status = TicketStatus(int(values["status"]))
            assignee = values.get("assignee") or None
            if self._needs_assignee(ticket, status) and not assignee:
                self.notify(
                    f"{status.label} needs an assignee: the server refuses an unassigned "
                    "ticket that is not Open.",
                    severity="warning",
                    timeout=5,
                )
                return
            self._change(
                f"Change ticket #{ticket.ticket_number} from {ticket.status_label} to "
                f"{status.label}?",
                ticket.subject or "",
                lambda: self.wats.rootcause.change_status(
                    ticket.ticket_id or "",
                    status,
                    assignee=assignee,
                    comment=values["comment"] or None,
                ),
                f"Changing ticket #{ticket.ticket_number}",
            )

        self.app.push_screen(FormDialog(f"Status of ticket #{ticket.ticket_number}", fields), ask)

    def action_attach(self) -> None:
        ticket = self._selected()
        if ticket is None:
            return
        fields = [
            FormField(
                "path", "File", required=True, placeholder="path on this station", check=_check_file
            ),
            FormField("comment", "Comment", placeholder="optional"),
        ]
        if self._needs_assignee(ticket, ticket.status):
            fields.append(self._assignee_field(ticket))

        def ask(values: dict[str, str] | None) -> None:
            if values is None:
                return
            path = Path(values["path"]).expanduser()
            size = path.stat().st_size if path.is_file() else 0

            async def upload() -> Ticket:
                data = path.read_bytes()
                return await self.wats.rootcause.attach_file(
                    ticket.ticket_id or "",
                    path.name,
                    data,
                    comment=values["comment"] or None,
                    assignee=values.get("assignee") or None,
                )

            kind = mimetypes.guess_type(path.name)[0] or "file"
            self._change(
                f"Attach {path.name} ({size / 1024:.1f} kB) to ticket #{ticket.ticket_number}?",
                f"{kind}, from {path.parent}",
                upload,
                f"Uploading {path.name}",
            )

        self.app.push_screen(FormDialog(f"Attach a file to #{ticket.ticket_number}", fields), ask)

    def action_archive(self) -> None:
        ticket = self._selected()
        if ticket is None:
            return
        if ticket.status is not TicketStatus.SOLVED:
            self.notify("Only Solved tickets can be archived.", timeout=3)
            return
        ticket_id = ticket.ticket_id or uuid.UUID(int=0)

        async def archive() -> Ticket:
            await self.wats.rootcause.archive([ticket_id])
            again = await self.wats.rootcause.get_ticket(ticket_id)
            return again if again is not None else ticket

        self._change(
            f"Archive ticket #{ticket.ticket_number}?",
            "An archived ticket is read-only.",
            archive,
            f"Archiving ticket #{ticket.ticket_number}",
            typed=str(ticket.ticket_number),
        )

    def action_new_ticket(self) -> None:
        fields = [
            FormField("subject", "Subject", required=True),
            FormField("comment", "Comment", placeholder="optional"),
            FormField("priority", "Priority", choices=PRIORITY_CHOICES),
            FormField("assignee", "Assignee", placeholder="optional"),
        ]

        def ask(values: dict[str, str] | None) -> None:
            if values is None:
                return
            self._change(
                f"Open a new ticket '{values['subject']}'?",
                "It is not linked to a report (open one from a report with o in the viewer).",
                lambda: self.wats.rootcause.create_ticket(
                    values["subject"],
                    comment=values["comment"] or None,
                    priority=TicketPriority(int(values["priority"])),
                    assignee=values["assignee"] or None,
                ),
                "Opening a ticket",
            )

        self.app.push_screen(FormDialog("New ticket", fields), ask)

    def action_open_report(self) -> None:
        ticket = self._selected()
        if ticket is None:
            return
        if ticket.report_uuid is None:
            self.notify(f"Ticket #{ticket.ticket_number} is not linked to a report.", timeout=3)
            return
        self.app.push_screen(ReportViewerScreen(str(ticket.report_uuid)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_report":
            ticket = self.current
            if ticket is None or ticket.report_uuid is None:
                return False
        if action == "archive" and (
            self.current is None or self.current.status is not TicketStatus.SOLVED
        ):
            return False
        return super().check_action(action, parameters)
