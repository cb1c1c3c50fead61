"""The /api/Report endpoints: submit, fetch, query headers, attachments."""

from __future__ import annotations

import io
import zipfile

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ...errors import BadRequest, NotFound
from ...params import decode_json, path_uuid, query_bool, query_int, query_uuid
from ...state import get_store
from .certificate import render_certificate
from .export import ExportContext, export_report
from .headers import headers_by_misc_info, query_headers
from .store import API_ORIGIN, load_body, save_report
from .validate import validate_report
from .wsxf import wsjf_to_wsxf, wsxf_to_wsjf


async def post_wsjf(request: Request) -> JSONResponse:
    raw = await request.body()
    if not raw.strip():
        raise BadRequest("The request body is required: one WSJF report object.", field="body")
    report = decode_json(raw)
    problems = validate_report(report)
    if problems:
        raise BadRequest("\n".join(problems), field=problems[0].split(":", 1)[0])
    stored = save_report(get_store(request), report, origin=API_ORIGIN)
    return JSONResponse(
        {"ID": stored.report_id, "uuid": stored.report_id, "Report_ID": stored.report_int_id}
    )


async def get_wsjf(request: Request) -> JSONResponse:
    report_id = path_uuid(request, "id")
    detail = query_int(request, "detailLevel")
    if detail is not None and not 0 <= detail <= 7:
        raise BadRequest(f"detailLevel must be 0 to 7, not {detail}.", field="detailLevel")
    store = get_store(request)
    body = load_body(store, report_id)
    if body is None:
        raise NotFound(f"No report with id {report_id}.")
    exported = export_report(
        body,
        ExportContext(store),
        detail_level=7 if detail is None else detail,
        include_charts=query_bool(request, "includeChartdata", True),
        include_attachments=query_bool(request, "includeAttachments", True),
    )
    return JSONResponse(exported)


def _store_posted(request: Request, report: dict[str, object]) -> JSONResponse:
    problems = validate_report(report)
    if problems:
        raise BadRequest("\n".join(problems), field=problems[0].split(":", 1)[0])
    stored = save_report(get_store(request), report, origin=API_ORIGIN)
    return JSONResponse(
        {"ID": stored.report_id, "uuid": stored.report_id, "Report_ID": stored.report_int_id}
    )


async def post_wsxf(request: Request) -> JSONResponse:
    raw = await request.body()
    if not raw.strip():
        raise BadRequest("The request body is required: one WSXF report.", field="body")
    return _store_posted(request, wsxf_to_wsjf(raw))


def _exported(request: Request, report_id: str, *, detail: int | None = None) -> dict[str, object]:
    store = get_store(request)
    body = load_body(store, report_id)
    if body is None:
        raise NotFound(f"No report with id {report_id}.")
    return export_report(
        body,
        ExportContext(store),
        detail_level=7 if detail is None else detail,
        include_charts=query_bool(request, "includeChartdata", True),
        include_attachments=query_bool(request, "includeAttachments", True),
    )


async def get_wsxf(request: Request) -> Response:
    report_id = path_uuid(request, "id")
    detail = query_int(request, "detailLevel")
    if detail is not None and not 0 <= detail <= 7:
        raise BadRequest(f"detailLevel must be 0 to 7, not {detail}.", field="detailLevel")
    query_bool(request, "includeIndexes", True)  # accepted; the layout has no index table
    exported = _exported(request, report_id, detail=detail)
    if exported.get("type") != "T":
        raise BadRequest(
            f"Report {report_id} is a repair report; WSXF export is for test reports.",
            field="id",
        )
    return Response(wsjf_to_wsxf(exported).encode("utf-8"), media_type="application/xml")


async def get_certificate(request: Request) -> Response:
    report_id = path_uuid(request, "id")
    exported = _exported(request, report_id)
    return Response(
        render_certificate(exported),
        media_type="text/html; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="certificate-{report_id}.html"'},
    )


async def header_query(request: Request) -> JSONResponse:
    return JSONResponse(query_headers(request, get_store(request)))


async def header_by_misc_info(request: Request) -> JSONResponse:
    return JSONResponse(headers_by_misc_info(request, get_store(request)))


def _require_report(request: Request, report_id: str) -> None:
    found = get_store(request).scalar("SELECT 1 FROM report WHERE uuid = ?", (report_id,))
    if not found:
        raise NotFound(f"No report with id {report_id}.")


async def get_attachment(request: Request) -> Response:
    report_id = query_uuid(request, "reportId", required=True)
    assert report_id is not None
    attachment_id = query_uuid(request, "attachmentId")
    step_id = query_int(request, "stepId")
    if attachment_id is None and step_id is None:
        raise BadRequest(
            "Give attachmentId (repair reports) or stepId (test reports).", field="attachmentId"
        )
    _require_report(request, report_id)
    if attachment_id is not None:
        row = get_store(request).query_one(
            "SELECT name, content_type, data FROM report_attachment "
            "WHERE report_uuid = ? AND lower(attachment_id) = ?",
            (report_id, attachment_id),
        )
    else:
        row = get_store(request).query_one(
            "SELECT name, content_type, data FROM report_attachment "
            "WHERE report_uuid = ? AND step_id = ?",
            (report_id, step_id),
        )
    if row is None:
        what = (
            f"attachment {attachment_id}" if attachment_id else f"an attachment on step {step_id}"
        )
        raise NotFound(f"Report {report_id} has no {what}.")
    return Response(
        bytes(row["data"]),
        media_type=row["content_type"] or "application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{row["name"]}"'},
    )


async def get_attachments_zip(request: Request) -> Response:
    report_id = path_uuid(request, "id")
    _require_report(request, report_id)
    rows = get_store(request).query(
        "SELECT step_id, name, data FROM report_attachment WHERE report_uuid = ? ORDER BY rowid",
        (report_id,),
    )
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in rows:
            name = str(row["name"])
            if name in used:  # two steps may attach files with the same name
                name = f"{row['step_id'] or len(used)}_{name}"
            used.add(name)
            archive.writestr(name, bytes(row["data"]))
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{report_id}.zip"'},
    )


ROUTES = [
    Route("/api/Report/WSJF", post_wsjf, methods=["POST"]),
    Route("/api/Report/Wsjf/{id}", get_wsjf, methods=["GET"]),
    Route("/api/Report/WSXF", post_wsxf, methods=["POST"]),
    Route("/api/Report/Wsxf/{id}", get_wsxf, methods=["GET"]),
    Route("/api/Report/Certificate/{id}", get_certificate, methods=["GET"]),
    Route("/api/Report/Query/Header", header_query, methods=["GET"]),
    Route("/api/Report/Query/HeaderByMiscInfo", header_by_misc_info, methods=["GET"]),
    Route("/api/Report/Attachment", get_attachment, methods=["GET"]),
    Route("/api/Report/Attachments/{id}", get_attachments_zip, methods=["GET"]),
]
