"""Assets: fixtures and instruments with usage limits, calibration and maintenance.

Serves the public /api/Asset operations (list, get by id or serial number, create or update,
delete, status with the computed alarm state, state, counts, running-count reset, calibration,
maintenance, log and messages, types, sub-assets) and the internal asset files under
/api/internal/Blob. Test reports add usage through :func:`usage.count_report_usage`, which
the report store calls.
"""

from __future__ import annotations

from starlette.routing import Route

from ...plugin import Domain
from . import files, routes
from .schema import SCHEMA
from .seed import seed

_A = "/api/Asset"
_BLOB = "/api/internal/Blob"

DOMAIN = Domain(
    name="asset",
    schema=SCHEMA,
    seed=seed,
    # The seeded fleet is used by the seeded test reports: their counts come from them.
    requires=("report",),
    routes=[
        # Literal paths first: /api/Asset/{assetId} would otherwise swallow them.
        Route(f"{_A}/Status", routes.get_status, methods=["GET"]),
        Route(f"{_A}/State", routes.put_state, methods=["PUT"]),
        Route(f"{_A}/Count", routes.put_count, methods=["PUT"]),
        Route(f"{_A}/ResetRunningCount", routes.post_reset, methods=["POST"]),
        Route(f"{_A}/Calibration", routes.post_calibration, methods=["POST"]),
        Route(f"{_A}/Maintenance", routes.post_maintenance, methods=["POST"]),
        Route(f"{_A}/Log", routes.get_log, methods=["GET"]),
        Route(f"{_A}/Message", routes.post_message, methods=["POST"]),
        Route(f"{_A}/Types", routes.get_types, methods=["GET"]),
        Route(f"{_A}/Types", routes.put_type, methods=["PUT"]),
        Route(f"{_A}/SubAssets", routes.get_sub_assets, methods=["GET"]),
        Route(_A, routes.get_assets, methods=["GET"]),
        Route(_A, routes.put_asset, methods=["PUT"]),
        Route(_A, routes.delete_asset, methods=["DELETE"]),
        Route(f"{_A}/{{assetId}}", routes.get_asset, methods=["GET"]),
        Route(f"{_BLOB}/Asset/List/{{assetId}}", files.list_files, methods=["GET"]),
        Route(f"{_BLOB}/Asset", files.download, methods=["GET"]),
        Route(f"{_BLOB}/Asset", files.upload, methods=["POST"]),
        Route(f"{_BLOB}/Assets", files.delete_files, methods=["DELETE"]),
    ],
)
