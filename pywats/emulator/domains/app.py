"""Server metadata under /api/App: version, processes, levels and product groups."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..params import query_bool
from ..plugin import Domain, SeedContext
from ..state import get_state, get_store
from .process import ACTIVE, all_processes, public_json

SCHEMA = """
CREATE TABLE IF NOT EXISTS level (
    level_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS product_group (
    product_group_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    is_public INTEGER NOT NULL DEFAULT 1,
    filter TEXT NOT NULL DEFAULT ''  -- OData filter on products that defines membership
);
"""

_LEVELS = ("PCBA", "Module", "Box build", "System")
_FACTORY_LEVELS = ("Field service",)

# (name, part-number prefix); product domains can use the prefixes for their part numbers.
PRODUCT_GROUPS: tuple[tuple[str, str], ...] = (
    ("Power supplies", "PSU-"),
    ("Controllers", "CTL-"),
    ("Sensors", "SEN-"),
    ("Communication", "COM-"),
    ("Test fixtures", "FIX-"),
)


def seed(ctx: SeedContext) -> None:
    levels = _LEVELS + (_FACTORY_LEVELS if ctx.size == "factory" else ())
    ctx.store.executemany(
        "INSERT INTO level (level_id, name) VALUES (?, ?)",
        [(index, name) for index, name in enumerate(levels, start=1)],
    )
    ctx.store.executemany(
        "INSERT INTO product_group (product_group_id, name, description, filter) "
        "VALUES (?, ?, ?, ?)",
        [
            (
                index,
                name,
                f"Products with part numbers {prefix}*",
                f"startswith(partNumber,'{prefix}')",
            )
            for index, (name, prefix) in enumerate(PRODUCT_GROUPS, start=1)
        ],
    )


async def version(request: Request) -> JSONResponse:
    return JSONResponse(get_state(request).config.server_version)


async def processes(request: Request) -> JSONResponse:
    # Defaults as on the server: every type included, inactive processes left out.
    include_test = query_bool(request, "includeTestOperations", True)
    include_repair = query_bool(request, "includeRepairOperations", True)
    include_wip = query_bool(request, "includeWipOperations", True)
    include_inactive = query_bool(request, "includeInactiveProcesses", False)
    result: list[dict[str, Any]] = []
    for row in all_processes(get_store(request)):
        if row["state"] != ACTIVE and not include_inactive:
            continue
        kinds = (
            (row["is_test"], include_test),
            (row["is_repair"], include_repair),
            (row["is_wip"], include_wip),
        )
        typed = any(flag for flag, _ in kinds)
        # A process of none of the types is not filtered by the type flags.
        if typed and not any(flag and wanted for flag, wanted in kinds):
            continue
        result.append(public_json(row))
    return JSONResponse(result)


async def levels(request: Request) -> JSONResponse:
    rows = get_store(request).query("SELECT level_id, name FROM level ORDER BY level_id")
    return JSONResponse([{"levelId": row["level_id"], "levelName": row["name"]} for row in rows])


async def product_groups(request: Request) -> JSONResponse:
    include_filters = query_bool(request, "includeFilters", False)
    rows = get_store(request).query(
        "SELECT product_group_id, name, filter FROM product_group ORDER BY product_group_id"
    )
    result = []
    for row in rows:
        item: dict[str, Any] = {
            "productGroupId": row["product_group_id"],
            "productGroupName": row["name"],
        }
        if include_filters:
            item["filter"] = row["filter"]
        result.append(item)
    return JSONResponse(result)


DOMAIN = Domain(
    name="app",
    schema=SCHEMA,
    seed=seed,
    requires=("process",),
    routes=[
        Route("/api/App/Version", version, methods=["GET"]),
        Route("/api/App/Processes", processes, methods=["GET"]),
        Route("/api/App/Levels", levels, methods=["GET"]),
        Route("/api/App/ProductGroups", product_groups, methods=["GET"]),
    ],
)
