"""SyncProductService: the blocking twin of AsyncProductService, one line per method."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from pywats.odata import Filter
from pywats.sync_service import SyncService

from .models import (
    Bom,
    Product,
    ProductGroup,
    ProductGroupFilter,
    ProductRevision,
    ProductState,
    ProductSummary,
    Vendor,
)
from .service import DEFAULT_PAGE_SIZE, AsyncProductService

__all__ = ["SyncProductService"]


class SyncProductService(SyncService[AsyncProductService]):
    """See :class:`AsyncProductService` for what each method does."""

    def get_product(self, part_number: str) -> Product | None:
        return self._call(AsyncProductService.get_product, part_number)

    def query_products(
        self,
        filter: Filter | None = None,
        *,
        top: int | None = None,
        skip: int | None = None,
        orderby: str | None = None,
    ) -> list[ProductSummary]:
        return self._call(
            AsyncProductService.query_products, filter, top=top, skip=skip, orderby=orderby
        )

    def iter_products(
        self,
        filter: Filter | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        orderby: str = "partNumber",
    ) -> Iterator[ProductSummary]:
        return self._iterate(
            AsyncProductService.iter_products, filter, page_size=page_size, orderby=orderby
        )

    def get_products(self, filter: Filter | None = None) -> list[ProductSummary]:
        return self._call(AsyncProductService.get_products, filter)

    def get_active_products(self) -> list[ProductSummary]:
        return self._call(AsyncProductService.get_active_products)

    def search_products(
        self,
        text: str = "",
        *,
        state: ProductState | None = None,
        top: int | None = DEFAULT_PAGE_SIZE,
        skip: int | None = None,
    ) -> list[ProductSummary]:
        return self._call(
            AsyncProductService.search_products, text, state=state, top=top, skip=skip
        )

    def save_product(self, product: Product) -> Product:
        return self._call(AsyncProductService.save_product, product)

    def create_product(
        self,
        part_number: str,
        name: str | None = None,
        description: str | None = None,
        *,
        non_serial: bool = False,
        state: ProductState = ProductState.ACTIVE,
        xml_data: str | None = None,
        category: str | None = None,
    ) -> Product:
        return self._call(
            AsyncProductService.create_product,
            part_number,
            name,
            description,
            non_serial=non_serial,
            state=state,
            xml_data=xml_data,
            category=category,
        )

    def save_products(self, products: Sequence[Product]) -> list[Product]:
        return self._call(AsyncProductService.save_products, products)

    def set_product_state(self, part_number: str, state: ProductState) -> Product:
        return self._call(AsyncProductService.set_product_state, part_number, state)

    def get_revisions(self, part_number: str) -> list[ProductRevision]:
        return self._call(AsyncProductService.get_revisions, part_number)

    def get_revision(self, part_number: str, revision: str) -> ProductRevision | None:
        return self._call(AsyncProductService.get_revision, part_number, revision)

    def save_revision(self, revision: ProductRevision) -> ProductRevision:
        return self._call(AsyncProductService.save_revision, revision)

    def create_revision(
        self,
        part_number: str,
        revision: str,
        name: str | None = None,
        description: str | None = None,
        *,
        state: ProductState = ProductState.ACTIVE,
    ) -> ProductRevision:
        return self._call(
            AsyncProductService.create_revision,
            part_number,
            revision,
            name,
            description,
            state=state,
        )

    def save_revisions(self, revisions: Sequence[ProductRevision]) -> list[ProductRevision]:
        return self._call(AsyncProductService.save_revisions, revisions)

    def set_revision_state(
        self, part_number: str, revision: str, state: ProductState
    ) -> ProductRevision:
        return self._call(AsyncProductService.set_revision_state, part_number, revision, state)

    def get_product_tags(self, part_number: str) -> dict[str, str | None]:
        return self._call(AsyncProductService.get_product_tags, part_number)

    def set_product_tags(self, part_number: str, tags: Mapping[str, str | None]) -> Product:
        return self._call(AsyncProductService.set_product_tags, part_number, tags)

    def get_revision_tags(self, part_number: str, revision: str) -> dict[str, str | None]:
        return self._call(AsyncProductService.get_revision_tags, part_number, revision)

    def set_revision_tags(
        self, part_number: str, revision: str, tags: Mapping[str, str | None]
    ) -> ProductRevision:
        return self._call(AsyncProductService.set_revision_tags, part_number, revision, tags)

    def get_bom(self, part_number: str, revision: str) -> Bom | None:
        return self._call(AsyncProductService.get_bom, part_number, revision)

    def save_bom(self, bom: Bom) -> None:
        return self._call(AsyncProductService.save_bom, bom)

    def get_vendors(self) -> list[Vendor]:
        return self._call(AsyncProductService.get_vendors)

    def add_vendors(self, names: Sequence[str]) -> None:
        return self._call(AsyncProductService.add_vendors, names)

    def delete_vendors(self, names: Sequence[str]) -> None:
        return self._call(AsyncProductService.delete_vendors, names)

    def get_product_groups(self, include_filters: bool = False) -> list[ProductGroup]:
        return self._call(AsyncProductService.get_product_groups, include_filters)

    def get_product_groups_for_product(
        self, part_number: str, revision: str | None = None
    ) -> list[ProductGroup]:
        return self._call(AsyncProductService.get_product_groups_for_product, part_number, revision)

    def add_to_product_group(
        self,
        group_name: str,
        part_number: str,
        revision: str | None = None,
        *,
        exclude: bool = False,
    ) -> ProductGroupFilter:
        return self._call(
            AsyncProductService.add_to_product_group,
            group_name,
            part_number,
            revision,
            exclude=exclude,
        )
