"""What ``c`` copies: the value under the cursor of the focused table or tree.

A table with a cell cursor copies that cell; a row-cursor table the row's serial number (its
Serial column) or else its first filled cell; a tree its node's label, except a report step
with one numeric measurement, which copies the measured value with its unit.

The copy itself goes through :meth:`textual.app.App.copy_to_clipboard`, which writes an OSC 52
sequence to the terminal, so it reaches the technician's own clipboard over SSH too.
"""

from __future__ import annotations

from rich.text import Text
from textual.coordinate import Coordinate
from textual.widget import Widget
from textual.widgets import DataTable, Input, Tree

__all__ = ["cell_text", "focused_value"]


def cell_text(value: object) -> str:
    """A table cell or node label as plain text (Rich Text, markup-free strings, numbers)."""
    if isinstance(value, Text):
        return value.plain.strip()
    plain = getattr(value, "plain", None)  # textual.content.Content
    if isinstance(plain, str):
        return plain.strip()
    return "" if value is None else str(value).strip()


def focused_value(widget: Widget | None) -> tuple[str, str] | None:
    """(what it is, its text) for the focused widget's current value, or None."""
    if isinstance(widget, DataTable):
        return _table_value(widget)
    if isinstance(widget, Tree):
        node = widget.cursor_node
        if node is None:
            return None
        measured = _measured_value(node.data)
        if measured is not None:
            return measured
        text = cell_text(node.label)
        return ("the node", text) if text else None
    if isinstance(widget, Input) and not widget.password and widget.value.strip():
        return ("the field", widget.value.strip())
    return None


def _table_value(table: DataTable[object]) -> tuple[str, str] | None:
    if table.row_count == 0 or not table.ordered_columns:
        return None
    row, column = table.cursor_coordinate
    if not table.is_valid_row_index(row):
        return None
    column = column if table.cursor_type == "cell" else _first_filled(table, row)
    try:
        text = cell_text(table.get_cell_at(Coordinate(row, column)))
    except Exception:  # a row removed between the key and now
        return None
    if not text:
        return None
    label = cell_text(table.ordered_columns[column].label) or "the value"
    return label, text


def _first_filled(table: DataTable[object], row: int) -> int:
    """In a row-cursor table, the cell a technician copies: the serial number when the table
    has a Serial column, else the row's first non-empty cell (the id or name)."""
    values = table.get_row_at(row)
    for index, column in enumerate(table.ordered_columns):
        label = cell_text(column.label).casefold()
        serial = "serial" in label or label == "sn"
        if serial and index < len(values) and cell_text(values[index]):
            return index
    for index, value in enumerate(values):
        if cell_text(value):
            return index
    return 0


def _measured_value(step: object) -> tuple[str, str] | None:
    """A report step with one numeric measurement: its value and unit (``3.31 V``)."""
    numeric = getattr(step, "numeric_meas", None)
    if not isinstance(numeric, list) or len(numeric) != 1:
        return None
    value = getattr(numeric[0], "value", None)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    unit = getattr(numeric[0], "unit", None) or ""
    name = getattr(step, "name", None) or "the step"
    return f"the value of {name}", f"{value:g} {unit}".strip()
