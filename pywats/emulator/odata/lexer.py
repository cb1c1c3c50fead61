"""Splitting an OData expression into tokens, each with its position for error messages."""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from ..isotime import parse_iso
from .ast import LiteralValue
from .errors import ODataError

TokenKind = Literal[
    "string", "int", "float", "datetime", "guid", "ident", "lparen", "rparen", "comma", "end"
]


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str  # the source text
    value: LiteralValue
    position: int


_HEX = "[0-9a-fA-F]"
_GUID = f"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}"
_DATETIME = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,7})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?"
)
_END = r"(?![\w.:-])"  # a literal must not run on into a name or another literal
_PATTERNS: tuple[tuple[TokenKind, re.Pattern[str]], ...] = (
    # OData v3 typed literals: guid'...' and datetime'...'
    ("guid", re.compile(rf"guid'({_GUID})'", re.IGNORECASE)),
    ("datetime", re.compile(rf"datetime(?:offset)?'({_DATETIME})'", re.IGNORECASE)),
    # OData v4 bare literals, tried before numbers and names that share their first chars
    ("guid", re.compile(rf"({_GUID}){_END}")),
    ("datetime", re.compile(rf"({_DATETIME}){_END}")),
    ("float", re.compile(rf"(-?[0-9]+(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)){_END}")),
    ("int", re.compile(rf"(-?[0-9]+){_END}")),
    ("ident", re.compile(r"([A-Za-z_]\w*(?:/[A-Za-z_]\w*)*)")),
)
_INT64_LIMIT = 2**63
_PUNCTUATION: dict[str, TokenKind] = {"(": "lparen", ")": "rparen", ",": "comma"}


def parse_datetime_literal(text: str, position: int) -> datetime:
    try:
        return parse_iso(text)
    except ValueError:
        raise ODataError(f"'{text}' is not a valid date/time", position) from None


def _string(source: str, start: int) -> tuple[str, int]:
    """Read a '...' literal starting at `start`; '' inside it is one quote."""
    chars: list[str] = []
    index = start + 1
    while index < len(source):
        char = source[index]
        if char == "'":
            if source.startswith("''", index):
                chars.append("'")
                index += 2
                continue
            return "".join(chars), index + 1
        chars.append(char)
        index += 1
    raise ODataError("unterminated string literal (a quote inside a string is written '')", start)


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    index = 0
    while index < len(source):
        char = source[index]
        if char.isspace():
            index += 1
            continue
        if char in _PUNCTUATION:
            tokens.append(Token(_PUNCTUATION[char], char, None, index))
            index += 1
            continue
        if char == "'":
            text, end = _string(source, index)
            tokens.append(Token("string", source[index:end], text, index))
            index = end
            continue
        for kind, pattern in _PATTERNS:
            match = pattern.match(source, index)
            if match is None:
                continue
            text = match.group(0)
            raw = match.group(1)
            value: LiteralValue
            if kind == "guid":
                value = str(uuid.UUID(raw))
            elif kind == "datetime":
                value = parse_datetime_literal(raw, index)
            elif kind == "float":
                value = float(raw)
                if not math.isfinite(value):
                    raise ODataError(f"the number {raw[:30]} is too large", index)
            elif kind == "int":
                # The server's integers are 64-bit (Edm.Int64 at most); longer digit runs
                # are refused before int() has to read them.
                value = int(raw) if len(raw) <= 20 else _INT64_LIMIT
                if not -_INT64_LIMIT <= value < _INT64_LIMIT:
                    raise ODataError(
                        f"the integer {raw[:30]} is outside the 64-bit range", index
                    )
            else:
                value = raw
                if raw.lower().endswith(("/any", "/all")):
                    # Lambdas would need a second grammar for range variables; say so early.
                    raise ODataError("lambda operators (any/all) are not supported", index)
            tokens.append(Token(kind, text, value, index))
            index = match.end()
            break
        else:
            raise ODataError(f"unexpected character {char!r}", index)
    tokens.append(Token("end", "", None, len(source)))
    return tokens
