"""The Tickets screen with Pilot against the seeded emulator: the list by status and search,
the thread, each action (with its confirmation), the linked report, and a ticket opened from a
failed report in the viewer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Select, Static

from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import go_to, settle
from tests.tui.station.confirming import confirm as confirm_dialog
from tui.screens.report_viewer import ReportViewerScreen
from tui.screens.tickets import TicketsScreen
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.form_dialog import FormDialog

from .conftest import AppFactory, plain, table_rows


@pytest.fixture
def start_screen() -> str:
    return "tickets"


async def open_tickets(pilot: Any) -> TicketsScreen:
    await go_to(pilot, "9")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TicketsScreen)
    return screen


def statuses(emulator: InProcessEmulator, mask: int) -> int:
    return int(
        emulator.store.scalar(
            "SELECT COUNT(*) FROM rootcause_ticket WHERE status & ? != 0", (mask,)
        )
    )


def table(screen: TicketsScreen) -> DataTable:  # type: ignore[type-arg]
    return screen.query_one("#tickets-table", DataTable)


async def select_ticket(pilot: Any, screen: TicketsScreen, number: int) -> None:
    rows = table_rows(table(screen))
    index = [r[0] for r in rows].index(str(number))
    table(screen).move_cursor(row=index)
    await pilot.pause()


async def fill_form(pilot: Any, **values: str) -> FormDialog:
    dialog = pilot.app.screen
    assert isinstance(dialog, FormDialog)
    for key, value in values.items():
        widget = dialog.query_one(f"#form-{key}")
        if isinstance(widget, Select):
            widget.value = value
        else:
            assert isinstance(widget, Input)
            widget.value = value
    await pilot.press("ctrl+s")
    await pilot.pause()
    return dialog


async def confirm(pilot: Any, expected: str, typed: str | None = None) -> None:
    dialog = pilot.app.screen
    assert isinstance(dialog, ConfirmDialog)
    assert expected in dialog.question
    await confirm_dialog(pilot, typed=typed)
    await settle(pilot)


def ticket_row(emulator: InProcessEmulator, number: int) -> Any:
    return emulator.store.query_one(
        "SELECT * FROM rootcause_ticket WHERE ticket_number = ?", (number,)
    )


async def test_list_by_status_and_the_thread(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_tickets(pilot)
        rows = table_rows(table(screen))
        assert len(rows) == statuses(emulator, 1 | 2 | 4)  # Active is the default
        assert {r[1] for r in rows} == {"Open", "In progress", "On hold"}
        numbers = [int(r[0]) for r in rows]
        assert numbers == sorted(numbers, reverse=True)
        for label, mask in (("Open", 1), ("In progress", 2), ("On hold", 4), ("Solved", 8)):
            await pilot.press("f")
            await settle(pilot)
            rows = table_rows(table(screen))
            assert len(rows) == statuses(emulator, mask) > 0
            assert {r[1] for r in rows} == {label}
        # The detail shows the highlighted ticket and its history thread.
        first = ticket_row(emulator, int(table_rows(table(screen))[0][0]))
        summary = plain(screen.query_one("#ticket-summary", Static))
        assert f"#{first['ticket_number']}" in summary and first["subject"][:20] in summary
        assert "not reported by the server" in summary  # GET never carries the assignee
        thread = plain(screen.query_one("#ticket-thread", Static))
        history = emulator.store.query(
            "SELECT content, update_user FROM rootcause_update WHERE ticket_id = ? "
            "ORDER BY sequence",
            (first["ticket_id"],),
        )
        assert history and all(h["content"][:25] in thread for h in history)
        assert "Status: In progress -> Solved" in thread


async def test_search_as_you_type_matches_subjects_and_tags(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    station = emulator.store.scalar(
        "SELECT value FROM rootcause_tag WHERE key = 'Station' ORDER BY ticket_id LIMIT 1"
    )
    expected = emulator.store.scalar(
        "SELECT COUNT(DISTINCT t.ticket_id) FROM rootcause_ticket t JOIN rootcause_tag g "
        "USING (ticket_id) WHERE g.value LIKE ? AND t.status IN (1, 2, 4)",
        (f"%{station}%",),
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_tickets(pilot)
        await pilot.press("slash", *station.lower())
        await settle(pilot, 0.5)
        assert len(table_rows(table(screen))) == expected > 0
        assert station.lower() in plain(screen.query_one("#tickets-count", Static))
        await pilot.press("enter")  # back to the list, letter keys are commands again
        assert screen.focused is table(screen)
        screen.query_one("#tickets-search", Input).value = "no such thing anywhere"
        await settle(pilot, 0.5)
        assert table(screen).row_count == 0
        assert "No ticket matches" in plain(screen.query_one("#ticket-summary", Static))


async def test_comment_assign_and_change_status_each_ask_first(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    open_number = emulator.store.scalar(
        "SELECT ticket_number FROM rootcause_ticket WHERE status = 1 AND assignee IS NULL "
        "ORDER BY ticket_number DESC LIMIT 1"
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_tickets(pilot)
        await select_ticket(pilot, screen, open_number)

        # Comment: cancelled at the confirmation changes nothing (Enter there is Cancel).
        before = emulator.store.scalar("SELECT COUNT(*) FROM rootcause_update")
        await pilot.press("m")
        await fill_form(pilot, text="Rechecked the fixture")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert emulator.store.scalar("SELECT COUNT(*) FROM rootcause_update") == before
        await pilot.press("m")
        await fill_form(pilot, text="Rechecked the fixture")
        await confirm(pilot, f"Add a comment to ticket #{open_number}?")
        assert "Rechecked the fixture" in plain(screen.query_one("#ticket-thread", Static))

        # Assign, then the status change needs no assignee: the screen learnt it.
        await pilot.press("a")
        await fill_form(pilot, assignee="kari.hansen")
        await confirm(pilot, f"Assign ticket #{open_number} to kari.hansen?")
        assert ticket_row(emulator, open_number)["assignee"] == "kari.hansen"
        assert "kari.hansen" in plain(screen.query_one("#ticket-summary", Static))
        await pilot.press("s")
        await fill_form(pilot, status="2", comment="On it")
        await confirm(pilot, f"Change ticket #{open_number} from Open to In progress?")
        row = ticket_row(emulator, open_number)
        assert row["status"] == 2 and row["assignee"] == "kari.hansen"
        # Still listed (Active), still highlighted, detail up to date.
        assert screen.current is not None and screen.current.ticket_number == open_number
        assert "In progress" in plain(screen.query_one("#ticket-summary", Static))


async def test_status_change_of_a_ticket_with_unknown_assignee_asks_for_it(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    number = emulator.store.scalar(
        "SELECT ticket_number FROM rootcause_ticket WHERE status = 2 ORDER BY ticket_number LIMIT 1"
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_tickets(pilot)
        await select_ticket(pilot, screen, number)
        puts = emulator.traffic.count_for("PUT", "/api/RootCause/Ticket")
        await pilot.press("s")
        await fill_form(pilot, status="8")  # Solved, no assignee given
        assert not isinstance(app.screen, ConfirmDialog)
        assert emulator.traffic.count_for("PUT", "/api/RootCause/Ticket") == puts
        await pilot.press("s")
        await fill_form(pilot, status="8", assignee="per.olsen")
        await confirm(pilot, "to Solved?")
        assert ticket_row(emulator, number)["status"] == 8
        # Solved leaves the Active list; the ticket is archived from the Solved one.
        await pilot.press("f", "f", "f", "f")
        await settle(pilot)
        await select_ticket(pilot, screen, number)
        await pilot.press("A")
        await pilot.pause()
        await confirm(pilot, f"Archive ticket #{number}?", typed=str(number))
        assert ticket_row(emulator, number)["status"] == 32


async def test_attach_a_file(
    make_app: AppFactory, emulator: InProcessEmulator, tmp_path: Path
) -> None:
    log = tmp_path / "ict-01.log"
    log.write_bytes(b"pin 7 open\n")
    number = emulator.store.scalar(
        "SELECT MAX(ticket_number) FROM rootcause_ticket WHERE status = 1"
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_tickets(pilot)
        await select_ticket(pilot, screen, number)
        await pilot.press("x")
        dialog = await fill_form(pilot, path=str(tmp_path / "missing.log"))
        assert app.screen is dialog  # refused in the form: no such file
        assert "No file" in plain(dialog.query_one("#form-path-error", Static))
        await fill_form(pilot, path=str(log), comment="ICT log")
        await confirm(pilot, f"Attach ict-01.log (0.0 kB) to ticket #{number}?")
        stored = emulator.store.query_one(
            "SELECT a.filename, a.data FROM rootcause_attachment a "
            "JOIN rootcause_update_attachment u USING (attachment_id) "
            "JOIN rootcause_update d USING (update_id) "
            "JOIN rootcause_ticket t USING (ticket_id) WHERE t.ticket_number = ?",
            (number,),
        )
        assert stored is not None and bytes(stored["data"]) == b"pin 7 open\n"
        assert "ict-01.log" in plain(screen.query_one("#ticket-thread", Static))


async def test_open_the_linked_report_and_come_back(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_tickets(pilot)
        ticket = screen.current
        assert ticket is not None and ticket.report_uuid is not None
        await pilot.press("o")
        await settle(pilot)
        viewer = app.screen
        assert isinstance(viewer, ReportViewerScreen)
        assert viewer.report_id == str(ticket.report_uuid)
        serial = emulator.store.scalar(
            "SELECT serial_number FROM report WHERE uuid = ?", (str(ticket.report_uuid),)
        )
        assert serial in plain(viewer.query_one("#report-header", Static))
        await pilot.press("backspace")
        await settle(pilot)
        assert app.screen is screen and screen.current == ticket


@pytest.mark.parametrize("start_screen", [None], ids=["from-the-dashboard"])
async def test_a_ticket_opened_from_a_failed_report_in_the_viewer(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    report = emulator.store.query_one(
        "SELECT uuid, serial_number, part_number, caused_uut_failure FROM report "
        "WHERE result = 'F' AND report_type = 'T' AND caused_uut_failure IS NOT NULL "
        "ORDER BY start_utc LIMIT 1"
    )
    assert report is not None
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        app.push_screen(ReportViewerScreen(report["uuid"]))
        await settle(pilot)
        assert isinstance(app.screen, ReportViewerScreen)
        await pilot.press("o")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        subject = form.query_one("#form-subject", Input).value
        assert report["caused_uut_failure"] in subject and report["part_number"] in subject
        await pilot.press("ctrl+s")
        await pilot.pause()
        await confirm(pilot, f"Open a ticket on the report of SN {report['serial_number']}?")
        created = emulator.store.query_one(
            "SELECT * FROM rootcause_ticket ORDER BY ticket_number DESC LIMIT 1"
        )
        assert created["report_uuid"] == report["uuid"] and created["subject"] == subject
        first = emulator.store.scalar(
            "SELECT content FROM rootcause_update WHERE ticket_id = ?", (created["ticket_id"],)
        )
        assert report["serial_number"] in first and report["caused_uut_failure"] in first
        assert isinstance(app.screen, ReportViewerScreen)  # the technician stays on the report
        # And the Tickets screen lists it, linked.
        await pilot.press("9")
        await settle(pilot)
        tickets = app.screen
        assert isinstance(tickets, TicketsScreen)
        assert tickets.current is not None and tickets.current.subject == subject


async def test_palette_search_lists_matching_tickets_in_every_status(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    from textual.command import Hit

    from tui.commands import WATSCommands

    step = emulator.store.scalar(
        "SELECT g.value FROM rootcause_tag g JOIN rootcause_ticket t USING (ticket_id) "
        "WHERE g.key = 'Step' AND t.status = 32"
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        provider = WATSCommands(app.screen)
        hits = [hit async for hit in provider.search(step) if isinstance(hit, Hit)]
        found = next(h for h in hits if str(h.match_display) == f"Search tickets for {step}")
        await found.command()
        await settle(pilot, 0.5)
        screen = app.screen
        assert isinstance(screen, TicketsScreen)
        rows = table_rows(table(screen))
        assert "Archived" in {r[1] for r in rows}  # every status, not only the active ones
        assert rows and all(
            step in (ticket.subject or "") or any(step in (t.value or "") for t in ticket.tags)
            for ticket in screen.tickets.values()
        )


async def test_a_failed_reload_replaces_the_list_with_the_failure(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_tickets(pilot)
        assert table(screen).row_count
        emulator.faults.update(error_rate=1.0, error_status=500)
        await pilot.press("r")
        await settle(pilot)
        assert table(screen).row_count == 0 and screen.current is None
        assert "could not be loaded" in plain(screen.query_one("#tickets-count", Static))
        assert plain(screen.query_one("#ticket-summary", Static)).strip()
        emulator.faults.update(error_rate=0.0)
        await pilot.press("r")
        await settle(pilot)
        assert table(screen).row_count


async def test_view_cycles_all_mine_following(
    make_app: AppFactory, emulator: InProcessEmulator
) -> None:
    from pywats import AsyncWATS

    async with AsyncWATS(emulator.base_url, emulator.token, transport=emulator.transport()) as w:
        mine = await w.rootcause.create_ticket("Mine", assignee="emulator")  # the token's user
        theirs = await w.rootcause.create_ticket("Theirs", assignee="per.olsen")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_tickets(pilot)
        everyone = {t.subject for t in screen.tickets.values()}
        assert {"Mine", "Theirs"} <= everyone and len(everyone) > 2
        await pilot.press("v")
        await settle(pilot)
        assert [t.ticket_id for t in screen.tickets.values()] == [mine.ticket_id]
        assert "assigned to you" in plain(screen.query_one("#tickets-count", Static))
        await pilot.press("v")
        await settle(pilot)
        # Following: what the user opened, is assigned or commented on.
        assert {t.ticket_id for t in screen.tickets.values()} == {mine.ticket_id, theirs.ticket_id}
        await pilot.press("v")
        await settle(pilot)
        assert {t.subject for t in screen.tickets.values()} == everyone
