"""Fault injection: latency, error statuses, 429 with Retry-After and dropped connections.

Everything is off by default. A FaultConfig is mutable on purpose: tests and the
runtime control endpoint change it while the server runs, and the next request
sees the change. Random choices come from a seeded generator so a failing
reliability test can be replayed.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.lowlevel
import httpx2
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import error_response

FAULT_KINDS = ("latency", "error", "throttle", "drop")


@dataclass
class FaultConfig:
    latency: float = 0.0  # seconds added before every matching request
    error_rate: float = 0.0  # probability of answering `error_status` instead
    error_status: int = 503
    throttle_rate: float = 0.0  # probability of answering 429
    retry_after: int = 1  # seconds, sent in Retry-After with every 429
    drop_rate: float = 0.0  # probability of closing the connection without a response
    # At most this many error/throttle/drop faults, then requests pass; None is unlimited.
    # "fail the first two calls, then succeed" is the usual retry test.
    budget: int | None = None
    path_prefix: str = "/api/"  # only requests under this path are affected
    seed: int = 0

    def __post_init__(self) -> None:
        self.validate()
        self._rng = random.Random(self.seed)

    def validate(self) -> None:
        for name in ("error_rate", "throttle_rate", "drop_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, not {value}")
        if self.latency < 0:
            raise ValueError(f"latency must not be negative, not {self.latency}")
        if not 400 <= self.error_status <= 599:
            raise ValueError(f"error_status must be an HTTP error status, not {self.error_status}")
        if self.retry_after < 0:
            raise ValueError(f"retry_after must not be negative, not {self.retry_after}")
        if self.budget is not None and self.budget < 0:
            raise ValueError(f"budget must not be negative, not {self.budget}")

    @property
    def active(self) -> bool:
        return bool(self.latency or self.error_rate or self.throttle_rate or self.drop_rate)

    def update(self, **changes: Any) -> None:
        """Change settings at runtime; unknown names and bad values raise, nothing half-applies."""
        unknown = set(changes) - set(self.as_dict())
        if unknown:
            raise ValueError(f"unknown fault setting(s): {', '.join(sorted(unknown))}")
        old = self.as_dict()
        for key, value in changes.items():
            setattr(self, key, value)
        try:
            self.validate()
        except ValueError:
            for key, value in old.items():
                setattr(self, key, value)
            raise
        if "seed" in changes:
            self._rng = random.Random(self.seed)

    def reset(self) -> None:
        """Turn every fault off again (the state tests should leave behind)."""
        self.update(**FaultConfig().as_dict())

    def as_dict(self) -> dict[str, Any]:
        return {
            "latency": self.latency,
            "error_rate": self.error_rate,
            "error_status": self.error_status,
            "throttle_rate": self.throttle_rate,
            "retry_after": self.retry_after,
            "drop_rate": self.drop_rate,
            "budget": self.budget,
            "path_prefix": self.path_prefix,
            "seed": self.seed,
        }

    def choose(self) -> str | None:
        """Pick the fault for one request: 'drop', 'throttle', 'error' or None."""
        if self.budget is not None and self.budget <= 0:
            return None
        roll = self._rng.random()
        for kind, rate in (
            ("drop", self.drop_rate),
            ("throttle", self.throttle_rate),
            ("error", self.error_rate),
        ):
            if roll < rate:
                if self.budget is not None:
                    self.budget -= 1
                return kind
            roll -= rate
        return None


@dataclass
class Traffic:
    """What reached the emulator: lets tests observe retries from the server side.

    `requests` keeps the latest (method, path) pairs only, so a long demo run does not
    grow without bound; `count` is the total.
    """

    requests: deque[tuple[str, str]] = field(default_factory=lambda: deque(maxlen=10_000))
    injected: Counter[str] = field(default_factory=Counter)
    count: int = 0
    # Client (host, port) pairs seen: each is one TCP connection, so a test can check that
    # a client reuses its pool instead of reconnecting.
    peers: set[tuple[str, int]] = field(default_factory=set)

    def record(self, method: str, path: str, peer: tuple[str, int] | None = None) -> None:
        self.requests.append((method, path))
        self.count += 1
        if peer is not None:
            self.peers.add(peer)

    @property
    def connections(self) -> int:
        """Distinct TCP connections that sent requests (over ASGITransport all share one peer)."""
        return len(self.peers)

    def count_for(self, method: str, path: str) -> int:
        """How many of the latest requests were `method path` (e.g. a call and its retries)."""
        return sum(1 for m, p in self.requests if m == method.upper() and p == path)

    def clear(self) -> None:
        self.requests.clear()
        self.injected.clear()
        self.count = 0
        self.peers.clear()


class ConnectionDropped(httpx2.RemoteProtocolError):
    """Raised in-process, where there is no socket to close; httpx clients see a transport error."""


class FaultInjector:
    """The outermost ASGI layer, so that it sees uvicorn's own `send` and can drop a socket."""

    def __init__(self, app: ASGIApp, faults: Callable[[], FaultConfig], traffic: Traffic) -> None:
        self.app = app
        # A callable, so replacing the config object at runtime is also seen.
        self.get_faults = faults
        self.traffic = traffic

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        client = scope.get("client")
        self.traffic.record(scope["method"], path, tuple(client) if client else None)
        faults = self.get_faults()
        if not faults.active or not path.startswith(faults.path_prefix):
            await self.app(scope, receive, send)
            return
        if faults.latency:
            self.traffic.injected["latency"] += 1
            await anyio.sleep(faults.latency)
        kind = faults.choose()
        if kind is None:
            await self.app(scope, receive, send)
            return
        self.traffic.injected[kind] += 1
        if kind == "drop":
            await _drop_connection(send)
            return
        if kind == "throttle":
            response = error_response(
                429,
                "Too many requests. Retry later.",
                headers={"Retry-After": str(faults.retry_after)},
            )
        else:
            response = error_response(
                faults.error_status, "Injected fault: the server is unavailable."
            )
        await response(scope, receive, send)


async def _drop_connection(send: Send) -> None:
    # uvicorn's send is a bound method of its request cycle, which holds the socket's
    # transport. Aborting it closes the connection with no response at all, which is
    # what a client sees when a proxy or the network drops it.
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        raise ConnectionDropped("Server disconnected without sending a response.")
    transport.abort()
    # Let uvicorn see connection_lost before we return, so it does not log
    # "returned without starting response" or try to write a 500.
    await anyio.lowlevel.checkpoint()
    await anyio.lowlevel.checkpoint()
