"""The per-app state handlers reach through `request.app.state.emulator`."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request

from .config import EmulatorConfig
from .faults import FaultConfig, Traffic
from .plugin import Domain
from .storage import Storage


@dataclass
class EmulatorState:
    config: EmulatorConfig
    store: Storage
    domains: tuple[Domain, ...]
    traffic: Traffic = field(default_factory=Traffic)

    @property
    def faults(self) -> FaultConfig:
        return self.config.faults


def get_state(request: Request) -> EmulatorState:
    state = request.app.state.emulator
    assert isinstance(state, EmulatorState)
    return state


def get_store(request: Request) -> Storage:
    return get_state(request).store
