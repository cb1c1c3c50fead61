"""The SCIM domain: provisioning WATS users (SCIM 2.0, RFC 7643/7644)."""

from .models import (
    PATCH_OP_SCHEMA,
    USER_SCHEMA,
    ScimEmail,
    ScimListResponse,
    ScimMeta,
    ScimName,
    ScimPatchOperation,
    ScimToken,
    ScimUser,
)
from .repository import ScimRepository
from .service import DEFAULT_PAGE_SIZE, AsyncScimService, user_filter
from .sync_service import SyncScimService

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "PATCH_OP_SCHEMA",
    "USER_SCHEMA",
    "AsyncScimService",
    "ScimEmail",
    "ScimListResponse",
    "ScimMeta",
    "ScimName",
    "ScimPatchOperation",
    "ScimRepository",
    "ScimToken",
    "ScimUser",
    "SyncScimService",
    "user_filter",
]
