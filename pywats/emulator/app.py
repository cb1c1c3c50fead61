"""The app factory: storage, domains, auth, errors and fault injection in one Starlette app."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Lifespan

from . import control
from .auth import AuthMiddleware
from .config import EmulatorConfig
from .errors import EXCEPTION_HANDLERS
from .faults import FaultInjector
from .limits import BodyLimit
from .plugin import Domain, order_domains
from .registry import discover_domains
from .seeding import build_storage
from .state import EmulatorState


class EmulatorApp(Starlette):
    """Starlette, with fault injection wrapped around everything else.

    Faults sit outside Starlette's own error middleware so that a dropped connection
    really drops (it needs uvicorn's own `send`) and is never turned into a 500.
    """

    def __init__(
        self,
        state: EmulatorState,
        *,
        routes: Sequence[BaseRoute],
        middleware: Sequence[Middleware],
        lifespan: Lifespan[Starlette],
    ) -> None:
        self.emulator = state
        super().__init__(
            routes=routes,
            middleware=middleware,
            exception_handlers=EXCEPTION_HANDLERS,
            lifespan=lifespan,
        )
        self.state.emulator = state

    def build_middleware_stack(self) -> ASGIApp:
        inner = super().build_middleware_stack()
        return FaultInjector(inner, lambda: self.emulator.faults, self.emulator.traffic)


def create_app(
    config: EmulatorConfig | None = None, *, domains: Sequence[Domain] | None = None
) -> EmulatorApp:
    """Build an emulator; with no arguments, a seeded in-memory one with every domain.

    `domains` replaces discovery, e.g. to test one domain on its own.
    """
    config = config or EmulatorConfig()
    ordered = order_domains(domains) if domains is not None else discover_domains()
    store = build_storage(config, ordered)
    state = EmulatorState(config=config, store=store, domains=tuple(ordered))

    routes = [route for domain in ordered for route in domain.routes]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        store.close()

    return EmulatorApp(
        state,
        routes=[*routes, *control.ROUTES],
        middleware=[
            Middleware(AuthMiddleware, token=config.token),
            Middleware(BodyLimit, limit=config.max_body_size, body_timeout=config.body_timeout),
        ],
        lifespan=lifespan,
    )
