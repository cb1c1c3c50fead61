"""SyncScimService: the blocking twin of AsyncScimService, one line per method."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pywats.sync_service import SyncService

from .models import ScimListResponse, ScimPatchOperation, ScimToken, ScimUser
from .service import DEFAULT_PAGE_SIZE, AsyncScimService

__all__ = ["SyncScimService"]


class SyncScimService(SyncService[AsyncScimService]):
    """See :class:`AsyncScimService` for what each method does."""

    def get_users_page(
        self, start_index: int = 1, count: int = DEFAULT_PAGE_SIZE, filter: str | None = None
    ) -> ScimListResponse:
        return self._call(AsyncScimService.get_users_page, start_index, count, filter)

    def iter_users(
        self, filter: str | None = None, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> Iterator[ScimUser]:
        return self._iterate(AsyncScimService.iter_users, filter, page_size=page_size)

    def get_users(
        self, filter: str | None = None, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> list[ScimUser]:
        return self._call(AsyncScimService.get_users, filter, page_size=page_size)

    def get_user(self, user_id: str) -> ScimUser | None:
        return self._call(AsyncScimService.get_user, user_id)

    def find_user(self, user_name: str) -> ScimUser | None:
        return self._call(AsyncScimService.find_user, user_name)

    def create_user(
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
        return self._call(
            AsyncScimService.create_user,
            user_name,
            display_name=display_name,
            given_name=given_name,
            family_name=family_name,
            email=email,
            external_id=external_id,
            active=active,
        )

    def patch_user(
        self,
        user_id: str,
        changes: Mapping[str, Any] | Sequence[ScimPatchOperation],
    ) -> ScimUser:
        return self._call(AsyncScimService.patch_user, user_id, changes)

    def deactivate(self, user_id: str) -> ScimUser:
        return self._call(AsyncScimService.deactivate, user_id)

    def activate(self, user_id: str) -> ScimUser:
        return self._call(AsyncScimService.activate, user_id)

    def delete_user(self, user_id: str) -> None:
        return self._call(AsyncScimService.delete_user, user_id)

    def get_token(self, duration_days: int = 90) -> ScimToken:
        return self._call(AsyncScimService.get_token, duration_days)
