"""A scripted station session (issue 17, acceptance 2): ``pywats-tui`` in a real pty at 80x24
against an emulator this test starts, driven as a technician with a barcode scanner drives it.

Before each key the test reads the screen and checks that it shows what the key is meant for,
so no key ever reaches a dialog the test did not expect. Scans are written in one go (serial
plus Enter), as a scanner types. Every wait is on a condition of the screen, not a time.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pywats import SyncWATS
from pywats.emulator.runner import EmulatorServer

from .pty_terminal import Terminal

SESSION_BUDGET = 30.0  # seconds; the session takes about 5 on this machine


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer() as running:
        yield running


def failed_unit(server: EmulatorServer) -> tuple[str, str, str]:
    """(serial, part number, failing step name) of a unit whose last test failed, whose serial
    number only one product uses: found on the server, not hard-coded."""
    with SyncWATS(server.url, token=server.token) as wats:
        for header in wats.report.get_headers_by_result("Failed", top=100):
            serial, part = header.serial_number or "", header.part_number or ""
            path = header.caused_uut_failure_path
            if header.is_repair or not path:
                continue
            if wats.production.find_part_numbers(serial) != [part]:
                continue
            if wats.production.get_unit(serial, part) is None:
                continue
            tests = wats.report.get_headers_by_serial(serial, report_type="T")
            if tests and tests[0].uuid == header.uuid:
                return serial, part, path.split("/")[-1]
    raise AssertionError("the seeded data has no failed unit")


def _command(server: EmulatorServer) -> list[str]:
    script = Path(sys.executable).with_name("pywats-tui")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "tui"]
    return [*base, "--url", server.url, "--token", server.token]


def on_units(text: str) -> bool:
    """The Units screen, no dialog over it, nothing loading."""
    return (
        "Scan SN" in text
        and "╭─ Unit " in text
        and "Esc to cancel" not in text
        and "Repair " not in text.splitlines()[3]  # no repair dialog's title over the card
        and "Submit a repair" not in text
    )


def card_of(text: str, serial: str) -> bool:
    return on_units(text) and f"Serial    {serial}" in text and "Last test" in text


def field(text: str, label: str) -> str | None:
    """The value shown in the repair form's one-line field ``label``."""
    for line in text.splitlines():
        at = line.find(f" {label} ")
        if at >= 0:
            return line[at + len(label) + 2 :].strip(" █│")
    return None


def in_detail_pane(text: str, needle: str) -> bool:
    """``needle`` in the right-hand pane of the report viewer (right of the step tree)."""
    for line in text.splitlines()[5:-2]:
        bar = line.find("▏")
        if bar >= 0 and needle in line[bar:]:
            return True
    return False


def test_a_station_session_in_a_real_terminal(server: EmulatorServer, tmp_path: Path) -> None:
    serial, part, step = failed_unit(server)
    env = {key: value for key, value in os.environ.items() if not key.startswith("WATS_")} | {
        "TERM": "xterm-256color",
        "PYWATS_CONFIG": str(tmp_path / "config.toml"),
    }
    started = time.monotonic()
    term = Terminal(_command(server), env=env, cwd=tmp_path, rows=24, columns=80)
    try:
        term.wait_for(
            lambda t: "● connected" in t and "Esc to cancel" not in t, "the dashboard", 20
        )
        term.send("3")
        term.wait_for(lambda t: on_units(t) and "Scan a serial number" in t, "the Units screen")

        # 1. A known serial: its card, with the last test.
        term.send(f"{serial}\r")
        text = term.wait_for(lambda t: card_of(t, serial), f"the card of {serial}")
        assert "✗ Failed" in text and part in text and "f1 Help" in text

        # 2. An unknown one: the failure in place of the unit, nothing of it left.
        term.send("NOSUCH-9\r")
        # (Each wait is for the whole state, so a frame drawn halfway never passes for it.)
        term.wait_for(
            lambda t: (
                on_units(t)
                and "NOSUCH-9 not found" in t
                and serial not in t
                and "Last test" not in t
            ),
            "the unknown serial's failure, and nothing of the unit before",
        )

        # 3. The known one again: the right card (the scan field kept the focus throughout).
        term.send(f"{serial}\r")
        term.wait_for(
            lambda t: card_of(t, serial) and "NOSUCH" not in t, f"the card of {serial} again"
        )

        # 4. F3: the latest failed report, with the cursor (and the detail pane) on its step.
        term.send("f3")
        text = term.wait_for(
            lambda t: (
                f"SN {serial}" in t
                and "Failed at:" in t
                and "Esc to cancel" not in t
                and in_detail_pane(t, step)
            ),
            "the failed report at its step",
        )
        assert "✗ Failed" in text

        # Back to the Units screen.
        term.send("escape")
        term.wait_for(lambda t: card_of(t, serial), "the Units screen after the report")

        # 5. F4: the repair form; mark the first fail code, a reference and a comment.
        term.send("f4")
        text = term.wait_for(
            lambda t: f"Repair {serial}" in t and "[ ] " in t and "Submit" in t,
            "the repair form",
        )
        term.wait_text("Space marks it · 0 marked")  # the cursor is on the first code
        term.send("space")
        term.wait_for(lambda t: "[x] " in t and "1 marked" in t, "the marked code")
        term.send("tab")
        term.wait_text("The component repaired")  # the focus is in the reference field
        term.send("R12")
        term.wait_for(lambda t: field(t, "Comp ref") == "R12", "the component reference")
        term.send("tab")
        term.wait_text("What was done · Enter goes to Submit")
        term.send("Replaced R12")
        term.wait_for(lambda t: field(t, "Comment") == "Replaced R12", "the comment")
        term.send("enter")
        term.wait_text("Enter asks to confirm the repair")  # on Submit; nothing sent yet
        term.send("enter")
        text = term.wait_for(
            lambda t: "Submit a repair of" in t and "Cancel" in t, "the confirmation"
        )
        assert "R12" in text
        # It opens on Cancel (drawn reversed, as Textual draws the focused button): Tab to
        # "Submit repair", see it take the focus, then Enter: the deliberate step.
        screen = term.screen
        term.wait_for(
            lambda t: screen.reversed_text("Cancel") and not screen.reversed_text("Submit repair"),
            "Cancel focused",
        )
        term.send("tab")
        term.wait_for(
            lambda t: screen.reversed_text("Submit repair") and not screen.reversed_text("Cancel"),
            "Submit repair focused",
        )
        term.send("enter")

        # 6. The new repair report opens.
        text = term.wait_for(
            lambda t: "Repair of" in t and f"SN {serial}" in t and "Esc to cancel" not in t,
            "the repair report",
        )
        assert "R12" in text

        # And back on the Units screen the repair heads the unit's history; open it there.
        term.send("escape")
        text = term.wait_for(
            lambda t: card_of(t, serial) and "⚒" in t, "the history with the repair"
        )
        term.send("tab", "tab")  # scan field -> assembly -> history
        term.send("enter")
        term.wait_for(
            lambda t: "Repair of" in t and f"SN {serial}" in t and "Esc to cancel" not in t,
            "the repair report from the history",
        )
        term.send("ctrl+q")
        assert term.close() == 0
        assert time.monotonic() - started < SESSION_BUDGET
    finally:
        term.close(timeout=5)
