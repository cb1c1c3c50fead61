"""The contract checker itself: it must catch what it is there to catch."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

from pywats.emulator.contract import Contract, ContractViolation, check_contract

PROCESS = {
    "Code": 100,
    "ProcessID": "0a1b2c3d-0000-4000-8000-000000000001",
    "Name": "EOL",
    "Description": "",
    "ProcessIndex": 0,
    "State": 1,
    "Properties": "",
    "IsTestOperation": True,
    "IsWIPOperation": False,
    "IsRepairOperation": False,
}
GET_PROCESS = "/api/internal/Process/GetProcess/0a1b2c3d-0000-4000-8000-000000000001"


def _response(method: str, path: str, status: int, body: Any = None) -> httpx2.Response:
    request = httpx2.Request(method, f"http://localhost{path}")
    if body is None:
        return httpx2.Response(status, request=request)
    return httpx2.Response(status, json=body, request=request)


def test_valid_response_passes(contract: Contract) -> None:
    assert contract.check(_response("GET", GET_PROCESS, 200, PROCESS)) == PROCESS
    assert check_contract(_response("GET", "/api/App/Version", 200, "24.1.0")) == "24.1.0"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({**PROCESS, "Code": "100"}, "at Code: '100' is not of type 'integer'"),
        ({**PROCESS, "ProcessID": "not-a-guid"}, "at ProcessID"),
        ({**PROCESS, "IsWipOperation": False}, "Additional properties"),  # misspelt name
        ([PROCESS], "is not of type 'object'"),
    ],
)
def test_wrong_bodies_are_caught(contract: Contract, body: Any, words: str) -> None:
    with pytest.raises(ContractViolation) as info:
        contract.check(_response("GET", GET_PROCESS, 200, body))
    assert words in str(info.value)
    assert "Process_GetProcess" in str(info.value)


def test_lenient_mode_allows_extra_fields() -> None:
    lenient = Contract.bundled(strict=False)
    lenient.check(_response("GET", GET_PROCESS, 200, {**PROCESS, "Extra": 1}))


def test_list_of_processes_is_checked_item_by_item(contract: Contract) -> None:
    path = "/api/internal/Process/GetProcesses"
    contract.check(_response("GET", path, 200, [PROCESS, PROCESS]))
    with pytest.raises(ContractViolation, match="at 1/State"):
        contract.check(_response("GET", path, 200, [PROCESS, {**PROCESS, "State": "on"}]))


def test_untyped_object_schemas_accept_lists(contract: Contract) -> None:
    # /api/App/Processes is declared {"type": "object"}, the generator's "untyped".
    contract.check(_response("GET", "/api/App/Processes", 200, [{"code": 1}]))


def test_status_and_body_presence(contract: Contract) -> None:
    with pytest.raises(ContractViolation, match="status not in the spec"):
        contract.check(_response("GET", "/api/App/Version", 201, "x"))
    with pytest.raises(ContractViolation, match="empty body"):
        contract.check(_response("GET", GET_PROCESS, 200))
    with pytest.raises(ContractViolation, match="declares none"):
        contract.check(_response("PUT", "/api/internal/Process/PutProcess", 204, {"a": 1}))
    contract.check(_response("PUT", "/api/internal/Process/PutProcess", 204))


def test_error_bodies_need_a_message(contract: Contract) -> None:
    contract.check(_response("GET", GET_PROCESS, 404, {"Message": "No such process."}))
    with pytest.raises(ContractViolation, match="string Message"):
        contract.check(_response("GET", GET_PROCESS, 404, {"error": "gone"}))
    with pytest.raises(ContractViolation, match="JSON body with a Message"):
        contract.check(_response("GET", GET_PROCESS, 500))


def test_json_content_type_required(contract: Contract) -> None:
    request = httpx2.Request("GET", "http://localhost/api/App/Version")
    response = httpx2.Response(200, content=json.dumps("1").encode(), request=request)
    with pytest.raises(ContractViolation, match="not JSON"):
        contract.check(response)


def test_unknown_operation(contract: Contract) -> None:
    with pytest.raises(ContractViolation, match="not an operation"):
        contract.find("GET", "/api/App/NoSuchThing")
    with pytest.raises(ContractViolation, match="not an operation"):
        contract.find("DELETE", "/api/App/Version")


def test_literal_segments_win_over_parameters(contract: Contract) -> None:
    assert contract.find("GET", "/api/Product/Query").path == "/api/Product/Query"
    assert contract.find("get", "/api/internal/process/getprocesses").spec.startswith(
        "openapi-internal"
    )


def test_every_served_route_is_an_operation_in_the_contract(contract: Contract) -> None:
    # Domains may only serve what the WATS API has; /_emulator/ is the emulator's own control.
    from starlette.routing import Route

    from pywats.emulator.app import create_app

    app = create_app()
    served = [
        (method, route.path)
        for route in app.routes
        if isinstance(route, Route) and not route.path.startswith("/_emulator/")
        for method in sorted(route.methods or ())
        if method != "HEAD"
    ]
    assert ("GET", "/api/App/Version") in served
    unknown = []
    for method, path in served:
        try:
            contract.find(method, path)
        except ContractViolation:
            unknown.append(f"{method} {path}")
    assert not unknown, f"routes not in the WATS API description: {unknown}"
    app.emulator.store.close()
