"""Every analytics answer, computed in SQL from the stored reports.

Yield counts units: a unit is a serial number and part number in one process (test
operation); its runs are its test reports there in start order (the report table's ``run``
and ``passedInRun``). A unit counts where its first run falls (the filter and the dimensions
are read off that report):

* FPY: units whose first run passed; SPY and TPY: passed within two, within three runs;
* LPY: units whose last run passed;
* test yield: passed reports among all reports (any run) in the filter.

All yields and rates are percentages, 0-100. Counts are integers; dimension values strings.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from ...errors import BadRequest
from ...storage import Storage
from ..report.headers import base_sql, header_json
from ..report.timefmt import header_time
from .filters import DATE_GROUPING, Filter, Where, date_range, period_sql, product_group_rows
from .filters import report_where as _report_where
from .steps import SEP, sync_index

__all__ = [
    "DEFAULT_YIELD_DIMENSIONS",
    "aggregated_measurements",
    "dynamic_repair",
    "dynamic_yield",
    "measurements",
    "oee",
    "related_repair_history",
    "report_headers",
    "serial_number_history",
    "test_step_analysis",
    "top_failed",
]

DEFAULT_YIELD_DIMENSIONS = "unitCount desc;partNumber;testOperation"
DEFAULT_REPAIR_DIMENSIONS = "repairCount desc;repairReportCount desc;partNumber;repairOperation"
MAX_MEASUREMENTS = 10_000
DEFAULT_REPORTS = 1000

_PRODUCT_JOIN = (
    "LEFT JOIN product pr ON pr.part_number = r.part_number "
    "LEFT JOIN product_category pc ON pc.category_id = pr.category_id"
)
_LEVEL_JOIN = "LEFT JOIN level lv ON lv.name = pc.name COLLATE NOCASE"
# pgmap holds lower-cased part numbers, so SQLite can index it for the join.
_GROUP_JOIN = (
    "LEFT JOIN pgmap g ON g.pn = lower(r.part_number) "
    "AND (g.rev IS NULL OR g.rev = r.revision COLLATE NOCASE)"
)
_MISC_JOIN = "LEFT JOIN report_misc_info mi ON mi.report_uuid = r.uuid"
_ASSET_JOIN = "LEFT JOIN report rb ON rb.uuid = r.uuid LEFT JOIN json_each(rb.body, '$.assets') ja"

# name -> (SQL text expression, joins it needs)
_COMMON_DIMENSIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "partNumber": ("r.part_number", ()),
    "productName": ("pr.name", (_PRODUCT_JOIN,)),
    "revision": ("r.revision", ()),
    "stationName": ("r.station_name", ()),
    "location": ("r.location", ()),
    "purpose": ("r.purpose", ()),
    "productGroup": ("g.gname", (_GROUP_JOIN,)),
    "level": ("lv.name", (_PRODUCT_JOIN, _LEVEL_JOIN)),
    "unitType": ("pc.name", (_PRODUCT_JOIN,)),
    "batchNumber": ("r.batch_number", ()),
    "operator": ("r.user_name", ()),
    "swFilename": ("r.sw_filename", ()),
    "swVersion": ("r.sw_version", ()),
    "miscInfoDescription": ("mi.description", (_MISC_JOIN,)),
    "miscInfoString": ("mi.value", (_MISC_JOIN,)),
}
YIELD_DIMENSIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    **_COMMON_DIMENSIONS,
    "testOperation": ("p.name", ()),
    "processCode": ("CAST(r.process_code AS TEXT)", ()),
    "fixtureId": ("r.fixture_id", ()),
    "socketIndex": ("CAST(r.test_socket_index AS TEXT)", ()),
    "errorCode": ("CAST(r.error_code AS TEXT)", ()),
    "stepCausedUutFailure": ("r.caused_uut_failure", ()),
    "stepPathCausedUutFailure": (f"replace(r.caused_uut_failure_path, '/', '{SEP}')", ()),
    "assetSerialNumber": ("json_extract(ja.value, '$.assetSN')", (_ASSET_JOIN,)),
    "assetName": (
        "(SELECT a.asset_name FROM asset a WHERE a.serial_number = "
        "json_extract(ja.value, '$.assetSN'))",
        (_ASSET_JOIN,),
    ),
}
YIELD_KPIS = (
    "unitCount", "fpCount", "spCount", "tpCount", "lpCount", "fpFailCount", "spFailCount",
    "tpFailCount", "lpFailCount", "fpy", "spy", "tpy", "lpy", "ppmFpy", "ppmSpy", "ppmTpy",
    "ppmLpy", "testYieldCount", "testReportCount", "testYield", "ppmTestYield", "retestCount",
    "firstUtc", "lastUtc",
)  # fmt: skip
_YIELD_SQL = (
    "SUM(r.run = 1) AS unit_count, SUM(r.run = 1 AND r.passed_in_run = 1) AS fp, "
    "SUM(r.run = 1 AND r.passed_in_run <= 2) AS sp, SUM(r.run = 1 AND r.passed_in_run <= 3) AS tp, "
    "SUM(r.run = 1 AND r.last_result = 'P') AS lp, COUNT(*) AS reports, "
    "SUM(r.result = 'P') AS passed, "
    "SUM(r.run > 1) AS retests, "
    # As header times are written (UTC, milliseconds, Z), straight from the fixed-width text.
    "substr(MIN(r.start_utc), 1, 23) || 'Z' AS first_utc, "
    "substr(MAX(r.start_utc), 1, 23) || 'Z' AS last_utc"
)

_REPAIR_FAILURE_JOIN = (
    "LEFT JOIN json_each(r.body, '$.subUnits') su LEFT JOIN json_each(su.value, '$.failures') fl"
)
_REPAIR_TEST_JOIN = "LEFT JOIN report t ON t.uuid = r.referenced_uut"
_REPAIR_STEP_JOIN = (
    "LEFT JOIN analytics_step st ON st.report_uuid = r.referenced_uut "
    "AND st.step_id = json_extract(fl.value, '$.refStepId') AND st.meas_index IS NULL"
)
_REPAIR_TEST_OPERATION_JOIN = (
    "LEFT JOIN process tp ON tp.code = json_extract(r.body, '$.uur.processCode')"
)
REPAIR_DIMENSIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    **_COMMON_DIMENSIONS,
    "repairOperation": ("p.name", ()),
    "repairType": ("p.name", ()),
    "repairCode": ("json_extract(fl.value, '$.code')", (_REPAIR_FAILURE_JOIN,)),
    "repairCategory": ("json_extract(fl.value, '$.category')", (_REPAIR_FAILURE_JOIN,)),
    "componentRef": ("json_extract(fl.value, '$.comRef')", (_REPAIR_FAILURE_JOIN,)),
    "componentNumber": ("json_extract(fl.value, '$.artNumber')", (_REPAIR_FAILURE_JOIN,)),
    "componentRevision": ("json_extract(fl.value, '$.artRev')", (_REPAIR_FAILURE_JOIN,)),
    "componentVendor": ("json_extract(fl.value, '$.artVendor')", (_REPAIR_FAILURE_JOIN,)),
    "componentDescription": (
        "json_extract(fl.value, '$.artDescription')",
        (_REPAIR_FAILURE_JOIN,),
    ),
    "functionBlock": ("json_extract(fl.value, '$.funcBlock')", (_REPAIR_FAILURE_JOIN,)),
    "referencedStep": (
        "COALESCE(st.step_name, json_extract(fl.value, '$.refStepName'))",
        (_REPAIR_FAILURE_JOIN, _REPAIR_STEP_JOIN),
    ),
    "referencedStepPath": ("st.step_path", (_REPAIR_FAILURE_JOIN, _REPAIR_STEP_JOIN)),
    "testOperation": ("tp.name", (_REPAIR_TEST_OPERATION_JOIN,)),
    "testStationName": ("t.station_name", (_REPAIR_TEST_JOIN,)),
    "testLocation": ("t.location", (_REPAIR_TEST_JOIN,)),
    "testPurpose": ("t.purpose", (_REPAIR_TEST_JOIN,)),
    "testOperator": ("t.user_name", (_REPAIR_TEST_JOIN,)),
    "testLevel": ("lv.name", (_PRODUCT_JOIN, _LEVEL_JOIN)),
}
REPAIR_KPIS = ("repairReportCount", "repairCount")


def _pct(part: int, whole: int) -> float | None:
    return None if not whole else round(100.0 * part / whole, 4)


def _ppm(part: int, whole: int) -> float | None:
    return None if not whole else round(1e6 * (whole - part) / whole, 1)


def _tokens(
    text: str, known_dims: Sequence[str], known_kpis: Sequence[str]
) -> list[tuple[str, bool]]:
    """[(name, descending)] from ``unitCount desc;partNumber;period``; 400 for unknown names."""
    result: list[tuple[str, bool]] = []
    lookup = {name.lower(): name for name in (*known_dims, *known_kpis)}
    for raw in text.split(";"):
        words = raw.split()
        if not words:
            continue
        name = lookup.get(words[0].lower())
        direction = words[1].lower() if len(words) > 1 else "asc"
        if name is None or len(words) > 2 or direction not in ("asc", "desc"):
            raise BadRequest(
                f"'{raw.strip()[:60]}' is not a supported dimension or kpi.", field="dimensions"
            )
        result.append((name, direction == "desc"))
    return result


def _group_cte(store: Storage, joins: Sequence[str]) -> tuple[str, list[Any]]:
    if _GROUP_JOIN not in joins:
        return "", []
    rows = product_group_rows(store)
    if not rows:
        return "WITH pgmap(gid, gname, pn, rev) AS (SELECT NULL, NULL, NULL, NULL WHERE 0) ", []
    values = ", ".join("(?, ?, ?, ?)" for _ in rows)
    params = [x for gid, name, pn, rev in rows for x in (gid, name, pn.lower(), rev)]
    return f"WITH pgmap(gid, gname, pn, rev) AS MATERIALIZED (VALUES {values}) ", params


def _sort(rows: list[dict[str, Any]], order: Sequence[tuple[str, bool]]) -> None:
    for name, descending in reversed(order):
        present = [row for row in rows if row.get(name) is not None]
        missing = [row for row in rows if row.get(name) is None]
        present.sort(key=lambda row: row[name], reverse=descending)
        rows[:] = present + missing


def _limits(rows: list[dict[str, Any]], flt: Filter) -> list[dict[str, Any]]:
    top = flt.int("topCount")
    return rows[:top] if top else rows


def _dimension_select(
    tokens: Sequence[tuple[str, bool]],
    dimensions: dict[str, tuple[str, tuple[str, ...]]],
    grouping: str | None,
    period_column: str = "r.start_utc",
) -> tuple[list[str], list[str], list[str]]:
    """(dimension names, their SQL, the joins they need) in the order asked."""
    names, exprs, joins = [], [], []
    for name, _ in tokens:
        if name == "period" or name == "testPeriod":
            if grouping is None or grouping == "none":
                raise BadRequest(
                    f"The dimension '{name}' needs a dateGrouping other than -1.",
                    field="dateGrouping",
                )
            column = "t.start_utc" if name == "testPeriod" else period_column
            exprs.append(period_sql(grouping, column))
            if name == "testPeriod":
                joins.append(_REPAIR_TEST_JOIN)
        elif name in dimensions:
            expr, needed = dimensions[name]
            exprs.append(expr)
            joins.extend(needed)
        else:
            continue
        names.append(name)
    unique_joins = list(dict.fromkeys(joins))
    return names, exprs, unique_joins


@functools.lru_cache(maxsize=4096)
def _yield_kpis(
    units: int, fp: int, sp: int, tp: int, lp: int, reports: int, passed: int, retests: int
) -> dict[str, Any]:
    """The KPIs of a group from its counts. Many groups share their counts (a day of one
    product: a few units, all passed), so each set is worked out once; read-only."""
    fpy: float | None
    spy: float | None
    tpy: float | None
    lpy: float | None
    ppm: tuple[float | None, ...]
    if units:
        # The same arithmetic as _pct and _ppm, inline.
        fpy, spy, tpy, lpy = (
            round(100.0 * fp / units, 4),
            round(100.0 * sp / units, 4),
            round(100.0 * tp / units, 4),
            round(100.0 * lp / units, 4),
        )
        ppm = (
            round(1e6 * (units - fp) / units, 1),
            round(1e6 * (units - sp) / units, 1),
            round(1e6 * (units - tp) / units, 1),
            round(1e6 * (units - lp) / units, 1),
        )
    else:
        fpy = spy = tpy = lpy = None
        ppm = (None, None, None, None)
    return {
        "unitCount": units, "fpCount": fp, "spCount": sp, "tpCount": tp,
        "lpCount": lp, "fpFailCount": units - fp, "spFailCount": units - sp,
        "tpFailCount": units - tp, "lpFailCount": units - lp, "fpy": fpy, "spy": spy,
        "tpy": tpy, "lpy": lpy, "ppmFpy": ppm[0], "ppmSpy": ppm[1], "ppmTpy": ppm[2],
        "ppmLpy": ppm[3], "testYieldCount": passed, "testReportCount": reports,
        "testYield": _pct(passed, reports), "ppmTestYield": _ppm(passed, reports),
        "retestCount": retests,
    }  # fmt: skip


def _yield_row(names: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
    """One answer row from a row of ``_YIELD_SQL`` (the dimensions first, by position: a
    sqlite3.Row looks names up one by one, and DynamicYield answers thousands of rows)."""
    n = len(names)
    dims: dict[str, Any] = {}
    for name, value in zip(names, row[:n], strict=True):
        dims[name] = value if value is None or type(value) is str else str(value)
    units, fp, sp, tp, lp, reports, passed, retests, first_utc, last_utc = row[n:]
    kpis = _yield_kpis(
        int(units or 0), int(fp or 0), int(sp or 0), int(tp or 0), int(lp or 0),
        int(reports or 0), int(passed or 0), int(retests or 0),
    )  # fmt: skip
    return {**dims, **kpis, "firstUtc": first_utc, "lastUtc": last_utc}


def dynamic_yield(
    store: Storage,
    flt: Filter,
    now: datetime,
    *,
    dimensions: str | None = None,
    default_days: int = 30,
    all_kpis: bool = False,
) -> list[dict[str, Any]]:
    """POST /api/App/DynamicYield: yield KPIs grouped by the dimensions asked."""
    text = dimensions or flt.text("dimensions") or DEFAULT_YIELD_DIMENSIONS
    if flt.empty and not dimensions:
        flt = Filter({"topCount": 10, "periodCount": 30, "dateGrouping": 4})
    tokens = _tokens(text, [*YIELD_DIMENSIONS, "period"], YIELD_KPIS)
    sync_index(store)  # analytics_run follows the report table
    grouping_code = flt.int("dateGrouping")
    grouping = DATE_GROUPING.get(grouping_code) if grouping_code is not None else None
    names, exprs, joins = _dimension_select(tokens, YIELD_DIMENSIONS, grouping)
    date_from, date_to = date_range(flt, now, default_days=default_days)
    where = _report_where(
        store, flt, report_type="T", date_from=date_from, date_to=date_to, use_status=False
    )
    cte, cte_params = _group_cte(store, joins)
    selects = "".join(f"{expr} AS d{i}, " for i, expr in enumerate(exprs))
    group_by = f" GROUP BY {', '.join(f'd{i}' for i in range(len(exprs)))}" if exprs else ""
    # The process (its name) only when a dimension shows it: a lookup per run otherwise.
    process_join = (
        "LEFT JOIN process p ON p.code = r.process_code " if "testOperation" in names else ""
    )
    sql = (
        f"{cte}SELECT {selects}{_YIELD_SQL} FROM analytics_run r "  # noqa: S608 - fixed pieces
        f"{process_join}{' '.join(joins)} "
        f"WHERE {where.sql()}{group_by}"
    )
    rows = [_yield_row(names, row) for row in store.query(sql, (*cte_params, *where.params))]
    rows = [row for row in rows if row["unitCount"] or row["testReportCount"]]
    minimum = flt.int("minCount")
    if minimum:
        rows = [row for row in rows if row["unitCount"] >= minimum]
    _sort(rows, tokens)
    rows = _limits(rows, flt)
    wanted = [name for name, _ in tokens if name in YIELD_KPIS]
    if wanted and not all_kpis:
        keep = set(names) | set(wanted)
        rows = [{key: value for key, value in row.items() if key in keep} for row in rows]
    return rows


def yield_list(
    store: Storage, flt: Filter, now: datetime, *, by: str, order: str
) -> list[dict[str, Any]]:
    """VolumeYield, HighVolume, WorstYield and their ...ByProductGroup variants."""
    dims = "productGroup" if by == "productGroup" else "partNumber;productName"
    if order == "volume":
        text = f"unitCount desc;{dims}"
    elif order == "worst":
        text = f"fpy asc;unitCount desc;{dims}"
    else:
        text = dims
    rows = dynamic_yield(store, flt, now, dimensions=text, all_kpis=True)
    if by == "productGroup":
        rows = [row for row in rows if row.get("productGroup") is not None]
    return rows


def _step_filter(store: Storage, flt: Filter, now: datetime, days: int) -> tuple[Where, str]:
    date_from, date_to = date_range(flt, now, default_days=days)
    where = _report_where(store, flt, report_type="T", date_from=date_from, date_to=date_to)
    run = flt.int("run") or 1
    if run in (1, 2, 3):
        where.add("r.run = ?", run)
    elif run == -1:
        where.add(
            "r.run = (SELECT MAX(l.run) FROM report l WHERE l.report_type = 'T' "
            "AND l.serial_number = r.serial_number AND l.part_number = r.part_number "
            "AND l.process_code IS r.process_code)"
        )
    return where, "JOIN report r ON r.uuid = s.report_uuid AND r.time_stamp = s.time_stamp"


def top_failed(
    store: Storage, flt: Filter, now: datetime, *, days: int = 30
) -> list[dict[str, Any]]:
    """The steps that caused failures: failing runs (not units) per part number and step."""
    sync_index(store)
    flt = Filter({"run": -2, **flt.values})
    where, _ = _step_filter(store, flt, now, days)
    # The failing steps first (few rows, a partial index), then the runs of the top ones.
    sql = (
        "SELECT r.part_number AS pn, s.step_path, MIN(s.step_name) AS step_name, "  # noqa: S608
        "MIN(s.step_type) AS step_type, MIN(s.step_group) AS step_group, "
        "MIN(r.revision) AS rev_min, MAX(r.revision) AS rev_max, "
        "COUNT(DISTINCT s.report_uuid) AS fails, "
        "MIN(r.start_utc) AS first_fail, MAX(r.start_utc) AS last_fail "
        "FROM analytics_step s JOIN report r ON r.uuid = s.report_uuid "
        "AND r.time_stamp = s.time_stamp "
        f"WHERE s.caused_failure = 1 AND s.meas_index IS NULL AND {where.sql()} "
        "GROUP BY r.part_number, s.step_path "
        "ORDER BY fails DESC, s.step_path, r.part_number LIMIT ?"
    )
    # The product's reports in the filter, then their steps (by report id).
    total_sql = (
        "SELECT COUNT(DISTINCT s.report_uuid) FROM report r CROSS JOIN analytics_step s "  # noqa: S608
        "ON s.report_uuid = r.uuid AND s.time_stamp = r.time_stamp "
        f"WHERE +s.step_path = ? AND s.meas_index IS NULL AND r.part_number = ? AND {where.sql()}"
    )
    top = flt.int("topCount") or 10
    groups: dict[str, list[str]] = {}
    for _, name, pn, _ in product_group_rows(store):
        groups.setdefault(pn.lower(), []).append(name)
    result = []
    for row in store.query(sql, (*where.params, top)):
        fails = int(row["fails"])
        total = int(store.scalar(total_sql, (row["step_path"], row["pn"], *where.params)) or 0)
        result.append(
            {
                "stepName": row["step_name"],
                "stepPath": row["step_path"],
                "stepType": row["step_type"],
                "stepGroup": row["step_group"],
                "partNumber": row["pn"],
                "revision": row["rev_min"] if row["rev_min"] == row["rev_max"] else None,
                "productGroup": ";".join(groups.get(row["pn"].lower(), [])) or None,
                "failCount": fails,
                "totalCount": total,
                "failRate": _pct(fails, total),
                "firstFailDate": header_time(row["first_fail"]),
                "lastFailDate": header_time(row["last_fail"]),
            }
        )
    return result


def _require_product_and_operation(flt: Filter) -> None:
    for key in ("partNumber", "testOperation"):
        if flt.text(key) is None:
            raise BadRequest(f"The filter field '{key}' is required.", field=key)


def _stats(n: int, total: float, squares: float) -> tuple[float | None, float | None]:
    """(sample variance, sample standard deviation) from sums."""
    if n < 2:
        return (0.0, 0.0) if n == 1 else (None, None)
    variance = max(0.0, (squares - total * total / n) / (n - 1))
    return variance, math.sqrt(variance)


def _capability(
    avg: float | None, stdev: float | None, low: float | None, high: float | None
) -> dict[str, float | None]:
    """Cp, Cpk and the one-sided indices from the limits (Cp needs both limits)."""
    if avg is None or not stdev:
        return {"cp": None, "cpk": None, "cpLower": None, "cpUpper": None}
    upper = None if high is None else (high - avg) / (3 * stdev)
    lower = None if low is None else (avg - low) / (3 * stdev)
    cp = None if high is None or low is None else (high - low) / (6 * stdev)
    sides = [x for x in (upper, lower) if x is not None]
    return {
        "cp": _round(cp),
        "cpk": _round(min(sides)) if sides else None,
        "cpLower": _round(lower),
        "cpUpper": _round(upper),
    }


def _round(value: float | None, digits: int = 6) -> float | None:
    return None if value is None else round(value, digits)


_MEAS_STATS = (
    "COUNT(s.value) AS n, SUM(s.value) AS total, SUM(s.value * s.value) AS squares, "
    "MIN(s.value) AS lo, MAX(s.value) AS hi, "
    "COUNT(CASE WHEN s.meas_status = 'P' THEN s.value END) AS n_wof, "
    "SUM(CASE WHEN s.meas_status = 'P' THEN s.value END) AS total_wof, "
    "SUM(CASE WHEN s.meas_status = 'P' THEN s.value * s.value END) AS squares_wof, "
    "MIN(CASE WHEN s.meas_status = 'P' THEN s.value END) AS lo_wof, "
    "MAX(CASE WHEN s.meas_status = 'P' THEN s.value END) AS hi_wof, "
    # The limits of the newest measurement: limits can change between sequence versions.
    "(SELECT s3.low FROM analytics_step s3 WHERE s3.meas_path = s.meas_path "
    "AND s3.meas_index IS NOT NULL ORDER BY s3.time_stamp DESC LIMIT 1) AS low, "
    "(SELECT s3.high FROM analytics_step s3 WHERE s3.meas_path = s.meas_path "
    "AND s3.meas_index IS NOT NULL ORDER BY s3.time_stamp DESC LIMIT 1) AS high, "
    "MIN(s.comp_op) AS comp_op, MIN(s.unit) AS unit, MIN(s.meas_name) AS meas_name"
)


def _measure_stats(row: Any, suffix: str = "") -> dict[str, Any]:
    n = int(row[f"n{suffix}"] or 0)
    total = float(row[f"total{suffix}"] or 0.0)
    variance, stdev = _stats(n, total, float(row[f"squares{suffix}"] or 0.0))
    avg = total / n if n else None
    return {
        "count": n,
        "min": row[f"lo{suffix}"],
        "max": row[f"hi{suffix}"],
        "avg": _round(avg, 9),
        "stdev": _round(stdev, 9),
        "var": _round(variance, 12),
        **_capability(avg, stdev, row["low"], row["high"]),
    }


def test_step_analysis(store: Storage, flt: Filter, now: datetime) -> list[dict[str, Any]]:
    """Counts by status, times, and measurement statistics with Cp/Cpk, per step path."""
    _require_product_and_operation(flt)
    sync_index(store)
    where, _ = _step_filter(store, flt, now, 30)
    limit = flt.int("maxCount") or MAX_MEASUREMENTS
    reports_sql = (
        f"SELECT r.uuid FROM report r WHERE {where.sql()} "  # noqa: S608
        "ORDER BY r.start_utc DESC LIMIT ?"
    )
    scope = f"s.report_uuid IN ({reports_sql})"
    params = (*where.params, limit)
    step_sql = (
        "SELECT s.step_path, MIN(s.step_name) AS step_name, MIN(s.step_type) AS step_type, "  # noqa: S608
        "MIN(s.step_group) AS step_group, COUNT(*) AS n, "
        "SUM(s.status = 'P') AS passed, SUM(s.status = 'D') AS done, "
        "SUM(s.status = 'S') AS skipped, SUM(s.status = 'F') AS failed, "
        "SUM(s.status = 'E') AS errors, SUM(s.status = 'T') AS terminated, "
        "SUM(s.caused_failure = 1 AND r.result = 'F') AS caused_failed, "
        "SUM(s.caused_failure = 1 AND r.result = 'E') AS caused_error, "
        "SUM(s.caused_failure = 1 AND r.result = 'T') AS caused_terminated, "
        "AVG(s.tot_time) AS t_avg, MAX(s.tot_time) AS t_max, MIN(s.tot_time) AS t_min, "
        "MIN(s.step_id) AS first_id "
        f"FROM analytics_step s JOIN report r ON r.uuid = s.report_uuid "
        f"WHERE s.meas_index IS NULL AND {scope} "
        "GROUP BY s.step_path ORDER BY first_id, s.step_path"
    )
    meas_sql = (
        f"SELECT s.step_path, s.meas_path, {_MEAS_STATS} FROM analytics_step s "  # noqa: S608
        f"WHERE s.meas_index IS NOT NULL AND {scope} GROUP BY s.step_path, s.meas_path"
    )
    measures: dict[str, list[Any]] = {}
    for row in store.query(meas_sql, params):
        measures.setdefault(row["step_path"], []).append(row)
    result = []
    for row in store.query(step_sql, params):
        counts = {
            "stepCount": int(row["n"]),
            "stepPassedCount": int(row["passed"] or 0),
            "stepDoneCount": int(row["done"] or 0),
            "stepSkippedCount": int(row["skipped"] or 0),
            "stepFailedCount": int(row["failed"] or 0),
            "stepErrorCount": int(row["errors"] or 0),
            "stepTerminatedCount": int(row["terminated"] or 0),
        }
        counts["stepOtherCount"] = counts["stepCount"] - sum(
            value for key, value in counts.items() if key != "stepCount"
        )
        counts["stepFailedErrorTerminatedCount"] = (
            counts["stepFailedCount"] + counts["stepErrorCount"] + counts["stepTerminatedCount"]
        )
        caused = [
            int(row[key] or 0) for key in ("caused_failed", "caused_error", "caused_terminated")
        ]
        base = {
            "stepName": row["step_name"],
            "stepPath": row["step_path"],
            "stepType": row["step_type"],
            "stepGroup": row["step_group"],
            **counts,
            "stepCausedUutFailed": caused[0],
            "stepCausedUutError": caused[1],
            "stepCausedUutTerminated": caused[2],
            "stepCausedUutFailedErrorTerminated": sum(caused),
            "stepTimeAvg": _round(row["t_avg"]),
            "stepTimeMax": row["t_max"],
            "stepTimeMin": row["t_min"],
        }
        found = measures.get(row["step_path"]) or [None]
        for meas in found:
            item = dict(base)
            if meas is not None:
                stats, wof = _measure_stats(meas), _measure_stats(meas, "_wof")
                item.update(
                    measureName=meas["meas_name"],
                    measurePath=meas["meas_path"],
                    measureCount=stats["count"],
                    measureCountWof=wof["count"],
                    limit1=meas["low"],
                    limit2=meas["high"],
                    limit1Wof=meas["low"],
                    limit2Wof=meas["high"],
                    compOperator=meas["comp_op"],
                    unit=meas["unit"],
                )
                for key in ("min", "max", "avg", "stdev", "var", "cp", "cpk", "cpLower", "cpUpper"):
                    item[key] = stats[key]
                    item[f"{key}Wof"] = wof[key]
                if stats["avg"] is not None and stats["stdev"] is not None:
                    item["sigmaHigh3"] = _round(stats["avg"] + 3 * stats["stdev"], 9)
                    item["sigmaLow3"] = _round(stats["avg"] - 3 * stats["stdev"], 9)
                if wof["avg"] is not None and wof["stdev"] is not None:
                    item["sigmaHigh3Wof"] = _round(wof["avg"] + 3 * wof["stdev"], 9)
                    item["sigmaLow3Wof"] = _round(wof["avg"] - 3 * wof["stdev"], 9)
            result.append(item)
    return result


def _paths(text: str | None) -> list[str]:
    return [path.strip() for path in (text or "").split(";") if path.strip()]


def _default_paths(store: Storage, flt: Filter, now: datetime) -> list[str]:
    """An empty filter: the most failed steps of the last seven days."""
    rows = top_failed(store, Filter({"dateFrom": now - timedelta(days=7), "topCount": 5}), now)
    return list(dict.fromkeys(row["stepPath"] for row in rows))


def measurements(
    store: Storage, flt: Filter, now: datetime, paths_text: str | None
) -> list[dict[str, Any]]:
    """Numeric measurements by path, newest first, grouped per path (10,000 at most)."""
    paths = _paths(paths_text or flt.text("measurementPaths"))
    if flt.empty:
        paths = paths or _default_paths(store, flt, now)
        flt = Filter({"dateFrom": now - timedelta(days=7)})
    else:
        _require_product_and_operation(flt)
    sync_index(store)
    where, join = _step_filter(store, Filter({"run": -2, **flt.values}), now, 30)
    limit = min(flt.int("maxCount") or MAX_MEASUREMENTS, MAX_MEASUREMENTS)
    groups = []
    for path in paths:
        sql = (
            "SELECT r.uuid, r.serial_number, r.part_number, r.revision, r.start_utc, "  # noqa: S608
            "r.station_name, s.step_name, s.step_path, s.meas_name, s.value, s.low, s.high, "
            "s.unit, s.meas_status, s.comp_op "
            f"FROM analytics_step s {join} WHERE s.meas_index IS NOT NULL AND s.meas_path = ? "
            f"AND {where.sql()} ORDER BY r.start_utc DESC LIMIT ?"
        )
        items = [
            {
                "id": row["uuid"],
                "serialNumber": row["serial_number"],
                "partNumber": row["part_number"],
                "revision": row["revision"],
                "stepName": row["step_name"],
                "stepPath": row["step_path"],
                "measureName": row["meas_name"],
                "value": row["value"],
                "limit1": row["low"],
                "limit2": row["high"],
                "compOperator": row["comp_op"],
                "unit": row["unit"],
                "status": _STATUS_WORDS.get(row["meas_status"], row["meas_status"]),
                "stationName": row["station_name"],
                "startUtc": header_time(row["start_utc"]),
            }
            for row in store.query(sql, (path, *where.params, limit))
        ]
        groups.append({"measurementPath": path, "measurements": items})
    return groups


def aggregated_measurements(
    store: Storage, flt: Filter, now: datetime, paths_text: str | None
) -> list[dict[str, Any]]:
    """count, min, max, avg, stdev, var and Cp/Cpk per measurement path."""
    paths = _paths(paths_text or flt.text("measurementPaths"))
    if flt.empty:
        paths = paths or _default_paths(store, flt, now)
        flt = Filter({"dateFrom": now - timedelta(days=7)})
    else:
        _require_product_and_operation(flt)
    sync_index(store)
    where, join = _step_filter(store, Filter({"run": -2, **flt.values}), now, 30)
    result = []
    for path in paths:
        sql = (
            f"SELECT s.meas_path, MIN(s.step_name) AS step_name, MIN(s.step_path) AS step_path, "  # noqa: S608
            f"MIN(r.part_number) AS pn, MIN(r.revision) AS rev, {_MEAS_STATS} "
            f"FROM analytics_step s {join} WHERE s.meas_index IS NOT NULL AND s.meas_path = ? "
            f"AND {where.sql()} GROUP BY s.meas_path"
        )
        for row in store.query(sql, (path, *where.params)):
            if not row["n"]:
                continue
            stats = _measure_stats(row)
            result.append(
                {
                    "measurementPath": path,
                    "stepName": row["step_name"],
                    "stepPath": row["step_path"],
                    "measureName": row["meas_name"],
                    "partNumber": row["pn"],
                    "revision": row["rev"],
                    **stats,
                    "limit1": row["low"],
                    "limit2": row["high"],
                    "unit": row["unit"],
                }
            )
    return result


_STATUS_WORDS = {"P": "Passed", "F": "Failed", "E": "Error", "T": "Terminated", "D": "Done",
                 "S": "Skipped"}  # fmt: skip
WEEKDAYS = 7


def oee(
    store: Storage,
    flt: Filter,
    now: datetime,
    *,
    available_hours: Sequence[float],
    min_execution: int | None,
    max_execution: int | None,
    target_output: int | None,
) -> dict[str, Any]:
    """OEE = availability x performance x quality, from reports and the hours available.

    Planned time: the available hours of each weekday (Monday first) over the date range
    (default: the last 7 days). Run time: the reports' execution times. Performance: the
    ideal cycle time (a day's available time over ``targetOutput``, else the fastest passing
    run) times the count, over the run time. Quality: passed reports over all reports.
    """
    date_from, date_to = date_range(flt, now, default_days=7)
    end = date_to or now
    start = date_from or end - timedelta(days=7)
    where = _report_where(store, flt, report_type="T", date_from=start, date_to=end)
    if min_execution is not None:
        where.add("r.execution_time >= ?", min_execution)
    if max_execution is not None:
        where.add("r.execution_time <= ?", max_execution)
    row = store.query_one(
        "SELECT COUNT(*) AS total, SUM(r.result = 'P') AS good, "  # noqa: S608
        "SUM(COALESCE(r.execution_time, 0)) AS run_time, "
        "MIN(CASE WHEN r.result = 'P' THEN r.execution_time END) AS fastest "
        f"FROM report r LEFT JOIN process p ON p.code = r.process_code WHERE {where.sql()}",
        tuple(where.params),
    )
    planned = 0.0
    moment = start
    while moment < end:
        step_end = min(
            end, (moment + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        )
        share = (step_end - moment).total_seconds() / 86400
        planned += available_hours[moment.weekday()] * 3600 * share
        moment = step_end
    total = int(row["total"] or 0) if row else 0
    good = int(row["good"] or 0) if row else 0
    run_time = float(row["run_time"] or 0.0) if row else 0.0
    days = max((end - start).total_seconds() / 86400, 1e-9)
    if target_output:
        ideal = planned / days / target_output if planned else None
    else:
        ideal = float(row["fastest"]) if row and row["fastest"] is not None else None
    availability = min(100.0, 100.0 * run_time / planned) if planned else None
    performance = min(100.0, 100.0 * ideal * total / run_time) if ideal and run_time else None
    quality = _pct(good, total)
    value = (
        availability * performance * quality / 10_000
        if availability is not None and performance is not None and quality is not None
        else None
    )
    return {
        "oee": _round(value, 4),
        "availability": _round(availability, 4),
        "performance": _round(performance, 4),
        "quality": quality,
        "totalTime": _round(planned, 3),
        "plannedProductionTime": _round(planned, 3),
        "runTime": _round(run_time, 3),
        "downTime": _round(max(0.0, planned - run_time), 3),
        "totalCount": total,
        "goodCount": good,
        "rejectCount": total - good,
        "idealCycleTime": _round(ideal, 4),
        "actualCycleTime": _round(run_time / total, 4) if total else None,
        "partNumber": flt.text("partNumber"),
        "stationName": flt.text("stationName"),
        "dateFrom": header_time(_utc(start)),
        "dateTo": header_time(_utc(end)),
    }


def _utc(moment: datetime) -> str:
    from ..report.timefmt import utc_text

    return utc_text(moment.isoformat())


def report_headers(
    store: Storage, flt: Filter, now: datetime, *, report_type: str | None
) -> list[dict[str, Any]]:
    """UutReport / UurReport / SerialNumberHistory: headers, newest first (1000 by default)."""
    date_from, date_to = flt.date("dateFrom"), flt.date("dateTo")
    wheres = []
    params: list[Any] = []
    for kind in ("T", "R") if report_type is None else (report_type,):
        where = _report_where(store, flt, report_type=kind, date_from=date_from, date_to=date_to)
        wheres.append(f"({where.sql()})")
        params.extend(where.params)
    top = flt.int("topCount") or DEFAULT_REPORTS
    order = "r.start_utc ASC" if report_type is None else "r.start_utc DESC"
    sql = f"{base_sql(store)} WHERE {' OR '.join(wheres)} ORDER BY {order}, r.time_stamp LIMIT ?"
    return [header_json(row) for row in store.query(sql, (*params, top))]


def serial_number_history(store: Storage, flt: Filter, now: datetime) -> list[dict[str, Any]]:
    return report_headers(store, flt, now, report_type=None)


def dynamic_repair(
    store: Storage, flt: Filter, now: datetime, *, dimensions: str | None = None
) -> list[dict[str, Any]]:
    """Repair reports and repairs (failures found) grouped by the dimensions asked."""
    text = dimensions or flt.text("dimensions") or DEFAULT_REPAIR_DIMENSIONS
    if flt.empty and not dimensions:
        flt = Filter({"topCount": 10, "periodCount": 30, "dateGrouping": 4})
    tokens = _tokens(text, [*REPAIR_DIMENSIONS, "period", "testPeriod"], REPAIR_KPIS)
    grouping_code = flt.int("dateGrouping")
    grouping = DATE_GROUPING.get(grouping_code) if grouping_code is not None else None
    names, exprs, joins = _dimension_select(tokens, REPAIR_DIMENSIONS, grouping)
    sync_index(store)
    joins = list(dict.fromkeys([_REPAIR_FAILURE_JOIN, *joins]))
    date_from, date_to = date_range(flt, now, default_days=30)
    where = _report_where(store, flt, report_type="R", date_from=date_from, date_to=date_to)
    cte, cte_params = _group_cte(store, joins)
    selects = "".join(f"{expr} AS d{i}, " for i, expr in enumerate(exprs))
    group_by = f" GROUP BY {', '.join(f'd{i}' for i in range(len(exprs)))}" if exprs else ""
    sql = (
        f"{cte}SELECT {selects}COUNT(DISTINCT r.uuid) AS reports, "  # noqa: S608
        "COUNT(fl.value) AS repairs FROM report r "
        f"LEFT JOIN process p ON p.code = r.process_code {' '.join(joins)} "
        f"WHERE {where.sql()}{group_by}"
    )
    rows = []
    for row in store.query(sql, (*cte_params, *where.params)):
        if not row["reports"]:
            continue
        data: dict[str, Any] = {
            name: (None if row[f"d{i}"] is None else str(row[f"d{i}"]))
            for i, name in enumerate(names)
        }
        data["repairReportCount"] = int(row["reports"])
        data["repairCount"] = int(row["repairs"])
        rows.append(data)
    _sort(rows, tokens)
    return _limits(rows, flt)


def related_repair_history(
    store: Storage,
    part_number: str,
    revision: str,
    *,
    repair_operation: int | None,
    test_operation: int | None,
) -> list[dict[str, Any]]:
    """Every failure repaired on units of this part number and revision, newest first."""
    sync_index(store)
    where = ["r.report_type = 'R'", "r.part_number = ? COLLATE NOCASE",
             "r.revision = ? COLLATE NOCASE"]  # fmt: skip
    params: list[Any] = [part_number, revision]
    if repair_operation is not None:
        where.append("r.process_code = ?")
        params.append(repair_operation)
    if test_operation is not None:
        where.append("json_extract(r.body, '$.uur.processCode') = ?")
        params.append(test_operation)
    sql = (
        "SELECT r.uuid, r.serial_number, r.part_number, r.revision, r.start_utc, "  # noqa: S608
        "json_extract(r.body, '$.uur.comment') AS action, fl.value AS failure, "
        "st.step_name, st.step_path "
        f"FROM report r {_REPAIR_FAILURE_JOIN} {_REPAIR_STEP_JOIN} "
        f"WHERE {' AND '.join(where)} AND fl.value IS NOT NULL ORDER BY r.start_utc DESC"
    )
    import json

    result = []
    for row in store.query(sql, tuple(params)):
        failure = json.loads(row["failure"]) if row["failure"] else {}
        result.append(
            {
                "serialNumber": row["serial_number"],
                "partNumber": row["part_number"],
                "revision": row["revision"],
                "reportId": row["uuid"],
                "repairDate": header_time(row["start_utc"]),
                "failStepName": row["step_name"] or failure.get("refStepName"),
                "failStepPath": row["step_path"],
                "failCode": failure.get("code"),
                "repairCode": failure.get("category"),
                "symptom": failure.get("comment"),
                "cause": failure.get("code"),
                "action": row["action"],
                "componentRef": failure.get("comRef"),
            }
        )
    return result
