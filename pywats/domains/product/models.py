"""Product models: products, their revisions, tags, BOMs, vendors and product groups.

Wire names follow the server's spec, including its one-offs: a revision's parent part number
is ``PartNumber`` and a vendor's name is ``VendorName``; the product list calls the category
``category``.
"""

from __future__ import annotations

import uuid
from enum import IntEnum

from pydantic import Field

from pywats.models import WATSModel

__all__ = [
    "Bom",
    "BomComponent",
    "ChangeType",
    "Product",
    "ProductGroup",
    "ProductGroupFilter",
    "ProductRevision",
    "ProductState",
    "ProductSummary",
    "Tag",
    "Vendor",
]


class ProductState(IntEnum):
    """State of a product or a revision."""

    INACTIVE = 0
    ACTIVE = 1


class ChangeType(IntEnum):
    """What a tag's ``change`` says happened to it."""

    NONE = 0
    ADD = 1
    UPDATE = 2
    DELETE = 3


class Tag(WATSModel):
    """A key/value tag; the server derives a product's or revision's tags from its xmlData."""

    key: str
    value: str | None = None
    change: int | None = None


class ProductRevision(WATSModel):
    """A revision of a product (e.g. "A", "1.2")."""

    revision: str
    part_number: str | None = Field(default=None, alias="PartNumber")
    name: str | None = None
    description: str | None = None
    state: ProductState | None = None
    product_revision_id: uuid.UUID | None = None
    product_id: uuid.UUID | None = None
    xml_data: str | None = None
    tags: list[Tag] = Field(default_factory=list)

    @property
    def is_active(self) -> bool:
        return self.state != ProductState.INACTIVE

    def bom(self) -> Bom | None:
        """The BOM the server keeps in this revision's xmlData; None if it has none."""
        from .xmldata import bom_from_xml  # xmldata builds Bom models from this module

        return bom_from_xml(self.xml_data)


class Product(WATSModel):
    """A product (part number) with its revisions and tags, as ``GET /api/Product/{pn}``
    returns it. Create one with just a part number; the server fills in the ids."""

    part_number: str
    name: str | None = None
    description: str | None = None
    non_serial: bool | None = None
    state: ProductState | None = None
    product_id: uuid.UUID | None = None
    product_category_id: uuid.UUID | None = None
    product_category_name: str | None = None
    xml_data: str | None = None
    revisions: list[ProductRevision] = Field(default_factory=list)
    tags: list[Tag] = Field(default_factory=list)

    @property
    def is_active(self) -> bool:
        return self.state != ProductState.INACTIVE

    def get_revision(self, revision: str) -> ProductRevision | None:
        for item in self.revisions:
            if item.revision == revision:
                return item
        return None


class ProductSummary(WATSModel):
    """A row of the product list (``/api/Product/Query``): no ids, revisions or tags."""

    part_number: str
    name: str | None = None
    category: str | None = None
    non_serial: bool | None = None
    state: ProductState | None = None

    @property
    def is_active(self) -> bool:
        return self.state != ProductState.INACTIVE


class BomComponent(WATSModel):
    """One line of a BOM: a component part number, how many, and where it sits."""

    number: str
    revision: str | None = None
    quantity: int = 1
    description: str | None = None
    reference: str | None = None  # designators, e.g. "R1;R2"
    function_block: str | None = None

    @property
    def references(self) -> list[str]:
        return [ref for ref in (self.reference or "").split(";") if ref]


class Bom(WATSModel):
    """The bill of materials of one product revision (WSBF on the wire)."""

    part_number: str
    revision: str
    description: str | None = None
    components: list[BomComponent] = Field(default_factory=list)


class Vendor(WATSModel):
    """A component vendor."""

    vendor_name: str = Field(alias="VendorName")


class ProductGroupFilter(WATSModel):
    """A part number (and optionally a revision) included in, or excluded from, a group."""

    product_group_id: int | None = None
    part_number: str
    revision: str | None = None
    exclude: bool = False


class ProductGroup(WATSModel):
    """A product group. ``filter`` (with ``include_filters=True``) is the OData expression
    that selects its products."""

    product_group_id: int
    product_group_name: str = ""
    filter: str | None = None
