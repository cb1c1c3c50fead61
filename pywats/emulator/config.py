"""Settings for one emulator instance, shared by the CLI, the fixtures and create_app()."""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from .faults import FaultConfig
from .limits import DEFAULT_BODY_TIMEOUT, DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_BODY_SIZE

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
    # A body over this many bytes is answered 413 before it is read whole.
    max_body_size: int = DEFAULT_MAX_BODY_SIZE
    # Seconds a client may take to send a request head, and may pause while sending a body.
    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    body_timeout: float = DEFAULT_BODY_TIMEOUT

    def __post_init__(self) -> None:
        if self.size not in SEED_SIZES:
            raise ValueError(f"size must be one of {', '.join(SEED_SIZES)}, not {self.size!r}")
        if not self.token:
            raise ValueError("token must not be empty")
        if isinstance(self.max_body_size, bool) or not isinstance(self.max_body_size, int):
            raise ValueError(f"max_body_size must be a number of bytes, not {self.max_body_size!r}")
        if self.max_body_size < 1:
            raise ValueError(f"max_body_size must be at least 1 byte, not {self.max_body_size}")
        for name in ("header_timeout", "body_timeout"):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or not 0 < value <= 3600
            ):
                raise ValueError(f"{name} must be more than 0 and at most 3600 s, not {value!r}")
        if self.anchor.tzinfo is None:
            self.anchor = self.anchor.replace(tzinfo=UTC)
