"""The app's data table: Textual's DataTable, with rows repainted once their columns are sized.

DataTable sizes its columns from new rows on its next Idle event, but it caches rendered rows
under a key that leaves the column widths out. A frame drawn between ``add_row`` and that Idle
(which happens on a loaded machine) cached cells cut to the header's width, and the table kept
showing ``2025-`` for ``2025-06-15`` until something else repainted it. Every table in the app
is this one, so none can show that.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from textual.widgets import DataTable
from textual.widgets._data_table import RowKey

__all__ = ["Table"]

CellType = TypeVar("CellType")


class Table(DataTable[CellType]):
    """A DataTable whose rendered rows never outlive the column widths they were cut to."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        widths = [column.content_width for column in self.ordered_columns]
        super()._update_dimensions(new_rows)
        if widths != [column.content_width for column in self.ordered_columns]:
            self._clear_caches()
            self.refresh()
