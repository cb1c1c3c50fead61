"""A recursive-descent parser for $filter and $orderby.

Grammar (lowest precedence first):
    expr       := and_expr ("or" and_expr)*
    and_expr   := unary ("and" unary)*
    unary      := "not" unary | comparison
    comparison := operand (("eq"|"ne"|"gt"|"ge"|"lt"|"le") operand)?
    operand    := "(" expr ")" | call | literal | field
    call       := name "(" [expr ("," expr)*] ")"
    orderby    := field ["asc"|"desc"] ("," field ["asc"|"desc"])*
"""

from __future__ import annotations

from .ast import BoolOp, Call, Compare, FieldRef, Literal_, Node, Not, OrderItem
from .errors import ODataError
from .lexer import Token, tokenize

COMPARISONS = ("eq", "ne", "gt", "ge", "lt", "le")
# name -> number of arguments
FUNCTIONS = {
    "contains": 2,
    "substringof": 2,  # OData v3 spelling of contains, arguments swapped
    "startswith": 2,
    "endswith": 2,
    "tolower": 1,
    "toupper": 1,
    "length": 1,
    "trim": 1,
}
MAX_LENGTH = 10_000
MAX_DEPTH = 100
_KEYWORDS = {"and", "or", "not", "true", "false", "null", *COMPARISONS}


def _describe(token: Token) -> str:
    return "the end of the expression" if token.kind == "end" else f"'{token.text}'"


class _Parser:
    def __init__(self, source: str) -> None:
        if len(source) > MAX_LENGTH:
            raise ODataError(f"the expression is longer than {MAX_LENGTH} characters", MAX_LENGTH)
        self.tokens = tokenize(source)
        self.index = 0
        self.depth = 0

    def nest(self) -> None:
        """Count one level of nesting; a bound keeps hostile input from exhausting the stack."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ODataError(
                f"the expression nests deeper than {MAX_DEPTH} levels", self.current.position
            )

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.current
        if token.kind != "end":
            self.index += 1
        return token

    def at_word(self, *words: str) -> bool:
        token = self.current
        return token.kind == "ident" and token.text.lower() in words

    def expect(self, kind: str, what: str) -> Token:
        token = self.current
        if token.kind != kind:
            raise ODataError(f"expected {what} but found {_describe(token)}", token.position)
        return self.advance()

    def expect_end(self) -> None:
        token = self.current
        if token.kind != "end":
            raise ODataError(
                f"expected 'and', 'or' or the end of the expression but found {_describe(token)}",
                token.position,
            )

    # --- $filter ---

    def expr(self) -> Node:
        self.nest()
        operands = [self.and_expr()]
        position = self.current.position
        while self.at_word("or"):
            self.advance()
            operands.append(self.and_expr())
        self.depth -= 1
        return operands[0] if len(operands) == 1 else BoolOp("or", tuple(operands), position)

    def and_expr(self) -> Node:
        operands = [self.unary()]
        position = self.current.position
        while self.at_word("and"):
            self.advance()
            operands.append(self.unary())
        return operands[0] if len(operands) == 1 else BoolOp("and", tuple(operands), position)

    def unary(self) -> Node:
        if self.at_word("not"):
            token = self.advance()
            self.nest()
            node = Not(self.unary(), token.position)
            self.depth -= 1
            return node
        return self.comparison()

    def comparison(self) -> Node:
        left = self.operand()
        if self.at_word(*COMPARISONS):
            token = self.advance()
            right = self.operand()
            return Compare(token.text.lower(), left, right, token.position)
        return left

    def operand(self) -> Node:
        token = self.current
        if token.kind == "lparen":
            self.advance()
            node = self.expr()
            self.expect("rparen", "')'")
            return node
        if token.kind in ("string", "int", "float", "datetime", "guid"):
            self.advance()
            return Literal_(token.kind, token.value, token.position)
        if token.kind == "ident":
            word = token.text.lower()
            if word in ("true", "false"):
                self.advance()
                return Literal_("bool", word == "true", token.position)
            if word == "null":
                self.advance()
                return Literal_("null", None, token.position)
            if word in _KEYWORDS:
                raise ODataError(
                    f"expected a value or a field but found '{token.text}'", token.position
                )
            self.advance()
            if self.current.kind == "lparen":
                return self.call(token)
            return FieldRef(token.text, token.position)
        raise ODataError(
            f"expected a value or a field but found {_describe(token)}", token.position
        )

    def call(self, name: Token) -> Node:
        function = name.text.lower()
        if function not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise ODataError(f"unknown function '{name.text}' (known: {known})", name.position)
        self.expect("lparen", "'('")
        args: list[Node] = []
        if self.current.kind != "rparen":
            args.append(self.expr())
            while self.current.kind == "comma":
                self.advance()
                args.append(self.expr())
        self.expect("rparen", "')' or ','")
        if len(args) != FUNCTIONS[function]:
            raise ODataError(
                f"{function}() takes {FUNCTIONS[function]} argument(s), got {len(args)}",
                name.position,
            )
        if function == "substringof":
            return Call("contains", (args[1], args[0]), name.position)
        return Call(function, tuple(args), name.position)

    # --- $orderby ---

    def orderby(self) -> list[OrderItem]:
        items = [self.order_item()]
        while self.current.kind == "comma":
            self.advance()
            items.append(self.order_item())
        token = self.current
        if token.kind != "end":
            raise ODataError(
                f"expected ',', 'asc', 'desc' or the end but found {_describe(token)}",
                token.position,
            )
        return items

    def order_item(self) -> OrderItem:
        token = self.expect("ident", "a field name")
        if token.text.lower() in _KEYWORDS or token.text.lower() in ("asc", "desc"):
            raise ODataError(f"expected a field name but found '{token.text}'", token.position)
        descending = False
        if self.at_word("asc", "desc"):
            descending = self.advance().text.lower() == "desc"
        return OrderItem(FieldRef(token.text, token.position), descending)


def parse_filter(source: str) -> Node:
    parser = _Parser(source)
    if parser.current.kind == "end":
        raise ODataError("the expression is empty", 0)
    node = parser.expr()
    parser.expect_end()
    return node


def parse_orderby(source: str) -> list[OrderItem]:
    parser = _Parser(source)
    if parser.current.kind == "end":
        raise ODataError("the expression is empty", 0)
    return parser.orderby()
