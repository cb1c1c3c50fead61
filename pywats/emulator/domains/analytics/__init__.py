"""The analytics domain: the /api/App yield, failure, measurement, OEE and report-list queries.

Every answer is computed in SQL from the report domain's tables (seeded and submitted reports
alike; see ``compute`` for the yield definitions, 0-100 percentages). Step-level statistics
read ``analytics_step``, an index of the steps inside the stored WSJF bodies that follows the
report table (``steps``). The version, process, level and product-group routes under
/api/App stay in the app domain.
"""

from __future__ import annotations

from ...plugin import Domain, SeedContext
from .routes import ROUTES
from .steps import SCHEMA, sync_index


def seed(ctx: SeedContext) -> None:
    # Index the seeded reports now, so the first query (or a cached demo database) is quick.
    sync_index(ctx.store)


DOMAIN = Domain(
    name="analytics",
    routes=ROUTES,
    schema=SCHEMA,
    seed=seed,
    requires=("report", "app", "product", "process"),
)
