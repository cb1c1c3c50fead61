"""The registry of navigable screens: one key each, listed in the navigation bar, F1 and palette.

A domain screen joins the app with ONE line, the decorator on its class::

    from tui.navigation import register_screen
    from tui.screen import WATSScreen

    @register_screen(key="2", title="Products", label="Products")
    class ProductsScreen(WATSScreen):
        ...

Every module in ``tui/screens/`` is imported when the app starts (:func:`discover_screens`),
so nothing else needs editing. Keys are digits so they never collide with a screen's own
letter bindings and reach the app over any terminal; by convention:

    1 Dashboard  2 Products  3 Units (production)  4 Processes  5 Reports  6 Analytics
    7 Assets     8 Software  9 Root cause          0 Users (SCIM)

Only screens that exist are registered, so the navigation never lists a placeholder.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from textual.screen import Screen

__all__ = [
    "NavEntry",
    "discover_screens",
    "nav_entries",
    "palette_entries",
    "register_palette_screen",
    "register_screen",
]

NAV_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0")

ScreenT = TypeVar("ScreenT", bound=type[Screen])  # type: ignore[type-arg]


@dataclass(frozen=True)
class NavEntry:
    """One navigable screen.

    ``name`` is the Textual mode name (also the id used by ``action_go``); ``label`` is the
    text in the one-line navigation bar (keep it within 10 characters) and ``short`` the one
    used when all labels do not fit (4 characters: ten screens must fit in 80 columns).
    """

    key: str
    name: str
    title: str
    label: str
    short: str
    description: str
    factory: Callable[[], Screen]  # type: ignore[type-arg]

    @property
    def order(self) -> int:
        return NAV_KEYS.index(self.key)


_REGISTRY: dict[str, NavEntry] = {}


def register_screen(
    *,
    key: str,
    title: str,
    label: str | None = None,
    short: str | None = None,
    description: str = "",
) -> Callable[[ScreenT], ScreenT]:
    """Class decorator: make a screen reachable with ``key`` from anywhere in the app."""
    if key not in NAV_KEYS:
        raise ValueError(f"navigation key must be one of {' '.join(NAV_KEYS)}, not {key!r}")

    def decorate(cls: ScreenT) -> ScreenT:
        name = cls.__name__.removesuffix("Screen").lower() or cls.__name__.lower()
        for entry in _REGISTRY.values():
            if entry.key == key and entry.name != name:
                raise ValueError(f"key {key!r} is already used by the {entry.title} screen")
        _REGISTRY[name] = NavEntry(
            key=key,
            name=name,
            title=title,
            label=label or title,
            short=short or (label or title)[:4],
            description=description or f"Go to {title}",
            factory=cls,
        )
        return cls

    return decorate


_PALETTE: dict[str, NavEntry] = {}


def register_palette_screen(*, title: str, description: str = "") -> Callable[[ScreenT], ScreenT]:
    """Class decorator for a screen without a digit key (all ten are taken): it is reached
    from the command palette ("Go to <title>") and is not listed in the navigation bar."""

    def decorate(cls: ScreenT) -> ScreenT:
        name = cls.__name__.removesuffix("Screen").lower() or cls.__name__.lower()
        _PALETTE[name] = NavEntry(key="", name=name, title=title, label=title,
                                  short=title[:4], description=description or f"Go to {title}",
                                  factory=cls)  # fmt: skip
        return cls

    return decorate


def palette_entries() -> list[NavEntry]:
    """Screens reached from the command palette only, by title."""
    return sorted(_PALETTE.values(), key=lambda entry: entry.title)


def nav_entries() -> list[NavEntry]:
    """The registered screens in key order (1..9, then 0)."""
    return sorted(_REGISTRY.values(), key=lambda entry: entry.order)


def discover_screens(package: str = "tui.screens") -> None:
    """Import every module of ``package`` so that their ``@register_screen`` lines run."""
    module = importlib.import_module(package)
    for info in pkgutil.iter_modules(module.__path__, prefix=f"{package}."):
        importlib.import_module(info.name)
