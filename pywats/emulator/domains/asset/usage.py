"""Usage from test reports: the hook the report store calls for every new test report.

A report's ``assets[]`` names the equipment a test used, each with a ``usageCount`` (1 when
left out). Each known asset's counts go up by it (the running count only when the test ran
after the running count's last reset), and the report gets ``assetStats``: the counts, how far
they exceed their limits, and the days since calibration and maintenance when the report was
processed. Serial numbers that name no asset are left as they are. A report sent again (the
same id) is not counted twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ...isotime import parse_iso
from ...storage import Storage
from . import records
from .alarm import RowLike, compute_status
from .records import VIEW_SQL, add_usage

MAX_USAGE = 1_000_000


def _start(report: Mapping[str, Any], fallback: datetime) -> datetime:
    text = report.get("start")
    if isinstance(text, str):
        try:
            return parse_iso(text).astimezone(UTC)
        except (ValueError, OverflowError):
            return fallback
    return fallback


def asset_stats(row: RowLike, when: datetime) -> dict[str, Any]:
    """One ``assetStats`` item: the asset as it stands after counting this report."""
    status = compute_status(row, when).to_json()
    stats: dict[str, Any] = {
        "assetSN": row["serial_number"],
        "runningCount": row["running_count"],
        "totalCount": row["total_count"],
    }
    if "runningCountLimit" in status:
        stats["runningCountExceeded"] = max(0, row["running_count"] - status["runningCountLimit"])
    if "totalCountLimit" in status:
        stats["totalCountExceeded"] = max(0, row["total_count"] - status["totalCountLimit"])
    for word, kind in (("Calibration", "calibration"), ("Maintenance", "maintenance")):
        if f"daysSince{word}" in status:
            days = status[f"daysSince{word}"]
            stats[f"daysSince{word}"] = round(days, 2)
            stats[f"{kind}DaysOverdue"] = round(max(0.0, days - status[f"{kind}Interval"]), 2)
    return stats


def count_report_usage(store: Storage, report: dict[str, Any]) -> dict[str, Any]:
    """Count the assets a new test report used; returns the report with its ``assetStats``."""
    assets = report.get("assets")
    if report.get("type") != "T" or not isinstance(assets, list) or not assets:
        return report
    if store.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'asset'") is None:
        return report
    report_id = str(report.get("id", "")).lower()
    if store.scalar("SELECT 1 FROM report WHERE uuid = ?", (report_id,)):
        return report  # sent again: already counted
    when = _start(report, records.clock())
    stats = []
    with store.transaction():
        for item in assets:
            if not isinstance(item, dict) or not isinstance(item.get("assetSN"), str):
                continue
            row = store.query_one(
                f"{VIEW_SQL} WHERE a.serial_number = ?", (item["assetSN"].strip(),)
            )
            if row is None:
                stats.append({"assetSN": item["assetSN"]})
                continue
            usage = item.get("usageCount")
            amount = usage if isinstance(usage, int) and not isinstance(usage, bool) else 1
            add_usage(store, row["asset_id"], max(0, min(amount, MAX_USAGE)), when)
            counted = store.query_one(
                f"{VIEW_SQL} WHERE a.asset_id = ?", (row["asset_id"],)
            )
            assert counted is not None
            stats.append(asset_stats(counted, when))
    updated = dict(report)
    updated["assetStats"] = stats
    return updated
