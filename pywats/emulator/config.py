"""Settings for one emulator instance, shared by the CLI, the fixtures and create_app()."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from .faults import FaultConfig

SeedSize = Literal["small", "factory"]
SEED_SIZES: tuple[SeedSize, ...] = ("small", "factory")

# The token a WATS server would issue for user "emulator" with secret "emulator".
DEFAULT_TOKEN = base64.b64encode(b"emulator:emulator").decode("ascii")

# Seeded timestamps count back from a fixed moment so that the same seed gives the
# same bytes on every run; pass another anchor (e.g. today) for a demo with fresh data.
DEFAULT_ANCHOR = datetime(2026, 1, 1, tzinfo=UTC)

SERVER_VERSION = "24.1.0"


@dataclass
class EmulatorConfig:
    token: str = DEFAULT_TOKEN
    seed: int = 1
    size: SeedSize = "small"
    # False starts with empty tables (the schema still exists).
    seed_data: bool = True
    db_path: str | None = None
    anchor: datetime = DEFAULT_ANCHOR
    server_version: str = SERVER_VERSION
    faults: FaultConfig = field(default_factory=FaultConfig)

    def __post_init__(self) -> None:
        if self.size not in SEED_SIZES:
            raise ValueError(f"size must be one of {', '.join(SEED_SIZES)}, not {self.size!r}")
        if not self.token:
            raise ValueError("token must not be empty")
        if self.anchor.tzinfo is None:
            self.anchor = self.anchor.replace(tzinfo=UTC)
