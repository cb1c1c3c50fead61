"""Root-cause ticket models: tickets, their history thread, tags and attachments.

Wire names are the API description's (``ticketId``, ``reportUuid``, ``updateUtc``...). The
server leaves ``assignee`` out of every GET answer; see :class:`Ticket`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import IntEnum, IntFlag

from pydantic import Field, field_validator

from pywats.models import WATSModel

__all__ = [
    "TagChange",
    "Ticket",
    "TicketAttachment",
    "TicketPriority",
    "TicketStatus",
    "TicketTag",
    "TicketUpdate",
    "TicketUpdateType",
    "TicketView",
]


class TicketStatus(IntFlag):
    """A ticket is in one status; flags combine only to ask for several in a list."""

    OPEN = 1
    IN_PROGRESS = 2
    ON_HOLD = 4
    SOLVED = 8
    CLOSED = 16
    ARCHIVED = 32

    @classmethod
    def active(cls) -> TicketStatus:
        """Open, in progress or on hold: work not done yet."""
        return cls.OPEN | cls.IN_PROGRESS | cls.ON_HOLD

    @classmethod
    def every(cls) -> TicketStatus:
        return cls(63)

    @property
    def label(self) -> str:
        """``In progress``; ``Open | Solved`` for a combination."""
        names = [_LABELS[flag] for flag in _LABELS if flag & self]
        return " | ".join(names) if names else "None"


_LABELS = {
    TicketStatus.OPEN: "Open",
    TicketStatus.IN_PROGRESS: "In progress",
    TicketStatus.ON_HOLD: "On hold",
    TicketStatus.SOLVED: "Solved",
    TicketStatus.CLOSED: "Closed",
    TicketStatus.ARCHIVED: "Archived",
}


class TicketPriority(IntEnum):
    LOW = 0
    MEDIUM = 1
    HIGH = 2

    @property
    def label(self) -> str:
        return self.name.capitalize()


class TicketView(IntEnum):
    """Whose tickets a list shows: assigned to the caller, followed by them, or all
    (ALL needs the "Manage All Tickets" permission on a real server)."""

    ASSIGNED = 0
    FOLLOWING = 1
    ALL = 2


class TicketUpdateType(IntEnum):
    CONTENT = 0  # a comment
    PROGRESS = 1
    PROPERTIES = 2  # assignee, status, priority... changed
    NOTIFICATION = 3


class TagChange(IntEnum):
    NONE = 0
    ADD = 1
    UPDATE = 2
    DELETE = 3


class TicketTag(WATSModel):
    key: str
    value: str | None = None
    change: int | None = None


class TicketAttachment(WATSModel):
    """A file uploaded with ``upload_attachment`` and referenced from an update."""

    attachment_id: uuid.UUID
    filename: str | None = None


class TicketUpdate(WATSModel):
    """One entry of a ticket's history, or the pending update sent with a change.

    The server sets ``update_id``, ``update_utc`` and ``update_user``.
    """

    update_id: uuid.UUID | None = None
    update_utc: datetime | None = None
    update_user: str | None = None
    content: str | None = None
    update_type: int | None = None
    attachments: list[TicketAttachment] = Field(default_factory=list)

    @property
    def is_comment(self) -> bool:
        return self.update_type in (None, TicketUpdateType.CONTENT)


class Ticket(WATSModel):
    """A root-cause ticket.

    ``assignee`` is never in a GET answer; POST and PUT answers carry it. The service keeps
    the assignees it has seen and fills them in, so ``assignee`` is None only when this
    client has not learnt it (see ``AsyncRootCauseService``).
    """

    ticket_id: uuid.UUID | None = None
    ticket_number: int | None = None
    subject: str | None = None
    status: TicketStatus | None = None
    priority: int | None = None
    owner: str | None = None
    assignee: str | None = None
    team: str | None = None
    origin: str | None = None
    progress: str | None = None
    report_uuid: uuid.UUID | None = None
    created_utc: datetime | None = None
    updated_utc: datetime | None = None
    tags: list[TicketTag] = Field(default_factory=list)
    history: list[TicketUpdate] = Field(default_factory=list)
    update: TicketUpdate | None = None

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: object) -> object:
        return (
            TicketStatus(value) if isinstance(value, int) and not isinstance(value, bool) else value
        )

    @property
    def status_label(self) -> str:
        return self.status.label if self.status is not None else "Unknown"

    @property
    def priority_label(self) -> str:
        try:
            return TicketPriority(self.priority).label if self.priority is not None else ""
        except ValueError:
            return str(self.priority)

    @property
    def comments(self) -> list[TicketUpdate]:
        return [entry for entry in self.history if entry.is_comment]

    def tag(self, key: str) -> str | None:
        """The value of the tag named ``key`` (any case), or None."""
        for tag in self.tags:
            if tag.key.lower() == key.lower():
                return tag.value
        return None
