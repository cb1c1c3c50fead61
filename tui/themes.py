"""The app's themes. Every colour is an exact xterm-256 palette entry, so a 256-colour SSH
session shows what was designed instead of the nearest (often merged) neighbour."""

from __future__ import annotations

from textual.theme import Theme

__all__ = ["DEFAULT_THEME", "THEMES"]

DEFAULT_THEME = "pywats"

THEMES = (
    Theme(
        name="pywats",
        primary="#5f87d7",  # 68
        secondary="#87afd7",  # 110
        accent="#ffaf00",  # 214
        warning="#ffaf00",  # 214
        error="#ff5f5f",  # 203
        success="#5fd75f",  # 77
        foreground="#e4e4e4",  # 254
        background="#1c1c1c",  # 234
        surface="#262626",  # 235
        panel="#303030",  # 236
        dark=True,
    ),
    Theme(
        name="pywats-light",
        primary="#005faf",  # 25
        secondary="#0087af",  # 31
        accent="#af5f00",  # 130
        warning="#af5f00",  # 130
        error="#d70000",  # 160
        success="#008700",  # 28
        foreground="#1c1c1c",  # 234
        background="#eeeeee",  # 255
        surface="#e4e4e4",  # 254
        panel="#d0d0d0",  # 252
        dark=False,
    ),
)
