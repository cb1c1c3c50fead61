"""The header's list position: where the cursor of the focused list is, out of how many.

``57 of 340`` for a list the screen holds whole; ``201-400 of 450`` for a list that comes a
page at a time (:class:`tui.paging.Pager`), where the total is ``400+`` until the last page
shows how many there are (the WATS API has no count query); empty when no list has focus.
"""

from __future__ import annotations

from textual.widgets import Static

__all__ = ["ListPosition", "describe_position"]


def describe_position(
    row: int | None, rows: int, *, page: int | None = None, size: int = 0, more: bool = False
) -> str:
    """``57 of 340``; with ``page`` (0-based, ``size`` rows each): ``201-400 of 400+``."""
    if page is None:
        if rows == 0:
            return "empty"
        return f"{(row or 0) + 1:,} of {rows:,}"
    if rows == 0:
        return "none" if page == 0 else f"none after {page * size:,}"
    first = page * size + 1
    last = page * size + rows
    total = f"{last:,}+" if more else f"{last:,}"
    return f"{first:,}\u2013{last:,} of {total}"  # an en dash


class ListPosition(Static):
    """One short cell of the header; the screen sets its text (``WATSScreen``)."""

    _text = ""

    def show(self, text: str) -> None:
        """Show ``text``; the screen is laid out again only when the cell's width changes.

        Each arrow key in a list changes the digits, seldom their number: laying the whole
        screen out again for each (as a plain ``update`` does) cost the layout of every
        widget on screen per key.
        """
        if text == self._text:
            return
        widen = len(text) != len(self._text)
        self._text = text
        self.update(f" {text} " if text else "", layout=widen)
        self.display = bool(text)
