"""The dashboard's production section: yield today and this week, yield of the last 7 days
per product group with a daily trend, the worst-yielding products, the top failing steps and
the latest failed units. Loaded in one go from the analytics API; days are the server's.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

from rich.text import Text
from textual.widgets import DataTable

from pywats import AsyncWATS
from pywats.domains.analytics import DateGrouping, TopFailedStep, WATSFilter, YieldRow
from pywats.domains.report.query import ReportHeader
from pywats.errors import WATSError, WATSServerError
from tui.errors import is_connection_problem
from tui.widgets.analytics_views import display_path, sparkline, yield_text

__all__ = ["DAYS", "ProductionData", "fill_production", "load_production", "production_line"]

DAYS = 7
WORST = 5
STEPS = 5
FAILED_UNITS = 8
PRODUCTION_TABLES = ("#dash-yield", "#dash-worst", "#dash-steps", "#dash-failed")


@dataclass(frozen=True)
class ProductionData:
    days: list[YieldRow] = field(default_factory=list)  # all products, one row per day
    today: list[YieldRow] = field(default_factory=list)  # all products today: one row or none
    groups: list[YieldRow] = field(default_factory=list)  # per product group and day
    worst: list[YieldRow] = field(default_factory=list)
    steps: list[TopFailedStep] = field(default_factory=list)
    failed: list[ReportHeader] = field(default_factory=list)
    error: str | None = None


def _week(dimensions: str | None, days: int = DAYS, **extra: object) -> WATSFilter:
    return WATSFilter(
        date_grouping=DateGrouping.DAY,
        period_count=days,
        include_current_period=True,
        dimensions=dimensions,
        **extra,
    )


async def load_production(wats: AsyncWATS) -> ProductionData:
    """Everything the section shows. An endpoint this server lacks or forbids (an older server,
    a user without analytics rights) is said in the section; a server that is down, failing or
    refusing the token is raised, so the app's connection state tells the truth."""
    analytics = wats.analytics
    try:
        today, days, groups, worst, steps, failed = await asyncio.gather(
            analytics.get_dynamic_yield(_week("unitCount;fpCount", days=1)),
            analytics.get_dynamic_yield(_week("period;unitCount;fpCount;fpy")),
            analytics.get_dynamic_yield(_week("productGroup;period;unitCount;fpCount;fpy")),
            analytics.get_worst_yield(_week(None, top_count=WORST)),
            analytics.get_top_failed(_week(None, top_count=STEPS)),
            analytics.get_uut_reports(WATSFilter(status="Failed", top_count=FAILED_UNITS)),
        )
    except WATSError as error:
        if is_connection_problem(error) or isinstance(error, WATSServerError):
            raise
        return ProductionData(error=f"Production data not available: {error}")
    return ProductionData(days, today, groups, worst[:WORST], steps[:STEPS], failed)


def production_line(data: ProductionData) -> Text:
    """``Today 14 units, FPY 92.9 % · last 7 days 96 units, FPY 88.5 %``."""
    if data.error:
        return Text(data.error, style="dim")
    text = Text("Production  ", style="bold")
    today = data.today[0] if data.today else None
    text.append("today ")
    _units(text, today.unit_count if today else 0, today.fp_count if today else 0)
    text.append(f"  ·  last {DAYS} days ")
    _units(
        text,
        sum(row.unit_count or 0 for row in data.days),
        sum(row.fp_count or 0 for row in data.days),
    )
    return text


def _units(text: Text, units: int | None, first_pass: int | None) -> None:
    units = units or 0
    text.append(f"{units} units", style="bold")
    if units:
        text.append(", FPY ")
        text.append_text(yield_text(100 * (first_pass or 0) / units))


def _group_rows(data: ProductionData) -> list[tuple[str, int, float | None, list[float | None]]]:
    """(group, units, FPY, FPY per day) for each product group, most units first."""
    periods = sorted({row.period for row in data.days if row.period})
    by_group: dict[str, dict[str, YieldRow]] = {}
    for row in data.groups:
        if row.product_group and row.period:
            by_group.setdefault(row.product_group, {})[row.period] = row
    result = []
    for name, rows in by_group.items():
        units = sum(r.unit_count or 0 for r in rows.values())
        first = sum(r.fp_count or 0 for r in rows.values())
        trend = [rows[p].fpy if p in rows else None for p in periods]
        result.append((name, units, 100 * first / units if units else None, trend))
    return sorted(result, key=lambda item: (-item[1], item[0]))


def fill_production(tables: dict[str, DataTable[Text]], data: ProductionData) -> None:
    """Replace the rows of the four tables; the cursors stay where they were."""
    rows: dict[str, list[tuple[Text, ...]]] = {
        "#dash-yield": [
            (Text(name), Text(str(units), justify="right"), yield_text(fpy), sparkline(trend))
            for name, units, fpy, trend in _group_rows(data)
        ],
        "#dash-worst": [
            (
                Text(row.part_number or ""),
                Text(str(row.unit_count or 0), justify="right"),
                yield_text(row.fpy),
            )
            for row in data.worst
        ],
        "#dash-steps": [
            (
                Text(display_path(step.step_path)),
                Text(step.part_number or "", style="cyan"),
                Text(str(step.fail_count or 0), justify="right", style="bold red"),
            )
            for step in data.steps
        ],
        "#dash-failed": [
            (
                Text(_when(h.start)),
                Text(h.serial_number or "", style="bold"),
                Text(h.part_number or ""),
                Text(h.station_name or ""),
                Text(_short(h.caused_uut_failure or ""), style="red"),
            )
            for h in data.failed
        ],
    }
    for selector, new_rows in rows.items():
        table = tables[selector]
        cursor = table.cursor_row
        table.clear()
        table.add_rows(new_rows)
        if new_rows:
            table.move_cursor(row=min(cursor, len(new_rows) - 1))


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone().strftime("%m-%d %H:%M")


def _short(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
