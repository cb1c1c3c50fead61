"""Production: units, phases, assemblies, batches, serial numbers, the unit change feed.

Serves every operation of the spec's Production tag plus the internal
/api/internal/Mes/GetUnitPhases. Process names come from the process domain's table.
"""

from __future__ import annotations

from starlette.routing import Route

from ...plugin import Domain
from . import assembly, serials, units, verification
from .schema import SCHEMA
from .seed import seed

_P = "/api/Production"

DOMAIN = Domain(
    name="production",
    schema=SCHEMA,
    seed=seed,
    requires=("process",),
    routes=[
        Route(f"{_P}/Unit/{{serialNumber}}/{{partNumber}}", units.get_unit, methods=["GET"]),
        Route(f"{_P}/Units", units.put_units, methods=["PUT"]),
        Route(f"{_P}/SetUnitPhase", units.set_unit_phase, methods=["PUT"]),
        Route(f"{_P}/SetUnitProcess", units.set_unit_process, methods=["PUT"]),
        Route(f"{_P}/Units/Changes", units.get_unit_changes, methods=["GET"]),
        Route(f"{_P}/Units/Changes/{{id}}", units.delete_unit_change, methods=["DELETE"]),
        Route(f"{_P}/Batches", units.put_batches, methods=["PUT"]),
        Route(f"{_P}/UnitVerification", verification.get_unit_verification, methods=["GET"]),
        Route(f"{_P}/AddChildUnit", assembly.add_child_unit, methods=["POST"]),
        Route(f"{_P}/RemoveChildUnit", assembly.remove_child_unit, methods=["POST"]),
        Route(f"{_P}/CheckChildUnits", assembly.check_child_units, methods=["GET"]),
        Route(f"{_P}/SerialNumbers/Types", serials.get_types, methods=["GET"]),
        Route(f"{_P}/SerialNumbers/Take", serials.take, methods=["POST"]),
        Route(f"{_P}/SerialNumbers/ByRange", serials.by_range, methods=["GET"]),
        Route(f"{_P}/SerialNumbers/ByReference", serials.by_reference, methods=["GET"]),
        Route(f"{_P}/SerialNumbers", serials.export, methods=["GET"]),
        Route(f"{_P}/SerialNumbers", serials.upload, methods=["PUT"]),
        Route("/api/internal/Mes/GetUnitPhases", units.get_unit_phases, methods=["GET"]),
    ],
)
