"""Products: every public Product operation of the spec, seeded with a product catalog.

Serves /api/Product (query with OData, get, get revision, create-or-update product and
revision, WSBF BOM upload, vendors, groups by product, group filters) and the ERP bulk
/api/Products and /api/Products/Revisions. Product groups themselves live in the app
domain's table; this domain adds explicit members.
"""

from __future__ import annotations

from starlette.routing import Route

from ...plugin import Domain
from . import bom, groups, products, vendors
from .schema import SCHEMA
from .seed import seed

_P = "/api/Product"

DOMAIN = Domain(
    name="product",
    schema=SCHEMA,
    seed=seed,
    requires=("app",),
    routes=[
        # Literal paths first: /api/Product/{partNumber} would otherwise swallow them.
        Route(f"{_P}/Query", products.query_products, methods=["GET"]),
        Route(f"{_P}/BOM", bom.put_bom, methods=["PUT"]),
        Route(f"{_P}/Vendors", vendors.get_vendors, methods=["GET"]),
        Route(f"{_P}/Vendors", vendors.put_vendors, methods=["PUT"]),
        Route(f"{_P}/Vendors", vendors.delete_vendors, methods=["DELETE"]),
        Route(f"{_P}/ProductGroupsByProduct", groups.groups_by_product, methods=["GET"]),
        Route(f"{_P}/ProductGroupFilter", groups.add_group_filter, methods=["POST"]),
        Route(f"{_P}/Revision", products.put_revision, methods=["PUT"]),
        Route(_P, products.put_product, methods=["PUT"]),
        Route(f"{_P}/{{partNumber}}", products.get_product, methods=["GET"]),
        Route(f"{_P}/{{partNumber}}/{{revision}}", products.get_revision, methods=["GET"]),
        Route("/api/Products", products.put_products, methods=["PUT"]),
        Route("/api/Products/Revisions", products.put_revisions, methods=["PUT"]),
    ],
)
