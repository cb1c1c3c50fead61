"""How assets look: alarm words in colour, counts as bars toward their limits, days left.

Pure functions of the SDK models, shared by the Assets screen, its detail view and the
dashboard tile.
"""

from __future__ import annotations

from rich.text import Text

from pywats.domains.asset import AlarmState, Asset, AssetCheck, AssetState, AssetStatus

__all__ = [
    "ALARM_STYLES",
    "alarm_text",
    "check_of",
    "count_bar",
    "days_bar",
    "due_text",
    "short_state",
]

ALARM_STYLES = {
    AlarmState.OK: "green",
    AlarmState.WARNING: "bold yellow",
    AlarmState.ALARM: "bold white on red",
}
_ALARM_WORDS = {AlarmState.OK: "OK", AlarmState.WARNING: "WARN", AlarmState.ALARM: "ALARM"}
_SHORT_STATES = {
    AssetState.UNKNOWN: "Unknown", AssetState.IN_OPERATION: "In use",
    AssetState.IN_TRANSIT: "Transit", AssetState.IN_MAINTENANCE: "Maint.",
    AssetState.IN_CALIBRATION: "Calib.", AssetState.IN_STORAGE: "Storage",
    AssetState.SCRAPPED: "Scrapped",
}  # fmt: skip
_EIGHTHS = " ▏▎▍▌▋▊▉"
_BAR_STYLES = {AlarmState.OK: "green", AlarmState.WARNING: "yellow", AlarmState.ALARM: "red"}


def alarm_text(state: AlarmState) -> Text:
    return Text(_ALARM_WORDS[state], style=ALARM_STYLES[state])


def short_state(asset: Asset) -> Text:
    try:
        state = AssetState(asset.state if asset.state is not None else 0)
    except ValueError:
        return Text(f"State {asset.state}")
    style = "dim" if state in (AssetState.IN_STORAGE, AssetState.SCRAPPED) else ""
    return Text(_SHORT_STATES[state], style=style)


def check_of(status: AssetStatus, kind: str) -> AssetCheck | None:
    """The status's check of one kind (runningCount, totalCount, calibration, maintenance)."""
    for check in status.checks or status.reasons:
        if check.type == kind:
            return check
    return None


def _bar(fraction: float, width: int) -> str:
    eighths = round(max(0.0, min(fraction, 1.0)) * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (_EIGHTHS[part] if part else "")
    return text.ljust(width, "·")


def count_bar(value: int | None, limit: int | None, state: AlarmState, width: int = 5) -> Text:
    """``████· 83%``: a count against its limit, coloured by that check's alarm state; just
    the count when the type sets no limit."""
    count = value or 0
    if not limit:
        return Text(f"{count:>{width + 5}}", style="dim")
    fraction = count / limit
    text = Text(_bar(fraction, width), style=_BAR_STYLES[state])
    text.append(
        f" {fraction * 100:3.0f}%", style="" if state == AlarmState.OK else ALARM_STYLES[state]
    )
    return text


def days_bar(check: AssetCheck | None, width: int = 5) -> Text:
    if check is None or not check.limit or check.value is None:
        return Text("—".rjust(width + 5), style="dim")
    return count_bar(round(check.value), round(check.limit), check.alarm_state, width)


def due_text(status: AssetStatus, kind: str = "calibration") -> Text:
    """``2026-01-05  4d``: the next due date with the days left (``-7d`` when overdue),
    coloured by that check's alarm state; falls back to maintenance when `kind` is not
    scheduled."""
    for wanted in (kind, "maintenance" if kind == "calibration" else "calibration"):
        next_date = (
            status.next_calibration_date
            if wanted == "calibration"
            else status.next_maintenance_date
        )
        left = (
            status.calibration_days_left
            if wanted == "calibration"
            else status.maintenance_days_left
        )
        if next_date is None or left is None:
            continue
        check = check_of(status, wanted)
        state = check.alarm_state if check is not None else AlarmState.OK
        days = round(left)
        text = Text(f"{next_date:%Y-%m-%d} ")
        text.append(f"{days:>4}d", style=ALARM_STYLES[state] if state else "")
        if wanted != kind:
            text.append(" m", style="dim")
        return text
    return Text("—", style="dim")
