"""Handlers of the /api/App analytics routes: parameters in, computed rows out.

GET variants take what the spec requires (``days``, ``productGroupId``, ``levelId``; TopFailed
also ``partNumber``, ``processCode`` and ``count``), an empty value meaning "any"; POST
variants take a WATS filter body. ``dimensions`` and ``measurementPaths`` may come in the
query string (the spec) or in the body.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ...errors import BadRequest
from ...params import json_body, query_int, query_str
from ...state import get_state, get_store
from ..asset import records
from . import compute
from .filters import Filter, parse_filter

__all__ = ["ROUTES"]


def _now(request: Request) -> datetime:
    """The emulator's "now": seeded data counts back from the anchor (see asset records)."""
    return records.now_for(get_state(request).config.anchor)


async def _filter(request: Request) -> Filter:
    raw = await request.body()
    if not raw.strip():
        return Filter()
    return parse_filter(await json_body(request))


def _get_filter(request: Request, *, days_required: bool = True) -> Filter:
    """The GET variants' query: days, productGroupId, levelId (and report-list fields)."""
    values: dict[str, Any] = {}
    days = query_int(request, "days", required=days_required, bits=32)
    if days is not None:
        if days < 0:
            raise BadRequest("The query parameter 'days' must not be negative.", field="days")
        values["dateFrom"] = _now(request) - timedelta(days=days)
    for name, key in (("productGroupId", "productGroup"), ("levelId", "level")):
        value = query_str(request, name, required=days_required)
        if value:
            values[key] = value
    return Filter(values)


class _Rows(JSONResponse):
    """Starlette's JSONResponse, byte for byte, from one encoder without its circular-reference
    check: yield answers run to thousands of rows of thirty fields, all plain values."""

    _encoder = json.JSONEncoder(
        ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"),
        check_circular=False,
    )  # fmt: skip

    def render(self, content: Any) -> bytes:
        return self._encoder.encode(content).encode("utf-8")


def _json(data: Any) -> JSONResponse:
    return _Rows(data)


async def dynamic_yield(request: Request) -> JSONResponse:
    flt = await _filter(request)
    rows = compute.dynamic_yield(
        get_store(request), flt, _now(request), dimensions=query_str(request, "dimensions")
    )
    return _json(rows)


async def dynamic_repair(request: Request) -> JSONResponse:
    flt = await _filter(request)
    rows = compute.dynamic_repair(
        get_store(request), flt, _now(request), dimensions=query_str(request, "dimensions")
    )
    return _json(rows)


def _yield_list(by: str, order: str) -> Callable[[Request], Awaitable[JSONResponse]]:
    async def handler(request: Request) -> JSONResponse:
        if request.method == "GET":
            flt = _get_filter(request)
        else:
            flt = await _filter(request)
        return _json(compute.yield_list(get_store(request), flt, _now(request), by=by, order=order))

    return handler


async def top_failed(request: Request) -> JSONResponse:
    if request.method == "GET":
        flt = _get_filter(request)
        values = dict(flt.values)
        part = query_str(request, "partNumber", required=True)
        process = query_str(request, "processCode", required=True)
        count = query_int(request, "count", required=True, bits=32)
        if part:
            values["partNumber"] = part
        if process:
            values["testOperation"] = process
        if count is not None:
            if count < 1:
                raise BadRequest("The query parameter 'count' must be at least 1.", field="count")
            values["topCount"] = count
        flt = Filter(values)
    else:
        flt = await _filter(request)
    return _json(compute.top_failed(get_store(request), flt, _now(request)))


async def test_step_analysis(request: Request) -> JSONResponse:
    flt = await _filter(request)
    return _json(compute.test_step_analysis(get_store(request), flt, _now(request)))


async def measurements(request: Request) -> JSONResponse:
    flt = await _filter(request)
    paths = query_str(request, "measurementPaths")
    return _json(compute.measurements(get_store(request), flt, _now(request), paths))


async def aggregated_measurements(request: Request) -> JSONResponse:
    flt = await _filter(request)
    paths = query_str(request, "measurementPaths")
    return _json(compute.aggregated_measurements(get_store(request), flt, _now(request), paths))


def _available_hours(text: str) -> list[float]:
    parts = [part.strip() for part in text.split(",")]
    try:
        hours = [float(part) for part in parts]
    except ValueError:
        hours = []
    if len(hours) != 7 or any(not 0 <= hour <= 24 for hour in hours):
        raise BadRequest(
            "The query parameter 'availableTime' must list the available hours of each weekday, "
            "Monday first, 0-24: e.g. 24,24,24,24,24,24,24.",
            field="availableTime",
        )
    return hours


async def oee_analysis(request: Request) -> JSONResponse:
    hours = _available_hours(query_str(request, "availableTime", required=True) or "")
    for name in ("minConnectionTime", "maxConnectionTime"):
        query_int(request, name, bits=32)  # checked; the emulator records no connection time
    flt = await _filter(request)
    result = compute.oee(
        get_store(request),
        flt,
        _now(request),
        available_hours=hours,
        min_execution=query_int(request, "minExecutionTime", bits=32),
        max_execution=query_int(request, "maxExecutionTime", bits=32),
        target_output=query_int(request, "targetOutput", bits=32),
    )
    return _json(result)


async def serial_number_history(request: Request) -> JSONResponse:
    flt = await _filter(request)
    return _json(compute.serial_number_history(get_store(request), flt, _now(request)))


_UUT_QUERY = (
    "serialNumber", "partNumber", "revision", "batchNumber", "stationName", "testOperation",
    "status", "dateFrom", "dateTo",
)  # fmt: skip


async def uut_report(request: Request) -> JSONResponse:
    if request.method == "GET":
        body: dict[str, Any] = {}
        for name in _UUT_QUERY:
            value = query_str(request, name)
            if value:
                body[name] = value
        for name, key in (("productGroupId", "productGroup"), ("levelId", "level")):
            value = query_str(request, name)
            if value:
                body[key] = value
        flt = parse_filter(body)
    else:
        flt = await _filter(request)
    return _json(compute.report_headers(get_store(request), flt, _now(request), report_type="T"))


async def uur_report(request: Request) -> JSONResponse:
    flt = await _filter(request)
    return _json(compute.report_headers(get_store(request), flt, _now(request), report_type="R"))


async def related_repair_history(request: Request) -> JSONResponse:
    part = query_str(request, "partNumber", required=True) or ""
    revision = query_str(request, "revision", required=True) or ""
    return _json(
        compute.related_repair_history(
            get_store(request),
            part,
            revision,
            repair_operation=query_int(request, "repairOperationCode", bits=32),
            test_operation=query_int(request, "testOperationCode", bits=32),
        )
    )


ROUTES = [
    Route("/api/App/DynamicYield", dynamic_yield, methods=["POST"]),
    Route("/api/App/DynamicRepair", dynamic_repair, methods=["POST"]),
    Route("/api/App/VolumeYield", _yield_list("partNumber", "name"), methods=["GET", "POST"]),
    Route("/api/App/HighVolume", _yield_list("partNumber", "volume"), methods=["GET", "POST"]),
    Route("/api/App/WorstYield", _yield_list("partNumber", "worst"), methods=["GET", "POST"]),
    Route(
        "/api/App/HighVolumeByProductGroup",
        _yield_list("productGroup", "volume"),
        methods=["POST"],
    ),
    Route(
        "/api/App/WorstYieldByProductGroup",
        _yield_list("productGroup", "worst"),
        methods=["POST"],
    ),
    Route("/api/App/TopFailed", top_failed, methods=["GET", "POST"]),
    Route("/api/App/TestStepAnalysis", test_step_analysis, methods=["POST"]),
    Route("/api/App/Measurements", measurements, methods=["POST"]),
    Route("/api/App/AggregatedMeasurements", aggregated_measurements, methods=["POST"]),
    Route("/api/App/OeeAnalysis", oee_analysis, methods=["POST"]),
    Route("/api/App/SerialNumberHistory", serial_number_history, methods=["POST"]),
    Route("/api/App/UutReport", uut_report, methods=["GET", "POST"]),
    Route("/api/App/UurReport", uur_report, methods=["POST"]),
    Route("/api/App/RelatedRepairHistory", related_repair_history, methods=["GET"]),
]
