"""Compiling a parsed $filter / $orderby to a SQLite expression with bound parameters.

Values never enter the SQL text: every literal becomes a `?` parameter. Field
names map to SQL expressions chosen by the domain (a column, or e.g.
json_extract(doc, '$.partNumber')), so the client cannot name arbitrary columns.
Types are checked, so "partNumber gt 5" is a 400, not a silent empty result.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from ..storage import CASELESS, FOLD
from .ast import Call, Compare, FieldRef, Literal_, Node, Not, OrderItem
from .errors import ODataError
from .lexer import parse_datetime_literal

FieldType = Literal["string", "int", "float", "bool", "datetime", "guid"]
# Types of compiled expressions: numbers are one type; null is compatible with all.
_ExprType = Literal["string", "number", "bool", "datetime", "guid", "null"]

_SQL_OPS = {"eq": "IS", "ne": "IS NOT", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}


@dataclass(frozen=True)
class Field:
    """How one OData property maps to SQL: an expression (trusted, from code) and a type.

    Datetimes must be stored as ISO-8601 text (SQLite's julianday() reads them, with
    or without an offset); GUIDs as lower-case text; booleans as 0/1.
    """

    sql: str
    type: FieldType


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[object, ...]
    type: _ExprType


_EXPR_TYPES: dict[FieldType, _ExprType] = {
    "string": "string",
    "int": "number",
    "float": "number",
    "bool": "bool",
    "datetime": "datetime",
    "guid": "guid",
}


def _expr_type(field_type: FieldType) -> _ExprType:
    return _EXPR_TYPES[field_type]


def _datetime_param(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class _Compiler:
    def __init__(self, fields: Mapping[str, Field]) -> None:
        self.fields = fields
        self._lower = {name.lower(): name for name in fields}

    def field(self, ref: FieldRef) -> Field:
        name = ref.name if ref.name in self.fields else self._lower.get(ref.name.lower())
        if name is None:
            known = ", ".join(sorted(self.fields)) or "none"
            raise ODataError(f"unknown field '{ref.name}' (filterable: {known})", ref.position)
        return self.fields[name]

    def compile(self, node: Node) -> _Compiled:
        if isinstance(node, Literal_):
            return self.literal(node)
        if isinstance(node, FieldRef):
            field = self.field(node)
            sql = f"julianday({field.sql})" if field.type == "datetime" else field.sql
            return _Compiled(sql, (), _expr_type(field.type))
        if isinstance(node, Compare):
            return self.compare(node)
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, Not):
            operand = self.boolean(node.operand, "not")
            return _Compiled(f"(NOT {operand.sql})", operand.params, "bool")
        parts = [self.boolean(operand, node.op) for operand in node.operands]
        return _balanced(node.op.upper(), parts)

    def literal(self, node: Literal_) -> _Compiled:
        value = node.value
        if node.kind == "null":
            return _Compiled("NULL", (), "null")
        if node.kind == "bool":
            return _Compiled("?", (1 if value else 0,), "bool")
        if node.kind in ("int", "float"):
            return _Compiled("?", (value,), "number")
        if node.kind == "datetime":
            assert isinstance(value, datetime)
            return _Compiled("julianday(?)", (_datetime_param(value),), "datetime")
        if node.kind == "guid":
            return _Compiled("?", (value,), "guid")
        return _Compiled("?", (value,), "string")

    def boolean(self, node: Node, where: str) -> _Compiled:
        compiled = self.compile(node)
        if compiled.type != "bool":
            raise ODataError(f"'{where}' needs a true/false condition here", _position(node))
        return compiled

    def _coerce(self, literal: Node, target: _ExprType) -> _Compiled | None:
        """A quoted string compared with a datetime or GUID field means that type."""
        if not isinstance(literal, Literal_) or literal.kind != "string":
            return None
        assert isinstance(literal.value, str)
        if target == "datetime":
            parsed = parse_datetime_literal(literal.value, literal.position)
            return _Compiled("julianday(?)", (_datetime_param(parsed),), "datetime")
        if target == "guid":
            try:
                return _Compiled("?", (str(uuid.UUID(literal.value)),), "guid")
            except ValueError:
                raise ODataError(
                    f"'{literal.value}' is not a valid GUID", literal.position
                ) from None
        return None

    def compare(self, node: Compare) -> _Compiled:
        left, right = self.compile(node.left), self.compile(node.right)
        if left.type != right.type and "null" not in (left.type, right.type):
            left = self._coerce(node.left, right.type) or left
            right = self._coerce(node.right, left.type) or right
        types = {left.type, right.type}
        if len(types - {"null"}) > 1:
            left_kind, right_kind = _kind(node.left, left.type), _kind(node.right, right.type)
            raise ODataError(f"cannot compare {left_kind} with {right_kind}", node.position)
        ordered = node.op not in ("eq", "ne")
        if ordered and ("null" in types or types & {"bool", "guid"}):
            kind = next(iter(types & {"null", "bool", "guid"}))
            raise ODataError(f"'{node.op}' cannot be used with {kind} values", node.position)
        # Text compares without regard to case, as under the server's SQL Server collation.
        collate = f" COLLATE {CASELESS}" if types == {"string"} else ""
        sql = f"({left.sql} {_SQL_OPS[node.op]} {right.sql}{collate})"
        return _Compiled(sql, left.params + right.params, "bool")

    def call(self, node: Call) -> _Compiled:
        args = [self.compile(arg) for arg in node.args]
        for arg, compiled in zip(node.args, args, strict=True):
            if compiled.type not in ("string", "null"):
                raise ODataError(
                    f"{node.name}() needs text arguments, not {_kind(arg, compiled.type)}",
                    _position(arg),
                )
        if node.name in ("tolower", "toupper", "trim", "length"):
            sql_function = {"tolower": "wats_lower", "toupper": "wats_upper"}.get(
                node.name, node.name
            )
            result: _ExprType = "number" if node.name == "length" else "string"
            return _Compiled(f"{sql_function}({args[0].sql})", args[0].params, result)
        # Case-insensitive like the server: both sides folded (casefold, all of Unicode).
        text, part = (
            _Compiled(f"{FOLD}({arg.sql})", arg.params, arg.type) for arg in args
        )
        if node.name == "contains":
            return _Compiled(
                f"(instr({text.sql}, {part.sql}) > 0)", text.params + part.params, "bool"
            )
        if node.name == "startswith":
            sql = f"(substr({text.sql}, 1, length({part.sql})) = {part.sql})"
            return _Compiled(sql, text.params + part.params + part.params, "bool")
        # endswith: compare the tail, guarding parts longer than the text.
        sql = (
            f"(length({text.sql}) >= length({part.sql}) AND "
            f"substr({text.sql}, length({text.sql}) - length({part.sql}) + 1) = {part.sql})"
        )
        params = text.params + part.params + text.params + text.params + part.params + part.params
        return _Compiled(sql, params, "bool")


def _balanced(op: str, parts: list[_Compiled]) -> _Compiled:
    """Join with AND/OR as a balanced tree: SQLite limits expression depth (1000), and a
    left-deep chain of a few hundred ORs would exceed it."""
    if len(parts) == 1:
        return parts[0]
    middle = len(parts) // 2
    left, right = _balanced(op, parts[:middle]), _balanced(op, parts[middle:])
    return _Compiled(f"({left.sql} {op} {right.sql})", left.params + right.params, "bool")


def _position(node: Node) -> int:
    return node.position


def _kind(node: Node, expr_type: _ExprType) -> str:
    if isinstance(node, FieldRef):
        return f"{expr_type} field '{node.name}'"
    return f"a {expr_type}" if expr_type != "null" else "null"


def compile_filter(node: Node, fields: Mapping[str, Field]) -> tuple[str, list[object]]:
    """SQL for a WHERE clause and its parameters."""
    compiler = _Compiler(fields)
    compiled = compiler.compile(node)
    if compiled.type != "bool":
        raise ODataError("the filter must be a condition (true or false)", _position(node))
    return compiled.sql, list(compiled.params)


def compile_orderby(items: list[OrderItem], fields: Mapping[str, Field]) -> str:
    """SQL for an ORDER BY clause (no parameters: only field expressions appear)."""
    compiler = _Compiler(fields)
    parts = []
    for item in items:
        compiled = compiler.compile(item.field)
        collate = f" COLLATE {CASELESS}" if compiled.type == "string" else ""
        parts.append(f"{compiled.sql}{collate} {'DESC' if item.descending else 'ASC'}")
    return ", ".join(parts)
