"""The seeded fleet: test fixtures holding probe sets, multimeters and power supplies.

Fixtures are the ones the seeded test reports name in ``uut.fixtureId`` (ICT, functional test
and calibration stations); each report then lists the fixture and what it holds in
``assets[]``, and every count below comes from those reports: the total is all the use, the
running count the use since the last calibration, maintenance or reset. Limits are sized from
how busy each kind of fixture is, so small and factory data sets tell the same story: most
equipment is fine, a few instruments are due for calibration within days (warning), one probe
set nears its cleaning count (warning), a fixture is close to its maintenance date, and one
power supply is past its calibration date (alarm). Deterministic: nothing here draws random
numbers except the GUIDs, from the domain's own stream.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ...isotime import parse_iso
from ...plugin import SeedContext
from .alarm import wire_time

USER = "asset.manager"
LOCATION = "Drammen, Line 1"

# key: (name, running limit basis, total limit basis, maintenance days, calibration days,
#       warning %, alarm %, icon). Limit bases: "fixture" limits follow usage per interval.
_TYPES: dict[str, tuple[str, float | None, float | None, float | None, float | None, float,
                        float, str]] = {
    # ICT fixtures get more headroom: ICT retests more since the C7 change (production.story).
    "ict": ("ICT fixture", 1.6, 3 * 365, 90, None, 80, 100, "fixture"),
    "cal": ("Calibration fixture", 1.2, 3 * 365, 180, None, 80, 100, "fixture"),
    "probe": ("Pogo probe set", 45, 1.6, None, None, 80, 100, "probe"),
    "dmm": ("Digital multimeter", None, None, None, 365, 90, 100, "instrument"),
    "psu": ("DC power supply", None, None, None, 365, 90, 100, "instrument"),
}
# ICT fixtures hold a probe set and the power supply of the board under test; calibration
# fixtures a multimeter and a power supply. (Functional test fixtures are not tracked: the
# seed stays cheap, and their reports name no assets.)
_FIXTURE_TYPES = {110: "ict", 150: "cal"}
# Days since each fixture's last maintenance (index = fixture number - 1).
_FIXTURE_MAINTAINED = {110: (15, 38, 61), 150: (30, 95, 150)}
# Running count as a share of the cleaning limit for each probe set.
_PROBE_SHARE = {110: (0.35, 0.55, 0.87)}
# Days since the last calibration of each multimeter and power supply (by number).
_DMM_CALIBRATED = (45, 338, 361)
_PSU_CALIBRATED = (20, 130, 359, 180, 372, 250)
_MESSAGES = {
    "FX-110-2": "Pressure plate realigned after a run of contact failures on J3.",
    "PRB-110-3": "Contact resistance creeping up on the GND probes; cleaning due.",
    "FX-150-3": "Clamp slow to release; maintenance scheduled.",
    "PSU-E3631-05": "Output 2 reads 4 mV high against the reference; send for calibration.",
}


@dataclass
class _Planned:
    serial: str
    kind: str
    name: str
    part_number: str
    parent: str | None = None
    state: int = 1
    location: str = LOCATION
    description: str = ""
    uses: list[datetime] = field(default_factory=list)
    # (moment, "calibration" | "maintenance", comment), oldest first.
    services: list[tuple[datetime, str, str]] = field(default_factory=list)
    vendor_calibration: datetime | None = None
    messages: list[tuple[datetime, str]] = field(default_factory=list)


def _nice(value: float) -> int:
    """Two significant digits, at least 5: limits a person would set."""
    if value < 5:
        return 5
    digits = len(str(int(value))) - 2
    step = 10 ** max(digits, 0)
    return int(round(value / step) * step)


def _fleet() -> list[_Planned]:
    fleet: list[_Planned] = []
    for code, kind in _FIXTURE_TYPES.items():
        for number in (1, 2, 3):
            fixture = f"FX-{code}-{number}"
            fleet.append(_Planned(fixture, kind, f"{_TYPES[kind][0]} {number}", f"FIX-{code}",
                                  description=f"Fixture {number} for process {code}"))
            if code in _PROBE_SHARE:
                fleet.append(_Planned(f"PRB-{code}-{number}", "probe", "Pogo probe set",
                                      "PRB-100", parent=fixture))
            if code == 110:
                fleet.append(_Planned(f"PSU-E3631-{number:02d}", "psu", "Keysight E36312A",
                                      "E36312A", parent=fixture))
            else:
                fleet.append(_Planned(f"DMM-34461-{number:02d}", "dmm", "Keysight 34461A",
                                      "34461A", parent=fixture))
                fleet.append(_Planned(f"PSU-E3631-{number + 3:02d}", "psu", "Keysight E36312A",
                                      "E36312A", parent=fixture))
    fleet.append(_Planned("DMM-34461-07", "dmm", "Keysight 34461A", "34461A", state=5,
                          location="Calibration lab, cabinet 2", description="Spare"))
    fleet.append(_Planned("PSU-E3631-07", "psu", "Keysight E36312A", "E36312A", state=6,
                          location="Scrap", description="Output stage failed"))
    return fleet


def _usage(ctx: SeedContext, fleet: dict[str, _Planned]) -> list[tuple[str, datetime, list[str]]]:
    """(report id, start, asset serials) of every seeded test report that used the fleet."""
    if ctx.store.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'report'") \
            is None:
        return []
    children: dict[str, list[str]] = defaultdict(list)
    for planned in fleet.values():
        if planned.parent is not None:
            children[planned.parent].append(planned.serial)
    fixtures = [serial for serial in fleet if serial.startswith("FX-")]
    marks = ", ".join("?" for _ in fixtures)
    sql = (
        "SELECT uuid, fixture_id, start_utc FROM report WHERE report_type = 'T' "  # noqa: S608
        f"AND fixture_id IN ({marks}) ORDER BY start_utc, time_stamp"
    )
    rows = ctx.store.query(sql, fixtures)
    used = []
    for row in rows:
        serials = [row["fixture_id"], *children[row["fixture_id"]]]
        start = parse_iso(row["start_utc"])
        for serial in serials:
            fleet[serial].uses.append(start)
        used.append((str(row["uuid"]), start, serials))
    return used


def _limits(fleet: dict[str, _Planned], span_days: float) -> dict[str, dict[str, Any]]:
    """Each type's limits, sized from the use its assets see per day."""
    limits: dict[str, dict[str, Any]] = {}
    for kind, (name, running, total, maintenance, calibration, warning, alarm, icon) in \
            _TYPES.items():
        counts = [len(p.uses) for p in fleet.values() if p.kind == kind and p.uses]
        per_day = (sum(counts) / len(counts) / span_days) if counts else 1.0
        running_limit = total_limit = None
        if icon == "fixture":
            assert maintenance is not None and running is not None and total is not None
            running_limit = _nice(per_day * maintenance * running)
            total_limit = _nice(per_day * total)
        elif icon == "probe":
            assert running is not None and total is not None
            running_limit = _nice(min(counts or [1]) / span_days * running)
            total_limit = _nice(max(counts or [1]) * total)
        limits[kind] = {
            "name": name, "running": running_limit, "total": total_limit,
            "maintenance": maintenance, "calibration": calibration, "warning": warning,
            "alarm": alarm, "icon": icon,
        }
    return limits


def _at_work(moment: datetime) -> datetime:
    """The same day at 07:30 UTC: services happen at the start of a shift."""
    return moment.replace(hour=7, minute=30, second=0, microsecond=0)


def _plan_services(fleet: dict[str, _Planned], limits: dict[str, dict[str, Any]],
                   anchor: datetime, registered: datetime) -> None:
    for planned in fleet.values():
        kind = planned.kind
        serial = planned.serial
        if kind in ("ict", "cal"):
            code, number = int(serial.split("-")[1]), int(serial.split("-")[2])
            interval = limits[kind]["maintenance"]
            moment = _at_work(anchor - timedelta(days=_FIXTURE_MAINTAINED[code][number - 1]))
            moments = []
            while moment > registered:
                moments.append(moment)
                moment = _at_work(moment - timedelta(days=interval * 0.85))
            planned.services = [
                (m, "maintenance", "Preventive maintenance: pins inspected, plate cleaned")
                for m in reversed(moments)
            ]
        elif kind == "probe":
            code, number = int(serial.split("-")[1]), int(serial.split("-")[2])
            limit = limits["probe"]["running"]
            target = round(_PROBE_SHARE[code][number - 1] * limit)
            uses = planned.uses
            cleanings = []
            cut = len(uses) - target  # the first use counted after the last cleaning
            while cut > 0:
                cleanings.append(uses[cut] - timedelta(minutes=5))
                cut -= max(1, round(limit * 0.8))
            planned.services = [
                (m, "maintenance", "Probes cleaned and contact resistance checked")
                for m in reversed(cleanings)
            ]
        elif kind in ("dmm", "psu"):
            days = _DMM_CALIBRATED if kind == "dmm" else _PSU_CALIBRATED
            index = int(serial.rsplit("-", 1)[1])
            if planned.state == 5:
                last_days = 200
            elif planned.state == 6:
                last_days = 100
            else:
                last_days = days[index - 1]
            last = _at_work(anchor - timedelta(days=last_days))
            if last <= registered:
                planned.vendor_calibration = last
            else:
                planned.vendor_calibration = _at_work(last - timedelta(days=365))
                planned.services = [(last, "calibration", "Calibrated by the calibration lab, "
                                     f"certificate CAL-{last:%y%m%d}-{index:02d}")]
        message = _MESSAGES.get(serial)
        if message is not None:
            planned.messages.append((_at_work(anchor - timedelta(days=4)), message))


def _running_since(planned: _Planned, registered: datetime, at: datetime) -> datetime:
    since = registered
    for moment, _, _ in planned.services:
        if moment <= at:
            since = max(since, moment)
    return since


def _last(planned: _Planned, kind: str, at: datetime) -> datetime | None:
    found = planned.vendor_calibration if kind == "calibration" else None
    for moment, what, _ in planned.services:
        if what == kind and moment <= at:
            found = moment
    return found


def _row(planned: _Planned, asset_id: str, type_row: dict[str, Any], registered: datetime,
         at: datetime, upto: int | None = None) -> dict[str, Any]:
    """The asset as its row would read at `at`, counting its uses up to index `upto`."""
    uses = planned.uses if upto is None else planned.uses[:upto]
    since = _running_since(planned, registered, at)
    calibrated = _last(planned, "calibration", at)
    maintained = _last(planned, "maintenance", at)
    return {
        "asset_id": asset_id,
        "serial_number": planned.serial,
        "state": planned.state,
        "first_seen": wire_time(registered),
        "last_calibration": calibrated and wire_time(calibrated),
        "last_maintenance": maintained and wire_time(maintained),
        "running_since": wire_time(since),
        "total_count": len(uses),
        "running_count": len(uses) - bisect_left(uses, since),
        **type_row,
    }


def seed(ctx: SeedContext) -> None:
    store = ctx.store
    fleet = {planned.serial: planned for planned in _fleet()}
    used = _usage(ctx, fleet)
    first = min((start for _, start, _ in used), default=ctx.anchor - timedelta(days=180))
    registered = _at_work(first - timedelta(days=2))
    span_days = max(1.0, (ctx.anchor - registered).total_seconds() / 86400)
    limits = _limits(fleet, span_days)
    _plan_services(fleet, limits, ctx.anchor, registered)

    type_ids = {kind: ctx.uuid() for kind in _TYPES}
    store.executemany(
        "INSERT INTO asset_type (type_id, type_name, running_count_limit, total_count_limit, "
        "maintenance_interval, calibration_interval, warning_threshold, alarm_threshold, "
        "is_readonly, icon) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
        [
            (type_ids[kind], t["name"], t["running"], t["total"], t["maintenance"],
             t["calibration"], t["warning"], t["alarm"], t["icon"])
            for kind, t in limits.items()
        ],
    )
    type_rows = {
        kind: {
            "running_count_limit": t["running"], "total_count_limit": t["total"],
            "maintenance_interval": t["maintenance"], "calibration_interval": t["calibration"],
            "warning_threshold": t["warning"], "alarm_threshold": t["alarm"],
        }
        for kind, t in limits.items()
    }
    asset_ids = {serial: ctx.uuid() for serial in fleet}
    assets = []
    logs: list[tuple[Any, ...]] = []
    for serial, planned in fleet.items():
        row = _row(planned, asset_ids[serial], type_rows[planned.kind], registered, ctx.anchor)
        assets.append((
            row["asset_id"], serial, type_ids[planned.kind],
            asset_ids[planned.parent] if planned.parent else None, planned.name,
            planned.part_number, planned.state, planned.description or None, planned.location,
            row["first_seen"], wire_time(planned.uses[-1]) if planned.uses else None,
            row["last_maintenance"], row["last_calibration"], row["total_count"],
            row["running_count"], row["running_since"],
        ))
        register = f"Registered {serial}"
        if planned.vendor_calibration is not None and planned.vendor_calibration <= registered:
            certificate = f"{planned.vendor_calibration:%Y-%m-%d}"
            register += f"; vendor calibration certificate dated {certificate}"
        entries: list[tuple[datetime, int, str, str | None, str | None]] = [
            (registered, 1, register, None, None)
        ]
        entries += [
            (moment, 4 if what == "calibration" else 5, comment, None, None)
            for moment, what, comment in planned.services
        ]
        entries += [(moment, 0, text, None, None) for moment, text in planned.messages]
        if planned.state != 1:
            moment = _at_work(ctx.anchor - timedelta(days=9))
            word = {5: "In storage", 6: "Scrapped"}[planned.state]
            entries.append((moment, 6, f"State changed from In operation to {word}", "state",
                            str(planned.state)))
        for moment, kind, comment, prop, value in sorted(entries, key=lambda e: e[0]):
            logs.append((row["asset_id"], serial, wire_time(moment), USER, kind, prop, value,
                         comment))
    store.executemany(
        "INSERT INTO asset (asset_id, serial_number, type_id, parent_asset_id, asset_name, "
        "part_number, state, description, location, first_seen, last_seen, last_maintenance, "
        "last_calibration, total_count, running_count, running_since) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        assets,
    )
    store.executemany(
        "INSERT INTO asset_log (asset_id, serial_number, date, user, type, property, value, "
        "comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        logs,
    )
    _write_reports(fleet, limits, registered, used, ctx)
    _attach_certificates(ctx, fleet, asset_ids)


def _stats_at(planned: _Planned, limits: dict[str, Any], registered: datetime,
              start: datetime) -> str:
    """The ``assetStats`` item (as JSON text) of an asset when a report at `start` used it;
    the same numbers :func:`usage.asset_stats` gives, without building whole rows (this runs
    for every seeded report)."""
    upto = bisect_right(planned.uses, start)
    since = registered
    calibrated = planned.vendor_calibration
    maintained = None
    for moment, what, _ in planned.services:
        if moment > start:
            break
        since = max(since, moment)
        if what == "calibration":
            calibrated = moment
        else:
            maintained = moment
    running = upto - bisect_left(planned.uses, since)
    parts = [f'"assetSN":"{planned.serial}","runningCount":{running},"totalCount":{upto}']
    if limits["running"]:
        parts.append(f'"runningCountExceeded":{max(0, running - limits["running"])}')
    if limits["total"]:
        parts.append(f'"totalCountExceeded":{max(0, upto - limits["total"])}')
    for word, kind, last in (("Calibration", "calibration", calibrated),
                             ("Maintenance", "maintenance", maintained)):
        interval = limits[kind]
        if interval:
            days = round((start - (last or registered)).total_seconds() / 86400, 2)
            over = round(max(0.0, days - interval), 2)
            parts.append(f'"daysSince{word}":{days},"{kind}DaysOverdue":{over}')
    return "{" + ",".join(parts) + "}"


def _write_reports(fleet: dict[str, _Planned], limits: dict[str, dict[str, Any]],
                   registered: datetime, used: list[tuple[str, datetime, list[str]]],
                   ctx: SeedContext) -> None:
    """Put ``assets`` and the ``assetStats`` of that moment into each report that used them."""
    updates = []
    for report_id, start, serials in used:
        items = ",".join(f'{{"assetSN":"{serial}","usageCount":1}}' for serial in serials)
        stats = ",".join(
            _stats_at(fleet[serial], limits[fleet[serial].kind], registered, start)
            for serial in serials
        )
        replacement = f'"assets":[{items}],"assetStats":[{stats}]'
        updates.append((replacement, len(replacement), report_id))
    ctx.store.executemany(
        "UPDATE report SET body = replace(body, '\"assets\":[]', ?), "
        "report_size = MAX(1, (length(CAST(body AS BLOB)) + ?) / 1024) WHERE uuid = ?",
        updates,
    )


def _attach_certificates(ctx: SeedContext, fleet: dict[str, _Planned],
                         asset_ids: dict[str, str]) -> None:
    rows = []
    for serial, planned in fleet.items():
        for moment, what, comment in planned.services:
            if what == "calibration":
                text = (f"Calibration certificate\nAsset: {serial} ({planned.name})\n"
                        f"Date: {moment:%Y-%m-%d}\n{comment}\nResult: within specification\n")
                rows.append((asset_ids[serial], f"calibration-{moment:%Y-%m-%d}.txt",
                             text.encode(), wire_time(moment)))
    ctx.store.executemany(
        "INSERT INTO asset_file (asset_id, filename, data, uploaded) VALUES (?, ?, ?, ?)", rows
    )
