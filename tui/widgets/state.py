"""How an active / inactive state looks in tables and summaries (products, processes)."""

from __future__ import annotations

from rich.text import Text

__all__ = ["state_text"]


def state_text(active: bool) -> Text:
    return Text("Active", style="green") if active else Text("Inactive", style="red")
