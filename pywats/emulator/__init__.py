"""A local stand-in for the WATS server: the WATS REST API over SQLite, with seeded data.

Run it with `pywats-emulator`, or in-process with `create_app()` and httpx2.ASGITransport.
It never imports the SDK's models: the two agree only through the wire format.
The contract checker (`pywats.emulator.contract`) needs jsonschema, a dev dependency,
so it is not imported here.
"""

from .app import EmulatorApp, create_app
from .config import DEFAULT_TOKEN, EmulatorConfig, SeedSize
from .faults import FaultConfig, Traffic
from .plugin import Domain, SeedContext
from .runner import EmulatorServer, serve
from .state import EmulatorState, get_state, get_store
from .storage import Storage
from .testing import InProcessEmulator

__all__ = [
    "DEFAULT_TOKEN",
    "Domain",
    "EmulatorApp",
    "EmulatorConfig",
    "EmulatorServer",
    "EmulatorState",
    "FaultConfig",
    "InProcessEmulator",
    "SeedContext",
    "SeedSize",
    "Storage",
    "Traffic",
    "create_app",
    "get_state",
    "get_store",
    "serve",
]
