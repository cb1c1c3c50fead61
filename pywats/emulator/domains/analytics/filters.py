"""The WATS filter of every /api/App analytics call, turned into SQL over the report table.

Matching follows the server: text fields take WATS wildcards (``;`` separates several values,
``%`` matches any run of characters, ``_`` one character), case-insensitively.
``testOperation`` names a process by its name or its code. ``productGroup`` and ``level`` take
names or ids; a product's groups are the app domain's product groups (their OData filter plus
explicit members), its level is the level named like its product category.

Yields are percentages, 0-100, everywhere (the spec's ``yield`` filter field is an int32
percentage; rates in the reference rows are 0-100 too).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ...errors import BadRequest
from ...isotime import parse_iso
from ...storage import Storage
from ..report.timefmt import utc_text

__all__ = [
    "DATE_GROUPING",
    "Filter",
    "Where",
    "parse_filter",
    "period_sql",
    "product_group_rows",
]

# DateGrouping: NONE -1, YEAR 0, QUARTER 1, MONTH 2, WEEK 3, DAY 4, HOUR 5.
DATE_GROUPING = {-1: "none", 0: "year", 1: "quarter", 2: "month", 3: "week", 4: "day", 5: "hour"}
RUN_FILTER = {1, 2, 3, -1, -2}
STATUS_CODES = {
    "passed": "P", "failed": "F", "error": "E", "terminated": "T", "done": "D", "skipped": "S",
}  # fmt: skip
_TEXT = (
    "serialNumber", "partNumber", "revision", "batchNumber", "stationName", "testOperation",
    "status", "miscDescription", "miscValue", "miscInfoDescription", "miscInfoString",
    "productGroup", "level", "swFilename", "swVersion", "socket", "dimensions",
    "measurementPaths", "assetSerialNumber", "assetName",
)  # fmt: skip
_INTS = ("yield", "dateGrouping", "periodCount", "maxCount", "minCount", "topCount", "run")


@dataclass
class Filter:
    """The parsed body: wire names as keys, values checked for type."""

    values: dict[str, Any] = field(default_factory=dict)

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return value if isinstance(value, str) and value.strip() else None

    def int(self, name: str) -> int | None:
        value = self.values.get(name)
        return value if isinstance(value, int) else None

    def flag(self, name: str) -> bool | None:
        value = self.values.get(name)
        return value if isinstance(value, bool) else None

    def date(self, name: str) -> datetime | None:
        value = self.values.get(name)
        return value if isinstance(value, datetime) else None

    @property
    def empty(self) -> bool:
        return not self.values


def parse_filter(body: Any) -> Filter:
    """Check a filter object field by field; a wrong type is a 400 naming the field."""
    if body is None or body == "":
        return Filter()
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a WATS filter object.", field="body")
    values: dict[str, Any] = {}
    for key, value in body.items():
        if value is None:
            continue
        if key in _TEXT:
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                raise BadRequest(f"The field '{key}' must be a string.", field=key)
            values[key] = str(value)
        elif key in _INTS:
            if isinstance(value, bool) or not isinstance(value, int):
                raise BadRequest(f"The field '{key}' must be an integer.", field=key)
            values[key] = value
        elif key == "includeCurrentPeriod":
            if not isinstance(value, bool):
                raise BadRequest(f"The field '{key}' must be true or false.", field=key)
            values[key] = value
        elif key in ("dateFrom", "dateTo"):
            if not isinstance(value, str):
                raise BadRequest(f"The field '{key}' must be a date and time.", field=key)
            try:
                moment = parse_iso(value)
            except ValueError:
                raise BadRequest(
                    f"The value '{value[:40]}' is not valid for {key}: expected an ISO-8601 "
                    "date/time.",
                    field=key,
                ) from None
            values[key] = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        # Unknown fields are ignored, as the server's model binder does.
    grouping = values.get("dateGrouping")
    if grouping is not None and grouping not in DATE_GROUPING:
        raise BadRequest(
            "The field 'dateGrouping' must be one of -1 (none), 0 (year), 1 (quarter), "
            "2 (month), 3 (week), 4 (day) or 5 (hour).",
            field="dateGrouping",
        )
    run = values.get("run")
    if run is not None and run not in RUN_FILTER:
        raise BadRequest("The field 'run' must be 1, 2, 3, -1 (last) or -2 (all).", field="run")
    for key in ("periodCount", "maxCount", "minCount", "topCount"):
        if key in values and values[key] < 0:
            raise BadRequest(f"The field '{key}' must not be negative.", field=key)
    status = values.get("status")
    if status is not None and status.lower() == "all":
        del values["status"]
    return Filter(values)


def _period_start(moment: datetime, grouping: str) -> datetime:
    moment = moment.astimezone(UTC)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if grouping == "hour":
        return moment.replace(minute=0, second=0, microsecond=0)
    if grouping == "day":
        return day
    if grouping == "week":
        return day - timedelta(days=day.weekday())
    if grouping == "month":
        return day.replace(day=1)
    if grouping == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def _back(start: datetime, grouping: str, count: int) -> datetime:
    """The start of the period `count` periods before the one starting at `start`."""
    if grouping == "hour":
        return start - timedelta(hours=count)
    if grouping == "day":
        return start - timedelta(days=count)
    if grouping == "week":
        return start - timedelta(weeks=count)
    months = {"month": 1, "quarter": 3, "year": 12}[grouping] * count
    index = start.year * 12 + start.month - 1 - months
    return start.replace(year=index // 12, month=index % 12 + 1)


def date_range(
    flt: Filter, now: datetime, *, default_days: int | None
) -> tuple[datetime | None, datetime | None]:
    """dateFrom/dateTo, or the range periodCount periods of dateGrouping cover (days if none)."""
    date_from, date_to = flt.date("dateFrom"), flt.date("dateTo")
    count = flt.int("periodCount")
    if date_from is None and count:
        grouping = DATE_GROUPING.get(flt.int("dateGrouping") or 4, "day")
        grouping = "day" if grouping == "none" else grouping
        current = _period_start(now, grouping)
        if flt.flag("includeCurrentPeriod") is False:
            date_from, date_to = _back(current, grouping, count), date_to or current
        else:
            date_from = _back(current, grouping, count - 1)
    elif date_from is None and default_days is not None and date_to is None:
        date_from = now - timedelta(days=default_days)
    return date_from, date_to


def period_sql(grouping: str, column: str = "r.start_utc") -> str:
    """The period a report falls in, as text: the period's first day (or hour), in UTC."""
    day = f"substr({column}, 1, 10)"
    if grouping == "hour":
        return f"(substr({column}, 1, 13) || ':00')"
    if grouping == "day":
        return day
    if grouping == "week":
        return f"date({day}, '-' || ((CAST(strftime('%w', {day}) AS INTEGER) + 6) % 7) || ' days')"
    if grouping == "month":
        return f"(substr({column}, 1, 7) || '-01')"
    if grouping == "quarter":
        return (
            f"(substr({column}, 1, 4) || '-' || printf('%02d', "
            f"(CAST(substr({column}, 6, 2) AS INTEGER) - 1) / 3 * 3 + 1) || '-01')"
        )
    return f"(substr({column}, 1, 4) || '-01-01')"


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _match(column: str, value: str, params: list[Any]) -> str:
    """WATS wildcard match of a text column against `a;b%;c_`, case-insensitive."""
    parts = []
    for item in _split(value):
        if "%" in item or "_" in item:
            parts.append(f"{column} LIKE ?")
        else:
            parts.append(f"{column} = ? COLLATE NOCASE")
        params.append(item)
    return "(" + " OR ".join(parts or ["0"]) + ")"


_GROUP_CACHE: weakref.WeakKeyDictionary[
    Storage, tuple[int, list[tuple[int, str, str, str | None]]]
] = weakref.WeakKeyDictionary()


def product_group_rows(store: Storage) -> list[tuple[int, str, str, str | None]]:
    """(group id, group name, part number, revision or None) for every product in a group.

    Evaluating each group's OData filter over the catalog costs tens of milliseconds on the
    factory seed, so the answer is kept until the database next changes (any write).
    """
    changes = int(store.scalar("SELECT total_changes()") or 0)
    cached = _GROUP_CACHE.get(store)
    if cached is not None and cached[0] == changes:
        return cached[1]
    rows = _product_group_rows(store)
    _GROUP_CACHE[store] = (changes, rows)
    return rows


def _product_group_rows(store: Storage) -> list[tuple[int, str, str, str | None]]:
    if not store.scalar("SELECT 1 FROM sqlite_master WHERE name = 'product_group'"):
        return []
    found: dict[tuple[int, str], tuple[int, str, str, str | None]] = {}
    excluded: set[tuple[int, str]] = set()
    has_products = bool(store.scalar("SELECT 1 FROM sqlite_master WHERE name = 'product'"))
    for group in store.query("SELECT product_group_id, name, filter FROM product_group"):
        gid, name = group["product_group_id"], group["name"]
        if has_products:
            for pn in _filter_products(store, group["filter"]):
                found[(gid, pn.lower())] = (gid, name, pn, None)
            for member in store.query(
                "SELECT part_number, revision, exclude FROM product_group_member "
                "WHERE product_group_id = ?",
                (gid,),
            ):
                key = (gid, member["part_number"].lower())
                if member["exclude"]:
                    excluded.add(key)
                else:
                    found[key] = (gid, name, member["part_number"], member["revision"])
    return [row for key, row in found.items() if key not in excluded]


def _filter_products(store: Storage, text: str) -> list[str]:
    if not text.strip():
        return []
    from ...odata import ODataQuery
    from ..product.products import QUERY_FIELDS
    from ..product.wire import VIEW_SQL

    rows = ODataQuery.parse({"$filter": text}).run(store, VIEW_SQL, QUERY_FIELDS)
    return [str(row["part_number"]) for row in rows]


@dataclass
class Where:
    """WHERE clauses and their parameters, plus the joins the filter and dimensions need."""

    clauses: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def sql(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "1"


def report_where(
    store: Storage,
    flt: Filter,
    *,
    report_type: str,
    date_from: datetime | None,
    date_to: datetime | None,
    use_status: bool = True,
    alias: str = "r",
) -> Where:
    """The filter's conditions on the report table (aliased `alias`)."""
    where = Where()
    where.add(f"{alias}.report_type = ?", report_type)
    columns = {
        "serialNumber": "serial_number",
        "partNumber": "part_number",
        "revision": "revision",
        "batchNumber": "batch_number",
        "stationName": "station_name",
        "swFilename": "sw_filename",
        "swVersion": "sw_version",
    }
    for key, column in columns.items():
        value = flt.text(key)
        if value is not None:
            params: list[Any] = []
            where.add(_match(f"{alias}.{column}", value, params), *params)
    operation = flt.text("testOperation")
    if operation is not None:
        params = []
        names = _match("p.name", operation, params)
        codes = [int(x) for x in _split(operation) if x.lstrip("-").isdigit()]
        code_sql = f" OR {alias}.process_code IN ({', '.join('?' for _ in codes)})" if codes else ""
        where.add(
            f"({alias}.process_code IN (SELECT p.code FROM process p WHERE {names}){code_sql})",  # noqa: S608
            *params,
            *codes,
        )
    status = flt.text("status")
    if status is not None and use_status:
        codes_wanted = []
        for word in _split(status):
            code = STATUS_CODES.get(word.lower()) or (word.upper() if len(word) == 1 else None)
            if code is None:
                raise BadRequest(
                    f"The value '{word[:40]}' is not valid for status: expected Passed, Failed, "
                    "Error, Terminated, Done or Skipped.",
                    field="status",
                )
            codes_wanted.append(code)
        where.add(f"{alias}.result IN ({', '.join('?' for _ in codes_wanted)})", *codes_wanted)
    socket = flt.text("socket")
    if socket is not None:
        sockets = [int(x) for x in _split(socket) if x.lstrip("-").isdigit()]
        where.add(
            f"{alias}.test_socket_index IN ({', '.join('?' for _ in sockets) or 'NULL'})",
            *sockets,
        )
    description = flt.text("miscDescription") or flt.text("miscInfoDescription")
    value = flt.text("miscValue") or flt.text("miscInfoString")
    if description is not None or value is not None:
        params = []
        parts = []
        if description is not None:
            parts.append(_match("m.description", description, params))
        if value is not None:
            parts.append(_match("m.value", value, params))
        where.add(
            "EXISTS (SELECT 1 FROM report_misc_info m WHERE m.report_uuid = "  # noqa: S608
            f"{alias}.uuid AND {' AND '.join(parts)})",
            *params,
        )
    group = flt.text("productGroup")
    if group is not None:
        wanted = {x.lower() for x in _split(group)}
        pairs = [
            (pn, rev)
            for gid, name, pn, rev in product_group_rows(store)
            if str(gid) in wanted or name.lower() in wanted
        ]
        if not pairs:
            where.add("0")
        else:
            tests = " OR ".join(
                f"({alias}.part_number = ? COLLATE NOCASE"
                + (f" AND {alias}.revision = ? COLLATE NOCASE)" if rev else ")")
                for pn, rev in pairs
            )
            where.add(
                f"({tests})", *[x for pn, rev in pairs for x in ((pn, rev) if rev else (pn,))]
            )
    level = flt.text("level")
    if level is not None:
        wanted_levels = _split(level)
        marks = ", ".join("?" for _ in wanted_levels)
        where.add(
            f"{alias}.part_number IN (SELECT pr.part_number FROM product pr "  # noqa: S608
            "JOIN product_category pc ON pc.category_id = pr.category_id "
            "JOIN level l ON l.name = pc.name COLLATE NOCASE "
            f"WHERE l.name COLLATE NOCASE IN ({marks}) OR CAST(l.level_id AS TEXT) IN ({marks}))",
            *wanted_levels,
            *wanted_levels,
        )
    asset = flt.text("assetSerialNumber")
    if asset is not None:
        params = []
        test = _match("json_extract(ja.value, '$.assetSN')", asset, params)
        where.add(
            "EXISTS (SELECT 1 FROM report rb, json_each(rb.body, '$.assets') ja "  # noqa: S608
            f"WHERE rb.uuid = {alias}.uuid AND {test})",
            *params,
        )
    if date_from is not None:
        where.add(f"{alias}.start_utc >= ?", utc_text(date_from.isoformat()))
    if date_to is not None:
        where.add(f"{alias}.start_utc < ?", utc_text(date_to.isoformat()))
    return where
