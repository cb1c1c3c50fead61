"""Column widths for a table: as wide as their content, cut (with an ellipsis) only when the
table is too narrow to show them whole.

Fixed column widths (``add_column(..., width=15)``) cut values at every terminal size
("Final inspectio", "INSPECT-0" even at 160 columns). The app's tables ignore them: every
column takes its content's width (the widest cell or the header), and only when the sum does
not fit the table's width do the widest columns give way, the widest first, down to
:data:`MIN_WIDTH`, their cells (and header) then ending in ``…``. A wider
terminal, or a narrower page of rows, gives the columns back.

:class:`tui.widgets.table.Table` (every table of the app) applies it.
"""

from __future__ import annotations

__all__ = ["MIN_WIDTH", "fit_widths"]

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
