"""The emulator's RootCause endpoints: each server rule, every answer checked against the spec."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from pywats.emulator.contract import Contract
from pywats.emulator.testing import InProcessEmulator

OPEN, IN_PROGRESS, ON_HOLD, SOLVED, CLOSED, ARCHIVED = 1, 2, 4, 8, 16, 32


async def tickets(
    client: httpx2.AsyncClient, contract: Contract, status: int = 63, view: int = 2, **params: Any
) -> list[dict[str, Any]]:
    response = await client.get(
        "/api/RootCause/Tickets", params={"status": status, "view": view, **params}
    )
    assert response.status_code == 200, response.text
    body: list[dict[str, Any]] = contract.check(response)
    return body


async def failed_report(emulator: InProcessEmulator) -> str:
    row = emulator.store.query_one("SELECT uuid FROM report WHERE result = 'F' LIMIT 1")
    assert row is not None
    return str(row[0])


async def create(client: httpx2.AsyncClient, contract: Contract, **body: Any) -> dict[str, Any]:
    response = await client.post("/api/RootCause/Ticket", json={"subject": "Fuse blows", **body})
    assert response.status_code == 200, response.text
    created: dict[str, Any] = contract.check(response)
    return created


# --- the seed ---------------------------------------------------------------------


async def test_seed_has_every_status_with_history_linked_to_failed_reports(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    seeded = await tickets(emulator_client, contract)
    assert {t["status"] for t in seeded} == {OPEN, IN_PROGRESS, ON_HOLD, SOLVED, CLOSED, ARCHIVED}
    numbers = [t["ticketNumber"] for t in seeded]
    assert numbers == sorted(numbers, reverse=True) and len(set(numbers)) == len(numbers)
    for ticket in seeded:
        assert ticket["history"], ticket["ticketNumber"]
        result = emulator.store.scalar(
            "SELECT result FROM report WHERE uuid = ?", (ticket["reportUuid"],)
        )
        assert result == "F"
        assert "assignee" not in ticket  # the server never returns it on GET
    archived = [t for t in seeded if t["status"] == ARCHIVED]
    assert archived[0]["history"][-1]["content"] == "Status: Solved -> Archived"


# --- create, numbers, history -----------------------------------------------------


async def test_numbers_increase_and_the_initial_comment_starts_the_history(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    highest = max(t["ticketNumber"] for t in await tickets(emulator_client, contract))
    report = await failed_report(emulator)
    first = await create(
        emulator_client,
        contract,
        reportUuid=report,
        priority=2,
        update={"content": "Seen three times today"},
    )
    second = await create(emulator_client, contract)
    assert first["ticketNumber"] == highest + 1
    assert second["ticketNumber"] == highest + 2
    assert first["status"] == OPEN and first["priority"] == 2 and first["reportUuid"] == report
    [entry] = first["history"]
    assert entry["content"] == "Seen three times today" and entry["updateType"] == 0
    assert entry["updateUser"] == "emulator"  # the user of the default token
    assert entry["updateUtc"] and entry["updateId"]
    assert second["history"] == []


async def test_every_put_with_an_update_appends_it_with_user_and_time(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    ticket = await create(emulator_client, contract, assignee="kari.hansen")
    for text in ("first", "second"):
        response = await emulator_client.put(
            "/api/RootCause/Ticket",
            json={**ticket, "assignee": "kari.hansen", "update": {"content": text}},
        )
        ticket = contract.check(response)
    assert [h["content"] for h in ticket["history"]] == ["first", "second"]
    got = await emulator_client.get(
        "/api/RootCause/Ticket", params={"ticketId": ticket["ticketId"]}
    )
    assert [h["content"] for h in contract.check(got)["history"]] == ["first", "second"]
    assert {h["updateUser"] for h in ticket["history"]} == {"emulator"}


async def test_property_changes_are_recorded_in_the_history(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    ticket = await create(emulator_client, contract)
    response = await emulator_client.put(
        "/api/RootCause/Ticket",
        json={
            "ticketId": ticket["ticketId"],
            "assignee": "per.olsen",
            "status": IN_PROGRESS,
            "priority": 0,
        },
    )
    changed = contract.check(response)
    assert changed["assignee"] == "per.olsen"  # PUT answers carry it, GET answers do not
    [entry] = changed["history"]
    assert entry["updateType"] == 2
    assert "Status: Open -> In progress" in entry["content"]
    assert "Assignee: (none) -> per.olsen" in entry["content"]
    assert "Priority: Medium -> Low" in entry["content"]


# --- the unassigned rule ------------------------------------------------------------


async def test_a_status_change_on_an_unassigned_ticket_is_refused(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    ticket = await create(emulator_client, contract)
    response = await emulator_client.put(
        "/api/RootCause/Ticket", json={**ticket, "status": IN_PROGRESS}
    )
    assert response.status_code == 400
    assert "Unassigned tickets must have status 'Open'" in contract.check(response)["Message"]
    again = await emulator_client.get(
        "/api/RootCause/Ticket", params={"ticketId": ticket["ticketId"]}
    )
    assert contract.check(again)["status"] == OPEN and again.json()["history"] == []


async def test_a_ticket_fetched_by_get_needs_its_assignee_put_back(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    ticket = await create(emulator_client, contract, assignee="ingrid.berg")
    fetched = contract.check(
        await emulator_client.get("/api/RootCause/Ticket", params={"ticketId": ticket["ticketId"]})
    )
    assert "assignee" not in fetched
    refused = await emulator_client.put("/api/RootCause/Ticket", json={**fetched, "status": SOLVED})
    assert refused.status_code == 400
    accepted = await emulator_client.put(
        "/api/RootCause/Ticket", json={**fetched, "status": SOLVED, "assignee": "ingrid.berg"}
    )
    assert contract.check(accepted)["status"] == SOLVED
    assert accepted.json()["assignee"] == "ingrid.berg"
    # A comment on an Open ticket may leave the assignee out; it is kept.
    reopened = await emulator_client.put(
        "/api/RootCause/Ticket",
        json={"ticketId": ticket["ticketId"], "status": OPEN, "assignee": "ingrid.berg"},
    )
    assert reopened.status_code == 200
    comment = await emulator_client.put(
        "/api/RootCause/Ticket",
        json={"ticketId": ticket["ticketId"], "update": {"content": "still here"}},
    )
    assert contract.check(comment)["assignee"] == "ingrid.berg"


async def test_a_new_ticket_without_assignee_must_be_open(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    response = await emulator_client.post(
        "/api/RootCause/Ticket", json={"subject": "x", "status": IN_PROGRESS}
    )
    assert response.status_code == 400
    contract.check(response)


# --- archive ------------------------------------------------------------------------


async def test_only_solved_tickets_can_be_archived(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    solved = await create(emulator_client, contract, assignee="kari.hansen", status=SOLVED)
    still_open = await create(emulator_client, contract)
    refused = await emulator_client.post(
        "/api/RootCause/ArchiveTickets", json=[solved["ticketId"], still_open["ticketId"]]
    )
    assert refused.status_code == 400
    assert "Only Solved tickets can be archived" in contract.check(refused)["Message"]
    # All or nothing: the Solved one was not archived either.
    got = await emulator_client.get(
        "/api/RootCause/Ticket", params={"ticketId": solved["ticketId"]}
    )
    assert got.json()["status"] == SOLVED
    archived = await emulator_client.post(
        "/api/RootCause/ArchiveTickets", json=[solved["ticketId"]]
    )
    assert contract.check(archived)["status"] == ARCHIVED
    change = await emulator_client.put(
        "/api/RootCause/Ticket",
        json={"ticketId": solved["ticketId"], "assignee": "kari.hansen", "status": OPEN},
    )
    assert change.status_code == 400 and "archived" in change.json()["Message"]
    put_archive = await emulator_client.put(
        "/api/RootCause/Ticket",
        json={"ticketId": still_open["ticketId"], "assignee": "a", "status": ARCHIVED},
    )
    assert put_archive.status_code == 400


# --- listing ------------------------------------------------------------------------


async def test_status_flags_combine(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    every = await tickets(emulator_client, contract)
    active = await tickets(emulator_client, contract, status=OPEN | IN_PROGRESS)
    assert active and {t["status"] for t in active} == {OPEN, IN_PROGRESS}
    assert len(active) == sum(t["status"] in (OPEN, IN_PROGRESS) for t in every)
    solved = await tickets(emulator_client, contract, status=SOLVED)
    assert {t["status"] for t in solved} == {SOLVED}


async def test_search_matches_subject_tag_keys_and_tag_values(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    await create(
        emulator_client,
        contract,
        subject="Cracked housing on lid",
        tags=[{"key": "Line", "value": "Line 7", "change": 1}],
    )
    await create(
        emulator_client,
        contract,
        subject="Something else",
        tags=[{"key": "Supplier-ZX", "value": "Acme"}],
    )
    by_subject = await tickets(emulator_client, contract, searchString="cracked HOUSING")
    assert [t["subject"] for t in by_subject] == ["Cracked housing on lid"]
    by_value = await tickets(emulator_client, contract, searchString="line 7")
    assert [t["subject"] for t in by_value] == ["Cracked housing on lid"]
    by_key = await tickets(emulator_client, contract, searchString="supplier-zx")
    assert [t["subject"] for t in by_key] == ["Something else"]
    seeded_station = await tickets(emulator_client, contract, searchString="FCT-0")
    assert seeded_station and all(
        any("FCT-0" in tag["value"] for tag in t["tags"]) or "FCT-0" in t["subject"]
        for t in seeded_station
    )
    assert await tickets(emulator_client, contract, searchString="100%_") == []


async def test_views_assigned_following_all(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    mine = await create(emulator_client, contract, subject="mine", assignee="emulator")
    assert [t["ticketId"] for t in await tickets(emulator_client, contract, view=0)] == [
        mine["ticketId"]
    ]
    following = await tickets(emulator_client, contract, view=1)
    assert [t["subject"] for t in following] == ["mine"]  # owned by the token's user
    assert len(await tickets(emulator_client, contract, view=2)) > len(following)


@pytest.mark.parametrize(
    "params",
    [
        {"status": 0, "view": 2},
        {"status": 64, "view": 2},
        {"status": "x", "view": 2},
        {"status": 1, "view": 3},
        {"view": 2},
        {"status": 1},
    ],
)
async def test_bad_list_parameters_are_400(
    emulator_client: httpx2.AsyncClient, contract: Contract, params: dict[str, Any]
) -> None:
    response = await emulator_client.get("/api/RootCause/Tickets", params=params)
    assert response.status_code == 400
    contract.check(response)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"subject": ""},
        {"subject": 5},
        {"subject": "x", "priority": 7},
        {"subject": "x", "status": 3},
        {"subject": "x", "reportUuid": "not-a-guid"},
        {"subject": "x", "reportUuid": "6f1c1d0e-0000-4000-8000-000000000000"},
        {"subject": "x", "update": {"content": ""}},
        {
            "subject": "x",
            "update": {
                "content": "a",
                "attachments": [{"attachmentId": "6f1c1d0e-0000-4000-8000-000000000000"}],
            },
        },
        {"subject": "x", "tags": [{"value": "no key"}]},
        {"subject": "x", "tags": "nope"},
    ],
)
async def test_bad_ticket_bodies_are_400_and_write_nothing(
    emulator: InProcessEmulator,
    emulator_client: httpx2.AsyncClient,
    contract: Contract,
    body: dict[str, Any],
) -> None:
    before = emulator.store.scalar("SELECT COUNT(*) FROM rootcause_ticket")
    response = await emulator_client.post("/api/RootCause/Ticket", json=body)
    assert response.status_code == 400, response.text
    contract.check(response)
    assert emulator.store.scalar("SELECT COUNT(*) FROM rootcause_ticket") == before


async def test_unknown_tickets_are_404(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    unknown = "6f1c1d0e-0000-4000-8000-000000000000"
    got = await emulator_client.get("/api/RootCause/Ticket", params={"ticketId": unknown})
    put = await emulator_client.put("/api/RootCause/Ticket", json={"ticketId": unknown})
    archive = await emulator_client.post("/api/RootCause/ArchiveTickets", json=[unknown])
    for response in (got, put, archive):
        assert response.status_code == 404
        contract.check(response)
    bad = await emulator_client.get("/api/RootCause/Ticket", params={"ticketId": "nope"})
    assert bad.status_code == 400


# --- attachments --------------------------------------------------------------------


async def test_upload_attach_to_an_update_and_download(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    upload = await emulator_client.post(
        "/api/RootCause/Attachment", files={"file": ("scope.png", b"\x89PNG...", "image/png")}
    )
    attachment_id = contract.check(upload)
    ticket = await create(
        emulator_client,
        contract,
        update={"content": "scope shot", "attachments": [{"attachmentId": attachment_id}]},
    )
    [entry] = ticket["history"]
    assert entry["attachments"] == [{"attachmentId": attachment_id, "filename": "scope.png"}]
    download = await emulator_client.get(
        "/api/RootCause/Attachment", params={"attachmentId": attachment_id, "fileName": "s.png"}
    )
    assert download.content == b"\x89PNG..." and download.headers["content-type"] == "image/png"
    assert 'filename="s.png"' in download.headers["content-disposition"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"json": {"file": "x"}},
        {"files": {"other": ("a.txt", b"x", "text/plain")}},
        {
            "content": b"--b\r\nbroken",
            "headers": {"Content-Type": "multipart/form-data; boundary=b"},
        },
    ],
)
async def test_bad_uploads_are_400(
    emulator_client: httpx2.AsyncClient, contract: Contract, kwargs: dict[str, Any]
) -> None:
    response = await emulator_client.post("/api/RootCause/Attachment", **kwargs)
    assert response.status_code == 400, response.text
    contract.check(response)


async def test_unknown_attachment_is_404(emulator_client: httpx2.AsyncClient) -> None:
    response = await emulator_client.get(
        "/api/RootCause/Attachment", params={"attachmentId": "6f1c1d0e-0000-4000-8000-000000000000"}
    )
    assert response.status_code == 404
