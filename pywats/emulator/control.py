"""Runtime control of a running emulator, outside the WATS API namespace.

`/_emulator/faults` lets a test or a demo turn faults on and off in an emulator
started from the CLI, where no Python object is at hand. It needs the token
and is never itself subject to faults (they apply under /api/ only).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from .errors import BadRequest
from .faults import FaultSettingError
from .params import json_object
from .state import get_state


async def get_faults(request: Request) -> JSONResponse:
    return JSONResponse(get_state(request).faults.as_dict())


async def put_faults(request: Request) -> JSONResponse:
    """Apply a JSON object of settings whole, or answer 400 and change nothing."""
    changes = await json_object(request)
    faults = get_state(request).faults
    try:
        faults.update(**changes)
    except FaultSettingError as exc:
        first = sorted(exc.problems)[0]
        raise BadRequest(f"Nothing was changed: {exc}.", field=first) from None
    return JSONResponse(faults.as_dict())


async def delete_faults(request: Request) -> JSONResponse:
    faults = get_state(request).faults
    faults.reset()
    return JSONResponse(faults.as_dict())


async def get_traffic(request: Request) -> JSONResponse:
    traffic = get_state(request).traffic
    return JSONResponse({"requests": traffic.count, "injected": dict(traffic.injected)})


ROUTES: list[BaseRoute] = [
    Route("/_emulator/faults", get_faults, methods=["GET"]),
    Route("/_emulator/faults", put_faults, methods=["PUT"]),
    Route("/_emulator/faults", delete_faults, methods=["DELETE"]),
    Route("/_emulator/traffic", get_traffic, methods=["GET"]),
]
