"""The root-cause domain: tickets opened on failures and worked to a solution."""

from .models import (
    TagChange,
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
from .service import AsyncRootCauseService
from .sync_service import SyncRootCauseService

__all__ = [
    "AsyncRootCauseService",
    "RootCauseRepository",
    "SyncRootCauseService",
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
