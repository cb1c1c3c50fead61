"""The parsed form of a $filter / $orderby expression."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

LiteralKind = Literal["string", "int", "float", "bool", "null", "datetime", "guid"]
LiteralValue = str | int | float | bool | datetime | None


@dataclass(frozen=True)
class Literal_:
    kind: LiteralKind
    value: LiteralValue
    position: int


@dataclass(frozen=True)
class FieldRef:
    name: str  # as written, e.g. "partNumber" or "subUnit/partNumber"
    position: int


@dataclass(frozen=True)
class Call:
    name: str  # lower-case function name
    args: tuple[Node, ...]
    position: int


@dataclass(frozen=True)
class Compare:
    op: str  # eq ne gt ge lt le
    left: Node
    right: Node
    position: int


@dataclass(frozen=True)
class BoolOp:
    """A chain `a and b and c` as one node: long chains (OData's way of writing an
    "in" list) then need no deep recursion to compile."""

    op: str  # and / or
    operands: tuple[Node, ...]
    position: int


@dataclass(frozen=True)
class Not:
    operand: Node
    position: int


Node = Literal_ | FieldRef | Call | Compare | BoolOp | Not


@dataclass(frozen=True)
class OrderItem:
    field: FieldRef
    descending: bool
