"""``pywats-tui``: the command line that starts the terminal app."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from tui import gc_policy

__all__ = ["main"]


class _VersionAction(argparse.Action):
    """``--version``, looked up only when asked: start-up (and the demo server) never waits
    for reading package metadata, nor for importing the SDK to learn its version."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> NoReturn:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("pywats")
        except PackageNotFoundError:
            found = "(not installed)"
        print(f"pywats-tui {found}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pywats-tui",
        description="Terminal app for the WATS test-data server. Keys: F1 help, "
        "ctrl+p command palette, 1-9/0 screens, F2 connection, ctrl+q quit.",
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument("--url", help="server URL (overrides WATS_URL and the config file)")
    parser.add_argument("--token", help="API token (overrides WATS_TOKEN and the config file)")
    parser.add_argument("--config", type=Path, help="config file to read and save")
    parser.add_argument(
        "--theme",
        help="colour theme: pywats (the default, made for 256 colours), pywats-light, "
        "ansi-dark, ansi-light (the terminal's own palette), textual-dark...",
    )
    parser.add_argument(
        "--screen",
        help="the screen to open on and return to, e.g. units on a scan station "
        "(the default is the dashboard)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start a local WATS emulator with factory data and connect to it",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    demo = None
    # No garbage collection while starting: start-up allocates a lot and frees little, and
    # the collector's passes over it cost ~10% of the time to the first screen.
    gc_policy.before_start_up()
    try:
        url, token = args.url, args.token
        if args.demo:
            # Started before the app is even imported: the emulator boots while the app does.
            from tui.demo import DemoServer

            demo = DemoServer()
            demo.start()
            url, token = demo.url, demo.token

        from pywats.errors import ConfigError
        from tui.app import WATSApp  # after parsing, so --help is instant
        from tui.themes import DEFAULT_THEME

        try:
            app = WATSApp(
                url=url,
                token=token,
                config_path=args.config,
                theme=args.theme or DEFAULT_THEME,
                demo=demo,
                client_factory=demo.client_factory if demo else None,
                manage_gc=True,
                screen=args.screen,
            )
        except ConfigError as exc:
            print(f"pywats-tui: {exc}", file=sys.stderr)
            return 2
        # Everything made so far lives as long as the process: keep it out of the cyclic
        # garbage collector, whose full passes over it froze the screen for tens of ms.
        gc_policy.after_start_up()
        app.run()
    finally:
        gc.enable()  # also when start-up failed and main() was called from other code
        if demo is not None:
            demo.stop()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
