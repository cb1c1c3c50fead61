"""Hostile requests over loopback: every one is a 4xx naming the problem, never a 5xx.

One test per class of input that used to reach a traceback: JSON nested too deep,
integers too long or outside 64 bits (in bodies, OData literals, $skip/$top, path and
query parameters), lone surrogates, bodies of the wrong shape, a malformed Referer, a body
over the size limit, and clients too slow with their headers or body.
"""

from __future__ import annotations

import copy
import json
import socket
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from pywats.emulator import EmulatorConfig, Storage
from pywats.emulator.errors import BadRequest
from pywats.emulator.limits import MAX_HEADER_BYTES
from pywats.emulator.registry import discover_domains
from pywats.emulator.runner import EmulatorServer

from .report_samples import uur_dict, uut_dict

LIMIT = 256 * 1024


@pytest.fixture
def emulator_config() -> EmulatorConfig:
    # A small body limit and short timeouts so that the limits can be shown quickly.
    return EmulatorConfig(max_body_size=LIMIT, header_timeout=0.6, body_timeout=0.6)


@pytest.fixture
def client(emulator_server: EmulatorServer) -> Iterator[httpx2.Client]:
    headers = {"Authorization": f"Basic {emulator_server.token}", "Referer": emulator_server.url}
    with httpx2.Client(base_url=emulator_server.url, headers=headers, timeout=10) as http:
        yield http


def _bad_request(response: httpx2.Response, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == 400, (response.status_code, response.text[:300])
    body: dict[str, Any] = response.json()
    assert isinstance(body["Message"], str) and body["Message"]
    if field is not None:
        assert field in body["ModelState"], body
    return body


def _json_routes() -> list[tuple[str, str]]:
    """(method, path) of every POST/PUT/PATCH route with no path parameter."""
    routes = []
    for domain in discover_domains():
        for route in domain.routes:
            path = getattr(route, "path", "")
            for method in getattr(route, "methods", None) or ():
                if method in ("POST", "PUT", "PATCH") and "{" not in path:
                    routes.append((method, path))
    return sorted(routes)


JSON_ROUTES = _json_routes()


def test_there_are_json_routes_to_try() -> None:
    assert len(JSON_ROUTES) >= 15


@pytest.mark.parametrize("depth", [200, 1000, 100_000])
def test_deep_json_is_a_400_on_every_body_route(client: httpx2.Client, depth: int) -> None:
    deep = "[" * depth + "]" * depth
    for method, path in JSON_ROUTES:
        response = client.request(
            method, path, content=deep, headers={"Content-Type": "application/json"}
        )
        assert response.status_code < 500, (method, path, response.text[:200])
        assert response.status_code in (400, 413, 415), (method, path, response.status_code)


def test_deep_json_names_where_it_got_too_deep(client: httpx2.Client) -> None:
    doc: Any = "leaf"
    for _ in range(300):
        doc = {"steps": [doc]}
    body = _bad_request(client.put("/api/Products", json=[{"partNumber": "X", "x": doc}]))
    assert "nests deeper than" in body["Message"]


def test_an_integer_of_5000_digits_in_a_body(client: httpx2.Client) -> None:
    text = '[{"partNumber": "PN-HUGE", "state": ' + "9" * 5000 + "}]"
    body = _bad_request(
        client.put("/api/Products", content=text, headers={"Content-Type": "application/json"}),
        "[0].state",
    )
    assert "64-bit" in body["Message"]


@pytest.mark.parametrize("number", [str(2**63), str(-(2**63) - 1), "1e999", "-1e400"])
def test_numbers_outside_the_servers_range_in_a_body(client: httpx2.Client, number: str) -> None:
    report = uut_dict()
    text = json.dumps(report).replace('"processCode": 120', f'"processCode": {number}')
    response = client.post(
        "/api/Report/WSJF", content=text, headers={"Content-Type": "application/json"}
    )
    _bad_request(response, "processCode")


def test_nan_and_infinity_literals_are_not_json(client: httpx2.Client) -> None:
    for literal in ("NaN", "Infinity", "-Infinity"):
        text = f'{{"latency": {literal}}}'
        response = client.put(
            "/_emulator/faults", content=text, headers={"Content-Type": "application/json"}
        )
        _bad_request(response, "body")


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/Report/Query/Header", {"$filter": f"processCode eq {2**63}"}, "$filter"),
        ("/api/Report/Query/Header", {"$filter": "processCode eq " + "9" * 5000}, "$filter"),
        ("/api/Product/Query", {"$filter": "1e999 eq 1"}, "$filter"),
        ("/api/Report/Query/Header", {"$skip": str(2**63)}, "$skip"),
        ("/api/Report/Query/Header", {"$top": "9" * 5000}, "$top"),
        ("/api/Product/Query", {"$skip": "1_000"}, "$skip"),
        ("/api/Report/Query/HeaderByMiscInfo", {"serialNumber": "x", "processCode": str(2**63)},
         "processCode"),
        ("/api/Production/SerialNumbers/Take", {"serialNumberType": "BoardSN",
                                                "quantity": str(2**64)}, "quantity"),
        ("/api/Production/Units/Changes", {"maxCount": "9" * 5000}, "maxCount"),
        ("/api/Report/Wsjf/00000000-0000-4000-8000-000000000000", {"detailLevel": str(2**63)},
         "detailLevel"),
    ],
)  # fmt: skip
def test_out_of_range_integers_in_queries(
    client: httpx2.Client, path: str, params: dict[str, str], field: str
) -> None:
    method = "POST" if path.endswith("/Take") else "GET"
    _bad_request(client.request(method, path, params=params), field)


def test_out_of_range_integer_in_a_path(client: httpx2.Client) -> None:
    for value in (str(2**63), "9" * 5000, "-" + "9" * 30, "١٢"):
        _bad_request(client.delete(f"/api/Production/Units/Changes/{value}"), "id")


def test_lone_surrogates_never_reach_sqlite(client: httpx2.Client) -> None:
    text = '[{"partNumber": "PN-\\udcff", "name": "x"}]'
    headers = {"Content-Type": "application/json"}
    response = client.put("/api/Products", content=text, headers=headers)
    body = _bad_request(response, "[0].partNumber")
    assert "surrogate" in body["Message"]
    key = '[{"partNumber": "PN-1", "\\ud800": 1}]'
    _bad_request(client.put("/api/Products", content=key, headers=headers))
    report = json.dumps(uut_dict()).replace('"LAB-01"', '"LAB-\\udcff"')
    _bad_request(client.post("/api/Report/WSJF", content=report, headers=headers), "machineName")
    # Bytes that are not UTF-8 at all.
    raw = b'[{"partNumber": "PN-\xff\xfe"}]'
    _bad_request(client.put("/api/Products", content=raw, headers=headers), "body")


WRONG = ["x", 5, 1.5, True, [], ["x"], {"a": 1}]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if prefix:
        yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def test_wsjf_of_the_wrong_shape_anywhere_is_a_400(client: httpx2.Client) -> None:
    """Every property of a valid test and repair report, replaced by each wrong type."""
    uut = uut_dict()
    tried = 0
    for sample in (uut, uur_dict(uut)):
        for path in _paths(sample):
            for wrong in WRONG:
                doc = copy.deepcopy(sample)
                node = doc
                for part in path[:-1]:
                    node = node[part]
                node[path[-1]] = wrong
                if path != ("id",):
                    doc["id"] = str(uuid.uuid4())
                response = client.post("/api/Report/WSJF", json=doc)
                tried += 1
                assert response.status_code in (200, 400), (path, wrong, response.text[:300])
    assert tried > 300


def test_wsjf_uut_as_a_string_names_the_field(client: httpx2.Client) -> None:
    report = {**uut_dict(), "uut": "station 7"}
    body = _bad_request(client.post("/api/Report/WSJF", json=report), "uut")
    assert "must be an object" in body["Message"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/Products", {"partNumber": "X"}),  # an object where an array is due
        ("/api/Product", ["x"]),  # an array where an object is due
        ("/api/Product", {"partNumber": 5}),
        ("/api/Production/Units", "units"),
        ("/api/Production/SerialNumbers", [1, 2]),
    ],
)
def test_bodies_of_the_wrong_shape(client: httpx2.Client, path: str, body: Any) -> None:
    _bad_request(client.put(path, json=body))


@pytest.mark.parametrize(
    "referer",
    ["http://[::1", "http://host:notaport/", "http://[zz]/", "http://h:99999999999999999999/",
     "\x7f", "https://", "relative/path"],
)  # fmt: skip
def test_a_malformed_referer_is_a_400(
    emulator_server: EmulatorServer, client: httpx2.Client, referer: str
) -> None:
    response = client.get("/api/internal/Process/GetProcesses", headers={"Referer": referer})
    _bad_request(response, "Referer")


def test_an_oversized_body_is_answered_413_before_it_is_read(
    emulator_server: EmulatorServer,
) -> None:
    """With Content-Length over the limit the answer comes before the body is sent."""
    with socket.create_connection(("127.0.0.1", emulator_server.port), timeout=5) as sock:
        sock.sendall(
            b"PUT /api/Products HTTP/1.1\r\nHost: x\r\n"
            + f"Authorization: Basic {emulator_server.token}\r\n".encode()
            + b"Content-Type: application/json\r\n"
            + f"Content-Length: {50 * 1024 * 1024}\r\n\r\n".encode()
        )
        answer = _read_response(sock)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"larger than this server accepts (256 KiB)" in answer


def test_a_chunked_body_over_the_limit_is_cut_off_with_413(client: httpx2.Client) -> None:
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        yield b"["
        for _ in range(400):  # 400 x 4 KiB: well over the 256 KiB limit
            sent += 4096
            yield b'"' + b"x" * 4094 + b'",'
        yield b'"end"]'

    response = client.put(
        "/api/Products", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413, response.text[:200]
    assert response.json()["ModelState"] == {"body": [response.json()["Message"]]}


def test_a_body_inside_the_limit_is_read(client: httpx2.Client) -> None:
    name = "n" * (LIMIT // 2)
    response = client.put("/api/Product", json={"partNumber": "PN-BIG-NAME", "name": name})
    assert response.status_code < 500
    assert response.status_code != 413


def _read_response(sock: socket.socket) -> bytes:
    """One response (head and Content-Length body), without waiting for the socket to close."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(4096)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(4096)
    return head + b"\r\n\r\n" + body


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    while True:
        try:
            chunk = sock.recv(4096)
        except (ConnectionResetError, TimeoutError):
            return data
        if not chunk:
            return data
        data += chunk


def test_a_client_slow_with_its_headers_is_cut_off(emulator_server: EmulatorServer) -> None:
    sockets = []
    started = time.monotonic()
    for _ in range(30):
        sock = socket.create_connection(("127.0.0.1", emulator_server.port), timeout=5)
        sock.sendall(b"GET /api/App/Version HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        sockets.append(sock)
    try:
        # One more byte now and then does not buy more time.
        time.sleep(0.3)
        for sock in sockets:
            sock.sendall(b"a")
        answers = [_read_all(sock) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
    elapsed = time.monotonic() - started
    assert all(answer.startswith(b"HTTP/1.1 408") for answer in answers), answers[0][:200]
    assert elapsed < 3, f"slow clients were held for {elapsed:.1f} s"


def test_an_idle_connection_that_sends_nothing_is_closed(emulator_server: EmulatorServer) -> None:
    with socket.create_connection(("127.0.0.1", emulator_server.port), timeout=5) as sock:
        started = time.monotonic()
        answer = _read_all(sock)
    assert answer.startswith(b"HTTP/1.1 408")
    assert time.monotonic() - started < 3


def test_a_normal_request_after_slow_clients_still_works(
    emulator_server: EmulatorServer, client: httpx2.Client
) -> None:
    with socket.create_connection(("127.0.0.1", emulator_server.port), timeout=5) as slow:
        slow.sendall(b"GET /api/App/Version HTTP/1.1\r\n")
        assert client.get("/api/App/Version").status_code == 200
        assert _read_all(slow).startswith(b"HTTP/1.1 408")


def test_a_client_that_stops_sending_its_body_gets_408(emulator_server: EmulatorServer) -> None:
    with socket.create_connection(("127.0.0.1", emulator_server.port), timeout=5) as sock:
        sock.sendall(
            b"PUT /api/Products HTTP/1.1\r\nHost: x\r\n"
            + f"Authorization: Basic {emulator_server.token}\r\n".encode()
            + b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n[{"
        )
        answer = _read_all(sock)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]


def test_headers_over_the_size_limit_are_refused(emulator_server: EmulatorServer) -> None:
    """A head that grows past MAX_HEADER_BYTES while it arrives is refused, not buffered."""
    auth = f"Authorization: Basic {emulator_server.token}\r\n".encode()
    with socket.create_connection(("127.0.0.1", emulator_server.port), timeout=5) as sock:
        sock.sendall(b"GET /api/App/Version HTTP/1.1\r\nHost: x\r\n" + auth + b"X-Big: ")
        try:
            for _ in range(5):
                time.sleep(0.05)
                sock.sendall(b"a" * (MAX_HEADER_BYTES // 4))
            sock.sendall(b"\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before the head was complete: what we want
        answer = _read_all(sock)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b"Invalid HTTP request" in answer


def test_kept_alive_connection_gets_a_new_header_deadline(emulator_server: EmulatorServer) -> None:
    auth = f"Authorization: Basic {emulator_server.token}\r\n".encode()
    with socket.create_connection(("127.0.0.1", emulator_server.port), timeout=5) as sock:
        sock.sendall(b"GET /api/App/Version HTTP/1.1\r\nHost: x\r\n" + auth + b"\r\n")
        assert _read_response(sock).startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /api/App/Version HTTP/1.1\r\n")  # then nothing more
        assert _read_all(sock).startswith(b"HTTP/1.1 408")


def test_storage_refuses_an_unbound_64_bit_overflow_as_a_400() -> None:
    """The backstop behind the request layer: a handler that forgot to range-check."""
    store = Storage()
    try:
        with pytest.raises(BadRequest, match="64-bit"):
            store.query("SELECT ?", (2**63,))
        with pytest.raises(BadRequest):
            store.execute("SELECT ?", (-(2**63) - 1,))
        assert store.scalar("SELECT ?", (2**63 - 1,)) == 2**63 - 1
    finally:
        store.close()


def test_a_number_that_overflows_a_date_is_a_400(client: httpx2.Client) -> None:
    """The error layer's backstop: a day count past year 9999 (found by the generated test)."""
    response = client.get("/api/App/VolumeYield", params={"days": "739617"})
    assert response.status_code == 400, response.text[:300]
    assert "out of range" in response.json()["Message"]
