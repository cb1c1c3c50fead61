"""Parent/child relations between units, checked the way the spec describes.

AddChildUnit refuses, with a 400 that says why: a child that already has a parent, a
relation that would make a loop, a child the parent's box build does not call for (or more
of it than the box build's quantity), and a child not in its finalized phase.
"""

from __future__ import annotations

import sqlite3

from starlette.requests import Request
from starlette.responses import JSONResponse

from ...errors import BadRequest
from ...params import query_str
from ...state import get_store
from ...storage import Storage
from . import catalog
from .products import finalized_phase
from .units import required_text
from .units_db import (
    Json,
    ancestor_ids,
    children_of,
    phase_names,
    record_change,
    require_unit,
    unit_by_id,
    unit_json,
)


def _label(unit: sqlite3.Row) -> str:
    return f"'{unit['serial_number']}' ({unit['part_number']} rev {unit['revision']})"


def _finalized_phase(store: Storage, unit: sqlite3.Row) -> int:
    return finalized_phase(store, str(unit["part_number"]), str(unit["revision"]))


def _check_box_build(
    store: Storage, parent: sqlite3.Row, child: sqlite3.Row, check_pn: str, check_rev: str
) -> None:
    if check_pn:
        if child["part_number"].lower() != check_pn.lower():
            raise BadRequest(
                f"Child {_label(child)} is not part number '{check_pn}'.", field="checkPartNumber"
            )
        if check_rev and not catalog.revision_matches(check_rev, str(child["revision"])):
            raise BadRequest(
                f"Child {_label(child)} does not match revision '{check_rev}'.",
                field="checkRevision",
            )
        return
    part = catalog.part(str(parent["part_number"]))
    lines = part.lines_for(str(parent["revision"])) if part else ()
    if not lines:
        raise BadRequest(
            f"The box build of {parent['part_number']} rev {parent['revision']} defines no "
            "child units; give checkPartNumber to add one anyway.",
            field="childPartNumber",
        )
    line = next(
        (ln for ln in lines if ln.part_number.lower() == child["part_number"].lower()), None
    )
    if line is None:
        wanted = ", ".join(ln.part_number for ln in lines)
        raise BadRequest(
            f"The box build of {parent['part_number']} rev {parent['revision']} does not contain "
            f"{child['part_number']} (it contains {wanted}).",
            field="childPartNumber",
        )
    if not catalog.revision_matches(line.revision_mask, str(child["revision"])):
        raise BadRequest(
            f"Child {_label(child)} does not match the box build's revision mask "
            f"'{line.revision_mask}'.",
            field="childPartNumber",
        )
    present = sum(
        1
        for sub in children_of(store, int(parent["unit_id"]))
        if sub["part_number"].lower() == line.part_number.lower()
    )
    if present >= line.quantity:
        raise BadRequest(
            f"Parent {_label(parent)} already has {present} of {line.quantity} "
            f"{line.part_number} called for by its box build.",
            field="childPartNumber",
        )


def _parent_and_child(request: Request, store: Storage) -> tuple[sqlite3.Row, sqlite3.Row]:
    """The two units an add/remove-child call names; 404 naming whichever is missing."""
    parent = require_unit(
        store,
        required_text(request, "parentSerialNumber"),
        required_text(request, "parentPartNumber"),
        "Parent unit",
    )
    child = require_unit(
        store,
        required_text(request, "childSerialNumber"),
        required_text(request, "childPartNumber"),
        "Child unit",
    )
    return parent, child


async def add_child_unit(request: Request) -> JSONResponse:
    store = get_store(request)
    parent, child = _parent_and_child(request, store)
    # Required by the spec, but blank means "use the parent's box build".
    check_pn = (query_str(request, "checkPartNumber", required=True) or "").strip()
    check_rev = (query_str(request, "checkRevision", required=True) or "").strip()
    if child["unit_id"] == parent["unit_id"]:
        raise BadRequest("A unit cannot be its own child.", field="childSerialNumber")
    if child["unit_id"] in ancestor_ids(store, int(parent["unit_id"])):
        raise BadRequest(
            f"Adding {_label(child)} to {_label(parent)} would create a loop: "
            f"{child['serial_number']} already contains {parent['serial_number']}.",
            field="childSerialNumber",
        )
    if child["parent_id"] is not None:
        current = unit_by_id(store, int(child["parent_id"]))
        raise BadRequest(
            f"Child {_label(child)} already has parent '{current['serial_number']}'; "
            "remove it from there first.",
            field="childSerialNumber",
        )
    _check_box_build(store, parent, child, check_pn, check_rev)
    finalized = _finalized_phase(store, child)
    if child["unit_phase_id"] != finalized:
        names = phase_names(store)
        raise BadRequest(
            f"Child {_label(child)} is in phase '{names.get(child['unit_phase_id'], '?')}'; "
            f"it must be '{names.get(finalized, finalized)}' to be built in.",
            field="childSerialNumber",
        )
    with store.transaction():
        store.execute(
            "UPDATE production_unit SET parent_id = ? WHERE unit_id = ?",
            (parent["unit_id"], child["unit_id"]),
        )
        record_change(store, child["serial_number"], parent=parent["serial_number"])
    return JSONResponse(unit_json(store, unit_by_id(store, int(parent["unit_id"]))))


async def remove_child_unit(request: Request) -> JSONResponse:
    store = get_store(request)
    parent, child = _parent_and_child(request, store)
    if child["parent_id"] != parent["unit_id"]:
        raise BadRequest(
            f"{_label(child)} is not a child of {_label(parent)}.", field="childSerialNumber"
        )
    with store.transaction():
        store.execute(
            "UPDATE production_unit SET parent_id = NULL WHERE unit_id = ?", (child["unit_id"],)
        )
        record_change(store, child["serial_number"])
    return JSONResponse(unit_json(store, unit_by_id(store, int(parent["unit_id"]))))


def check_json(store: Storage, parent: sqlite3.Row) -> Json:
    part = catalog.part(str(parent["part_number"]))
    lines = part.lines_for(str(parent["revision"])) if part else ()
    names = phase_names(store)
    children = children_of(store, int(parent["unit_id"]))
    child_entries: list[Json] = []
    counts: dict[str, int] = {}
    for child in children:
        line = next(
            (ln for ln in lines if ln.part_number.lower() == child["part_number"].lower()), None
        )
        problems = []
        if line is None:
            problems.append("not in the box build")
        elif not catalog.revision_matches(line.revision_mask, str(child["revision"])):
            problems.append(f"revision {child['revision']} does not match '{line.revision_mask}'")
        else:
            counts[line.part_number] = counts.get(line.part_number, 0) + 1
        finalized = _finalized_phase(store, child)
        if child["unit_phase_id"] != finalized:
            problems.append(f"phase is not {names.get(finalized, finalized)}")
        child_entries.append(
            {
                "serialNumber": child["serial_number"],
                "partNumber": child["part_number"],
                "revision": child["revision"],
                "unitPhase": names.get(child["unit_phase_id"], "Unknown"),
                "isValid": not problems,
                "message": "; ".join(problems) or "OK",
            }
        )
    line_entries: list[Json] = []
    for line in lines:
        count = counts.get(line.part_number, 0)
        line_entries.append(
            {
                "partNumber": line.part_number,
                "revisionMask": line.revision_mask,
                "quantity": line.quantity,
                "count": count,
                "isValid": count == line.quantity,
                "message": "OK"
                if count == line.quantity
                else f"{count} of {line.quantity} present",
            }
        )
    valid = all(e["isValid"] for e in child_entries) and all(e["isValid"] for e in line_entries)
    return {
        "parentSerialNumber": parent["serial_number"],
        "parentPartNumber": parent["part_number"],
        "parentRevision": parent["revision"],
        "isValid": valid,
        "boxBuild": line_entries,
        "childUnits": child_entries,
    }


async def check_child_units(request: Request) -> JSONResponse:
    store = get_store(request)
    parent = require_unit(
        store,
        required_text(request, "parentSerialNumber"),
        required_text(request, "parentPartNumber"),
        "Parent unit",
    )
    return JSONResponse(check_json(store, parent))
