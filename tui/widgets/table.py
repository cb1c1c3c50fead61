"""The app's data table: Textual's DataTable, with columns sized to their content and rows
repainted once their columns are sized.

- **Sizing.** Fixed column widths (``add_column(..., width=15)``) cut values at every terminal
  size ("Final inspectio", "INSPECT-0" even at 160 columns). Every column here takes its
  content's width (the widest cell or the header); only when the sum does not fit the table
  do the widest columns give way, the widest first, down to
  :data:`tui.widgets.columns.MIN_WIDTH`, their cells (and header) then ending in ``…``. A
  wider terminal, or a narrower page of rows, gives the columns back.
- **Repainting.** DataTable sizes its columns from new rows on its next Idle event, but it
  caches rendered rows under a key that leaves the column widths out. A frame drawn between
  ``add_row`` and that Idle (which happens on a loaded machine) cached cells cut to the
  header's width, and the table kept showing ``2025-`` for ``2025-06-15`` until something
  else repainted it.

It overrides private DataTable methods (the sizing pass and the row renderables): DataTable
has no public hook for either. Every table in the app is this one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.widgets import DataTable
from textual.widgets._data_table import RowKey, RowRenderables

from tui.widgets.columns import MIN_WIDTH, fit_widths

__all__ = ["Table"]

CellType = TypeVar("CellType")


class Table(DataTable[CellType]):
    """A DataTable whose columns fit their content and whose rows never outlive the widths
    they were cut to."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._cut_columns: frozenset[int] = frozenset()
        self._fitted_width: int | None = None  # the width the columns were last fitted to

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        self._measure(new_rows)
        self._fit()

    def _measure(self, new_rows: Iterable[RowKey]) -> None:
        widths = [column.content_width for column in self.ordered_columns]
        super()._update_dimensions(new_rows)
        if widths != [column.content_width for column in self.ordered_columns]:
            self._clear_caches()
            self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def watch_show_vertical_scrollbar(self) -> None:
        # The scrollbar comes or goes with the rows, and no Resize follows (DataTable sets
        # its virtual size itself): refit to the two columns it took or gave back, once the
        # layout has it. A filter narrowing 20 assets to 3 left the names cut short.
        self.call_after_refresh(self._fit)

    @property
    def fit_pending(self) -> bool:
        """The columns were fitted to another width than the table has now: the refit (after
        a Resize, or a vertical scrollbar coming or going with the rows) is still to come."""
        width = self.scrollable_content_region.width
        return bool(self.ordered_columns) and width > 0 and width != self._fitted_width

    def _fit(self) -> None:
        columns = self.ordered_columns
        available = self.scrollable_content_region.width
        if not columns or available <= 0:
            return
        self._fitted_width = available
        pad = 2 * self.cell_padding
        label = 0
        if self.show_row_labels and self._labelled_row_exists:
            label = self._label_column.get_render_width(self)
        natural = [max(column.content_width, 1) for column in columns]
        floors = [min(nat, MIN_WIDTH) for nat in natural]
        widths = fit_widths(natural, floors, available - label - pad * len(columns))
        cut: set[int] = set()
        changed = False
        for index, (column, nat, width) in enumerate(zip(columns, natural, widths, strict=True)):
            if width >= nat:
                if not column.auto_width:
                    column.auto_width = True
                    changed = True
            else:
                cut.add(index)
                if column.auto_width or column.width != width:
                    column.auto_width = False
                    column.width = width
                    changed = True
        if changed or frozenset(cut) != self._cut_columns:
            self._cut_columns = frozenset(cut)
            # Recompute the scrollable width from the new column widths, repaint the cells.
            self._measure([])
            self._clear_caches()
            self.refresh()

    def _compute_row_renderables(self, row_index: int) -> RowRenderables:
        renderables = super()._compute_row_renderables(row_index)
        if not self._cut_columns:
            return renderables
        cells: list[RenderableType] = []
        for index, cell in enumerate(renderables.cells):
            if index in self._cut_columns and isinstance(cell, Text):
                cell = cell.copy()
                cell.no_wrap = True
                cell.overflow = "ellipsis"
            cells.append(cell)
        return RowRenderables(renderables.label, cells)
