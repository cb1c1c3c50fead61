"""Objects used both on the header and on steps: attachments and additional data."""

from __future__ import annotations

import base64

from pydantic import Field

from ._base import WSJFModel

__all__ = [
    "AdditionalData",
    "AdditionalDataArray",
    "AdditionalDataArrayIndex",
    "AdditionalDataProperty",
    "Attachment",
    "BinaryData",
]


def _decode(data: str | None) -> bytes:
    return base64.b64decode(data) if data else b""


class Attachment(WSJFModel):
    """A file on a step (one per step); ``data`` is base64."""

    name: str | None = Field(default=None, alias="name")
    content_type: str | None = Field(default=None, alias="contentType")
    data: str | None = Field(default=None, alias="data")

    def content(self) -> bytes:
        """The decoded bytes of ``data`` (empty when there is none)."""
        return _decode(self.data)


class BinaryData(WSJFModel):
    """A file on a repair report or on a repair failure; ``data`` is base64."""

    content_type: str | None = Field(default=None, alias="contentType")
    data: str | None = Field(default=None, alias="data")
    name: str | None = Field(default=None, alias="name")
    id: str | None = Field(default=None, alias="id")

    def content(self) -> bytes:
        """The decoded bytes of ``data`` (empty when there is none)."""
        return _decode(self.data)


class AdditionalDataProperty(WSJFModel):
    """One typed value; ``props`` nests for type ``Obj``, ``array`` describes type ``Array``."""

    name: str | None = Field(default=None, alias="name")
    type: str | None = Field(default=None, alias="type")
    flags: int | None = Field(default=None, alias="flags")
    value: str | None = Field(default=None, alias="value")
    num_format: str | None = Field(default=None, alias="numFormat")
    comment: str | None = Field(default=None, alias="comment")
    props: list[AdditionalDataProperty] | None = Field(default=None, alias="props")
    array: AdditionalDataArray | None = Field(default=None, alias="array")


class AdditionalDataArrayIndex(WSJFModel):
    text: str | None = Field(default=None, alias="text")
    indexes: list[int] | None = Field(default=None, alias="indexes")
    value: AdditionalDataProperty | None = Field(default=None, alias="value")


class AdditionalDataArray(WSJFModel):
    dimension: int | None = Field(default=None, alias="dimension")
    type: str | None = Field(default=None, alias="type")
    indexes: list[AdditionalDataArrayIndex] | None = Field(default=None, alias="indexes")


class AdditionalData(WSJFModel):
    """Named structured data: ``additionalData`` on the header, ``additionalResults`` on steps."""

    name: str | None = Field(default=None, alias="name")
    props: list[AdditionalDataProperty] | None = Field(default=None, alias="props")


AdditionalDataProperty.model_rebuild()
