"""The root-cause service against the in-process emulator: every operation, async and sync."""

from __future__ import annotations

import uuid

import pytest

from pywats import AsyncWATS, SyncWATS
from pywats.domains.rootcause import (
    Ticket,
    TicketPriority,
    TicketStatus,
    TicketUpdateType,
    TicketView,
)
from pywats.emulator.testing import InProcessEmulator
from pywats.errors import WATSBadRequestError, WATSNotFoundError, WATSValidationError


def failed_report(emulator: InProcessEmulator) -> str:
    row = emulator.store.query_one(
        "SELECT uuid FROM report WHERE result = 'F' ORDER BY start_utc LIMIT 1"
    )
    assert row is not None
    return str(row[0])


def unassigned_seeded(emulator: InProcessEmulator) -> str:
    # The SDK has never seen this ticket, so it does not know its assignee.
    row = emulator.store.query_one(
        "SELECT ticket_id FROM rootcause_ticket WHERE status = 2 ORDER BY ticket_number LIMIT 1"
    )
    assert row is not None
    return str(row[0])


async def test_get_tickets_by_status_view_and_search(wats: AsyncWATS) -> None:
    everything = await wats.rootcause.get_tickets(TicketStatus.every(), TicketView.ALL)
    assert {t.status for t in everything} == set(TicketStatus)
    active = await wats.rootcause.get_tickets(TicketStatus.active(), TicketView.ALL)
    assert active and all(
        t.status is not None and t.status in TicketStatus.active() for t in active
    )
    assert all(isinstance(t.status, TicketStatus) for t in active)
    some = everything[0]
    step = some.tag("step")
    assert step is not None
    found = await wats.rootcause.get_tickets(TicketStatus.every(), TicketView.ALL, search=step)
    assert some.ticket_id in {t.ticket_id for t in found}
    assert await wats.rootcause.get_tickets() == []  # nothing is assigned to the token's user


async def test_create_with_comment_and_report_then_get(
    wats: AsyncWATS, emulator: InProcessEmulator
) -> None:
    report = failed_report(emulator)
    ticket = await wats.rootcause.create_ticket(
        "VCC 3V3 low on PCB-1001",
        comment="Three in a row at ICT-01",
        report_uuid=report,
        priority=TicketPriority.HIGH,
        tags={"Station": "ICT-01"},
    )
    assert ticket.ticket_number and ticket.status is TicketStatus.OPEN
    assert str(ticket.report_uuid) == report and ticket.priority == TicketPriority.HIGH
    assert [(h.content, h.update_type) for h in ticket.history] == [
        ("Three in a row at ICT-01", TicketUpdateType.CONTENT)
    ]
    assert ticket.tag("station") == "ICT-01"
    again = await wats.rootcause.get_ticket(str(ticket.ticket_id))
    assert again is not None and again.subject == "VCC 3V3 low on PCB-1001"
    assert await wats.rootcause.get_ticket(uuid.uuid4()) is None


async def test_assign_then_change_status_keeps_the_assignee(
    wats: AsyncWATS, emulator: InProcessEmulator
) -> None:
    ticket = await wats.rootcause.create_ticket("Bus scan flaky")
    assert ticket.ticket_id is not None
    assigned = await wats.rootcause.assign(ticket.ticket_id, "kari.hansen", comment="Yours")
    assert assigned.assignee == "kari.hansen"
    # GET answers leave the assignee out; the service fills in what it learnt.
    fetched = await wats.rootcause.get_ticket(ticket.ticket_id)
    assert fetched is not None and fetched.assignee == "kari.hansen"
    moved = await wats.rootcause.change_status(ticket.ticket_id, TicketStatus.IN_PROGRESS)
    assert moved.status is TicketStatus.IN_PROGRESS and moved.assignee == "kari.hansen"
    solved = await wats.rootcause.change_status(
        ticket.ticket_id, TicketStatus.SOLVED, comment="Fixture pins replaced"
    )
    assert solved.status is TicketStatus.SOLVED
    assert solved.history[-1].content == "Fixture pins replaced"
    assert (
        emulator.store.scalar(
            "SELECT assignee FROM rootcause_ticket WHERE ticket_id = ?", (str(ticket.ticket_id),)
        )
        == "kari.hansen"
    )


async def test_a_status_change_without_a_known_assignee_is_refused_before_sending(
    wats: AsyncWATS, emulator: InProcessEmulator
) -> None:
    ticket_id = unassigned_seeded(emulator)
    before = emulator.traffic.count_for("PUT", "/api/RootCause/Ticket")
    with pytest.raises(WATSValidationError, match="assignee="):
        await wats.rootcause.change_status(ticket_id, TicketStatus.SOLVED)
    with pytest.raises(WATSValidationError, match="assignee"):
        await wats.rootcause.add_comment(ticket_id, "still failing")
    assert emulator.traffic.count_for("PUT", "/api/RootCause/Ticket") == before
    done = await wats.rootcause.change_status(ticket_id, TicketStatus.SOLVED, assignee="per.olsen")
    assert done.status is TicketStatus.SOLVED and done.assignee == "per.olsen"
    # Learnt: the next change needs no assignee argument.
    commented = await wats.rootcause.add_comment(ticket_id, "confirmed over 500 units")
    assert commented.history[-1].content == "confirmed over 500 units"


async def test_the_server_refusal_comes_through_when_the_ticket_is_open_and_unassigned(
    wats: AsyncWATS,
) -> None:
    ticket = await wats.rootcause.create_ticket("Unassigned")
    # Raw update with a status and no assignee: the server's own rule answers.
    raw = Ticket(ticket_id=ticket.ticket_id, status=TicketStatus.ON_HOLD)
    with pytest.raises(WATSBadRequestError, match="Unassigned tickets must have status"):
        await wats.rootcause.update_ticket(raw)


async def test_archive_only_solved(wats: AsyncWATS) -> None:
    ticket = await wats.rootcause.create_ticket("Archive me", assignee="ola.nordmann")
    assert ticket.ticket_id is not None
    with pytest.raises(WATSBadRequestError, match="Only Solved tickets"):
        await wats.rootcause.archive([ticket.ticket_id])
    await wats.rootcause.change_status(ticket.ticket_id, TicketStatus.SOLVED)
    await wats.rootcause.archive([str(ticket.ticket_id)])
    archived = await wats.rootcause.get_ticket(ticket.ticket_id)
    assert archived is not None and archived.status is TicketStatus.ARCHIVED
    with pytest.raises(WATSValidationError):
        await wats.rootcause.archive([])
    with pytest.raises(WATSValidationError, match="archive"):
        await wats.rootcause.change_status(ticket.ticket_id, TicketStatus.ARCHIVED)


async def test_upload_attach_and_download(wats: AsyncWATS) -> None:
    ticket = await wats.rootcause.create_ticket("Scope shots")
    assert ticket.ticket_id is not None
    attachment = await wats.rootcause.upload_attachment("ripple.csv", b"t,v\n0,3.31\n")
    commented = await wats.rootcause.add_comment(
        ticket.ticket_id, "ripple capture", attachments=[attachment]
    )
    [entry] = commented.history
    assert entry.attachments[0].attachment_id == attachment.attachment_id
    assert entry.attachments[0].filename == "ripple.csv"
    assert await wats.rootcause.download_attachment(attachment.attachment_id) == b"t,v\n0,3.31\n"
    assert await wats.rootcause.download_attachment(uuid.uuid4()) is None
    attached = await wats.rootcause.attach_file(ticket.ticket_id, "log.txt", b"boot ok")
    file = attached.history[-1].attachments[0]
    assert await wats.rootcause.download_attachment(file.attachment_id, "log.txt") == b"boot ok"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda rc: rc.create_ticket(""), "subject"),
        (lambda rc: rc.create_ticket("x" * 501), "subject"),
        (lambda rc: rc.create_ticket("ok", priority=5), "priority"),
        (lambda rc: rc.create_ticket("ok", report_uuid="nope"), "report_uuid"),
        (lambda rc: rc.get_ticket("nope"), "ticket_id"),
        (lambda rc: rc.get_tickets(0), "status"),
        (lambda rc: rc.get_tickets(64), "status"),
        (lambda rc: rc.get_tickets(1, 9), "view"),
        (lambda rc: rc.assign(uuid.uuid4(), ""), "assignee"),
        (lambda rc: rc.assign(uuid.uuid4(), "a\tb"), "assignee"),
        (lambda rc: rc.change_status(uuid.uuid4(), 3), "status"),
        (lambda rc: rc.upload_attachment("../x.txt", b"x"), "filename"),
        (lambda rc: rc.upload_attachment("x.txt", "text"), "content"),
    ],
)
async def test_bad_input_is_refused_before_sending(
    wats: AsyncWATS, emulator: InProcessEmulator, call: object, field: str
) -> None:
    before = emulator.traffic.count
    with pytest.raises(WATSValidationError) as caught:
        await call(wats.rootcause)  # type: ignore[operator]
    assert caught.value.field == field
    assert emulator.traffic.count == before


async def test_changing_an_unknown_ticket_is_not_found(wats: AsyncWATS) -> None:
    with pytest.raises(WATSNotFoundError):
        await wats.rootcause.add_comment(uuid.uuid4(), "hello")


# --- the sync twin ------------------------------------------------------------------


def test_every_operation_through_the_sync_client(
    sync_wats: SyncWATS, emulator: InProcessEmulator
) -> None:
    rc = sync_wats.rootcause
    assert rc.get_tickets(TicketStatus.SOLVED, TicketView.ALL)
    ticket = rc.create_ticket("Sync ticket", comment="first", report_uuid=failed_report(emulator))
    assert ticket.ticket_id is not None
    assert rc.get_ticket(ticket.ticket_id) is not None
    rc.add_comment(ticket.ticket_id, "second")
    rc.assign(ticket.ticket_id, "ingrid.berg")
    rc.change_status(ticket.ticket_id, TicketStatus.SOLVED)
    attachment = rc.upload_attachment("a.bin", b"\x00\x01")
    rc.add_comment(ticket.ticket_id, "file", attachments=[attachment])
    done = rc.attach_file(ticket.ticket_id, "b.txt", b"b", comment="another")
    assert rc.download_attachment(attachment.attachment_id) == b"\x00\x01"
    assert [h.content for h in done.comments] == ["first", "second", "file", "another"]
    rc.archive([ticket.ticket_id])
    final = rc.get_ticket(ticket.ticket_id)
    assert final is not None and final.status is TicketStatus.ARCHIVED
    assert final.assignee == "ingrid.berg"
    with pytest.raises(WATSBadRequestError):
        rc.update_ticket(Ticket(ticket_id=ticket.ticket_id, subject="renamed"))  # archived
