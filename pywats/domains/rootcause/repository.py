"""RootCause endpoints (``/api/RootCause``): paths, parameters and JSON; no business rules."""

from __future__ import annotations

import json
import mimetypes
import uuid
from collections.abc import Sequence
from typing import Any

from pywats.domains._wire import expect_list, expect_object
from pywats.errors import WATSNotFoundError, WATSUnexpectedResponseError
from pywats.http import AsyncHttpClient

from .models import Ticket

__all__ = ["RootCauseRepository"]

_BASE = "/api/RootCause"


def _ticket(body: Any, path: str, method: str) -> Ticket:
    found = expect_object(body, path, method)
    if found is None:
        raise WATSUnexpectedResponseError(
            f"{method} {path} should answer with the ticket, got an empty body",
            status_code=200,
            method=method,
            path=path,
            body_excerpt="",
        )
    return Ticket.model_validate(found)


class RootCauseRepository:
    def __init__(self, http: AsyncHttpClient) -> None:
        self._http = http

    async def get_ticket(self, ticket_id: uuid.UUID) -> Ticket | None:
        """``GET /api/RootCause/Ticket``; None when the server answers 404 or nothing."""
        path = f"{_BASE}/Ticket"
        try:
            body = await self._http.get_json(path, params={"ticketId": str(ticket_id)})
        except WATSNotFoundError:
            return None
        found = expect_object(body, path)
        return None if found is None else Ticket.model_validate(found)

    async def list_tickets(self, status: int, view: int, search: str | None) -> list[Ticket]:
        """``GET /api/RootCause/Tickets``: ``status`` and ``view`` are always sent."""
        path = f"{_BASE}/Tickets"
        params = {"status": status, "view": view, "searchString": search or None}
        body = await self._http.get_json(path, params=params)
        return [Ticket.model_validate(item) for item in expect_list(body, path)]

    async def post_ticket(self, body: dict[str, Any]) -> Ticket:
        path = f"{_BASE}/Ticket"
        return _ticket(await self._http.send_json("POST", path, body), path, "POST")

    async def put_ticket(self, body: dict[str, Any]) -> Ticket:
        """``PUT /api/RootCause/Ticket`` with the whole ticket, ``ticketId`` included."""
        path = f"{_BASE}/Ticket"
        return _ticket(await self._http.send_json("PUT", path, body), path, "PUT")

    async def archive(self, ticket_ids: Sequence[uuid.UUID]) -> Ticket | None:
        """``POST /api/RootCause/ArchiveTickets``; the server answers with one ticket."""
        path = f"{_BASE}/ArchiveTickets"
        body = await self._http.send_json("POST", path, [str(t) for t in ticket_ids])
        found = expect_object(body, path, "POST")
        return None if found is None else Ticket.model_validate(found)

    async def upload_attachment(
        self, filename: str, content: bytes, content_type: str | None = None
    ) -> uuid.UUID:
        """``POST /api/RootCause/Attachment`` as multipart form-data (one ``file`` field)."""
        path = f"{_BASE}/Attachment"
        kind = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        response = await self._http.request("POST", path, files={"file": (filename, content, kind)})
        body = self._http.decode_json(response)
        try:
            return uuid.UUID(str(body))
        except ValueError:
            raise WATSUnexpectedResponseError(
                f"POST {path} should answer with the attachment id (a GUID)",
                status_code=response.status_code,
                method="POST",
                path=path,
                body_excerpt=json.dumps(body, default=str)[:200],
            ) from None

    async def download_attachment(
        self, attachment_id: uuid.UUID, filename: str | None = None
    ) -> bytes | None:
        """``GET /api/RootCause/Attachment``: the raw bytes; None when there is no such file."""
        path = f"{_BASE}/Attachment"
        params = {"attachmentId": str(attachment_id), "fileName": filename}
        try:
            response = await self._http.request("GET", path, params=params)
        except WATSNotFoundError:
            return None
        return response.content
