"""The base of every SDK model: snake_case in Python, the server's own names on the wire."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

__all__ = ["WATSModel"]


class WATSModel(BaseModel):
    """Fields are snake_case with camelCase aliases (override with ``Field(alias=...)`` where the
    server spells a name differently). Unknown fields are kept, so read-modify-write never drops
    what a newer server sends."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        validate_assignment=True,
    )

    def to_wire(self) -> dict[str, Any]:
        """The JSON body for the server: aliases, and only fields that were set."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
