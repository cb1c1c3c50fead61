"""SyncRootCauseService: the blocking twin of AsyncRootCauseService, one line per method."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence

from pywats.sync_service import SyncService

from .models import Ticket, TicketAttachment, TicketPriority, TicketStatus, TicketView
from .service import AsyncRootCauseService

__all__ = ["SyncRootCauseService"]


class SyncRootCauseService(SyncService[AsyncRootCauseService]):
    """See :class:`AsyncRootCauseService` for what each method does."""

    def get_ticket(self, ticket_id: uuid.UUID | str) -> Ticket | None:
        return self._call(AsyncRootCauseService.get_ticket, ticket_id)

    def get_tickets(
        self,
        status: TicketStatus | int = TicketStatus.OPEN | TicketStatus.IN_PROGRESS,
        view: TicketView | int = TicketView.ASSIGNED,
        search: str | None = None,
    ) -> list[Ticket]:
        return self._call(AsyncRootCauseService.get_tickets, status, view, search)

    def create_ticket(
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
        return self._call(
            AsyncRootCauseService.create_ticket,
            subject,
            comment=comment,
            report_uuid=report_uuid,
            priority=priority,
            assignee=assignee,
            team=team,
            tags=tags,
            attachments=attachments,
        )

    def add_comment(
        self,
        ticket_id: uuid.UUID | str,
        text: str,
        *,
        attachments: Sequence[TicketAttachment] = (),
        assignee: str | None = None,
    ) -> Ticket:
        return self._call(
            AsyncRootCauseService.add_comment,
            ticket_id,
            text,
            attachments=attachments,
            assignee=assignee,
        )

    def assign(
        self, ticket_id: uuid.UUID | str, assignee: str, *, comment: str | None = None
    ) -> Ticket:
        return self._call(AsyncRootCauseService.assign, ticket_id, assignee, comment=comment)

    def change_status(
        self,
        ticket_id: uuid.UUID | str,
        status: TicketStatus | int,
        *,
        assignee: str | None = None,
        comment: str | None = None,
    ) -> Ticket:
        return self._call(
            AsyncRootCauseService.change_status,
            ticket_id,
            status,
            assignee=assignee,
            comment=comment,
        )

    def update_ticket(self, ticket: Ticket) -> Ticket:
        return self._call(AsyncRootCauseService.update_ticket, ticket)

    def archive(self, ticket_ids: Iterable[uuid.UUID | str]) -> None:
        return self._call(AsyncRootCauseService.archive, ticket_ids)

    def upload_attachment(
        self, filename: str, content: bytes, *, content_type: str | None = None
    ) -> TicketAttachment:
        return self._call(
            AsyncRootCauseService.upload_attachment, filename, content, content_type=content_type
        )

    def attach_file(
        self,
        ticket_id: uuid.UUID | str,
        filename: str,
        content: bytes,
        *,
        comment: str | None = None,
        assignee: str | None = None,
    ) -> Ticket:
        return self._call(
            AsyncRootCauseService.attach_file,
            ticket_id,
            filename,
            content,
            comment=comment,
            assignee=assignee,
        )

    def download_attachment(
        self, attachment_id: uuid.UUID | str, filename: str | None = None
    ) -> bytes | None:
        return self._call(AsyncRootCauseService.download_attachment, attachment_id, filename)
