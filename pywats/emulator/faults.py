"""Fault injection: latency, error statuses, 429 with Retry-After and dropped connections.

Everything is off by default. A FaultConfig is mutable on purpose: tests and the
runtime control endpoint change it while the server runs, and the next request
sees the change. Random choices come from a seeded generator so a failing
reliability test can be replayed.
"""

from __future__ import annotations

import math
import random
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.lowlevel
import httpx2
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import error_response

FAULT_KINDS = ("latency", "error", "throttle", "drop")


class FaultSettingError(ValueError):
    """One or more fault settings refused; `problems` maps each setting to why."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(problems.values()))


MAX_LATENCY = 60.0  # seconds; more would only look like a hung server
MAX_RETRY_AFTER = 86_400


def _number(name: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number, not {value!r}")
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}, not {value!r}")
    return float(value)


def _integer(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, not {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, not {value!r}")
    return value


def _prefix(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.startswith("/"):
        raise ValueError(f"{name} must be a path starting with '/', not {value!r}")
    return value


def check_fault_setting(name: str, value: Any) -> Any:
    """The value to store for one setting; ValueError (naming it) when it is unacceptable.

    The one rule set for FaultConfig(...), .update(), attribute assignment, the CLI flags and
    PUT /_emulator/faults: finite numbers in range, integers where integers are meant.
    """
    if name == "latency":
        return _number(name, value, 0.0, MAX_LATENCY)
    if name in ("error_rate", "throttle_rate", "drop_rate"):
        return _number(name, value, 0.0, 1.0)
    if name == "error_status":
        return _integer(name, value, 400, 599)
    if name == "retry_after":
        return _integer(name, value, 0, MAX_RETRY_AFTER)
    if name == "budget":
        return None if value is None else _integer(name, value, 0, 2**63 - 1)
    if name == "path_prefix":
        return _prefix(name, value)
    if name == "seed":
        return _integer(name, value, -(2**63), 2**63 - 1)
    raise ValueError(f"unknown fault setting: {name}")


@dataclass
class FaultConfig:
    latency: float = 0.0  # seconds added before every matching request, at most 60
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

    def __setattr__(self, name: str, value: Any) -> None:
        # Every way of setting a value goes through the same check, so a bad value can
        # never reach the request path (where it would break every call).
        if not name.startswith("_"):
            value = check_fault_setting(name, value)
        object.__setattr__(self, name, value)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def validate(self) -> None:
        for key, value in self.as_dict().items():
            check_fault_setting(key, value)

    @staticmethod
    def check_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
        """Check a whole change; returns it normalised, or raises FaultSettingError naming
        every bad or unknown setting. Nothing is applied here."""
        checked: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for key, value in changes.items():
            try:
                checked[key] = check_fault_setting(key, value)
            except ValueError as exc:
                problems[key] = str(exc)
        if problems:
            raise FaultSettingError(problems)
        return checked

    @property
    def active(self) -> bool:
        return bool(self.latency or self.error_rate or self.throttle_rate or self.drop_rate)

    def update(self, **changes: Any) -> None:
        """Change settings at runtime: all of them, or, if any is bad or unknown, none."""
        checked = self.check_changes(changes)
        for key, value in checked.items():
            object.__setattr__(self, key, value)
        if "seed" in checked:
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
