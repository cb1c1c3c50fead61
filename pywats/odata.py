"""A typed OData ``$filter`` builder that escapes every value.

    f = (F("partNumber").startswith("PCB-") & (F("state") == 1)) | F("name").contains("o'hara")
    str(f)  # "(startswith(partNumber,'PCB-') and state eq 1) or contains(name,'o''hara')"

Values are never interpolated as raw text: strings are quoted with ``'`` doubled, datetimes are
written in ISO 8601 with their offset, GUIDs lower-case, booleans ``true``/``false``.
"""

from __future__ import annotations

import math
import re
import uuid
from datetime import date, datetime
from enum import Enum
from typing import TypeAlias

from pywats.errors import WATSValidationError

__all__ = ["F", "Filter", "ODataValue", "literal"]

ODataValue: TypeAlias = str | int | float | bool | datetime | date | uuid.UUID | Enum | None
_FIELD_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(/[A-Za-z_][A-Za-z0-9_]*)*$")


def literal(value: ODataValue) -> str:
    """The OData literal for a Python value."""
    if isinstance(value, Enum):
        value = value.value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise WATSValidationError(f"{value!r} cannot be used in a filter", field="$filter")
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise WATSValidationError(
        f"cannot use a {type(value).__name__} value in a filter", field="$filter"
    )


class Filter:
    """A filter expression; combine with ``&`` (and), ``|`` (or) and ``~`` (not)."""

    __slots__ = ("_precedence", "_text")

    # Higher binds tighter: or < and < not/atoms.
    def __init__(self, text: str, precedence: int = 3) -> None:
        self._text = text
        self._precedence = precedence

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"Filter({self._text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Filter) and other._text == self._text

    def __hash__(self) -> int:
        return hash(self._text)

    def _wrapped(self, precedence: int) -> str:
        return f"({self._text})" if self._precedence < precedence else self._text

    def __and__(self, other: Filter) -> Filter:
        return Filter(f"{self._wrapped(2)} and {other._wrapped(2)}", 2)

    def __or__(self, other: Filter) -> Filter:
        return Filter(f"{self._wrapped(1)} or {other._wrapped(1)}", 1)

    def __invert__(self) -> Filter:
        return Filter(f"not ({self._text})" if self._precedence < 3 else f"not {self._text}", 3)

    @staticmethod
    def all_of(*filters: Filter | None) -> Filter | None:
        """AND of the given filters, skipping None; None if nothing is left."""
        present = [f for f in filters if f is not None]
        if not present:
            return None
        result = present[0]
        for item in present[1:]:
            result = result & item
        return result

    @staticmethod
    def any_of(*filters: Filter | None) -> Filter | None:
        """OR of the given filters, skipping None; None if nothing is left."""
        present = [f for f in filters if f is not None]
        if not present:
            return None
        result = present[0]
        for item in present[1:]:
            result = result | item
        return result


class F:
    """A field reference: ``F("partNumber") == "X"`` gives ``partNumber eq 'X'``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        if not _FIELD_RE.match(name):
            raise WATSValidationError(f"{name!r} is not a field name", field="$filter")
        self.name = name

    def _cmp(self, op: str, value: ODataValue) -> Filter:
        return Filter(f"{self.name} {op} {literal(value)}")

    def __eq__(self, value: ODataValue) -> Filter:  # type: ignore[override]
        return self._cmp("eq", value)

    def __ne__(self, value: ODataValue) -> Filter:  # type: ignore[override]
        return self._cmp("ne", value)

    def __gt__(self, value: ODataValue) -> Filter:
        return self._cmp("gt", value)

    def __ge__(self, value: ODataValue) -> Filter:
        return self._cmp("ge", value)

    def __lt__(self, value: ODataValue) -> Filter:
        return self._cmp("lt", value)

    def __le__(self, value: ODataValue) -> Filter:
        return self._cmp("le", value)

    def __hash__(self) -> int:
        return hash(self.name)

    def _func(self, name: str, value: str) -> Filter:
        if not isinstance(value, str):
            raise WATSValidationError(f"{name}() needs a string value", field=self.name)
        return Filter(f"{name}({self.name},{literal(value)})")

    def contains(self, value: str) -> Filter:
        return self._func("contains", value)

    def startswith(self, value: str) -> Filter:
        return self._func("startswith", value)

    def endswith(self, value: str) -> Filter:
        return self._func("endswith", value)

    def in_(self, values: list[ODataValue]) -> Filter:
        """``name eq a or name eq b ...``; an empty list is an error (it would match nothing)."""
        if not values:
            raise WATSValidationError("in_() needs at least one value", field=self.name)
        result = Filter.any_of(*(self == v for v in values))
        assert result is not None
        return Filter(f"({result})") if len(values) > 1 else result
