"""The one error OData parsing and compiling raise."""

from __future__ import annotations


class ODataError(ValueError):
    """A bad expression; `position` is the 0-based character offset where it went wrong."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at position {position})")
        self.message = message
        self.position = position
