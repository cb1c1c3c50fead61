"""The Serial numbers screen: the server's serial-number types, taking numbers from a pool
(after a confirmation: taken numbers are gone for good) and looking up a range.

Opened from the Units screen (key n); Escape goes back when nothing is running.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Static

from pywats.domains.production import MAX_TAKE, SerialNumberRecord, SerialNumberType
from tui.screen import WATSScreen
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.table import Table

__all__ = ["SerialNumbersScreen"]


class SerialNumbersScreen(WATSScreen):
    NAV_NAME = "units"
    BINDINGS = [
        Binding("t", "take", "Take", tooltip="Take serial numbers of the highlighted type"),
        Binding("l", "lookup", "Look up", tooltip="Serial numbers from..to of the type"),
        Binding("r", "reload", "Reload", show=False, tooltip="Read the types again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.types: list[SerialNumberType] = []

    def compose_body(self) -> ComposeResult:
        yield Table(id="sn-types", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="sn-take-row", classes="sn-row"):
            yield Label("Take", classes="sn-label")
            yield Input(placeholder="how many", id="sn-quantity", type="integer")
            yield Label("for", classes="sn-label")
            yield Input(placeholder="unit serial (optional)", id="sn-reference")
        with Horizontal(id="sn-range-row", classes="sn-row"):
            yield Label("From", classes="sn-label")
            yield Input(placeholder="first serial", id="sn-from")
            yield Label("to", classes="sn-label")
            yield Input(placeholder="last serial", id="sn-to")
        yield Static("", id="sn-summary")
        yield Table(id="sn-results", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        types = self.query_one("#sn-types", DataTable)
        types.border_title = "Serial-number types"
        self.query_one("#sn-results", DataTable).border_title = "Serial numbers"
        types.add_columns("Type", "Format", "Kind", "Description")
        results = self.query_one("#sn-results", DataTable)
        results.add_columns(
            "Serial number", "State", "Taken", "Ref. serial", "Ref. part", "Station"
        )
        self.action_reload()

    # ----------------------------------------------------------------- types

    def action_reload(self) -> None:
        self.run_task(
            "types",
            lambda: self.wats.production.get_serial_number_types(),
            self._show_types,
            controls=["reload", "take", "lookup"],
            loading="#sn-types",
            description="Reading serial-number types",
        )

    def _show_types(self, types: list[SerialNumberType]) -> None:
        self.types = types
        table = self.query_one("#sn-types", DataTable)
        table.clear()
        for item in types:
            table.add_row(
                *map(
                    Text,
                    (
                        item.name,
                        item.format or "",
                        item.identifier_name or "",
                        item.description or "",
                    ),
                ),
                key=item.name,
            )
        table.focus()
        self.refresh_bindings()

    def _current_type(self) -> SerialNumberType | None:
        table = self.query_one("#sn-types", DataTable)
        if not self.types or table.cursor_row < 0 or table.cursor_row >= len(self.types):
            return None
        return self.types[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("take", "lookup") and not self.types:
            return False
        return super().check_action(action, parameters)

    # ----------------------------------------------------------------- take

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id in ("sn-quantity", "sn-reference"):
            self.action_take()
        else:
            self.action_lookup()

    def action_take(self) -> None:
        sn_type = self._current_type()
        if sn_type is None:
            return
        text = self.query_one("#sn-quantity", Input).value.strip()
        try:
            quantity = int(text)
        except ValueError:
            quantity = 0
        if not 1 <= quantity <= MAX_TAKE:
            self.notify(
                f"Enter how many to take: a whole number from 1 to {MAX_TAKE}.",
                title="How many?",
                severity="warning",
            )
            self.query_one("#sn-quantity", Input).focus()
            return
        reference = self.query_one("#sn-reference", Input).value.strip() or None
        detail = "Taken numbers are used up for good; the server does not give them back."
        if reference:
            detail += f" They are registered to {reference}."

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_task(
                    "take",
                    lambda: self.wats.production.take_serial_numbers(
                        sn_type.name, quantity, reference_serial_number=reference
                    ),
                    lambda taken: self._show_taken(sn_type.name, quantity, taken),
                    controls=["take", "lookup"],
                    loading="#sn-results",
                    description=f"Taking {quantity} {sn_type.name}",
                )

        self.app.push_screen(
            ConfirmDialog(
                f"Take {quantity} {sn_type.name} serial number{'s' if quantity != 1 else ''}?",
                detail,
                confirm="Take",
                type_to_confirm=str(quantity),  # taken numbers are gone for good
            ),
            answered,
        )

    def _show_taken(self, type_name: str, asked: int, taken: list[str]) -> None:
        table = self.query_one("#sn-results", DataTable)
        table.clear()
        for serial in taken:
            table.add_row(Text(serial), "taken now", "", "", "", "")
        if not taken:
            summary = f"No free {type_name} serial numbers are left."
        elif len(taken) < asked:
            summary = f"Only {len(taken)} of {asked} {type_name} were free; all are taken."
        else:
            summary = f"Took {len(taken)} {type_name}: {taken[0]} .. {taken[-1]}"
        self.query_one("#sn-summary", Static).update(summary)
        self.notify(
            summary,
            title="Serial numbers",
            severity="information" if taken else "warning",
            markup=False,
        )

    # ----------------------------------------------------------------- range

    def action_lookup(self) -> None:
        sn_type = self._current_type()
        if sn_type is None:
            return
        start = self.query_one("#sn-from", Input).value.strip()
        end = self.query_one("#sn-to", Input).value.strip() or start
        if not start:
            self.notify(
                "Enter the first serial number of the range.",
                title="Which range?",
                severity="warning",
            )
            self.query_one("#sn-from", Input).focus()
            return
        self.run_task(
            "lookup",
            lambda: self.wats.production.get_serial_numbers_in_range(sn_type.name, start, end),
            lambda records: self._show_range(sn_type.name, start, end, records),
            controls=["lookup", "take"],
            loading="#sn-results",
            description=f"Looking up {start}..{end}",
            supersede=True,
        )

    def _show_range(
        self, type_name: str, start: str, end: str, records: list[SerialNumberRecord]
    ) -> None:
        table = self.query_one("#sn-results", DataTable)
        table.clear()
        for record in records:
            # Text cells: server strings are never read as markup.
            table.add_row(
                Text(record.serial_number),
                "taken" if record.taken else "free",
                record.taken_date.strftime("%Y-%m-%d") if record.taken_date else "",
                Text(record.reference_serial_number or ""),
                Text(record.reference_part_number or ""),
                Text(record.station_name or ""),
            )
        taken = sum(1 for r in records if r.taken)
        count = f"{len(records)} number{'s' if len(records) != 1 else ''}"
        self.query_one("#sn-summary", Static).update(
            f"{type_name} {start}..{end}: {count}, {taken} taken, {len(records) - taken} free"
        )
