"""A table whose columns are as wide as their content, cut with an ellipsis only when the
table is too narrow to show them whole.

Fixed column widths (``add_column(..., width=15)``) cut values at every terminal size
("Final inspectio", "INSPECT-0" even at 160 columns). :class:`FitTable` ignores them: every
column takes its content's width (the widest cell or the header), and only when the sum does
not fit the table's width do the widest columns give way, the widest first, down to
:data:`MIN_WIDTH`, their cells (and header) then ending in ``…``. A wider
terminal, or a narrower page of rows, gives the columns back.

It overrides two private DataTable methods (the sizing pass and the row renderables), like
:class:`tui.widgets.table.Table` does: DataTable has no public hook for either.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.widgets._data_table import RowKey, RowRenderables

from tui.widgets.table import Table

__all__ = ["MIN_WIDTH", "FitTable", "fit_widths"]

CellType = TypeVar("CellType")

#: No column is cut narrower than this (or than its content, if that is less).
MIN_WIDTH = 6


def fit_widths(natural: list[int], floors: list[int], budget: int) -> list[int]:
    """Column widths that fit ``budget``: the natural ones when they fit, else the widest cut
    down (the widest first, never below their floor) until the sum fits or all are at floor."""
    widths = list(natural)
    excess = sum(widths) - budget
    while excess > 0:
        cuttable = [i for i, w in enumerate(widths) if w > floors[i]]
        if not cuttable:
            break
        widest = max(widths[i] for i in cuttable)
        at_top = [i for i in cuttable if widths[i] == widest]
        below = max([widths[i] for i in cuttable if widths[i] < widest] + [0])
        floor = max(floors[i] for i in at_top)
        # Lower the widest together, to the next width down (or as far as needed).
        step_room = widest - max(below, floor)
        need = -(-excess // len(at_top))  # ceil
        step = max(1, min(step_room, need))
        for i in at_top:
            cut = min(step, widths[i] - floors[i], excess)
            if cut > 0:
                widths[i] -= cut
                excess -= cut
    return widths


class FitTable(Table[CellType]):
    """Columns sized to their content; an ellipsis only where the width runs out."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._cut_columns: frozenset[int] = frozenset()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        self._fit()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        columns = self.ordered_columns
        available = self.scrollable_content_region.width
        if not columns or available <= 0:
            return
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
            Table._update_dimensions(self, [])
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
