"""Command-line options for `pywats-emulator`, turned into an EmulatorConfig."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from .config import DEFAULT_ANCHOR, DEFAULT_TOKEN, SEED_SIZES, EmulatorConfig
from .faults import FaultConfig, check_fault_setting
from .isotime import parse_iso
from .limits import (
    DEFAULT_BODY_TIMEOUT,
    DEFAULT_HEADER_TIMEOUT,
    DEFAULT_MAX_BODY_SIZE,
    format_size,
    parse_size,
)


def _anchor(value: str) -> datetime:
    if value == "today":
        now = datetime.now(UTC)
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        return parse_iso(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date/time or 'today': {value!r}") from None


def _port(value: str) -> int:
    port = int(value)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be 0..65535, not {value}")
    return port


def _fault(name: str, kind: type[int] | type[float]) -> Callable[[str], Any]:
    """An argparse type that applies FaultConfig's own rule for `name`."""

    def convert(value: str) -> Any:
        try:
            number = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
        try:
            return check_fault_setting(name, number)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = name  # argparse names the type in its messages
    return convert


def _size(value: str) -> int:
    try:
        size = parse_size(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if size < 1:
        raise argparse.ArgumentTypeError("must be at least 1 byte")
    return size


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not math.isfinite(seconds) or not 0 < seconds <= 3600:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 3600, not {value}")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pywats-emulator",
        description="A local WATS server with seeded data, for tests, demos and offline scripts.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=_port, default=8080, help="0 picks a free port (default: %(default)s)"
    )
    parser.add_argument(
        "--db", metavar="FILE", help="keep data in this SQLite file (default: in memory)"
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="same seed, same data (default: %(default)s)"
    )
    parser.add_argument("--size", choices=SEED_SIZES, default="small", help="how much data to seed")
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="the Basic token clients must send")
    parser.add_argument("--no-seed", action="store_true", help="start with empty tables")
    parser.add_argument(
        "--anchor",
        type=_anchor,
        default=DEFAULT_ANCHOR,
        help="'now' of the seeded data: an ISO date/time or 'today' (default: 2026-01-01)",
    )
    limits = parser.add_argument_group("limits")
    limits.add_argument(
        "--max-body-size",
        type=_size,
        default=DEFAULT_MAX_BODY_SIZE,
        metavar="SIZE",
        help="larger request bodies get 413 before they are read, e.g. 16MiB "
        f"(default: {format_size(DEFAULT_MAX_BODY_SIZE)})",
    )
    limits.add_argument(
        "--header-timeout",
        type=_seconds,
        default=DEFAULT_HEADER_TIMEOUT,
        metavar="SECONDS",
        help="a client slower than this to send a request head gets 408 (default: %(default)s)",
    )
    limits.add_argument(
        "--body-timeout",
        type=_seconds,
        default=DEFAULT_BODY_TIMEOUT,
        metavar="SECONDS",
        help="a client that stops sending a body this long gets 408 (default: %(default)s)",
    )
    faults = parser.add_argument_group(
        "fault injection (all off by default; rates are 0..1, latency at most 60 s)"
    )
    faults.add_argument("--latency", type=_fault("latency", float), default=0.0, metavar="SECONDS")
    faults.add_argument("--error-rate", type=_fault("error_rate", float), default=0.0, metavar="P")
    faults.add_argument(
        "--error-status", type=_fault("error_status", int), default=503, metavar="STATUS"
    )
    faults.add_argument(
        "--throttle-rate", type=_fault("throttle_rate", float), default=0.0, metavar="P",
        help="429s",
    )
    faults.add_argument(
        "--retry-after", type=_fault("retry_after", int), default=1, metavar="SECONDS"
    )
    faults.add_argument(
        "--drop-rate", type=_fault("drop_rate", float), default=0.0, metavar="P",
        help="closed connections",
    )
    faults.add_argument(
        "--fault-budget", type=_fault("budget", int), default=None, metavar="N",
        help="at most N faults",
    )
    faults.add_argument("--fault-seed", type=_fault("seed", int), default=0, metavar="N")
    return parser


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    faults = FaultConfig(
        latency=args.latency,
        error_rate=args.error_rate,
        error_status=args.error_status,
        throttle_rate=args.throttle_rate,
        retry_after=args.retry_after,
        drop_rate=args.drop_rate,
        budget=args.fault_budget,
        seed=args.fault_seed,
    )
    return EmulatorConfig(
        token=args.token,
        seed=args.seed,
        size=args.size,
        seed_data=not args.no_seed,
        db_path=args.db,
        anchor=args.anchor,
        faults=faults,
        max_body_size=args.max_body_size,
        header_timeout=args.header_timeout,
        body_timeout=args.body_timeout,
    )


def parse_config(argv: Sequence[str] | None = None) -> tuple[EmulatorConfig, str, int]:
    """(config, host, port) from the command line; exits with a usage message when invalid."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = config_from_args(args)
    except ValueError as exc:
        parser.error(str(exc))
    return config, args.host, args.port
