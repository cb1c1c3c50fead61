"""The Report domain: WSJF submit and fetch, header queries, attachments, seeded test history.

Tables: ``report`` (one row per report, the body as posted plus header columns named after
the OData ReportHeader fields), ``report_misc_info`` and ``report_attachment``.
"""

from __future__ import annotations

from ...plugin import Domain
from .routes import ROUTES
from .seed import seed_reports
from .store import SCHEMA

DOMAIN = Domain(
    name="report",
    routes=ROUTES,
    schema=SCHEMA,
    seed=seed_reports,
    # Process names for headers and exports; units and their test runs to report on.
    requires=("process", "production"),
)
