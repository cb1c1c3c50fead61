"""Root-cause ticket widgets: the status cell, the detail pane with its history thread, and
"open a ticket for this failed report" (used by the Tickets screen and the report viewer).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from pywats.domains.report import UURReport, UUTReport
from pywats.domains.rootcause import (
    Ticket,
    TicketPriority,
    TicketStatus,
    TicketUpdate,
    TicketUpdateType,
)
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.form_dialog import FormDialog, FormField

if TYPE_CHECKING:
    from tui.screen import WATSScreen

__all__ = [
    "PRIORITY_CHOICES",
    "TicketDetail",
    "open_ticket_for_report",
    "report_ticket_text",
    "status_text",
    "when",
]

_STATUS_STYLES = {
    TicketStatus.OPEN: "bold yellow",
    TicketStatus.IN_PROGRESS: "bold cyan",
    TicketStatus.ON_HOLD: "magenta",
    TicketStatus.SOLVED: "bold green",
    TicketStatus.CLOSED: "green",
    TicketStatus.ARCHIVED: "dim",
}
_PRIORITY_STYLES = {0: "dim", 1: "", 2: "bold red"}
PRIORITY_CHOICES = [("Medium", "1"), ("High", "2"), ("Low", "0")]
_RESULT_WORDS = {"P": "Passed", "F": "Failed", "E": "Error in", "T": "Terminated", "D": "Done"}


def when(moment: datetime | None) -> str:
    """Local time to the minute, as a technician reads a clock."""
    if moment is None:
        return ""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def status_text(status: TicketStatus | None) -> Text:
    if status is None:
        return Text("?", style="dim")
    return Text(status.label, style=_STATUS_STYLES.get(status, ""))


def priority_text(ticket: Ticket) -> Text:
    return Text(ticket.priority_label, style=_PRIORITY_STYLES.get(ticket.priority or 0, ""))


def _entry(entry: TicketUpdate) -> Text:
    text = Text()
    text.append(when(entry.update_utc), style="dim")
    text.append(f"  {entry.update_user or '?'}", style="bold")
    if entry.update_type == TicketUpdateType.PROPERTIES:
        text.append(f"\n  {entry.content or ''}", style="italic cyan")
    elif entry.update_type == TicketUpdateType.PROGRESS:
        text.append(f"\n  Progress: {entry.content or ''}", style="italic")
    else:
        for line in (entry.content or "").splitlines() or [""]:
            text.append(f"\n  {line}")
    for attachment in entry.attachments:
        text.append(f"\n  📎 {attachment.filename or attachment.attachment_id}", style="cyan")
    return text


def thread_text(ticket: Ticket) -> Text:
    if not ticket.history:
        return Text("No history yet.", style="italic dim")
    return Text("\n\n").join(_entry(entry) for entry in ticket.history)


def summary_text(ticket: Ticket) -> Text:
    text = Text()
    text.append(f"#{ticket.ticket_number}  ", style="bold")
    text.append(ticket.subject or "(no subject)", style="bold")
    text.append("\n")
    text.append_text(status_text(ticket.status))
    text.append("  ")
    text.append_text(priority_text(ticket))
    text.append(" priority", style="dim")
    text.append("\nAssignee: ", style="dim")
    if ticket.assignee:
        text.append(ticket.assignee)
    else:
        text.append("not reported by the server", style="italic dim")
    text.append(f"\nOwner: {ticket.owner or '?'}", style="dim")
    if ticket.team:
        text.append(f" · {ticket.team}", style="dim")
    if ticket.report_uuid is not None:
        text.append("\nReport: ", style="dim")
        text.append(str(ticket.report_uuid)[:8], style="cyan")
        text.append("…  o opens it", style="dim")
    tags = [f"{tag.key}={tag.value}" for tag in ticket.tags]
    if tags:
        text.append("\n" + "  ".join(tags), style="dim")
    return text


class TicketDetail(Vertical):
    """The highlighted ticket: its facts, then the history thread (scrolls)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ticket: Ticket | None = None

    def compose(self) -> ComposeResult:
        yield Static("No ticket is selected.", id="ticket-summary")
        with VerticalScroll(id="ticket-thread-scroll"):
            yield Static("", id="ticket-thread")

    def show_ticket(self, ticket: Ticket | None, message: str = "No ticket is selected.") -> None:
        self.ticket = ticket
        summary = self.query_one("#ticket-summary", Static)
        thread = self.query_one("#ticket-thread", Static)
        if ticket is None:
            summary.update(Text(message, style="italic"))
            thread.update("")
            return
        summary.update(summary_text(ticket))
        thread.update(thread_text(ticket))
        self.query_one("#ticket-thread-scroll", VerticalScroll).scroll_end(animate=False)


# ----------------------------------------------------------------- from a report


def report_ticket_text(report: UUTReport | UURReport | None, report_id: str) -> tuple[str, str]:
    """(subject, first comment) for a ticket on a report: the failing step goes in the subject."""
    if report is None:
        return f"Failure in report {report_id}", f"Opened from report {report_id}."
    step_path = None
    if isinstance(report, UUTReport):
        step_path = next((path for path, step in report.walk() if step.caused_uut_failure), None)
    unit = f"{report.part_number} rev {report.revision}"
    if step_path:
        step = step_path.rsplit("/", 1)[-1]
        subject = f"{step} fails on {unit}"
        where = step_path.split("/", 1)[-1].replace("/", " / ")
        comment = f"{where} failed on SN {report.serial_number}"
    elif isinstance(report, UURReport):
        failures = [
            f"{failure.category} / {failure.code}"
            for sub in report.sub_units or []
            for failure in sub.failures or []
        ]
        subject = f"Repair of {unit}" + (f": {failures[0]}" if failures else "")
        comment = f"Repair report of SN {report.serial_number}"
    else:
        process = report.process_name or f"process {report.process_code}"
        word = _RESULT_WORDS.get(str(report.result), str(report.result))
        subject = f"{word} {process} on {unit}"
        comment = f"Report of SN {report.serial_number}"
    if report.machine_name:
        comment += f" at {report.machine_name}"
    return subject[:500], comment + "."


def open_ticket_for_report(
    screen: WATSScreen, report_id: str, report: UUTReport | UURReport | None
) -> None:
    """Ask for the ticket's details (prefilled from the report), confirm, then create it linked
    to the report through ``screen``'s worker."""
    subject, comment = report_ticket_text(report, report_id)
    serial = report.serial_number if report is not None else report_id
    fields = [
        FormField("subject", "Subject", subject, required=True),
        FormField("comment", "Comment", comment),
        FormField("priority", "Priority", choices=PRIORITY_CHOICES),
        FormField("assignee", "Assignee", placeholder="user name (optional)"),
    ]

    def create(values: dict[str, str]) -> None:
        assignee = values["assignee"] or None
        screen.run_task(
            "open-ticket",
            lambda: screen.wats.rootcause.create_ticket(
                values["subject"],
                comment=values["comment"] or None,
                report_uuid=report_id,
                priority=TicketPriority(int(values["priority"])),
                assignee=assignee,
            ),
            lambda ticket: screen.notify(
                f"Ticket #{ticket.ticket_number} opened: {ticket.subject} (Tickets: key 9)",
                timeout=6,
                markup=False,
            ),
            controls=["open_ticket"],
            description="Opening a ticket",
        )

    def confirm(values: dict[str, str] | None) -> None:
        if values is None:
            return
        screen.app.push_screen(
            ConfirmDialog(
                f"Open a ticket on the report of SN {serial}?",
                f"Subject: {values['subject']}",
                confirm="Open ticket",
            ),
            lambda yes: create(values) if yes else None,
        )

    screen.app.push_screen(
        FormDialog("New ticket for this report", fields, save_label="Continue"), confirm
    )
