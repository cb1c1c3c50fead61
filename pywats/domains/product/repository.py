"""Product endpoints (``/api/Product``, the ERP bulk ``/api/Products``) and the product-group
list under ``/api/App``. Paths, parameters and JSON; no business rules."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from pywats.domains._wire import expect_list, expect_object
from pywats.errors import WATSNotFoundError, WATSStatusError
from pywats.http import AsyncHttpClient

from .models import (
    Bom,
    Product,
    ProductGroup,
    ProductGroupFilter,
    ProductRevision,
    ProductSummary,
    Vendor,
)

__all__ = ["ProductRepository"]


def _segment(value: str) -> str:
    # A part number or revision as one path segment: nothing in it may act as a separator.
    return quote(value, safe="")


def _empty_is_missing(path: str, what: str) -> WATSNotFoundError:
    # Some servers answer "nothing" with 200 and an empty body instead of 404.
    return WATSNotFoundError(status_code=404, method="GET", path=path, server_message=what)


class ProductRepository:
    def __init__(self, http: AsyncHttpClient) -> None:
        self._http = http

    # -- products ---------------------------------------------------------------------------

    async def query(
        self,
        *,
        filter: str | None = None,
        top: int | None = None,
        skip: int | None = None,
        orderby: str | None = None,
    ) -> list[ProductSummary]:
        """``GET /api/Product/Query`` with OData options. Without ``$filter`` the server
        returns at most 1000 rows unless ``$top`` says otherwise."""
        path = "/api/Product/Query"
        params = {"$filter": filter, "$top": top, "$skip": skip, "$orderby": orderby}
        body = await self._http.get_json(path, params=params)
        return [ProductSummary.model_validate(item) for item in expect_list(body, path)]

    async def get(self, part_number: str) -> Product | None:
        """The product, or None when the server answers 404."""
        try:
            return await self.require(part_number)
        except WATSNotFoundError:
            return None

    async def require(self, part_number: str) -> Product:
        """The product; a 404 stays a WATSNotFoundError carrying the server's message."""
        path = f"/api/Product/{_segment(part_number)}"
        body = expect_object(await self._http.get_json(path), path)
        if body is None:
            raise _empty_is_missing(path, f"no product {part_number!r}")
        return Product.model_validate(body)

    async def put(self, product: dict[str, Any]) -> Product:
        path = "/api/Product"
        body = expect_object(await self._http.send_json("PUT", path, product), path, "PUT")
        # An empty answer still means "saved"; echo what was sent so callers get a Product.
        return Product.model_validate(body if body is not None else product)

    async def put_many(self, products: list[dict[str, Any]]) -> list[Product]:
        path = "/api/Products"
        body = await self._http.send_json("PUT", path, products)
        return [Product.model_validate(item) for item in expect_list(body, path, "PUT")]

    # -- revisions --------------------------------------------------------------------------

    async def get_revision(self, part_number: str, revision: str) -> ProductRevision | None:
        """The revision, or None when the server answers 404."""
        try:
            return await self.require_revision(part_number, revision)
        except WATSNotFoundError:
            return None

    async def require_revision(self, part_number: str, revision: str) -> ProductRevision:
        """The revision; a 404 stays a WATSNotFoundError carrying the server's message."""
        path = f"/api/Product/{_segment(part_number)}/{_segment(revision)}"
        body = expect_object(await self._http.get_json(path), path)
        if body is None:
            raise _empty_is_missing(path, f"no revision {revision!r} of {part_number!r}")
        return ProductRevision.model_validate(body)

    async def put_revision(self, revision: dict[str, Any]) -> ProductRevision:
        path = "/api/Product/Revision"
        body = expect_object(await self._http.send_json("PUT", path, revision), path, "PUT")
        return ProductRevision.model_validate(body if body is not None else revision)

    async def put_revisions(self, revisions: list[dict[str, Any]]) -> list[ProductRevision]:
        path = "/api/Products/Revisions"
        body = await self._http.send_json("PUT", path, revisions)
        return [ProductRevision.model_validate(item) for item in expect_list(body, path, "PUT")]

    # -- BOM --------------------------------------------------------------------------------

    async def get_bom_json(self, part_number: str, revision: str) -> Bom | None:
        """``GET /api/Product/BOM``: not in the v3 spec, but newer servers serve it (pyWATS 0.6
        reads it). None when the server has no such endpoint or the revision has no BOM."""
        path = "/api/Product/BOM"
        params = {"partNumber": part_number, "revision": revision}
        try:
            body = expect_object(await self._http.get_json(path, params=params), path)
        except WATSNotFoundError:
            return None
        except WATSStatusError as exc:
            if exc.status_code == 405:  # a server that has the path for PUT only
                return None
            raise
        if not body or not body.get("partNumber"):
            return None  # 204 / an empty object: the revision has no BOM
        return Bom.model_validate(body)

    async def put_bom_wsbf(self, document: str) -> None:
        """``PUT /api/Product/BOM`` with a WSBF XML document; replaces that revision's BOM."""
        await self._http.request(
            "PUT",
            "/api/Product/BOM",
            content=document.encode("utf-8"),
            headers={"Content-Type": "application/xml; charset=utf-8"},
        )

    # -- vendors ----------------------------------------------------------------------------

    async def vendors(self) -> list[Vendor]:
        path = "/api/Product/Vendors"
        body = await self._http.get_json(path)
        return [Vendor.model_validate(item) for item in expect_list(body, path)]

    async def put_vendors(self, vendors: list[dict[str, Any]]) -> None:
        await self._http.send_json("PUT", "/api/Product/Vendors", vendors)

    async def delete_vendors(self, vendors: list[dict[str, Any]]) -> None:
        await self._http.send_json("DELETE", "/api/Product/Vendors", vendors)

    # -- product groups ---------------------------------------------------------------------

    async def product_groups(self, *, include_filters: bool | None = None) -> list[ProductGroup]:
        path = "/api/App/ProductGroups"
        body = await self._http.get_json(path, params={"includeFilters": include_filters})
        return [ProductGroup.model_validate(item) for item in expect_list(body, path)]

    async def groups_by_product(
        self, part_number: str, revision: str | None = None
    ) -> list[ProductGroup]:
        path = "/api/Product/ProductGroupsByProduct"
        body = await self._http.get_json(
            path, params={"partNumber": part_number, "revision": revision}
        )
        return [ProductGroup.model_validate(item) for item in expect_list(body, path)]

    async def add_group_filter(
        self, group_name: str, part_number: str, revision: str | None, exclude: bool
    ) -> ProductGroupFilter:
        path = "/api/Product/ProductGroupFilter"
        params = {
            "productGroup": group_name,
            "partNumber": part_number,
            "revision": revision,
            "exclude": exclude,
        }
        body = expect_object(await self._http.send_json("POST", path, params=params), path, "POST")
        if body is None:
            return ProductGroupFilter(part_number=part_number, revision=revision, exclude=exclude)
        return ProductGroupFilter.model_validate(body)
