"""AsyncProductService: products, revisions, BOMs, tags, vendors and product groups."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from pywats.errors import WATSValidationError
from pywats.odata import F, Filter, literal

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
from .repository import ProductRepository
from .validation import (
    NAME_MAX,
    VENDOR_NAME_MAX,
    check_part_number,
    check_revision,
    check_tag_key,
    check_text,
)
from .xmldata import bom_from_xml, bom_to_wsbf, xml_data_with_tags

__all__ = ["DEFAULT_PAGE_SIZE", "AsyncProductService", "ProductFields"]

DEFAULT_PAGE_SIZE = 1000
MAX_PAGE_SIZE = 100_000
_ORDERBY = re.compile(
    r"^[A-Za-z_][A-Za-z0-9_]*( (asc|desc))?(, ?[A-Za-z_][A-Za-z0-9_]*( (asc|desc))?)*$"
)


class ProductFields:
    """The fields ``query_products`` can filter and sort on, ready for the filter builder:

    ProductFields.part_number.startswith("PSU-") & (ProductFields.state == ProductState.ACTIVE)
    """

    part_number = F("partNumber")
    name = F("name")
    category = F("category")
    non_serial = F("nonSerial")
    state = F("state")


def _check_page(value: int | None, field: str, minimum: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise WATSValidationError(f"must be an integer of at least {minimum}", field=field)
    if value > MAX_PAGE_SIZE and field == "top":
        raise WATSValidationError(f"must be at most {MAX_PAGE_SIZE}", field=field)
    return value


def _check_state(state: ProductState | int, field: str = "state") -> ProductState:
    try:
        return ProductState(state)
    except ValueError:
        raise WATSValidationError(
            f"must be ProductState.ACTIVE (1) or ProductState.INACTIVE (0), got {state!r}",
            field=field,
        ) from None


def _check_product(product: Product, field: str = "product") -> None:
    if not isinstance(product, Product):
        raise WATSValidationError(f"must be a Product, got {type(product).__name__}", field=field)
    check_part_number(product.part_number, f"{field}.part_number")
    check_text(product.name, f"{field}.name", NAME_MAX)
    for index, revision in enumerate(product.revisions):
        check_revision(revision.revision, f"{field}.revisions[{index}].revision")
        check_text(revision.name, f"{field}.revisions[{index}].name", NAME_MAX)


def _check_revision_model(revision: ProductRevision, field: str = "revision") -> None:
    if not isinstance(revision, ProductRevision):
        raise WATSValidationError(
            f"must be a ProductRevision, got {type(revision).__name__}", field=field
        )
    check_revision(revision.revision, f"{field}.revision")
    check_text(revision.name, f"{field}.name", NAME_MAX)
    if revision.part_number is None and revision.product_id is None:
        raise WATSValidationError(
            "needs part_number (or product_id) to say which product it belongs to",
            field=f"{field}.part_number",
        )
    if revision.part_number is not None:
        check_part_number(revision.part_number, f"{field}.part_number")


def _tags_dict(tags: Mapping[str, str | None]) -> dict[str, str | None]:
    result: dict[str, str | None] = {}
    for key, value in tags.items():
        check_tag_key(key)
        if value is not None and not isinstance(value, str):
            raise WATSValidationError(f"value of tag {key!r} must be a string", field="tags")
        result[key] = value
    return result


class AsyncProductService:
    """Products (part numbers) and everything hanging off them."""

    def __init__(self, repository: ProductRepository) -> None:
        self._repo = repository

    # -- reading products -------------------------------------------------------------------

    async def get_product(self, part_number: str) -> Product | None:
        """The product with its revisions and tags; None if there is no such part number."""
        return await self._repo.get(check_part_number(part_number))

    async def query_products(
        self,
        filter: Filter | None = None,
        *,
        top: int | None = None,
        skip: int | None = None,
        orderby: str | None = None,
    ) -> list[ProductSummary]:
        """One page of the product list, filtered on the server.

        Build ``filter`` with :class:`ProductFields` (values are escaped for you). Without a
        filter the server returns at most 1000 products unless ``top`` asks for more; use
        :meth:`iter_products` to walk a whole catalog.
        """
        if filter is not None and not isinstance(filter, Filter):
            raise WATSValidationError(
                "must be built with the filter builder (ProductFields / pywats.odata.F), "
                "not a raw string",
                field="filter",
            )
        if orderby is not None and not _ORDERBY.match(orderby):
            raise WATSValidationError(
                f"{orderby!r} is not 'field [asc|desc], ...'", field="orderby"
            )
        return await self._repo.query(
            filter=None if filter is None else str(filter),
            top=_check_page(top, "top", 1),
            skip=_check_page(skip, "skip", 0),
            orderby=orderby,
        )

    async def iter_products(
        self,
        filter: Filter | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        orderby: str = "partNumber",
    ) -> AsyncIterator[ProductSummary]:
        """Every product matching ``filter``, fetched ``page_size`` at a time."""
        _check_page(page_size, "page_size", 1)
        skip = 0
        while True:
            page = await self.query_products(filter, top=page_size, skip=skip, orderby=orderby)
            for item in page:
                yield item
            if len(page) < page_size:
                return
            skip += len(page)

    async def get_products(self, filter: Filter | None = None) -> list[ProductSummary]:
        """Every product (matching ``filter``), however large the catalog."""
        return [item async for item in self.iter_products(filter)]

    async def get_active_products(self) -> list[ProductSummary]:
        return await self.get_products(ProductFields.state == ProductState.ACTIVE)

    async def search_products(
        self,
        text: str = "",
        *,
        state: ProductState | None = None,
        top: int | None = DEFAULT_PAGE_SIZE,
        skip: int | None = None,
    ) -> list[ProductSummary]:
        """Products whose part number or name contains ``text`` in any case (and in
        ``state``), sorted by part number: what a search box wants."""
        text = text.strip()
        conditions: list[Filter | None] = []
        if text:
            conditions.append(_contains_any_case(("partNumber", "name"), text))
        if state is not None:
            conditions.append(ProductFields.state == _check_state(state))
        return await self.query_products(
            Filter.all_of(*conditions), top=top, skip=skip, orderby="partNumber"
        )

    # -- writing products -------------------------------------------------------------------

    async def save_product(self, product: Product) -> Product:
        """Create or update a product (keyed by ``product_id``, else by part number)."""
        _check_product(product)
        return await self._repo.put(product.to_wire())

    async def create_product(
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
        """A new product; raises WATSValidationError if the part number is already taken.

        ``category`` is a product category name; the server creates it if it is new."""
        check_part_number(part_number)
        if await self._repo.get(part_number) is not None:
            raise WATSValidationError(
                f"product {part_number!r} already exists; use save_product to change it",
                field="part_number",
            )
        product = Product(
            part_number=part_number,
            name=name,
            description=description,
            non_serial=non_serial,
            state=_check_state(state),
        )
        if xml_data is not None:
            product.xml_data = xml_data
        if category:
            product.product_category_name = check_text(category, "category", NAME_MAX)
        return await self.save_product(product)

    async def save_products(self, products: Sequence[Product]) -> list[Product]:
        """Create or update many products in one request (the ERP bulk endpoint).

        Every product is checked first; one bad entry sends nothing.
        """
        items = list(products)
        seen: set[str] = set()
        for index, product in enumerate(items):
            _check_product(product, f"products[{index}]")
            if product.part_number in seen:
                raise WATSValidationError(
                    f"part number {product.part_number!r} appears twice",
                    field=f"products[{index}].part_number",
                )
            seen.add(product.part_number)
        if not items:
            return []
        return await self._repo.put_many([product.to_wire() for product in items])

    async def set_product_state(self, part_number: str, state: ProductState) -> Product:
        """Activate or deactivate a product; its other fields are left as they are."""
        product = await self._require_product(part_number)
        product.state = _check_state(state)
        return await self._repo.put(product.to_wire())

    async def _require_product(self, part_number: str) -> Product:
        # A missing product is the server's 404 (WATSNotFoundError with its message).
        return await self._repo.require(check_part_number(part_number))

    # -- revisions --------------------------------------------------------------------------

    async def get_revisions(self, part_number: str) -> list[ProductRevision]:
        """The revisions of a product; raises WATSNotFoundError if it does not exist."""
        return (await self._require_product(part_number)).revisions

    async def get_revision(self, part_number: str, revision: str) -> ProductRevision | None:
        """One revision; None if the product or the revision does not exist."""
        return await self._repo.get_revision(
            check_part_number(part_number), check_revision(revision)
        )

    async def save_revision(self, revision: ProductRevision) -> ProductRevision:
        """Create or update a revision (keyed by ``product_revision_id``, else by part number
        and revision). The product must exist: the server answers 404 otherwise."""
        _check_revision_model(revision)
        return await self._repo.put_revision(revision.to_wire())

    async def create_revision(
        self,
        part_number: str,
        revision: str,
        name: str | None = None,
        description: str | None = None,
        *,
        state: ProductState = ProductState.ACTIVE,
    ) -> ProductRevision:
        """A new revision of an existing product. Raises WATSNotFoundError if the product does
        not exist, WATSValidationError if it already has that revision; nothing is written."""
        product = await self._require_product(part_number)
        check_revision(revision)
        if product.get_revision(revision) is not None:
            raise WATSValidationError(
                f"product {part_number!r} already has revision {revision!r}", field="revision"
            )
        new = ProductRevision(
            revision=revision,
            part_number=part_number,
            product_id=product.product_id,
            name=name,
            description=description,
            state=_check_state(state),
        )
        return await self.save_revision(new)

    async def save_revisions(self, revisions: Sequence[ProductRevision]) -> list[ProductRevision]:
        """Create or update many revisions in one request; one bad entry sends nothing."""
        items = list(revisions)
        for index, revision in enumerate(items):
            _check_revision_model(revision, f"revisions[{index}]")
        if not items:
            return []
        return await self._repo.put_revisions([revision.to_wire() for revision in items])

    async def set_revision_state(
        self, part_number: str, revision: str, state: ProductState
    ) -> ProductRevision:
        current = await self._require_revision(part_number, revision)
        current.state = _check_state(state)
        current.part_number = part_number
        return await self._repo.put_revision(current.to_wire())

    async def _require_revision(self, part_number: str, revision: str) -> ProductRevision:
        return await self._repo.require_revision(
            check_part_number(part_number), check_revision(revision)
        )

    # -- tags -------------------------------------------------------------------------------

    async def get_product_tags(self, part_number: str) -> dict[str, str | None]:
        product = await self._require_product(part_number)
        return {tag.key: tag.value for tag in product.tags}

    async def set_product_tags(self, part_number: str, tags: Mapping[str, str | None]) -> Product:
        """Replace a product's tags (stored by the server in its xmlData; other xmlData
        content, such as a BOM, is kept)."""
        wanted = _tags_dict(tags)
        product = await self._require_product(part_number)
        product.xml_data = xml_data_with_tags(product.xml_data, wanted)
        return await self._repo.put(_without_tags(product.to_wire()))

    async def get_revision_tags(self, part_number: str, revision: str) -> dict[str, str | None]:
        current = await self._require_revision(part_number, revision)
        return {tag.key: tag.value for tag in current.tags}

    async def set_revision_tags(
        self, part_number: str, revision: str, tags: Mapping[str, str | None]
    ) -> ProductRevision:
        wanted = _tags_dict(tags)
        current = await self._require_revision(part_number, revision)
        current.xml_data = xml_data_with_tags(current.xml_data, wanted)
        current.part_number = part_number
        return await self._repo.put_revision(_without_tags(current.to_wire()))

    # -- BOM --------------------------------------------------------------------------------

    async def get_bom(self, part_number: str, revision: str) -> Bom | None:
        """The BOM of a revision; None if it has none (or the revision does not exist).

        The v3 public API has no BOM read endpoint: the server keeps an uploaded WSBF BOM in
        the revision's xmlData, which is read first. Newer servers also answer
        ``GET /api/Product/BOM``, which is asked only when xmlData holds no BOM.
        """
        current = await self.get_revision(part_number, revision)
        if current is None:
            return None
        bom = bom_from_xml(current.xml_data)
        if bom is not None:
            return bom
        return await self._repo.get_bom_json(part_number, revision)

    async def save_bom(self, bom: Bom) -> None:
        """Upload (replace) the BOM of a revision as WSBF. The revision must exist."""
        if not isinstance(bom, Bom):
            raise WATSValidationError(f"must be a Bom, got {type(bom).__name__}", field="bom")
        check_part_number(bom.part_number, "bom.part_number")
        check_revision(bom.revision, "bom.revision")
        for index, component in enumerate(bom.components):
            field = f"bom.components[{index}]"
            check_part_number(component.number, f"{field}.number")
            if component.revision is not None:
                check_revision(component.revision, f"{field}.revision")
            if component.quantity < 1:
                raise WATSValidationError("must be at least 1", field=f"{field}.quantity")
        await self._repo.put_bom_wsbf(bom_to_wsbf(bom))

    # -- vendors ----------------------------------------------------------------------------

    async def get_vendors(self) -> list[Vendor]:
        return await self._repo.vendors()

    async def add_vendors(self, names: Sequence[str]) -> None:
        """Add vendors; names that already exist are left alone."""
        await self._repo.put_vendors(_vendor_bodies(names))

    async def delete_vendors(self, names: Sequence[str]) -> None:
        await self._repo.delete_vendors(_vendor_bodies(names))

    # -- product groups ---------------------------------------------------------------------

    async def get_product_groups(self, include_filters: bool = False) -> list[ProductGroup]:
        """Every product group; ``include_filters`` adds the filter that selects its members."""
        return await self._repo.product_groups(include_filters=include_filters)

    async def get_product_groups_for_product(
        self, part_number: str, revision: str | None = None
    ) -> list[ProductGroup]:
        """The groups a product (or one of its revisions) belongs to."""
        check_part_number(part_number)
        if revision is not None:
            check_revision(revision)
        return await self._repo.groups_by_product(part_number, revision)

    async def add_to_product_group(
        self,
        group_name: str,
        part_number: str,
        revision: str | None = None,
        *,
        exclude: bool = False,
    ) -> ProductGroupFilter:
        """Add a product (or one revision) to an existing group, or with ``exclude=True``
        keep it out of the group whatever the group's filter says."""
        if not isinstance(group_name, str) or not group_name.strip():
            raise WATSValidationError("must name an existing product group", field="group_name")
        check_part_number(part_number)
        if revision is not None:
            check_revision(revision)
        return await self._repo.add_group_filter(group_name, part_number, revision, exclude)


def _contains_any_case(fields: Sequence[str], text: str) -> Filter:
    """``contains(tolower(field), 'text')`` or-ed over fields; the builder has no tolower(),
    so the text is put together here, with the value escaped by the builder's own literal()."""
    needle = literal(text.lower())
    return Filter(" or ".join(f"contains(tolower({F(name).name}),{needle})" for name in fields), 1)


def _without_tags(body: dict[str, Any]) -> dict[str, Any]:
    # Tags are read-only on the wire: the server derives them from xmlData.
    body.pop("tags", None)
    return body


def _vendor_bodies(names: Sequence[str]) -> list[dict[str, Any]]:
    if isinstance(names, str):
        raise WATSValidationError("must be a list of vendor names, not one string", field="names")
    bodies: list[dict[str, Any]] = []
    for index, name in enumerate(names):
        field = f"names[{index}]"
        if not isinstance(name, str) or not name.strip():
            raise WATSValidationError("must be a non-empty vendor name", field=field)
        check_text(name, field, VENDOR_NAME_MAX)
        bodies.append(Vendor(vendor_name=name.strip()).to_wire())
    if not bodies:
        raise WATSValidationError("must name at least one vendor", field="names")
    return bodies
