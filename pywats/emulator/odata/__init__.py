"""OData system query options ($filter, $orderby, $top, $skip) compiled to SQLite.

Typical use in a domain handler:

    FIELDS = {"partNumber": Field("part_number", "string"), "state": Field("state", "int")}
    query = ODataQuery.from_request(request, default_top=1000, max_top=100_000)
    rows = query.run(store, "SELECT * FROM product", FIELDS)

Bad expressions raise BadRequest (400) naming the parameter and the position.
"""

from .ast import Node
from .errors import ODataError
from .parser import parse_filter, parse_orderby
from .query import ODataQuery
from .sql import Field, FieldType, compile_filter, compile_orderby

__all__ = [
    "Field",
    "FieldType",
    "Node",
    "ODataError",
    "ODataQuery",
    "compile_filter",
    "compile_orderby",
    "parse_filter",
    "parse_orderby",
]
