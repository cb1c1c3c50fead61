"""Reading $filter/$orderby/$top/$skip from a request and running them against a table."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from starlette.requests import Request

from ..errors import BadRequest
from ..storage import Storage
from .ast import Node, OrderItem
from .errors import ODataError
from .parser import parse_filter, parse_orderby
from .sql import Field, compile_filter, compile_orderby


def _bad(parameter: str, source: str, error: ODataError) -> BadRequest:
    near = source[error.position : error.position + 20]
    where = f" near '{near}'" if near else " at the end"
    return BadRequest(
        f"Invalid {parameter} at position {error.position}{where}: {error.message}.",
        field=parameter,
    )


def _count(parameter: str, value: str | None) -> int | None:
    if value is None or value == "":
        return None
    text = value.strip()
    # ASCII digits only, and within the server's 32-bit range (int() also takes "1_0").
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 10 else -1
    if not 0 <= number <= 2**31 - 1:
        raise BadRequest(
            f"Invalid {parameter}: '{value[:40]}' is not a non-negative 32-bit integer.",
            field=parameter,
        )
    return number


@dataclass(frozen=True)
class ODataQuery:
    filter: Node | None = None
    filter_text: str = ""
    orderby: tuple[OrderItem, ...] = ()
    orderby_text: str = ""
    top: int | None = None
    skip: int = 0

    @classmethod
    def parse(
        cls,
        params: Mapping[str, str],
        *,
        default_top: int | None = None,
        max_top: int | None = None,
    ) -> ODataQuery:
        """Parse the system query options; syntax errors are 400s naming the option."""
        lowered = {key.lower(): value for key, value in params.items()}
        filter_text = lowered.get("$filter", "")
        orderby_text = lowered.get("$orderby", "")
        try:
            node = parse_filter(filter_text) if filter_text.strip() else None
        except ODataError as exc:
            raise _bad("$filter", filter_text, exc) from None
        try:
            order = tuple(parse_orderby(orderby_text)) if orderby_text.strip() else ()
        except ODataError as exc:
            raise _bad("$orderby", orderby_text, exc) from None
        top = _count("$top", lowered.get("$top"))
        if top is None:
            top = default_top
        if top is not None and max_top is not None and top > max_top:
            raise BadRequest(f"Invalid $top: at most {max_top} items per request.", field="$top")
        return cls(
            node, filter_text, order, orderby_text, top, _count("$skip", lowered.get("$skip")) or 0
        )

    @classmethod
    def from_request(
        cls, request: Request, *, default_top: int | None = None, max_top: int | None = None
    ) -> ODataQuery:
        return cls.parse(dict(request.query_params), default_top=default_top, max_top=max_top)

    def to_sql(
        self,
        base_sql: str,
        fields: Mapping[str, Field],
        params: Sequence[object] = (),
        *,
        default_order: str | None = None,
    ) -> tuple[str, list[object]]:
        """Wrap `base_sql` (any SELECT) with this query's WHERE, ORDER BY, LIMIT and OFFSET.

        Field SQL refers to the columns `base_sql` returns. `default_order` (SQL) keeps
        paging stable when the client gives no $orderby, and breaks ties when it does.
        """
        sql = f"SELECT * FROM ({base_sql}) AS odata_base"  # noqa: S608 - SQL comes from code
        values: list[object] = list(params)
        if self.filter is not None:
            try:
                where, where_params = compile_filter(self.filter, fields)
            except ODataError as exc:
                raise _bad("$filter", self.filter_text, exc) from None
            sql += f" WHERE {where}"
            values += where_params
        order = ""
        if self.orderby:
            try:
                order = compile_orderby(list(self.orderby), fields)
            except ODataError as exc:
                raise _bad("$orderby", self.orderby_text, exc) from None
        if default_order:
            order = f"{order}, {default_order}" if order else default_order
        if order:
            sql += f" ORDER BY {order}"
        if self.top is not None or self.skip:
            sql += " LIMIT ? OFFSET ?"
            values += [-1 if self.top is None else self.top, self.skip]
        return sql, values

    def run(
        self,
        store: Storage,
        base_sql: str,
        fields: Mapping[str, Field],
        params: Sequence[object] = (),
        *,
        default_order: str | None = None,
    ) -> list[sqlite3.Row]:
        sql, values = self.to_sql(base_sql, fields, params, default_order=default_order)
        return store.query(sql, values)
