"""The domain plug-in framework: discovery, ordering by `requires`, and a domain plugged in
from outside the core."""

from __future__ import annotations

import httpx2
import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from pywats.emulator import Domain, EmulatorConfig, InProcessEmulator, SeedContext
from pywats.emulator.app import create_app
from pywats.emulator.params import Fields, json_object
from pywats.emulator.plugin import order_domains
from pywats.emulator.registry import discover_domains
from pywats.emulator.state import get_store


def test_discovery_finds_core_domains_in_dependency_order() -> None:
    names = [domain.name for domain in discover_domains()]
    assert {"app", "process"} <= set(names)
    assert names.index("process") < names.index("app")


def test_order_domains() -> None:
    a = Domain(name="a", requires=("c",))
    b = Domain(name="b")
    c = Domain(name="c", requires=("b",))
    assert [d.name for d in order_domains([a, b, c])] == ["b", "c", "a"]
    with pytest.raises(ValueError, match="unknown"):
        order_domains([Domain(name="x", requires=("nope",))])
    with pytest.raises(ValueError, match="cycle"):
        order_domains([Domain(name="x", requires=("y",)), Domain(name="y", requires=("x",))])
    with pytest.raises(ValueError, match="two emulator domains"):
        order_domains([Domain(name="x"), Domain(name="x")])


# A complete domain, as a domain module would define it.
SCHEMA = "CREATE TABLE IF NOT EXISTS widget (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"


def seed_widgets(ctx: SeedContext) -> None:
    # It can read what the domains it requires seeded.
    levels = ctx.store.scalar("SELECT COUNT(*) FROM level")
    count = ctx.count(small=3, factory=300) + levels
    ctx.store.executemany(
        "INSERT INTO widget (name) VALUES (?)",
        [(f"W-{ctx.rng.randrange(1000)}",) for _ in range(count)],
    )


async def list_widgets(request: Request) -> JSONResponse:
    rows = get_store(request).query("SELECT id, name FROM widget ORDER BY id")
    return JSONResponse([{"id": row["id"], "name": row["name"]} for row in rows])


async def add_widget(request: Request) -> JSONResponse:
    name = Fields(await json_object(request)).get_str("name", required=True)
    cursor = get_store(request).execute("INSERT INTO widget (name) VALUES (?)", (name,))
    return JSONResponse({"id": cursor.lastrowid, "name": name})


WIDGETS = Domain(
    name="widgets",
    schema=SCHEMA,
    seed=seed_widgets,
    requires=("app",),
    routes=[
        Route("/api/Widget", list_widgets, methods=["GET"]),
        Route("/api/Widget", add_widget, methods=["POST"]),
    ],
)


async def test_a_plugged_in_domain_gets_tables_seed_routes_auth_and_errors() -> None:
    emu = InProcessEmulator(create_app(EmulatorConfig(), domains=[*discover_domains(), WIDGETS]))
    try:
        async with emu.client() as client:
            widgets = (await client.get("/api/Widget")).json()
            assert len(widgets) == 3 + 4  # three plus one per seeded level
            added = await client.post("/api/Widget", json={"name": "Sprocket"})
            assert added.json()["name"] == "Sprocket"
            missing = await client.post("/api/Widget", json={})
            assert missing.status_code == 400
            assert missing.json()["ModelState"] == {"name": ["The field 'name' is required."]}
            assert (await client.get("/api/App/Version")).status_code == 200
        async with emu.client(authenticated=False) as anonymous:
            assert (await anonymous.get("/api/Widget")).status_code == 401
    finally:
        emu.close()


async def test_a_domain_alone(emulator_config: EmulatorConfig) -> None:
    standalone = Domain(name="w", schema=SCHEMA, routes=WIDGETS.routes)
    emu = InProcessEmulator(create_app(emulator_config, domains=[standalone]))
    try:
        async with emu.client() as client:
            assert (await client.get("/api/Widget")).json() == []
            assert (await client.get("/api/App/Version")).status_code == 404
    finally:
        emu.close()


async def test_emulator_server_fixture_serves_real_http(emulator_server) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Basic {emulator_server.token}"}
    async with httpx2.AsyncClient(base_url=emulator_server.url, headers=headers) as client:
        response = await client.get("/api/App/Levels")
    assert response.status_code == 200
    assert emulator_server.url.startswith("http://127.0.0.1:")
