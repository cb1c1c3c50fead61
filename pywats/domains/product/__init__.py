"""The product domain: products, revisions, BOMs, tags, vendors and product groups."""

from .models import (
    Bom,
    BomComponent,
    ChangeType,
    Product,
    ProductGroup,
    ProductGroupFilter,
    ProductRevision,
    ProductState,
    ProductSummary,
    Tag,
    Vendor,
)
from .repository import ProductRepository
from .service import DEFAULT_PAGE_SIZE, AsyncProductService, ProductFields
from .sync_service import SyncProductService
from .validation import PART_NUMBER_MAX, REVISION_MAX

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "PART_NUMBER_MAX",
    "REVISION_MAX",
    "AsyncProductService",
    "Bom",
    "BomComponent",
    "ChangeType",
    "Product",
    "ProductFields",
    "ProductGroup",
    "ProductGroupFilter",
    "ProductRepository",
    "ProductRevision",
    "ProductState",
    "ProductSummary",
    "SyncProductService",
    "Tag",
    "Vendor",
]
