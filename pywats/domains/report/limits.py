"""What the comparison operators mean: does a value pass its limits?

Numeric single-limit operators compare against ``lowLimit`` (the format uses ``lowLimit`` as
"the limit" even for LT/LE); two-limit operators use both, inside or outside the band.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

from .enums import NumericCompOp, StringCompOp

__all__ = ["numeric_passes", "string_passes"]

_Compare = Callable[[float, float], bool]

_SINGLE: dict[NumericCompOp, _Compare] = {
    NumericCompOp.EQ: operator.eq,
    NumericCompOp.NE: operator.ne,
    NumericCompOp.GT: operator.gt,
    NumericCompOp.GE: operator.ge,
    NumericCompOp.LT: operator.lt,
    NumericCompOp.LE: operator.le,
}

# (compare value with low, compare value with high, inside = both must hold / outside = either)
_DOUBLE: dict[NumericCompOp, tuple[_Compare, _Compare, bool]] = {
    NumericCompOp.GTLT: (operator.gt, operator.lt, True),
    NumericCompOp.GTLE: (operator.gt, operator.le, True),
    NumericCompOp.GELT: (operator.ge, operator.lt, True),
    NumericCompOp.GELE: (operator.ge, operator.le, True),
    NumericCompOp.LTGT: (operator.lt, operator.gt, False),
    NumericCompOp.LTGE: (operator.lt, operator.ge, False),
    NumericCompOp.LEGT: (operator.le, operator.gt, False),
    NumericCompOp.LEGE: (operator.le, operator.ge, False),
}


def numeric_passes(
    comp_op: NumericCompOp, value: float, low: float | None, high: float | None
) -> bool:
    """Whether ``value`` passes. A limit the operator needs but is missing fails."""
    if comp_op is NumericCompOp.LOG:
        return True
    if comp_op in _SINGLE:
        return low is not None and _SINGLE[comp_op](value, low)
    if low is None or high is None:
        return False
    against_low, against_high, inside = _DOUBLE[comp_op]
    if inside:
        return against_low(value, low) and against_high(value, high)
    return against_low(value, low) or against_high(value, high)


def string_passes(comp_op: StringCompOp, value: str, limit: str | None) -> bool:
    """Whether ``value`` passes. EQ and CASESENSIT compare exactly, IGNORECASE without case."""
    if comp_op is StringCompOp.LOG:
        return True
    if limit is None:
        return False
    if comp_op is StringCompOp.IGNORECASE:
        return value.casefold() == limit.casefold()
    if comp_op is StringCompOp.NE:
        return value != limit
    return value == limit
