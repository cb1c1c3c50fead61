"""Root-cause tickets (``/api/RootCause``): tickets with a history thread, linked to reports.

Server rules emulated here:

* ticket numbers increase and are never reused;
* every POST or PUT carrying an ``update`` appends it to the history (user and time set by
  the server); a PUT that changes status, assignee, priority or progress also records that
  change as a history entry of its own (updateType 1 progress, 2 properties);
* a PUT is the whole ticket: fields left out (null) keep their stored values, but the ticket
  as sent is checked as a whole, so a ticket sent without an assignee must be Open. That is
  why a status change on a ticket fetched by GET (which never carries ``assignee``) is refused
  unless the caller puts the assignee back;
* only Solved tickets can be archived (``POST ArchiveTickets``), and an archived ticket is
  read-only;
* ``GET Tickets`` takes status flags (combinable), a view (assigned to me, following, all)
  and a ``searchString`` matched against the subject, tag keys and tag values;
* attachments are uploaded first (multipart, one ``file`` field; the answer is its id) and
  then referenced from an update.
"""

from __future__ import annotations

import base64
import binascii
import sqlite3
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import ApiError, BadRequest, NotFound
from ..params import Fields, json_array, json_object, parse_uuid, query_int, query_str, query_uuid
from ..plugin import Domain, SeedContext
from ..state import get_store
from ..storage import Storage

SCHEMA = """
CREATE TABLE IF NOT EXISTS rootcause_ticket (
    ticket_id TEXT PRIMARY KEY,
    ticket_number INTEGER NOT NULL UNIQUE,
    subject TEXT NOT NULL,
    status INTEGER NOT NULL,
    priority INTEGER NOT NULL,
    owner TEXT NOT NULL,
    assignee TEXT,
    team TEXT,
    origin TEXT,
    progress TEXT,
    report_uuid TEXT,
    created_utc TEXT NOT NULL,
    updated_utc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rootcause_tag (
    ticket_id TEXT NOT NULL REFERENCES rootcause_ticket(ticket_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT
);
CREATE INDEX IF NOT EXISTS rootcause_tag_ticket ON rootcause_tag(ticket_id);
CREATE TABLE IF NOT EXISTS rootcause_update (
    update_id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL REFERENCES rootcause_ticket(ticket_id) ON DELETE CASCADE,
    sequence INTEGER NOT NULL,
    update_utc TEXT NOT NULL,
    update_user TEXT NOT NULL,
    content TEXT,
    update_type INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS rootcause_update_ticket ON rootcause_update(ticket_id, sequence);
CREATE TABLE IF NOT EXISTS rootcause_attachment (
    attachment_id TEXT PRIMARY KEY,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    uploaded_utc TEXT NOT NULL,
    uploaded_by TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rootcause_update_attachment (
    update_id TEXT NOT NULL REFERENCES rootcause_update(update_id) ON DELETE CASCADE,
    attachment_id TEXT NOT NULL REFERENCES rootcause_attachment(attachment_id),
    filename TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rootcause_update_attachment_update
    ON rootcause_update_attachment(update_id);
"""

OPEN, IN_PROGRESS, ON_HOLD, SOLVED, CLOSED, ARCHIVED = 1, 2, 4, 8, 16, 32
ALL_FLAGS = 63
STATUS_NAMES = {
    OPEN: "Open",
    IN_PROGRESS: "In progress",
    ON_HOLD: "On hold",
    SOLVED: "Solved",
    CLOSED: "Closed",
    ARCHIVED: "Archived",
}
PRIORITY_NAMES = {0: "Low", 1: "Medium", 2: "High"}
VIEW_ASSIGNED, VIEW_FOLLOWING, VIEW_ALL = 0, 1, 2
CONTENT, PROGRESS, PROPERTIES, NOTIFICATION = 0, 1, 2, 3
TAG_CHANGES = range(7)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
API_ORIGIN = "WATS API"


# --- small helpers -----------------------------------------------------------------


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _now() -> str:
    return utc_text(datetime.now(UTC))


def current_user(request: Request) -> str:
    """The user name of the API token (base64 of ``user:secret``), as the server knows it."""
    header = request.headers.get("authorization", "")
    _, _, token = header.partition(" ")
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return "api"
    user, sep, _ = decoded.partition(":")
    return user if sep and user else "api"


def _new_id() -> str:
    # Handlers use real GUIDs; only the seed draws them from its stream.
    return str(uuid.uuid4())


# --- rendering ---------------------------------------------------------------------


def _updates(store: Storage, ticket_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    if not ticket_ids:
        return {}
    marks = ",".join("?" * len(ticket_ids))
    files: dict[str, list[dict[str, Any]]] = {}
    for row in store.query(
        "SELECT a.update_id, a.attachment_id, a.filename FROM rootcause_update_attachment a "  # noqa: S608 - placeholders only
        f"JOIN rootcause_update u ON u.update_id = a.update_id WHERE u.ticket_id IN ({marks}) "
        "ORDER BY a.rowid",
        ticket_ids,
    ):
        files.setdefault(row["update_id"], []).append(
            {"attachmentId": row["attachment_id"], "filename": row["filename"]}
        )
    history: dict[str, list[dict[str, Any]]] = {}
    for row in store.query(
        f"SELECT * FROM rootcause_update WHERE ticket_id IN ({marks}) "  # noqa: S608 - placeholders only
        "ORDER BY ticket_id, sequence",
        ticket_ids,
    ):
        entry: dict[str, Any] = {
            "updateId": row["update_id"],
            "updateUtc": row["update_utc"],
            "updateUser": row["update_user"],
            "content": row["content"] or "",
            "updateType": row["update_type"],
            "attachments": files.get(row["update_id"], []),
        }
        history.setdefault(row["ticket_id"], []).append(entry)
    return history


def _tags(store: Storage, ticket_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    if not ticket_ids:
        return {}
    marks = ",".join("?" * len(ticket_ids))
    tags: dict[str, list[dict[str, Any]]] = {}
    for row in store.query(
        f"SELECT * FROM rootcause_tag WHERE ticket_id IN ({marks}) "  # noqa: S608 - placeholders only
        "ORDER BY ticket_id, position",
        ticket_ids,
    ):
        tags.setdefault(row["ticket_id"], []).append(
            {"key": row["key"], "value": row["value"] or "", "change": 0}
        )
    return tags


def render(store: Storage, rows: list[sqlite3.Row], *, with_assignee: bool) -> list[dict[str, Any]]:
    """Tickets as the server sends them. GET answers never carry ``assignee``."""
    ids = [row["ticket_id"] for row in rows]
    history = _updates(store, ids)
    tags = _tags(store, ids)
    out = []
    for row in rows:
        body: dict[str, Any] = {
            "ticketId": row["ticket_id"],
            "ticketNumber": row["ticket_number"],
            "progress": row["progress"] or "",
            "owner": row["owner"],
            "subject": row["subject"],
            "status": row["status"],
            "priority": row["priority"],
            "createdUtc": row["created_utc"],
            "updatedUtc": row["updated_utc"],
            "team": row["team"] or "",
            "origin": row["origin"] or "",
            "tags": tags.get(row["ticket_id"], []),
            "history": history.get(row["ticket_id"], []),
        }
        if row["report_uuid"]:
            body["reportUuid"] = row["report_uuid"]
        if with_assignee and row["assignee"]:
            body["assignee"] = row["assignee"]
        out.append(body)
    return out


def _find(store: Storage, ticket_id: str) -> sqlite3.Row:
    row = store.query_one("SELECT * FROM rootcause_ticket WHERE ticket_id = ?", (ticket_id,))
    if row is None:
        raise NotFound(f"No root cause ticket with ticketId {ticket_id}.")
    return row


# --- writing -----------------------------------------------------------------------


def add_update(
    store: Storage,
    ticket_id: str,
    *,
    update_id: str,
    when: str,
    user: str,
    content: str,
    update_type: int,
    attachments: Sequence[tuple[str, str]] = (),
) -> None:
    sequence = store.scalar(
        "SELECT COALESCE(MAX(sequence), 0) + 1 FROM rootcause_update WHERE ticket_id = ?",
        (ticket_id,),
    )
    store.execute(
        "INSERT INTO rootcause_update (update_id, ticket_id, sequence, update_utc, update_user, "
        "content, update_type) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (update_id, ticket_id, sequence, when, user, content, update_type),
    )
    store.executemany(
        "INSERT INTO rootcause_update_attachment (update_id, attachment_id, filename) "
        "VALUES (?, ?, ?)",
        [(update_id, attachment_id, filename) for attachment_id, filename in attachments],
    )


def _set_tags(store: Storage, ticket_id: str, tags: list[tuple[str, str]]) -> None:
    store.execute("DELETE FROM rootcause_tag WHERE ticket_id = ?", (ticket_id,))
    store.executemany(
        "INSERT INTO rootcause_tag (ticket_id, position, key, value) VALUES (?, ?, ?, ?)",
        [(ticket_id, index, key, value) for index, (key, value) in enumerate(tags)],
    )


class _Parsed:
    """The validated fields of a ticket body; None means "not sent"."""

    def __init__(self, store: Storage, body: dict[str, Any]) -> None:
        fields = Fields(body)
        self.ticket_id = fields.get_uuid("ticketId")
        self.subject = fields.get_str("subject")
        if self.subject is not None and not self.subject.strip():
            raise BadRequest("The field 'subject' must not be empty.", field="subject")
        if self.subject is not None and len(self.subject) > 500:
            raise BadRequest("The field 'subject' is longer than 500 characters.", field="subject")
        self.status = fields.get_int("status")
        if self.status is not None and self.status not in STATUS_NAMES:
            raise BadRequest(
                f"The field 'status' must be one status (1, 2, 4, 8, 16 or 32), got {self.status}.",
                field="status",
            )
        self.priority = fields.get_int("priority")
        if self.priority is not None and self.priority not in PRIORITY_NAMES:
            raise BadRequest(
                f"The field 'priority' must be 0, 1 or 2, got {self.priority}.", field="priority"
            )
        assignee = fields.get_str("assignee")
        self.assignee = assignee.strip() if assignee and assignee.strip() else None
        self.team = fields.get_str("team")
        self.progress = fields.get_str("progress")
        self.report_uuid = fields.get_uuid("reportUuid")
        if (
            self.report_uuid is not None
            and self.report_uuid != "00000000-0000-0000-0000-000000000000"
        ):
            if store.query_one("SELECT 1 FROM report WHERE uuid = ?", (self.report_uuid,)) is None:
                raise BadRequest(
                    f"No report with id {self.report_uuid} to link the ticket to.",
                    field="reportUuid",
                )
        elif self.report_uuid is not None:
            self.report_uuid = None
        raw_tags = fields.get_list("tags")
        self.tags: list[tuple[str, str]] | None = None
        if raw_tags is not None:
            self.tags = []
            for index, item in enumerate(raw_tags):
                if not isinstance(item, dict):
                    raise BadRequest(
                        f"The field 'tags[{index}]' must be an object.", field=f"tags[{index}]"
                    )
                tag = Fields(item, f"tags[{index}]")
                key = tag.get_str("key", required=True) or ""
                change = tag.get_int("change")
                if change is not None and change not in TAG_CHANGES:
                    raise BadRequest(
                        f"The field 'tags[{index}].change' must be 0 to 6.",
                        field=f"tags[{index}].change",
                    )
                if change == 3:  # DELETE: the tag goes away
                    continue
                self.tags.append((key, tag.get_str("value") or ""))
        self.update: tuple[str, int, list[tuple[str, str]]] | None = None
        update = fields.get_object("update")
        if update is not None:
            self.update = self._update(store, update)

    @staticmethod
    def _update(store: Storage, update: dict[str, Any]) -> tuple[str, int, list[tuple[str, str]]]:
        fields = Fields(update, "update")
        content = fields.get_str("content") or ""
        update_type = fields.get_int("updateType")
        if update_type is None:
            update_type = CONTENT
        if update_type not in (CONTENT, PROGRESS, PROPERTIES, NOTIFICATION):
            raise BadRequest(
                "The field 'update.updateType' must be 0, 1, 2 or 3.", field="update.updateType"
            )
        attachments: list[tuple[str, str]] = []
        for index, item in enumerate(fields.get_list("attachments") or []):
            where = f"update.attachments[{index}]"
            if not isinstance(item, dict):
                raise BadRequest(f"The field '{where}' must be an object.", field=where)
            attachment = Fields(item, where)
            attachment_id = attachment.get_uuid("attachmentId", required=True) or ""
            stored = store.query_one(
                "SELECT filename FROM rootcause_attachment WHERE attachment_id = ?",
                (attachment_id,),
            )
            if stored is None:
                raise BadRequest(
                    f"No uploaded attachment {attachment_id}; upload it with "
                    "POST /api/RootCause/Attachment first.",
                    field=f"{where}.attachmentId",
                )
            attachments.append((attachment_id, attachment.get_str("filename") or stored[0]))
        if not content.strip() and not attachments:
            raise BadRequest(
                "The update has neither content nor attachments.", field="update.content"
            )
        return content, update_type, attachments


def _check_assigned(status: int, assignee: str | None) -> None:
    if assignee is None and status != OPEN:
        raise BadRequest(
            "Unassigned tickets must have status 'Open': set the assignee (the ticket as sent "
            f"has none) to make it {STATUS_NAMES[status]}.",
            field="assignee",
        )


# --- handlers ----------------------------------------------------------------------


async def get_ticket(request: Request) -> JSONResponse:
    store = get_store(request)
    ticket_id = query_uuid(request, "ticketId", required=True) or ""
    return JSONResponse(render(store, [_find(store, ticket_id)], with_assignee=False)[0])


async def get_tickets(request: Request) -> JSONResponse:
    store = get_store(request)
    status = query_int(request, "status", required=True)
    view = query_int(request, "view", required=True)
    if status is None or not 1 <= status <= ALL_FLAGS:
        raise BadRequest(
            f"The value '{status}' is not valid for status: combine the flags 1 Open, "
            "2 In progress, 4 On hold, 8 Solved, 16 Closed, 32 Archived (1 to 63).",
            field="status",
        )
    if view not in (VIEW_ASSIGNED, VIEW_FOLLOWING, VIEW_ALL):
        raise BadRequest(
            f"The value '{view}' is not valid for view: 0 assigned, 1 following, 2 all.",
            field="view",
        )
    search = (query_str(request, "searchString") or "").strip()
    user = current_user(request)
    sql = "SELECT t.* FROM rootcause_ticket t WHERE (t.status & ?) != 0"
    params: list[Any] = [status]
    if view == VIEW_ASSIGNED:
        sql += " AND t.assignee = ? COLLATE NOCASE"
        params.append(user)
    elif view == VIEW_FOLLOWING:
        sql += (
            " AND (t.owner = ? COLLATE NOCASE OR t.assignee = ? COLLATE NOCASE OR EXISTS ("
            "SELECT 1 FROM rootcause_update u WHERE u.ticket_id = t.ticket_id "
            "AND u.update_user = ? COLLATE NOCASE))"
        )
        params += [user, user, user]
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sql += (
            " AND (t.subject LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM rootcause_tag g "
            "WHERE g.ticket_id = t.ticket_id AND (g.key LIKE ? ESCAPE '\\' "
            "OR g.value LIKE ? ESCAPE '\\')))"
        )
        params += [pattern, pattern, pattern]
    sql += " ORDER BY t.ticket_number DESC"
    return JSONResponse(render(store, store.query(sql, params), with_assignee=False))


async def post_ticket(request: Request) -> JSONResponse:
    store = get_store(request)
    body = await json_object(request)
    parsed = _Parsed(store, body)
    if parsed.subject is None:
        raise BadRequest("The field 'subject' is required.", field="subject")
    status = OPEN if parsed.status is None else parsed.status
    if status == ARCHIVED:
        raise BadRequest("A new ticket cannot be archived.", field="status")
    _check_assigned(status, parsed.assignee)
    user = current_user(request)
    now = _now()
    ticket_id = _new_id()
    with store.transaction():
        number = store.scalar("SELECT COALESCE(MAX(ticket_number), 0) + 1 FROM rootcause_ticket")
        store.execute(
            "INSERT INTO rootcause_ticket (ticket_id, ticket_number, subject, status, priority, "
            "owner, assignee, team, origin, progress, report_uuid, created_utc, updated_utc) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ticket_id,
                number,
                parsed.subject.strip(),
                status,
                1 if parsed.priority is None else parsed.priority,
                user,
                parsed.assignee,
                parsed.team,
                API_ORIGIN,
                parsed.progress,
                parsed.report_uuid,
                now,
                now,
            ),
        )
        if parsed.tags:
            _set_tags(store, ticket_id, parsed.tags)
        _record_update(store, ticket_id, parsed, user, now)
    return JSONResponse(render(store, [_find(store, ticket_id)], with_assignee=True)[0])


def _record_update(store: Storage, ticket_id: str, parsed: _Parsed, user: str, now: str) -> None:
    """The update a POST or PUT carries, appended to the ticket's history."""
    if parsed.update is None:
        return
    content, update_type, attachments = parsed.update
    add_update(
        store,
        ticket_id,
        update_id=_new_id(),
        when=now,
        user=user,
        content=content,
        update_type=update_type,
        attachments=attachments,
    )


def _changes(row: sqlite3.Row, parsed: _Parsed, status: int, assignee: str | None) -> list[str]:
    said = []
    if status != row["status"]:
        said.append(f"Status: {STATUS_NAMES[row['status']]} -> {STATUS_NAMES[status]}")
    if assignee is not None and assignee != row["assignee"]:
        said.append(f"Assignee: {row['assignee'] or '(none)'} -> {assignee}")
    if parsed.priority is not None and parsed.priority != row["priority"]:
        said.append(
            f"Priority: {PRIORITY_NAMES[row['priority']]} -> {PRIORITY_NAMES[parsed.priority]}"
        )
    if parsed.subject is not None and parsed.subject.strip() != row["subject"]:
        said.append(f"Subject: {parsed.subject.strip()}")
    if parsed.team is not None and parsed.team != (row["team"] or ""):
        said.append(f"Team: {row['team'] or '(none)'} -> {parsed.team or '(none)'}")
    return said


async def put_ticket(request: Request) -> JSONResponse:
    store = get_store(request)
    body = await json_object(request)
    parsed = _Parsed(store, body)
    if parsed.ticket_id is None:
        raise BadRequest("The field 'ticketId' is required.", field="ticketId")
    row = _find(store, parsed.ticket_id)
    if row["status"] == ARCHIVED:
        raise BadRequest(
            f"Ticket {row['ticket_number']} is archived and cannot be changed.", field="status"
        )
    status = row["status"] if parsed.status is None else parsed.status
    if status == ARCHIVED:
        raise BadRequest("Archive tickets with POST /api/RootCause/ArchiveTickets.", field="status")
    # The ticket as sent is checked whole: no assignee in it means unassigned.
    _check_assigned(status, parsed.assignee)
    user = current_user(request)
    now = _now()
    ticket_id = row["ticket_id"]
    changes = _changes(row, parsed, status, parsed.assignee)
    progress_changed = parsed.progress is not None and parsed.progress != (row["progress"] or "")
    with store.transaction():
        store.execute(
            "UPDATE rootcause_ticket SET subject = ?, status = ?, priority = ?, assignee = ?, "
            "team = ?, progress = ?, report_uuid = ?, updated_utc = ? WHERE ticket_id = ?",
            (
                row["subject"] if parsed.subject is None else parsed.subject.strip(),
                status,
                row["priority"] if parsed.priority is None else parsed.priority,
                parsed.assignee or row["assignee"],
                row["team"] if parsed.team is None else parsed.team,
                row["progress"] if parsed.progress is None else parsed.progress,
                parsed.report_uuid or row["report_uuid"],
                now,
                ticket_id,
            ),
        )
        if parsed.tags is not None:
            _set_tags(store, ticket_id, parsed.tags)
        if changes:
            add_update(
                store,
                ticket_id,
                update_id=_new_id(),
                when=now,
                user=user,
                content="; ".join(changes),
                update_type=PROPERTIES,
            )
        if progress_changed:
            add_update(
                store,
                ticket_id,
                update_id=_new_id(),
                when=now,
                user=user,
                content=parsed.progress or "",
                update_type=PROGRESS,
            )
        _record_update(store, ticket_id, parsed, user, now)
    return JSONResponse(render(store, [_find(store, ticket_id)], with_assignee=True)[0])


async def archive_tickets(request: Request) -> JSONResponse:
    store = get_store(request)
    items = await json_array(request)
    if not items:
        raise BadRequest("Name at least one ticket to archive.", field="body")
    ids: list[str] = []
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise BadRequest(f"The field '[{index}]' must be a GUID string.", field=f"[{index}]")
        ids.append(parse_uuid(item, f"[{index}]"))
    rows = []
    for index, ticket_id in enumerate(dict.fromkeys(ids)):
        row = store.query_one("SELECT * FROM rootcause_ticket WHERE ticket_id = ?", (ticket_id,))
        if row is None:
            raise NotFound(f"No root cause ticket with ticketId {ticket_id}.")
        if row["status"] != SOLVED:
            raise BadRequest(
                f"Only Solved tickets can be archived: ticket {row['ticket_number']} is "
                f"{STATUS_NAMES[row['status']]}.",
                field=f"[{index}]",
            )
        rows.append(row)
    user = current_user(request)
    now = _now()
    with store.transaction():
        for row in rows:
            store.execute(
                "UPDATE rootcause_ticket SET status = ?, updated_utc = ? WHERE ticket_id = ?",
                (ARCHIVED, now, row["ticket_id"]),
            )
            add_update(
                store,
                row["ticket_id"],
                update_id=_new_id(),
                when=now,
                user=user,
                content="Status: Solved -> Archived",
                update_type=PROPERTIES,
            )
    last = _find(store, rows[-1]["ticket_id"])
    return JSONResponse(render(store, [last], with_assignee=False)[0])


async def get_attachment(request: Request) -> Response:
    store = get_store(request)
    attachment_id = query_uuid(request, "attachmentId", required=True) or ""
    file_name = query_str(request, "fileName")
    row = store.query_one(
        "SELECT filename, content_type, data FROM rootcause_attachment WHERE attachment_id = ?",
        (attachment_id,),
    )
    if row is None:
        raise NotFound(f"No root cause attachment with attachmentId {attachment_id}.")
    headers = {}
    if file_name:
        safe = "".join(c for c in file_name if c.isprintable() and c not in '"\\') or "attachment"
        headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    return Response(bytes(row["data"]), media_type=row["content_type"], headers=headers)


async def post_attachment(request: Request) -> JSONResponse:
    store = get_store(request)
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise BadRequest(
            "Upload the attachment as multipart/form-data with a 'file' field.", field="file"
        )
    try:
        form = await request.form(max_files=1, max_fields=10)
    except Exception as exc:  # the multipart parser's own errors: a bad body, not a crash
        if isinstance(exc, ApiError):
            raise
        raise BadRequest(f"The multipart body cannot be read: {exc}", field="file") from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise BadRequest(
                "The multipart body needs a 'file' field holding the file.", field="file"
            )
        data = await upload.read()
        filename = (upload.filename or "").strip()
    finally:
        await form.close()
    if not filename:
        raise BadRequest("The uploaded file needs a file name.", field="file")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ApiError(413, f"The attachment is larger than {MAX_ATTACHMENT_BYTES} bytes.")
    attachment_id = _new_id()
    store.execute(
        "INSERT INTO rootcause_attachment (attachment_id, filename, content_type, data, "
        "uploaded_utc, uploaded_by) VALUES (?, ?, ?, ?, ?, ?)",
        (
            attachment_id,
            filename,
            upload.content_type or "application/octet-stream",
            data,
            _now(),
            current_user(request),
        ),
    )
    return JSONResponse(attachment_id)


# --- seed --------------------------------------------------------------------------

_COMMENTS = (
    "Seen on {station} again; looks like the same failure as last week.",
    "Pulled the unit and re-ran {step}: fails on the second try too.",
    "Fixture contacts cleaned, waiting for the next batch to confirm.",
    "Component lot changed on Monday; checking the incoming inspection data.",
    "Limits checked against the spec sheet, they are right.",
    "Root cause: worn pogo pins on the fixture. Replaced them.",
    "Yield is back to normal over the last 200 units.",
    "Supplier contacted, waiting for their 8D report.",
)
# (final status, whether it is assigned, how many comments after the first)
_PLANS = (
    (OPEN, False, 0),
    (OPEN, True, 1),
    (IN_PROGRESS, True, 2),
    (ON_HOLD, True, 2),
    (SOLVED, True, 3),
    (IN_PROGRESS, True, 1),
    (CLOSED, True, 3),
    (ARCHIVED, True, 3),
    (OPEN, False, 1),
    (SOLVED, True, 2),
    (ON_HOLD, True, 1),
    (IN_PROGRESS, True, 3),
)
_FALLBACK_USERS = ("ola.nordmann", "kari.hansen", "per.olsen", "ingrid.berg")
_TEAMS = ("Test engineering", "Quality", "Production")


def _seed_users(ctx: SeedContext) -> list[str]:
    try:
        rows = ctx.store.query(
            "SELECT user_name FROM scim_user WHERE active = 1 ORDER BY user_name"
        )
    except sqlite3.OperationalError:
        rows = []
    return [row[0] for row in rows] or list(_FALLBACK_USERS)


def seed(ctx: SeedContext) -> None:
    count = ctx.count(small=12, factory=36)
    failed = ctx.store.query(
        "SELECT uuid, serial_number, part_number, revision, station_name, caused_uut_failure, "
        "start_utc FROM report WHERE report_type = 'T' AND result = 'F' "
        "AND caused_uut_failure IS NOT NULL AND start_utc < ? "
        "ORDER BY start_utc DESC, uuid LIMIT ?",
        # Failures from before the last two weeks: their threads have had time to happen.
        ((ctx.anchor - timedelta(days=14)).strftime("%Y-%m-%dT%H:%M:%S"), count),
    )
    users = _seed_users(ctx)
    tickets, tags, updates = [], [], []
    for index, report in enumerate(reversed(failed)):
        status, assigned, comments = _PLANS[index % len(_PLANS)]
        ticket_id = ctx.uuid()
        owner = ctx.rng.choice(users)
        assignee = ctx.rng.choice(users) if assigned else None
        step = report["caused_uut_failure"]
        created = datetime.fromisoformat(report["start_utc"][:19] + "+00:00") + timedelta(
            hours=ctx.rng.uniform(1, 20)
        )
        moment = created
        history: list[tuple[datetime, str, str, int]] = [
            (
                moment,
                owner,
                f"{step} failed on {report['serial_number']} at {report['station_name']}.",
                CONTENT,
            )
        ]
        if assignee is not None:
            moment += timedelta(hours=ctx.rng.uniform(0.5, 8))
            history.append((moment, owner, f"Assignee: (none) -> {assignee}", PROPERTIES))
        said_status = OPEN
        for number in range(comments):
            moment += timedelta(hours=ctx.rng.uniform(2, 30))
            text = _COMMENTS[(index + number) % len(_COMMENTS)]
            history.append(
                (
                    moment,
                    assignee or owner,
                    text.format(station=report["station_name"], step=step),
                    CONTENT,
                )
            )
            if number == 0 and status != OPEN and said_status == OPEN:
                moment += timedelta(minutes=ctx.rng.uniform(5, 60))
                history.append(
                    (
                        moment,
                        assignee or owner,
                        f"Status: Open -> {STATUS_NAMES[IN_PROGRESS]}",
                        PROPERTIES,
                    )
                )
                said_status = IN_PROGRESS
        final_steps = {
            ON_HOLD: [ON_HOLD],
            SOLVED: [SOLVED],
            CLOSED: [SOLVED, CLOSED],
            ARCHIVED: [SOLVED, ARCHIVED],
        }.get(status, [])
        if status != OPEN and said_status == OPEN:
            history.append(
                (
                    moment,
                    assignee or owner,
                    f"Status: Open -> {STATUS_NAMES[IN_PROGRESS]}",
                    PROPERTIES,
                )
            )
            said_status = IN_PROGRESS
        for step_status in final_steps:
            moment += timedelta(hours=ctx.rng.uniform(1, 48))
            history.append(
                (
                    moment,
                    assignee or owner,
                    f"Status: {STATUS_NAMES[said_status]} -> {STATUS_NAMES[step_status]}",
                    PROPERTIES,
                )
            )
            said_status = step_status
        tickets.append(
            (
                ticket_id,
                index + 1,
                f"{step} fails on {report['part_number']} rev {report['revision']}",
                status,
                ctx.rng.choice((0, 1, 1, 2)),
                owner,
                assignee,
                ctx.rng.choice(_TEAMS),
                "WATS",
                "",
                report["uuid"],
                utc_text(min(created, ctx.anchor)),
                utc_text(min(moment, ctx.anchor)),
            )
        )
        for position, (key, value) in enumerate(
            (
                ("Part number", report["part_number"]),
                ("Station", report["station_name"]),
                ("Step", step),
            )
        ):
            tags.append((ticket_id, position, key, value))
        for sequence, (when, user, content, update_type) in enumerate(history, start=1):
            # Recent failures would have replies "after now": seeded history stops at the anchor.
            when = min(when, ctx.anchor)
            updates.append(
                (ctx.uuid(), ticket_id, sequence, utc_text(when), user, content, update_type)
            )
    store = ctx.store
    store.executemany(
        "INSERT INTO rootcause_ticket (ticket_id, ticket_number, subject, status, priority, "
        "owner, assignee, team, origin, progress, report_uuid, created_utc, updated_utc) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        tickets,
    )
    store.executemany(
        "INSERT INTO rootcause_tag (ticket_id, position, key, value) VALUES (?, ?, ?, ?)", tags
    )
    store.executemany(
        "INSERT INTO rootcause_update (update_id, ticket_id, sequence, update_utc, update_user, "
        "content, update_type) VALUES (?, ?, ?, ?, ?, ?, ?)",
        updates,
    )
    store.execute(
        "INSERT INTO rootcause_attachment (attachment_id, filename, content_type, data, "
        "uploaded_utc, uploaded_by) VALUES (?, ?, ?, ?, ?, ?)",
        (
            ATTACHMENT_SEED_ID,
            "fixture-pins.txt",
            "text/plain",
            b"Fixture F-12: pins 4, 7 and 9 worn below 80% spring force.\n",
            utc_text(ctx.anchor),
            users[0],
        ),
    )
    solved = store.query_one(
        "SELECT u.update_id FROM rootcause_update u JOIN rootcause_ticket t USING (ticket_id) "
        "WHERE t.status = ? AND u.update_type = ? "
        # The root-cause finding carries the evidence; else the first comment does.
        "ORDER BY u.content LIKE 'Root cause:%' DESC, t.ticket_number, u.sequence LIMIT 1",
        (SOLVED, CONTENT),
    )
    if solved is not None:
        store.execute(
            "INSERT INTO rootcause_update_attachment (update_id, attachment_id, filename) "
            "VALUES (?, ?, ?)",
            (solved[0], ATTACHMENT_SEED_ID, "fixture-pins.txt"),
        )


ATTACHMENT_SEED_ID = "5e1f0c2a-7d4b-4a8e-9c3f-2b6d8e0a4f17"

_BASE = "/api/RootCause"

DOMAIN = Domain(
    name="rootcause",
    schema=SCHEMA,
    seed=seed,
    # Tickets are opened on failed reports and worked by the seeded (SCIM) users.
    requires=("report", "scim"),
    routes=[
        Route(f"{_BASE}/Ticket", get_ticket, methods=["GET"]),
        Route(f"{_BASE}/Ticket", post_ticket, methods=["POST"]),
        Route(f"{_BASE}/Ticket", put_ticket, methods=["PUT"]),
        Route(f"{_BASE}/Tickets", get_tickets, methods=["GET"]),
        Route(f"{_BASE}/ArchiveTickets", archive_tickets, methods=["POST"]),
        Route(f"{_BASE}/Attachment", get_attachment, methods=["GET"]),
        Route(f"{_BASE}/Attachment", post_attachment, methods=["POST"]),
    ],
)

__all__ = ["DOMAIN"]
