"""Timeouts for calls a person waits on, shorter than the SDK's batch defaults.

A script may wait minutes for a big query (the SDK's default deadline is 300 s a call, with a
60 s read timeout); a technician at a station should not. The TUI's client gives every call
a deadline of :data:`INTERACTIVE_DEADLINE` seconds, retries included, with short phase
timeouts, so a server that accepts connections and never answers fails in half a minute with
"Server too slow" instead of three minutes of spinners. The connection screen says so
(:func:`timeouts_line`).
"""

from __future__ import annotations

import httpx2

from pywats.client import AsyncWATS
from pywats.options import DEFAULT_DEADLINE, DEFAULT_TIMEOUT

__all__ = [
    "INTERACTIVE_DEADLINE",
    "INTERACTIVE_TIMEOUT",
    "interactive_client",
    "timeouts_line",
]

#: Seconds for one whole call from a screen, retries included.
INTERACTIVE_DEADLINE = 30.0
#: Phase timeouts of a screen's calls: connect and pool waits fail fast; a read may take a
#: while (analytics over a big factory), but not the whole deadline in one attempt.
INTERACTIVE_TIMEOUT = httpx2.Timeout(connect=5.0, read=20.0, write=20.0, pool=5.0)


def interactive_client(url: str, token: str, *, max_retries: int | None = None) -> AsyncWATS:
    """The app's client: the SDK's, with the interactive deadline and phase timeouts."""
    return AsyncWATS(
        url,
        token,
        max_retries=max_retries,
        timeout=INTERACTIVE_TIMEOUT,
        deadline=INTERACTIVE_DEADLINE,
    )


def _seconds(value: float | None) -> str:
    return "no limit" if value is None else f"{value:g} s"


def timeouts_line(
    deadline: float | None = INTERACTIVE_DEADLINE,
    timeout: httpx2.Timeout = INTERACTIVE_TIMEOUT,
) -> str:
    """What the connection screen says about timeouts, e.g. ``Calls from this app give up
    after 30 s (connect 5 s, read 20 s), retries included; scripts (SDK default) after 300 s.``
    """
    return (
        f"Calls from this app give up after {_seconds(deadline)} (connect "
        f"{_seconds(timeout.connect)}, read {_seconds(timeout.read)}), retries included; "
        f"scripts using the SDK's defaults wait up to {_seconds(DEFAULT_DEADLINE)} "
        f"(read {_seconds(DEFAULT_TIMEOUT.read)})."
    )
