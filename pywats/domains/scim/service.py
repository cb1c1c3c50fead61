"""AsyncScimService: provisioning WATS users over SCIM 2.0, as an identity provider does.

Users are found by id or by user name, listed page by page (every page is fetched for you),
created, changed with PatchOp ``replace`` operations (activate, deactivate, rename) and
deleted. ``get_token`` issues the token an identity provider (Azure AD) provisions with.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from pywats.errors import WATSUnexpectedResponseError, WATSValidationError

from .models import (
    USER_SCHEMA,
    ScimEmail,
    ScimListResponse,
    ScimName,
    ScimPatchOperation,
    ScimToken,
    ScimUser,
)
from .repository import ScimRepository

__all__ = ["DEFAULT_PAGE_SIZE", "AsyncScimService", "user_filter"]

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
USER_NAME_MAX = 256
_MAX_PAGES = 100_000  # a server that never says "last page" cannot loop us forever


def _text(value: object, field: str, *, maximum: int = USER_NAME_MAX) -> str:
    if not isinstance(value, str) or not value.strip():
        raise WATSValidationError("must be a non-empty string", field=field)
    text = value.strip()
    if len(text) > maximum:
        raise WATSValidationError(f"must be at most {maximum} characters", field=field)
    if any(not c.isprintable() for c in text):
        raise WATSValidationError("must not contain control characters", field=field)
    return text


def _user_id(value: object) -> str:
    return _text(value, "user_id", maximum=100)


def user_filter(attribute: str, operator: str, value: str) -> str:
    """A SCIM filter with the value quoted and escaped: ``userName eq "o\\"neil"``."""
    if operator.lower() not in {"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"}:
        raise WATSValidationError(f"is not a SCIM comparison: {operator!r}", field="operator")
    if not attribute.replace(".", "").replace(":", "").isalnum():
        raise WATSValidationError(f"is not a SCIM attribute: {attribute!r}", field="attribute")
    return f"{attribute} {operator.lower()} {json.dumps(value)}"


class AsyncScimService:
    """SCIM users: list, find, create, patch, activate/deactivate, delete; the token."""

    def __init__(self, repository: ScimRepository) -> None:
        self._repo = repository

    # ----------------------------------------------------------------- reading

    async def get_users_page(
        self, start_index: int = 1, count: int = DEFAULT_PAGE_SIZE, filter: str | None = None
    ) -> ScimListResponse:
        """One page: ``start_index`` is 1-based, as in SCIM."""
        for value, field, least in ((start_index, "start_index", 1), (count, "count", 0)):
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise WATSValidationError(
                    f"must be a whole number from {least}, got {value!r}", field=field
                )
        if count > MAX_PAGE_SIZE:
            raise WATSValidationError(f"must be at most {MAX_PAGE_SIZE}", field="count")
        return await self._repo.list_users(
            filter=filter.strip() if filter else None, start_index=start_index, count=count
        )

    async def iter_users(
        self, filter: str | None = None, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> AsyncIterator[ScimUser]:
        """Every user (matching ``filter``), fetching page after page as you iterate."""
        start = 1
        for _ in range(_MAX_PAGES):
            page = await self.get_users_page(start, page_size, filter)
            for user in page.resources:
                yield user
            start += len(page.resources)
            if not page.resources or len(page.resources) < page_size:
                return
            if start > page.total_results:
                return
        raise WATSUnexpectedResponseError(
            f"GET /api/SCIM/v2/Users kept answering full pages past {_MAX_PAGES} pages",
            status_code=200,
            method="GET",
            path="/api/SCIM/v2/Users",
            body_excerpt="",
        )

    async def get_users(
        self, filter: str | None = None, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> list[ScimUser]:
        """Every user (matching a SCIM ``filter`` such as ``userName sw "ola"``), all pages."""
        return [user async for user in self.iter_users(filter, page_size=page_size)]

    async def get_user(self, user_id: str) -> ScimUser | None:
        """The user with this SCIM id; None if there is none (or it was deleted)."""
        return await self._repo.get_user(_user_id(user_id))

    async def find_user(self, user_name: str) -> ScimUser | None:
        """The user with this user name (any case); None if there is none."""
        return await self._repo.get_user_by_name(_text(user_name, "user_name"))

    # ----------------------------------------------------------------- writing

    async def create_user(
        self,
        user_name: str,
        *,
        display_name: str | None = None,
        given_name: str | None = None,
        family_name: str | None = None,
        email: str | None = None,
        external_id: str | None = None,
        active: bool = True,
    ) -> ScimUser:
        """Provision a user; a user name already taken is a ``WATSConflictError`` (409)."""
        body: dict[str, Any] = {
            "schemas": [USER_SCHEMA],
            "userName": _text(user_name, "user_name"),
            "active": bool(active),
        }
        if display_name is not None:
            body["displayName"] = _text(display_name, "display_name")
        name = ScimName(
            given_name=_text(given_name, "given_name") if given_name is not None else None,
            family_name=_text(family_name, "family_name") if family_name is not None else None,
        )
        if name.given_name or name.family_name:
            name.formatted = " ".join(p for p in (name.given_name, name.family_name) if p)
            body["name"] = name.model_dump(by_alias=True, exclude_none=True)
        if email is not None:
            address = _text(email, "email")
            if "@" not in address:
                raise WATSValidationError("must be an e-mail address", field="email")
            body["emails"] = [
                ScimEmail(value=address, type="work", primary=True).model_dump(by_alias=True)
            ]
        if external_id is not None:
            body["externalId"] = _text(external_id, "external_id")
        return await self._repo.create_user(body)

    async def patch_user(
        self,
        user_id: str,
        changes: Mapping[str, Any] | Sequence[ScimPatchOperation],
    ) -> ScimUser:
        """Replace attributes: ``{"displayName": "Kari H", "active": False}`` or operations."""
        if isinstance(changes, Mapping):
            operations = [
                ScimPatchOperation(op="replace", path=_text(path, "changes"), value=value)
                for path, value in changes.items()
            ]
        else:
            operations = list(changes)
        if not operations:
            raise WATSValidationError("name at least one attribute to change", field="changes")
        for operation in operations:
            if operation.op.lower() != "replace":
                raise WATSValidationError(
                    f"WATS supports only 'replace', not {operation.op!r}", field="changes"
                )
            if operation.value is None:
                raise WATSValidationError(
                    f"the change of {operation.path or 'the user'} needs a value", field="changes"
                )
        return await self._repo.patch_user(_user_id(user_id), operations)

    async def deactivate(self, user_id: str) -> ScimUser:
        """Set the user inactive: they can no longer sign in; their history stays."""
        return await self.patch_user(user_id, {"active": False})

    async def activate(self, user_id: str) -> ScimUser:
        return await self.patch_user(user_id, {"active": True})

    async def delete_user(self, user_id: str) -> None:
        """Delete the user; afterwards ``get_user`` answers None. Prefer ``deactivate``."""
        await self._repo.delete_user(_user_id(user_id))

    async def get_token(self, duration_days: int = 90) -> ScimToken:
        """A provisioning token valid for ``duration_days`` (90 by default, as WATS advises)."""
        if (
            isinstance(duration_days, bool)
            or not isinstance(duration_days, int)
            or not (1 <= duration_days <= 3650)
        ):
            raise WATSValidationError(
                f"must be a whole number of days from 1 to 3650, got {duration_days!r}",
                field="duration_days",
            )
        return await self._repo.get_token(duration_days)
