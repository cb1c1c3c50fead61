"""Paging for list screens that show one page of a long server list at a time.

A screen asks the server for one row more than a page: if that row comes back there is a next
page, with no count query. :class:`Pager` keeps the page state and writes the status line;
:class:`PagedScreen` gives a screen the reload / next / previous actions over its
``load_page``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from tui.screen import WATSScreen

__all__ = ["PagedScreen", "Pager"]

T = TypeVar("T")


class Pager:
    """Which page is shown, and whether the server has more."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.page = 0
        self.has_next = False

    @property
    def fetch_count(self) -> int:
        """How many rows to ask for: one more than a page tells whether there is a next."""
        return self.size + 1

    def skip(self, page: int) -> int:
        return page * self.size

    def accept(self, page: int, rows: Sequence[T]) -> list[T]:
        """Record that ``page`` arrived with ``rows``; the rows to show."""
        self.page = page
        self.has_next = len(rows) > self.size
        return list(rows[: self.size])

    def describe(self, shown: int, noun: str, *, nothing: str) -> str:
        """``Products 1-200, page 1  (n next)``; ``nothing`` when the first page is empty."""
        if shown == 0:
            return nothing if self.page == 0 else f"No more {noun.lower()}."
        first = self.page * self.size
        text = f"{noun} {first + 1}-{first + shown}, page {self.page + 1}"
        hints = [
            hint
            for hint, usable in (("n next", self.has_next), ("p previous", self.page > 0))
            if usable
        ]
        if hints:
            text += f"  ({', '.join(hints)})"
        return text


class PagedScreen(WATSScreen):
    """A list screen with a :class:`Pager` and the reload / next / previous page actions.

    Subclasses implement ``load_page(page)`` and bind keys to ``reload``, ``next_page`` and
    ``previous_page``.
    """

    def __init__(self, page_size: int) -> None:
        super().__init__()
        self.pager = Pager(page_size)

    def load_page(self, page: int) -> None:
        raise NotImplementedError

    @property
    def page(self) -> int:
        return self.pager.page

    @property
    def has_next(self) -> bool:
        return self.pager.has_next

    def action_reload(self) -> None:
        self.load_page(self.pager.page)

    def action_next_page(self) -> None:
        if self.pager.has_next:
            self.load_page(self.pager.page + 1)
        else:
            self.notify("This is the last page.", timeout=2)

    def action_previous_page(self) -> None:
        if self.pager.page > 0:
            self.load_page(self.pager.page - 1)
        else:
            self.notify("This is the first page.", timeout=2)
