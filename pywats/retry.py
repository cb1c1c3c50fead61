"""The one retry policy: which failures are retried, and how long to wait between attempts.

Retries live here and in :mod:`pywats.http` only; services never retry on their own, so
attempts never multiply and deadlines stay honest.
"""

from __future__ import annotations

import email.utils
import logging
import math
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import httpx2

from pywats.transport import CertificateRejected

__all__ = ["RetryEvent", "RetryPolicy", "observe_retries", "parse_retry_after"]


@dataclass(frozen=True, slots=True)
class RetryEvent:
    """One retry about to happen: the call, why it is retried, and how long until it is."""

    method: str
    path: str
    attempt: int  # the attempt about to start: 2 is the first retry
    attempts: int  # the most attempts this call makes
    reason: str  # e.g. "ReadTimeout" or "status 503"
    delay: float  # seconds slept before the attempt


_RETRY_OBSERVER: ContextVar[Callable[[RetryEvent], None] | None] = ContextVar(
    "pywats_retry_observer", default=None
)


@contextmanager
def observe_retries(observer: Callable[[RetryEvent], None]) -> Iterator[None]:
    """Call ``observer`` before each retry of the calls made in this context.

    A context variable, so it follows the current task and the tasks it starts (the calls of
    an ``asyncio.gather`` count), and no other task sees it. An app shows "retrying 2/3" with
    it; the observer runs on the event loop and must return at once.
    """
    token = _RETRY_OBSERVER.set(observer)
    try:
        yield
    finally:
        _RETRY_OBSERVER.reset(token)


def notify_retry(event: RetryEvent) -> None:
    """Tell the current context's observer (if any) about a retry.

    An observer that raises must not fail the call it watches: its error is logged instead.
    """
    observer = _RETRY_OBSERVER.get()
    if observer is None:
        return
    try:
        observer(event)
    except Exception:
        logging.getLogger(__name__).exception("the retry observer %r failed", observer)


IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})

# The request never reached the server: safe to resend whatever the method.
NOT_SENT_ERRORS: tuple[type[Exception], ...] = (
    httpx2.ConnectError,
    httpx2.ConnectTimeout,
    httpx2.PoolTimeout,
)
# The server may have processed the request: only idempotent methods are resent.
MAYBE_SENT_ERRORS: tuple[type[Exception], ...] = (
    httpx2.ReadTimeout,
    httpx2.WriteTimeout,
    httpx2.ReadError,
    httpx2.WriteError,
    httpx2.RemoteProtocolError,
)


def parse_retry_after(
    headers: httpx2.Headers, now: Callable[[], float] = time.time
) -> float | None:
    """Seconds the server asked us to wait, from retry-after-ms or Retry-After (seconds or date)."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            value = float(millis) / 1000.0
        except ValueError:
            value = math.nan
        if math.isfinite(value) and value >= 0:
            return value
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None  # garbage: fall back to our own backoff
        return max(0.0, parsed.timestamp() - now())
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return seconds


@dataclass(frozen=True)
class RetryPolicy:
    """Retry settings: counts, exponential backoff with bounded jitter, Retry-After handling."""

    max_retries: int = 2
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    # A Retry-After above this is not slept on: the error is raised with ``retry_after`` set,
    # so a job runner can reschedule instead of hanging a station for minutes.
    retry_after_cap: float = 60.0
    retry_statuses: frozenset[int] = field(default_factory=lambda: frozenset({429, 502, 503, 504}))
    jitter_source: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    def backoff(self, retry_number: int) -> float:
        """Delay before retry ``retry_number`` (1-based): doubling, capped, jittered to 75-100%."""
        base = min(self.backoff_max, self.backoff_initial * 2.0 ** (retry_number - 1))
        return base * (0.75 + 0.25 * self.jitter_source())

    def should_retry_exception(self, method: str, exc: Exception) -> bool:
        if isinstance(exc, CertificateRejected):
            return False  # the same certificate will be refused again
        if isinstance(exc, NOT_SENT_ERRORS):
            return True
        return isinstance(exc, MAYBE_SENT_ERRORS) and method in IDEMPOTENT_METHODS

    def should_retry_status(self, method: str, status_code: int, has_retry_after: bool) -> bool:
        if status_code == 429 or (status_code == 503 and has_retry_after):
            # The server says it did not process the request: any method may be resent.
            return True
        return status_code in self.retry_statuses and method in IDEMPOTENT_METHODS
