"""A root-cause ticket worked end to end over real loopback HTTP (uvicorn), async and sync."""

from __future__ import annotations

import pytest

from pywats import AsyncWATS, SyncWATS
from pywats.domains.rootcause import TicketStatus, TicketView
from pywats.emulator import EmulatorServer

pytestmark = pytest.mark.e2e


async def test_a_ticket_from_failure_to_archive_over_loopback(
    emulator_server: EmulatorServer,
) -> None:
    async with AsyncWATS(emulator_server.url, emulator_server.token) as wats:
        [header] = await wats.report.get_headers_by_result("Failed", top=1)
        ticket = await wats.rootcause.create_ticket(
            "Loopback failure", comment="seen at EOL", report_uuid=header.uuid
        )
        assert ticket.ticket_id is not None and str(ticket.report_uuid) == header.uuid
        attachment = await wats.rootcause.upload_attachment("trace.txt", b"trace" * 1000)
        await wats.rootcause.add_comment(ticket.ticket_id, "trace", attachments=[attachment])
        await wats.rootcause.assign(ticket.ticket_id, "kari.hansen")
        await wats.rootcause.change_status(ticket.ticket_id, TicketStatus.SOLVED)
        await wats.rootcause.archive([ticket.ticket_id])
        archived = await wats.rootcause.get_tickets(TicketStatus.ARCHIVED, TicketView.ALL)
        assert ticket.ticket_id in {t.ticket_id for t in archived}
        data = await wats.rootcause.download_attachment(attachment.attachment_id, "trace.txt")
        assert data == b"trace" * 1000


def test_sync_client_over_loopback(emulator_server: EmulatorServer) -> None:
    with SyncWATS(emulator_server.url, emulator_server.token) as wats:
        solved = wats.rootcause.get_tickets(TicketStatus.SOLVED, TicketView.ALL)
        assert solved and all(t.status is TicketStatus.SOLVED for t in solved)
        ticket = wats.rootcause.get_ticket(solved[0].ticket_id)  # type: ignore[arg-type]
        assert ticket is not None and ticket.history
