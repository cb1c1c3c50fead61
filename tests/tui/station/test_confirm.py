"""The one confirmation, on each kind of dialog the screens open (issue 17, "two keystrokes
change data on the server"): a plain one (a product's state), one that takes a comment (an
asset's calibration), and the irreversible ones that need the count or the version typed
(taking serial numbers, deleting a package). For each: ``y``, Enter and a barcode scan (serial
characters then Enter, sent fast) change nothing on the server, asked of the emulator's own
database; only Tab to Confirm, then Enter (after typing what is asked) does."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Static, Tree

from pywats.emulator.testing import InProcessEmulator
from tests.support.tui import go_to, idle, showing, wait_until
from tests.tui.conftest import ShellAppFactory
from tests.tui.station.confirming import confirm
from tui.screens.assets import AssetsScreen
from tui.screens.products import ProductsScreen
from tui.screens.serial_numbers import SerialNumbersScreen
from tui.screens.software import SoftwareScreen
from tui.widgets.asset_dialogs import AssetActionDialog
from tui.widgets.confirm import ConfirmBase, ConfirmDialog

SCAN = "SN-004217"


def _dialog(pilot: Pilot[Any]) -> ConfirmBase[Any]:
    dialog = pilot.app.screen
    assert isinstance(dialog, ConfirmBase), f"no confirmation open: {dialog!r}"
    return dialog


# ----------------------------------------------------------------- the dialog on its own


@pytest.mark.start_screen("errorhistory")
async def test_it_opens_on_cancel_names_the_change_and_says_how_to_confirm(
    shell_app: ShellAppFactory,
) -> None:
    app = shell_app()
    answers: list[bool | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        app.push_screen(
            ConfirmDialog("Take 5 BoardSN serial numbers?", "They are gone for good.",
                          confirm="Take", type_to_confirm="5"),
            answers.append,
        )  # fmt: skip
        await pilot.pause()
        dialog = _dialog(pilot)
        assert dialog.focused is dialog.query_one("#confirm-no", Button)
        shown = " ".join(
            str(widget.render()) for widget in dialog.query("#confirm-panel Static").results(Static)
        )
        for words in ("Take 5 BoardSN serial numbers?", "gone for good", "Type 5 to enable"):
            assert words in shown
        assert dialog.query_one("#confirm-yes", Button).disabled
        await pilot.press("tab")  # Confirm is disabled: Tab goes to the field
        assert dialog.focused is dialog.query_one("#confirm-typed", Input)
        await pilot.press("4")
        assert dialog.query_one("#confirm-yes", Button).disabled  # the wrong count
        await pilot.press("backspace", "5", "tab")
        assert dialog.focused is dialog.query_one("#confirm-yes", Button)
        await pilot.press("enter")
        await wait_until(pilot, lambda: answers)
    assert answers == [True]


@pytest.mark.start_screen("errorhistory")
async def test_no_letter_and_no_fast_enter_confirms(shell_app: ShellAppFactory) -> None:
    app = shell_app()
    answers: list[bool | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        app.push_screen(ConfirmDialog("Deactivate PCB-1001?", confirm="Deactivate"), answers.append)
        await pilot.pause()
        dialog = _dialog(pilot)
        await pilot.press("y", "Y", "j", "1", "space")
        assert app.screen is dialog and answers == []
        await pilot.press("tab")
        assert dialog.focused is dialog.query_one("#confirm-yes", Button)
        await pilot.press(*SCAN, "enter")  # a scan arriving while Confirm has the focus
        await pilot.pause()
        assert app.screen is dialog and answers == []
        await pilot.press("enter")  # an Enter after the scan's Enter is no more deliberate
        await pilot.pause()
        assert app.screen is dialog and answers == []
        # A deliberate confirmation: not within Textual's 0.2 s press effect of the last
        # Enter (a Button ignores presses during it), then Tab back to Confirm and Enter.
        await wait_until(pilot, lambda: not dialog.query_one("#confirm-yes").has_class("-active"))
        await pilot.press("shift+tab", "tab", "enter")
        await wait_until(pilot, lambda: answers)  # the dismissal's callback runs after a frame
    assert answers == [True]


# ----------------------------------------------------------------- on the screens


Probe = Callable[[], object]
Open = Callable[[Pilot[Any]], Awaitable[None]]


async def _attack_then_confirm(
    pilot: Pilot[Any], open_dialog: Open, probe: Probe, typed: str | None, comment: str | None
) -> None:
    before = probe()
    attacks: list[tuple[str, list[str], str | None]] = [
        ("y", ["y"], None),
        ("Enter", ["enter"], None),
        ("a scan", [*SCAN, "enter"], None),
        ("Tab then a scan", ["tab", *SCAN, "enter"], None),
    ]
    if typed is not None:
        attacks.append(("the count scanned into its field", [*typed, "enter"], "#confirm-typed"))
    if comment is not None:
        attacks.append(("a comment and Enter", [*comment, "enter"], "#confirm-comment"))
    for what, keys, field in attacks:
        await open_dialog(pilot)
        dialog = _dialog(pilot)
        if field is not None:
            dialog.query_one(field, Input).focus()
            await pilot.pause()
        await pilot.press(*keys)
        await idle(pilot)
        if pilot.app.screen is dialog:
            await pilot.press("escape")
            await idle(pilot)
        assert not isinstance(pilot.app.screen, ConfirmBase)
        assert probe() == before, f"{what} changed the server"
    await open_dialog(pilot)
    await confirm(pilot, typed=typed, comment=comment)
    await idle(pilot)
    assert probe() != before, "the deliberate Tab, Enter did not confirm"


@pytest.mark.start_screen("products")
async def test_a_plain_confirmation_products_state(
    shell_app: ShellAppFactory, emulator: InProcessEmulator
) -> None:
    def probe() -> object:
        return emulator.store.query("SELECT part_number, state FROM product ORDER BY 1")

    async def open_dialog(pilot: Pilot[Any]) -> None:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmDialog)

    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await go_to(pilot, "2")
        await wait_until(pilot, lambda: showing(app, ProductsScreen))
        await idle(pilot)
        await _attack_then_confirm(pilot, open_dialog, probe, None, None)


@pytest.mark.start_screen("assets")
async def test_a_confirmation_with_a_comment_asset_calibration(
    shell_app: ShellAppFactory, emulator: InProcessEmulator
) -> None:
    def probe() -> object:
        return emulator.store.query("SELECT * FROM asset ORDER BY serial_number")

    async def open_dialog(pilot: Pilot[Any]) -> None:
        await pilot.press("k")
        await idle(pilot)
        assert isinstance(pilot.app.screen, AssetActionDialog)

    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await go_to(pilot, "7")
        await wait_until(pilot, lambda: showing(app, AssetsScreen))
        await idle(pilot)
        await _attack_then_confirm(pilot, open_dialog, probe, None, "CERT-1")


@pytest.mark.start_screen("units")
async def test_an_irreversible_confirmation_taking_serial_numbers(
    shell_app: ShellAppFactory, emulator: InProcessEmulator
) -> None:
    def probe() -> object:
        return emulator.store.scalar("SELECT COUNT(*) FROM production_sn WHERE taken_utc IS NULL")

    async def open_dialog(pilot: Pilot[Any]) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, SerialNumbersScreen)
        field = screen.query_one("#sn-quantity", Input)
        field.value = ""
        field.focus()
        await pilot.press("2", "enter")
        await pilot.pause()
        assert _dialog(pilot).expected == "2"

    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await go_to(pilot, "3")
        await idle(pilot)
        await pilot.press("escape", "n")  # out of the scan field, then the serial-number pools
        await wait_until(pilot, lambda: showing(app, SerialNumbersScreen))
        await idle(pilot)
        assert app.screen.query_one("#sn-types", DataTable).row_count > 0
        await _attack_then_confirm(pilot, open_dialog, probe, "2", None)
        assert probe() is not None


@pytest.mark.start_screen("software")
async def test_an_irreversible_confirmation_deleting_a_package(
    shell_app: ShellAppFactory, emulator: InProcessEmulator
) -> None:
    def probe() -> object:
        return emulator.store.query(
            "SELECT name, version, status FROM software_package ORDER BY 1, 2"
        )

    async def open_dialog(pilot: Pilot[Any]) -> None:
        await pilot.press("d")
        await pilot.pause()
        assert _dialog(pilot).expected == "5"

    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await go_to(pilot, "8")
        await wait_until(pilot, lambda: showing(app, SoftwareScreen))
        await idle(pilot)
        screen = app.screen
        assert isinstance(screen, SoftwareScreen)
        tree: Tree[Any] = screen.query_one("#software-packages", Tree)
        group = next(node for node in tree.root.children if node.data == "PCB-1001 ICT")
        group.expand()
        await pilot.pause()
        draft = next(node for node in group.children if node.data.version == 5)
        tree.move_cursor(draft)
        await idle(pilot)
        await _attack_then_confirm(pilot, open_dialog, probe, "5", None)


@pytest.mark.start_screen("products")
@pytest.mark.parametrize("key", ["y", "enter"])
async def test_the_old_two_keystrokes_do_nothing_on_the_products_screen(
    shell_app: ShellAppFactory, emulator: InProcessEmulator, key: str
) -> None:
    """The defect as filed: ``t`` then Enter (or ``y``) flipped a product's state."""
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await go_to(pilot, "2")
        await wait_until(pilot, lambda: showing(app, ProductsScreen))
        await idle(pilot)
        before = emulator.store.query("SELECT part_number, state FROM product ORDER BY 1")
        await pilot.press("t", key)
        await idle(pilot)
        assert emulator.store.query("SELECT part_number, state FROM product ORDER BY 1") == before
