"""The SCIM service against the in-process emulator: every operation, async and sync."""

from __future__ import annotations

import pytest

from pywats import AsyncWATS, SyncWATS
from pywats.domains.scim import ScimPatchOperation, ScimUser, user_filter
from pywats.emulator.testing import InProcessEmulator
from pywats.errors import WATSBadRequestError, WATSConflictError, WATSValidationError


async def test_get_users_fetches_every_page(wats: AsyncWATS, emulator: InProcessEmulator) -> None:
    total = emulator.store.scalar("SELECT COUNT(*) FROM scim_user")
    before = emulator.traffic.count_for("GET", "/api/SCIM/v2/Users")
    users = await wats.scim.get_users(page_size=5)
    assert len(users) == total and len({u.id for u in users}) == total
    pages = emulator.traffic.count_for("GET", "/api/SCIM/v2/Users") - before
    assert pages == -(-total // 5) + (total % 5 == 0)  # the last page may be empty
    assert any(not u.active for u in users) and any(u.active for u in users)
    streamed = [u.user_name async for u in wats.scim.iter_users(page_size=7)]
    assert streamed == [u.user_name for u in users]


async def test_filters_and_one_page(wats: AsyncWATS) -> None:
    [kari] = await wats.scim.get_users(user_filter("userName", "eq", "Kari.Hansen"))
    assert kari.user_name == "kari.hansen" and kari.primary_email
    inactive = await wats.scim.get_users("active eq false")
    assert inactive and not any(u.active for u in inactive)
    page = await wats.scim.get_users_page(2, 3)
    assert page.start_index == 2 and len(page.resources) == 3 and page.total_results > 3
    assert user_filter("displayName", "co", 'a"b') == 'displayName co "a\\"b"'
    with pytest.raises(WATSBadRequestError, match="filter"):
        await wats.scim.get_users("userName eq")


async def test_create_find_patch_deactivate_activate_delete(wats: AsyncWATS) -> None:
    created = await wats.scim.create_user(
        "line.lead",
        display_name="Line Lead",
        given_name="Line",
        family_name="Lead",
        email="line.lead@example.com",
        external_id="aad-42",
    )
    assert created.id and created.active and created.primary_email == "line.lead@example.com"
    assert created.name is not None and created.name.formatted == "Line Lead"
    with pytest.raises(WATSConflictError) as conflict:
        await wats.scim.create_user("LINE.LEAD")
    assert conflict.value.status_code == 409 and "already exists" in str(conflict.value)
    found = await wats.scim.find_user("Line.Lead")
    assert found is not None and found.id == created.id
    by_id = await wats.scim.get_user(created.id)
    assert by_id is not None and by_id.user_name == "line.lead"
    renamed = await wats.scim.patch_user(created.id, {"displayName": "Shift Lead"})
    assert renamed.display_name == "Shift Lead" and renamed.label == "Shift Lead"
    ops = [ScimPatchOperation(path="name.givenName", value="Shift")]
    assert (await wats.scim.patch_user(created.id, ops)).name.given_name == "Shift"  # type: ignore[union-attr]
    assert (await wats.scim.deactivate(created.id)).active is False
    assert (await wats.scim.activate(created.id)).active is True
    await wats.scim.delete_user(created.id)
    assert await wats.scim.get_user(created.id) is None
    assert await wats.scim.find_user("line.lead") is None


async def test_user_names_with_url_characters_are_escaped(wats: AsyncWATS) -> None:
    created = await wats.scim.create_user("o'neil/test #1@acme")
    found = await wats.scim.find_user("o'neil/test #1@acme")
    assert found is not None and found.id == created.id


async def test_token(wats: AsyncWATS) -> None:
    token = await wats.scim.get_token()
    assert token.duration_days == 90 and token.expires_utc is not None
    assert token.token.count(".") == 2 and token.token not in repr(token)
    short = await wats.scim.get_token(7)
    assert short.duration_days == 7 and short.expires_utc < token.expires_utc  # type: ignore[operator]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda s: s.create_user(""), "user_name"),
        (lambda s: s.create_user("a\nb"), "user_name"),
        (lambda s: s.create_user("ok", email="nomail"), "email"),
        (lambda s: s.get_user(""), "user_id"),
        (lambda s: s.find_user("  "), "user_name"),
        (lambda s: s.patch_user("x", {}), "changes"),
        (lambda s: s.patch_user("x", [ScimPatchOperation(op="add", path="a", value=1)]), "changes"),
        (lambda s: s.patch_user("x", {"displayName": None}), "changes"),
        (lambda s: s.get_users_page(0, 10), "start_index"),
        (lambda s: s.get_users_page(1, 5000), "count"),
        (lambda s: s.get_token(0), "duration_days"),
    ],
)
async def test_bad_input_is_refused_before_sending(
    wats: AsyncWATS, emulator: InProcessEmulator, call: object, field: str
) -> None:
    before = emulator.traffic.count
    with pytest.raises(WATSValidationError) as caught:
        await call(wats.scim)  # type: ignore[operator]
    assert caught.value.field == field
    assert emulator.traffic.count == before


def test_every_operation_through_the_sync_client(sync_wats: SyncWATS) -> None:
    scim = sync_wats.scim
    users = scim.get_users(page_size=4)
    assert users and all(isinstance(u, ScimUser) for u in users)
    assert [u.id for u in scim.iter_users(page_size=6)] == [u.id for u in users]
    assert scim.get_users_page(1, 2).items_per_page == 2
    created = scim.create_user("sync.user", display_name="Sync User")
    assert created.id is not None
    assert scim.get_user(created.id) is not None
    assert scim.find_user("sync.user") is not None
    assert scim.patch_user(created.id, {"displayName": "Synced"}).display_name == "Synced"
    assert scim.deactivate(created.id).active is False
    assert scim.activate(created.id).active is True
    scim.delete_user(created.id)
    assert scim.get_user(created.id) is None
    assert scim.get_token(30).duration_days == 30
