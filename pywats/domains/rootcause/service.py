"""AsyncRootCauseService: root-cause tickets, worked from a failed report to a solution.

The server has one write for every kind of change (``PUT`` of the whole ticket), so each
change here reads the ticket, changes it and sends it back. Two server rules shape that:

* it refuses a ticket sent without an assignee unless it is Open;
* it never returns ``assignee`` on GET.

So the service remembers every assignee it learns (from POST and PUT answers, and from the
``assignee`` arguments) and puts it back on each change; a change that needs one it does not
know is refused before anything is sent, saying to pass ``assignee=``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pywats.errors import WATSNotFoundError, WATSValidationError

from .models import (
    Ticket,
    TicketAttachment,
    TicketPriority,
    TicketStatus,
    TicketTag,
    TicketUpdate,
    TicketUpdateType,
    TicketView,
)
from .repository import RootCauseRepository

__all__ = ["AsyncRootCauseService"]

SUBJECT_MAX = 500
_SINGLE = tuple(TicketStatus)
# Never sent back on a PUT: the server keeps the thread itself.
_NOT_SENT = {"history", "update", "assignee"}


def _ticket_id(value: object, field: str = "ticket_id") -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        try:
            return uuid.UUID(value.strip())
        except ValueError:
            pass
    raise WATSValidationError(f"must be a ticket id (a GUID), got {value!r}", field=field)


def _text(value: object, field: str, *, maximum: int | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise WATSValidationError("must be a non-empty string", field=field)
    if maximum is not None and len(value.strip()) > maximum:
        raise WATSValidationError(f"must be at most {maximum} characters", field=field)
    return value.strip()


def _user(value: object, field: str = "assignee") -> str:
    name = _text(value, field, maximum=256)
    if any(not c.isprintable() for c in name):
        raise WATSValidationError("must not contain control characters", field=field)
    return name


def _one_status(value: object) -> TicketStatus:
    status: TicketStatus | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            status = TicketStatus(value)
        except ValueError:
            status = None
    if status is None or status not in _SINGLE:
        raise WATSValidationError(
            f"must be one status (Open, In progress, On hold, Solved, Closed), got {value!r}",
            field="status",
        )
    if status is TicketStatus.ARCHIVED:
        raise WATSValidationError(
            "tickets are archived with archive(), once they are Solved", field="status"
        )
    return status


def _priority(value: object) -> TicketPriority:
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return TicketPriority(value)
        except ValueError:
            pass
    raise WATSValidationError(
        f"must be 0 (low), 1 (medium) or 2 (high), got {value!r}", field="priority"
    )


def _filename(value: object) -> str:
    name = _text(value, "filename", maximum=255)
    if any(not c.isprintable() or c in "/\\" for c in name):
        raise WATSValidationError(
            "must be a bare file name, without folders or control characters", field="filename"
        )
    return name


class AsyncRootCauseService:
    """Tickets: find them, open one on a failed report, comment, assign, move it along."""

    def __init__(self, repository: RootCauseRepository) -> None:
        self._repo = repository
        self._assignees: dict[uuid.UUID, str] = {}

    # ----------------------------------------------------------------- assignees

    def _learn(self, ticket: Ticket) -> Ticket:
        """Remember the assignee a POST/PUT answer carries; fill it in on GET answers."""
        if ticket.ticket_id is None:
            return ticket
        if ticket.assignee:
            self._assignees[ticket.ticket_id] = ticket.assignee
        elif ticket.ticket_id in self._assignees:
            ticket.assignee = self._assignees[ticket.ticket_id]
        return ticket

    def _assignee_for(
        self, ticket: Ticket, given: str | None, status: TicketStatus | None
    ) -> str | None:
        if given is not None:
            return _user(given)
        if ticket.assignee:
            return ticket.assignee
        if status is not None and status is not TicketStatus.OPEN:
            number = ticket.ticket_number if ticket.ticket_number is not None else ticket.ticket_id
            raise WATSValidationError(
                f"ticket {number} would be {status.label} without an assignee, which the "
                "server refuses; it does not report who the assignee is, so pass assignee=",
                field="assignee",
            )
        return None

    async def _current(self, ticket_id: object) -> Ticket:
        wanted = _ticket_id(ticket_id)
        ticket = await self.get_ticket(wanted)
        if ticket is None:
            raise WATSNotFoundError(
                status_code=404,
                method="GET",
                path="/api/RootCause/Ticket",
                server_message=f"There is no root-cause ticket {wanted}.",
            )
        return ticket

    async def _put(
        self,
        ticket: Ticket,
        *,
        assignee: str | None,
        status: TicketStatus | None = None,
        update: TicketUpdate | None = None,
    ) -> Ticket:
        body: dict[str, Any] = ticket.model_dump(
            mode="json", by_alias=True, exclude_none=True, exclude=_NOT_SENT
        )
        if status is not None:
            body["status"] = int(status)
        if assignee:
            body["assignee"] = assignee
        if update is not None:
            body["update"] = update.to_wire()
        return self._learn(await self._repo.put_ticket(body))

    # ----------------------------------------------------------------- reading

    async def get_ticket(self, ticket_id: uuid.UUID | str) -> Ticket | None:
        """One ticket with its history; None when there is no such ticket."""
        ticket = await self._repo.get_ticket(_ticket_id(ticket_id))
        return None if ticket is None else self._learn(ticket)

    async def get_tickets(
        self,
        status: TicketStatus | int = TicketStatus.OPEN | TicketStatus.IN_PROGRESS,
        view: TicketView | int = TicketView.ASSIGNED,
        search: str | None = None,
    ) -> list[Ticket]:
        """Tickets in any of the ``status`` flags (``TicketStatus.OPEN | TicketStatus.SOLVED``),
        newest first. ``search`` matches the subject, tag names and tag values."""
        if isinstance(status, bool) or not isinstance(status, int) or not 1 <= status <= 63:
            raise WATSValidationError(
                f"must be TicketStatus flags (1 to 63), got {status!r}", field="status"
            )
        try:
            chosen_view = TicketView(view)
        except ValueError:
            raise WATSValidationError(
                f"must be a TicketView (0 assigned, 1 following, 2 all), got {view!r}",
                field="view",
            ) from None
        if search is not None and not isinstance(search, str):
            raise WATSValidationError("must be a string", field="search")
        tickets = await self._repo.list_tickets(
            int(status), int(chosen_view), search.strip() if search else None
        )
        return [self._learn(ticket) for ticket in tickets]

    # ----------------------------------------------------------------- writing

    async def create_ticket(
        self,
        subject: str,
        *,
        comment: str | None = None,
        report_uuid: uuid.UUID | str | None = None,
        priority: TicketPriority | int = TicketPriority.MEDIUM,
        assignee: str | None = None,
        team: str | None = None,
        tags: Mapping[str, str] | None = None,
        attachments: Sequence[TicketAttachment] = (),
    ) -> Ticket:
        """Open a ticket, optionally linked to a report and with a first comment."""
        body: dict[str, Any] = {
            "subject": _text(subject, "subject", maximum=SUBJECT_MAX),
            "priority": int(_priority(priority)),
        }
        if report_uuid is not None:
            body["reportUuid"] = str(_ticket_id(report_uuid, "report_uuid"))
        if assignee is not None:
            body["assignee"] = _user(assignee)
        if team is not None:
            body["team"] = _text(team, "team", maximum=256)
        if tags:
            body["tags"] = [
                TicketTag(key=_text(key, "tags"), value=str(value), change=1).to_wire()
                for key, value in tags.items()
            ]
        if comment is not None or attachments:
            update = TicketUpdate(
                content=_text(comment, "comment") if comment is not None else "",
                update_type=TicketUpdateType.CONTENT,
                attachments=list(attachments),
            )
            body["update"] = update.to_wire()
        return self._learn(await self._repo.post_ticket(body))

    async def add_comment(
        self,
        ticket_id: uuid.UUID | str,
        text: str,
        *,
        attachments: Sequence[TicketAttachment] = (),
        assignee: str | None = None,
    ) -> Ticket:
        """Add a comment (and files uploaded with :meth:`upload_attachment`) to the thread."""
        content = _text(text, "text") if text or not attachments else ""
        ticket = await self._current(ticket_id)
        who = self._assignee_for(ticket, assignee, ticket.status)
        update = TicketUpdate(
            content=content, update_type=TicketUpdateType.CONTENT, attachments=list(attachments)
        )
        return await self._put(ticket, assignee=who, update=update)

    async def assign(
        self, ticket_id: uuid.UUID | str, assignee: str, *, comment: str | None = None
    ) -> Ticket:
        """Give the ticket to ``assignee`` (a WATS user name)."""
        who = _user(assignee)
        update = None if comment is None else TicketUpdate(content=_text(comment, "comment"))
        ticket = await self._current(ticket_id)
        return await self._put(ticket, assignee=who, update=update)

    async def change_status(
        self,
        ticket_id: uuid.UUID | str,
        status: TicketStatus | int,
        *,
        assignee: str | None = None,
        comment: str | None = None,
    ) -> Ticket:
        """Move the ticket to ``status``; the assignee is put back (or ``assignee`` used)."""
        new_status = _one_status(status)
        update = None if comment is None else TicketUpdate(content=_text(comment, "comment"))
        ticket = await self._current(ticket_id)
        who = self._assignee_for(ticket, assignee, new_status)
        return await self._put(ticket, assignee=who, status=new_status, update=update)

    async def update_ticket(self, ticket: Ticket) -> Ticket:
        """Send a whole ticket as it is (``ticket_id`` set): for changes the helpers lack."""
        if ticket.ticket_id is None:
            raise WATSValidationError("the ticket to update needs its ticket_id", field="ticket_id")
        body = ticket.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"history"})
        return self._learn(await self._repo.put_ticket(body))

    async def archive(self, ticket_ids: Iterable[uuid.UUID | str]) -> None:
        """Archive Solved tickets, all or none (the server refuses any other status)."""
        wanted = list(dict.fromkeys(_ticket_id(t, "ticket_ids") for t in ticket_ids))
        if not wanted:
            raise WATSValidationError("name at least one ticket", field="ticket_ids")
        await self._repo.archive(wanted)

    # ----------------------------------------------------------------- attachments

    async def upload_attachment(
        self, filename: str, content: bytes, *, content_type: str | None = None
    ) -> TicketAttachment:
        """Upload a file; pass the result to :meth:`add_comment` (or ``create_ticket``)."""
        name = _filename(filename)
        if not isinstance(content, bytes | bytearray | memoryview):
            raise WATSValidationError("must be bytes", field="content")
        attachment_id = await self._repo.upload_attachment(name, bytes(content), content_type)
        return TicketAttachment(attachment_id=attachment_id, filename=name)

    async def attach_file(
        self,
        ticket_id: uuid.UUID | str,
        filename: str,
        content: bytes,
        *,
        comment: str | None = None,
        assignee: str | None = None,
    ) -> Ticket:
        """Upload a file and add it to the ticket's thread in one update."""
        ticket = await self._current(ticket_id)
        who = self._assignee_for(ticket, assignee, ticket.status)
        attachment = await self.upload_attachment(filename, content)
        update = TicketUpdate(
            content=_text(comment, "comment") if comment else "",
            update_type=TicketUpdateType.CONTENT,
            attachments=[attachment],
        )
        return await self._put(ticket, assignee=who, update=update)

    async def download_attachment(
        self, attachment_id: uuid.UUID | str, filename: str | None = None
    ) -> bytes | None:
        """The bytes of an attachment; None when there is no such attachment."""
        return await self._repo.download_attachment(
            _ticket_id(attachment_id, "attachment_id"), filename
        )
