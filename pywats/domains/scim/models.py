"""SCIM 2.0 models (RFC 7643): users, list responses, PatchOp operations, the token.

SCIM spells its own wire names (``userName``, ``Resources``, ``Operations``); they are the
aliases here. Unknown attributes (enterprise extensions and the like) are kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AliasChoices, Field

from pywats.models import WATSModel

__all__ = [
    "PATCH_OP_SCHEMA",
    "USER_SCHEMA",
    "ScimEmail",
    "ScimListResponse",
    "ScimMeta",
    "ScimName",
    "ScimPatchOperation",
    "ScimToken",
    "ScimUser",
]

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class ScimName(WATSModel):
    formatted: str | None = None
    given_name: str | None = None
    family_name: str | None = None


class ScimEmail(WATSModel):
    value: str
    type: str | None = None
    primary: bool | None = None


class ScimMeta(WATSModel):
    resource_type: str | None = None
    created: datetime | None = None
    last_modified: datetime | None = None
    location: str | None = None


class ScimUser(WATSModel):
    """A provisioned WATS user. ``id`` is the server's; ``user_name`` is unique (any case)."""

    id: str | None = None
    user_name: str
    display_name: str | None = None
    active: bool = True
    external_id: str | None = None
    name: ScimName | None = None
    emails: list[ScimEmail] = Field(default_factory=list)
    schemas: list[str] = Field(default_factory=lambda: [USER_SCHEMA])
    meta: ScimMeta | None = None

    @property
    def primary_email(self) -> str | None:
        for email in self.emails:
            if email.primary:
                return email.value
        return self.emails[0].value if self.emails else None

    @property
    def label(self) -> str:
        """The display name, else the formatted name, else the user name."""
        if self.display_name:
            return self.display_name
        if self.name is not None and self.name.formatted:
            return self.name.formatted
        return self.user_name


class ScimListResponse(WATSModel):
    """One page of ``GET /Users`` (``startIndex`` is 1-based)."""

    total_results: int = 0
    items_per_page: int | None = None
    start_index: int = 1
    resources: list[ScimUser] = Field(
        default_factory=list, validation_alias=AliasChoices("Resources", "resources")
    )
    schemas: list[str] = Field(default_factory=list)


class ScimPatchOperation(WATSModel):
    """One operation of a PatchOp; WATS supports ``replace`` only."""

    op: str = "replace"
    path: str | None = None
    value: Any = None


class ScimToken(WATSModel):
    """A provisioning token (a JWT) for an identity provider such as Azure AD.

    Give the provider the tenant URL ``<server>/api/SCIM/v2`` and ``token`` as its secret.
    """

    token: str
    expires_utc: datetime | None = Field(
        default=None, validation_alias=AliasChoices("expiresUtc", "expires", "expires_utc")
    )
    duration_days: int | None = Field(
        default=None, validation_alias=AliasChoices("durationDays", "duration", "duration_days")
    )

    def __repr__(self) -> str:
        # A credential: never in a repr or a log line.
        return f"ScimToken(token='***', expires_utc={self.expires_utc!r})"

    __str__ = __repr__
