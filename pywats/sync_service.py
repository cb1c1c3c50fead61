"""The pattern every sync domain service follows: one explicit, typed line per method.

    class SyncProductService(SyncService[AsyncProductService]):
        def get_product(self, part_number: str) -> Product | None:
            return self._call(AsyncProductService.get_product, part_number)

``_call`` takes the *unbound* async method, so mypy checks the arguments and the result type,
and the service instance is looked up on the runner's loop at call time (which keeps working
after a fork, when the runner and the async client are rebuilt).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Concatenate, Generic, ParamSpec, TypeVar

if TYPE_CHECKING:
    from pywats.sync_client import SyncWATS

__all__ = ["SyncService"]

S = TypeVar("S")
P = ParamSpec("P")
T = TypeVar("T")


class SyncService(Generic[S]):
    """Base of the sync twins of the async domain services."""

    def __init__(self, client: SyncWATS, domain: str) -> None:
        self._client = client
        self._domain = domain

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._client!r})"

    def _call(
        self,
        method: Callable[Concatenate[S, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        async def invoke() -> T:
            service: S = getattr(self._client._async_client(), self._domain)
            return await method(service, *args, **kwargs)

        return self._client._runner.run(invoke)

    def _iterate(
        self,
        method: Callable[Concatenate[S, P], AsyncIterator[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Iterator[T]:
        def make() -> AsyncIterator[T]:
            service: S = getattr(self._client._async_client(), self._domain)
            return method(service, *args, **kwargs)

        return self._client._runner.iterate(make)
