"""Every public async service method has a sync twin with the same signature.

The sync services are thin hand-written wrappers; this test is what keeps them from drifting.
"""

from __future__ import annotations

import inspect

import pytest

from pywats import AsyncWATS, SyncWATS

DOMAINS = (
    "product", "production", "process", "report", "analytics",
    "asset", "software", "rootcause", "scim",
)  # fmt: skip


def public_methods(obj: object) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(type(obj), inspect.isfunction)
        if not name.startswith("_")
    }


@pytest.fixture(scope="module")
def clients() -> tuple[AsyncWATS, SyncWATS]:
    return AsyncWATS("http://127.0.0.1:9", "t"), SyncWATS("http://127.0.0.1:9", "t")


def test_at_least_one_domain_is_attached(clients: tuple[AsyncWATS, SyncWATS]) -> None:
    async_client, _ = clients
    assert any(hasattr(async_client, d) for d in DOMAINS)


@pytest.mark.parametrize("domain", DOMAINS)
def test_sync_twin_matches_async_service(clients: tuple[AsyncWATS, SyncWATS], domain: str) -> None:
    async_client, sync_client = clients
    if not hasattr(async_client, domain):
        assert not hasattr(sync_client, domain)
        pytest.skip(f"the {domain} domain is not implemented yet")
    assert hasattr(sync_client, domain), f"SyncWATS has no {domain} service"
    async_methods = public_methods(getattr(async_client, domain))
    sync_methods = public_methods(getattr(sync_client, domain))
    missing = sorted(set(async_methods) - set(sync_methods))
    assert not missing, f"sync {domain} service lacks: {missing}"
    extra = sorted(set(sync_methods) - set(async_methods))
    assert not extra, f"sync {domain} service has methods the async one lacks: {extra}"
    for name, async_sig in async_methods.items():
        sync_sig = sync_methods[name]
        assert list(sync_sig.parameters.values()) == list(async_sig.parameters.values()), name
        async_return = async_sig.return_annotation
        if isinstance(async_return, str) and async_return.startswith("AsyncIterator["):
            async_return = "Iterator[" + async_return.removeprefix("AsyncIterator[")
        assert sync_sig.return_annotation == async_return, name
