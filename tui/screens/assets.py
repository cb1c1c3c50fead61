"""The Assets screen: fixtures and instruments, their alarm state, usage and due dates.

The list shows each asset's computed alarm state (from the server's status, not its
AssetState), its running and total counts as bars toward their limits and the next
calibration date with the days left. Filters: all, in alarm, in warning, due within N days.
An asset with no calibration interval shows its next maintenance there, marked "m". Enter
opens the detail view: counters, dates, the log, sub-assets (Enter opens one) and files.

Actions, on the list and in the detail view, each confirmed in a dialog that opens on Cancel
and names what will change: k record a calibration, m record maintenance, x reset the running
count, s set the state, a add a message to the log. r reloads; Escape cancels a load.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Select, Static

from pywats.domains.asset import (
    AlarmState,
    Asset,
    AssetLog,
    AssetOverview,
    AssetState,
    AssetStatus,
)
from pywats.errors import WATSError
from tui.navigation import register_screen
from tui.screen import WATSScreen
from tui.widgets.asset_dialogs import AssetActionDialog, StatePicker
from tui.widgets.asset_views import (
    alarm_text,
    check_of,
    count_bar,
    days_bar,
    due_text,
    short_state,
)
from tui.widgets.table import Table

__all__ = ["AssetDetail", "AssetDetailScreen", "AssetsScreen", "filter_overviews"]

ALL, ALARM, WARNING, DUE = "all", "alarm", "warning", "due"
_FILTERS: list[tuple[str, str]] = [
    ("All assets", ALL),
    ("In alarm", ALARM),
    ("In warning", WARNING),
    ("Due within", DUE),
]
DEFAULT_DUE_DAYS = 7
_ACTIONS = ["calibrate", "maintain", "reset_count", "set_state", "add_message"]


def filter_overviews(overviews: list[AssetOverview], kind: str, days: int) -> list[AssetOverview]:
    """The assets a filter keeps: by computed alarm state, or due within `days` days."""
    if kind == ALARM:
        return [o for o in overviews if o.status.alarm_state == AlarmState.ALARM]
    if kind == WARNING:
        return [o for o in overviews if o.status.alarm_state == AlarmState.WARNING]
    if kind == DUE:
        due = [(o.days_left, o) for o in overviews]
        return [
            o
            for left, o in sorted(
                ((left, o) for left, o in due if left is not None and left <= days),
                key=lambda item: item[0],
            )
        ]
    return overviews


def _date(value: object) -> str:
    return "—" if value is None else f"{value:%Y-%m-%d}"


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


@dataclass(frozen=True)
class AssetDetail:
    asset: Asset
    status: AssetStatus
    log: list[AssetLog]
    sub_assets: list[Asset]
    files: list[str] | None  # None: the server did not list them


class _AssetActions(WATSScreen):
    """The five asset actions, shared by the list and the detail view."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "k", "calibrate", "Calibrated", tooltip="Record a calibration", id="assets-calibrate"
        ),
        Binding("m", "maintain", "Maintained", tooltip="Record maintenance", id="assets-maintain"),
        Binding("x", "reset_count", "Reset", tooltip="Reset the running count", id="assets-reset"),
        Binding("s", "set_state", "State", tooltip="Set the asset's state", id="assets-state"),
        # Shown in F1 help, not the footer: at 80 columns the footer must keep "f1 Help".
        Binding(
            "a",
            "add_message",
            "Message",
            tooltip="Add a message to the log",
            id="assets-message",
            show=False,
        ),
    ]

    def selected(self) -> tuple[Asset, AssetStatus] | None:
        """The asset the actions apply to."""
        raise NotImplementedError

    def after_change(self) -> None:
        """Show the change (reload)."""
        raise NotImplementedError

    def _with_selected(self) -> tuple[Asset, AssetStatus] | None:
        chosen = self.selected()
        if chosen is None:
            self.notify("Select an asset first.", severity="warning")
        return chosen

    def _change(self, description: str, done: str, work: Callable[[], Awaitable[object]]) -> None:
        def finished(_: object) -> None:
            self.notify(done)
            self.after_change()

        self.run_task("change", work, finished, controls=_ACTIONS, description=description)

    def _service(self, kind: str) -> None:
        chosen = self._with_selected()
        if chosen is None:
            return
        asset, status = chosen
        serial = asset.serial_number
        word = "calibration" if kind == "calibration" else "maintenance"
        if kind == "calibration":
            last, next_date, interval = (
                asset.last_calibration_date,
                status.next_calibration_date,
                status.calibration_interval,
            )
        else:
            last, next_date, interval = (
                asset.last_maintenance_date,
                status.next_maintenance_date,
                status.maintenance_interval,
            )
        lines = [f"Last {word}: {_date(last)} → now"]
        if interval:
            lines.append(f"Next {word}: {_date(next_date)} → in {interval:g} days")
        lines.append(
            f"Running count: {asset.running_count or 0} → 0 (total {asset.total_count or 0} stays)"
        )
        service = self.wats.asset
        record = service.record_calibration if kind == "calibration" else service.record_maintenance

        def answered(comment: str | None) -> None:
            if comment is None:
                return
            self._change(
                f"Recording {word} of {serial}",
                f"{word.capitalize()} of {serial} recorded.",
                lambda: record(asset, None, comment or None),
            )

        self.app.push_screen(
            AssetActionDialog(
                f"Record a {word} of {serial} now?",
                "\n".join(lines),
                confirm="Record",
                text_label="Comment, e.g. certificate number",
            ),
            answered,
        )

    def action_calibrate(self) -> None:
        self._service("calibration")

    def action_maintain(self) -> None:
        self._service("maintenance")

    def action_reset_count(self) -> None:
        chosen = self._with_selected()
        if chosen is None:
            return
        asset, _ = chosen
        serial = asset.serial_number

        def answered(comment: str | None) -> None:
            if comment is None:
                return
            self._change(
                f"Resetting the running count of {serial}",
                f"Running count of {serial} reset.",
                lambda: self.wats.asset.reset_running_count(asset, comment or None),
            )

        self.app.push_screen(
            AssetActionDialog(
                f"Reset the running count of {serial} from {asset.running_count or 0} to 0?",
                f"The total count ({asset.total_count or 0}) stays. The reset is logged.",
                confirm="Reset",
                text_label="Comment, e.g. probes replaced",
            ),
            answered,
        )

    def action_set_state(self) -> None:
        chosen = self._with_selected()
        if chosen is None:
            return
        asset, _ = chosen
        serial = asset.serial_number

        def picked(state: AssetState | None) -> None:
            if state is None or state == asset.state:
                return

            def answered(text: str | None) -> None:
                if text is None:
                    return
                self._change(
                    f"Setting the state of {serial}",
                    f"{serial} is now {state.label.lower()}.",
                    lambda: self.wats.asset.set_state(asset, state),
                )

            self.app.push_screen(
                AssetActionDialog(
                    f"Set the state of {serial} from {asset.state_label} to {state.label}?",
                    "The alarm state does not change with it; the change is logged.",
                    confirm="Set state",
                ),
                answered,
            )

        self.app.push_screen(StatePicker(serial, asset.state), picked)

    def action_add_message(self) -> None:
        chosen = self._with_selected()
        if chosen is None:
            return
        asset, _ = chosen
        serial = asset.serial_number

        def answered(text: str | None) -> None:
            if not text:
                return
            self._change(
                f"Adding a message to {serial}",
                f"Message added to the log of {serial}.",
                lambda: self.wats.asset.add_message(asset, text),
            )

        self.app.push_screen(
            AssetActionDialog(
                f"Add a message to the log of {serial}?",
                "It is stored with your user name and the time.",
                confirm="Add",
                text_label="Message",
                text_required=True,
            ),
            answered,
        )


@register_screen(
    key="7",
    title="Assets",
    label="Assets",
    short="Asst",
    description="Fixtures and instruments: alarms, usage, calibration and maintenance",
)
class AssetsScreen(_AssetActions):
    AUTO_FOCUS = "#assets-table"
    FILTERS = ("#assets-days-input",)  # Enter or Down moves to the list
    PALETTE_LOOKUPS: ClassVar[dict[str, str]] = {"Go to asset": "open_asset"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Details", id="assets-open", show=False),
        Binding("f", "cycle_filter", "Filter", id="assets-filter"),
        Binding(
            "d",
            "focus_days",
            "Days",
            tooltip="Days for the 'due within' filter",
            id="assets-days",
            show=False,
        ),
        Binding("r", "reload", "Reload", id="assets-reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.overviews: list[AssetOverview] = []
        self.shown: dict[str, AssetOverview] = {}

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="assets-filter-bar"):
            yield Select(
                _FILTERS, value=ALL, allow_blank=False, id="assets-filter-select", compact=True
            )
            yield Input(
                str(DEFAULT_DUE_DAYS),
                id="assets-days-input",
                type="integer",
                max_length=4,
                compact=True,
            )
            yield Static("days", id="assets-days-label")
            yield Static("", id="assets-summary", markup=False)
        yield Table(id="assets-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#assets-table", DataTable)
        table.add_column("Serial", key="serial")
        table.add_column("Alarm", key="alarm")
        table.add_column("State", key="state")
        table.add_column("Running", key="running")
        table.add_column("Total", key="total")
        table.add_column("Next cal.", key="due")  # "m": maintenance
        table.add_column("Name", key="name")  # last: cut first when narrow
        self.action_reload()

    # ----------------------------------------------------------------- loading

    def action_reload(self) -> None:
        self.run_task(
            "list",
            lambda: self.wats.asset.get_overview(),
            self.show_overviews,
            controls=["reload"],
            loading="#assets-table",
            description="Loading assets and their status",
        )

    def after_change(self) -> None:
        self.action_reload()

    def show_overviews(self, overviews: list[AssetOverview]) -> None:
        self.overviews = sorted(
            overviews, key=lambda o: (-int(o.status.alarm_state), o.asset.serial_number.lower())
        )
        self._refill()

    # ----------------------------------------------------------------- filtering

    @property
    def filter_kind(self) -> str:
        return str(self.query_one("#assets-filter-select", Select).value)

    @property
    def due_days(self) -> int:
        text = self.query_one("#assets-days-input", Input).value.strip()
        try:
            return max(0, int(text))
        except ValueError:
            return DEFAULT_DUE_DAYS

    def _refill(self) -> None:
        table = self.query_one("#assets-table", DataTable)
        current = table.cursor_row
        table.clear()
        shown = filter_overviews(self.overviews, self.filter_kind, self.due_days)
        self.shown = {}
        for overview in shown:
            asset, status = overview.asset, overview.status
            key = asset.asset_id or asset.serial_number
            self.shown[key] = overview
            running, total = check_of(status, "runningCount"), check_of(status, "totalCount")
            table.add_row(
                Text(asset.serial_number),
                alarm_text(status.alarm_state),
                short_state(asset),
                count_bar(
                    status.running_count,
                    status.running_count_limit,
                    running.alarm_state if running else AlarmState.OK,
                ),
                count_bar(
                    status.total_count,
                    status.total_count_limit,
                    total.alarm_state if total else AlarmState.OK,
                ),
                due_text(status),
                Text(asset.asset_name or asset.description or ""),
                key=key,
            )
        if shown:
            table.move_cursor(row=min(current, len(shown) - 1))
        alarms = sum(1 for o in self.overviews if o.status.alarm_state == AlarmState.ALARM)
        warnings = sum(1 for o in self.overviews if o.status.alarm_state == AlarmState.WARNING)
        self.query_one("#assets-summary", Static).update(
            f"{len(shown)} of {len(self.overviews)} · {alarms} alarm · {warnings} warning"
        )
        days = self.filter_kind == DUE
        self.query_one("#assets-days-input").display = days
        self.query_one("#assets-days-label").display = days

    @on(Select.Changed, "#assets-filter-select")
    @on(Input.Changed, "#assets-days-input")
    def _filter_changed(self) -> None:
        self._refill()

    @on(Input.Submitted, "#assets-days-input")
    def _days_submitted(self) -> None:
        self.query_one("#assets-table", DataTable).focus()

    def action_cycle_filter(self) -> None:
        select = self.query_one("#assets-filter-select", Select)
        values = [value for _, value in _FILTERS]
        select.value = values[(values.index(str(select.value)) + 1) % len(values)]

    def action_focus_days(self) -> None:
        self.query_one("#assets-filter-select", Select).value = DUE
        self.call_after_refresh(self.query_one("#assets-days-input", Input).focus)

    # ----------------------------------------------------------------- selection

    def selected(self) -> tuple[Asset, AssetStatus] | None:
        table = self.query_one("#assets-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        overview = self.shown.get(str(key)) if key is not None else None
        return None if overview is None else (overview.asset, overview.status)

    def action_open(self) -> None:
        chosen = self._with_selected()
        if chosen is not None:
            self.app.push_screen(AssetDetailScreen(chosen[0].asset_id or chosen[0].serial_number))

    @on(DataTable.RowSelected, "#assets-table")
    def _row_selected(self) -> None:
        self.action_open()

    def open_asset(self, id_or_serial: str) -> None:
        """Palette: "Go to asset FX-110-1"."""
        if id_or_serial.strip():
            self.app.push_screen(AssetDetailScreen(id_or_serial.strip()))


class AssetDetailScreen(_AssetActions):
    """One asset: counters, dates, log, sub-assets and files. Pushed over the Assets list."""

    NAV_NAME = "assets"
    AUTO_FOCUS = "#asset-log"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reload", "Reload", id="asset-reload", show=False),  # keeps f1 in view
        Binding("backspace", "back", "Back", show=False, id="asset-back"),
    ]

    def __init__(self, id_or_serial: str) -> None:
        super().__init__()
        self.id_or_serial = id_or_serial
        self.detail: AssetDetail | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(Text(f"Asset {self.id_or_serial}", style="bold"), id="asset-head")
        with Horizontal(id="asset-panels"):
            yield Static("", id="asset-counters")
            yield Static("", id="asset-dates")
        with Horizontal(id="asset-lists"):
            log: Table[Text] = Table(id="asset-log", cursor_type="row", zebra_stripes=True)
            log.border_title = "Log"
            yield log
            with Vertical(id="asset-side"):
                subs: Table[Text] = Table(id="asset-subs", cursor_type="row")
                subs.border_title = "Sub-assets"
                yield subs
                files: Table[Text] = Table(id="asset-files", cursor_type="row")
                files.border_title = "Files"
                yield files

    def on_mount(self) -> None:
        log = self.query_one("#asset-log", DataTable)
        log.add_column("Date", key="date")
        log.add_column("Type", key="type")
        log.add_column("Comment", key="comment")
        log.add_column("User", key="user")
        subs = self.query_one("#asset-subs", DataTable)
        subs.add_column("Serial", key="serial")
        subs.add_column("State", key="state")
        self.query_one("#asset-files", DataTable).add_column("Name", key="name")
        self.action_reload()

    def action_reload(self) -> None:
        self.run_task(
            "detail",
            self._load,
            self.show_detail,
            controls=["reload"],
            loading=("#asset-panels", "#asset-lists"),
            description=f"Loading asset {self.id_or_serial}",
        )

    def after_change(self) -> None:
        self.action_reload()

    async def _load(self) -> AssetDetail | None:
        service = self.wats.asset
        asset = await service.get_asset(self.id_or_serial)
        if asset is None:
            return None

        async def files() -> list[str] | None:
            try:
                return await service.list_files(asset)
            except WATSError:
                return None  # an older server or no permission: the rest still shows

        status, log, subs, names = await asyncio.gather(
            service.get_status(asset),
            service.get_log(asset, top=200),
            service.get_sub_assets(asset),
            files(),
        )
        return AssetDetail(asset, status, log, subs, names)

    def selected(self) -> tuple[Asset, AssetStatus] | None:
        return None if self.detail is None else (self.detail.asset, self.detail.status)

    def show_detail(self, detail: AssetDetail | None) -> None:
        head = self.query_one("#asset-head", Static)
        if detail is None:
            head.update(
                Text(f"There is no asset {self.id_or_serial} on the server.", style="bold red")
            )
            return
        self.detail = detail
        asset, status = detail.asset, detail.status
        line = Text(asset.serial_number, style="bold")
        kind = asset.asset_type.type_name if asset.asset_type else ""
        for part in (asset.asset_name, kind, asset.state_label):
            if part:
                line.append(f" · {part}")
        line.append("  ")
        line.append_text(alarm_text(status.alarm_state))
        head.update(line)
        self.query_one("#asset-counters", Static).update(self._counters(status))
        self.query_one("#asset-dates", Static).update(self._dates(asset, status))
        log = self.query_one("#asset-log", DataTable)
        log.clear()
        for entry in detail.log:
            log.add_row(
                Text(f"{entry.date:%Y-%m-%d}" if entry.date else "—"),
                Text(entry.kind),
                Text(entry.comment or ""),
                Text(entry.user or "", style="dim"),
            )
        subs = self.query_one("#asset-subs", DataTable)
        subs.clear()
        for sub in detail.sub_assets:
            subs.add_row(
                Text(sub.serial_number), short_state(sub), key=sub.asset_id or sub.serial_number
            )
        subs.border_subtitle = str(len(detail.sub_assets))
        files = self.query_one("#asset-files", DataTable)
        files.clear()
        if detail.files is None:
            files.border_subtitle = "not available"
        else:
            files.add_rows([(Text(name),) for name in detail.files])
            files.border_subtitle = str(len(detail.files))

    @on(DataTable.RowSelected, "#asset-subs")
    def _open_sub_asset(self, event: DataTable.RowSelected) -> None:
        """Enter on a sub-asset opens its own detail (Escape comes back here)."""
        if event.row_key.value is not None:
            self.app.push_screen(AssetDetailScreen(str(event.row_key.value)))

    @staticmethod
    def _counters(status: AssetStatus) -> Text:
        text = Text()
        rows = [
            (
                "Running",
                check_of(status, "runningCount"),
                status.running_count,
                status.running_count_limit,
                "",
            ),
            (
                "Total",
                check_of(status, "totalCount"),
                status.total_count,
                status.total_count_limit,
                "",
            ),
        ]
        for label, check, value, limit, _ in rows:
            text.append(f"{label:<9}")
            if not limit:
                text.append(f"{value or 0:>13}")
                text.append("  no limit\n", style="dim")
                continue
            text.append_text(
                count_bar(value, limit, check.alarm_state if check else AlarmState.OK, width=8)
            )
            text.append(f"  {value or 0} / {limit}\n")
        for label, kind, since, interval in (
            ("Calib.", "calibration", status.days_since_calibration, status.calibration_interval),
            ("Maint.", "maintenance", status.days_since_maintenance, status.maintenance_interval),
        ):
            text.append(f"{label:<9}")
            text.append_text(days_bar(check_of(status, kind), width=8))
            if interval:
                text.append(f"  {_days(since)} / {interval:g} d\n")
            else:
                text.append("  not scheduled\n", style="dim")
        message = status.message or "OK"
        text.append(
            message,
            style=""
            if status.alarm_state == AlarmState.OK
            else ("bold red" if status.alarm_state == AlarmState.ALARM else "bold yellow"),
        )
        return text

    @staticmethod
    def _dates(asset: Asset, status: AssetStatus) -> Text:
        text = Text()
        calibration_left = status.calibration_days_left
        maintenance_left = status.maintenance_days_left
        rows = [
            ("Registered", _date(asset.first_seen_date)),
            ("Last used", _date(asset.last_seen_date)),
            ("Calibrated", _date(asset.last_calibration_date)),
            (
                "Next cal.",
                _date(status.next_calibration_date)
                + (f" ({calibration_left:.0f} d)" if calibration_left is not None else ""),
            ),
            ("Maintained", _date(asset.last_maintenance_date)),
            (
                "Next maint.",
                _date(status.next_maintenance_date)
                + (f" ({maintenance_left:.0f} d)" if maintenance_left is not None else ""),
            ),
            ("Location", asset.location or "—"),
            ("Parent", asset.parent_serial_number or "—"),
        ]
        for index, (label, value) in enumerate(rows):
            text.append(f"{label:<12}", style="dim")
            text.append(value + ("\n" if index < len(rows) - 1 else ""))
        return text
