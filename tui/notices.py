"""Notifications that do not pile up, and the history of the errors they showed.

A failing server makes every screen say the same thing again and again: a reload every few
minutes, a refresh per keystroke. :class:`NoticeApp` (the app's base) changes two things:

- The same notice (severity, title and message) while its toast is still up replaces that
  toast with one whose title carries the count ("Server unreachable", :data:`TIMES`, 3)
  instead of stacking another copy.
- Every error and warning goes into :attr:`NoticeApp.error_history` (the last
  :data:`HISTORY_SIZE` distinct ones, the same one folded with its count and last time), which
  the "Error history" screen shows, so an error whose toast is gone can be read again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual.app import App
from textual.notifications import Notification, Notify, SeverityLevel

__all__ = ["HISTORY_SIZE", "TIMES", "ErrorEntry", "ErrorHistory", "NoticeApp", "folded"]

HISTORY_SIZE = 50
TIMES = "\N{MULTIPLICATION SIGN}"  # "Server unreachable" three times: "Server unreachable x3"
KEPT = ("error", "warning")  # severities the history keeps

_Key = tuple[str, str, str]


def folded(title: str, count: int) -> str:
    """The title, with the count when it came more than once."""
    return f"{title} {TIMES}{count}" if count > 1 else title


@dataclass
class ErrorEntry:
    """One distinct error: how often it came, first and last."""

    severity: str
    title: str
    message: str
    first: datetime
    last: datetime
    count: int = 1

    @property
    def folded_title(self) -> str:
        return folded(self.title, self.count)


class ErrorHistory:
    """The last ``size`` distinct errors, the newest first; a repeat moves to the top."""

    def __init__(self, size: int = HISTORY_SIZE, clock: Callable[[], datetime] = datetime.now):
        self.size = size
        self.clock = clock
        self._entries: OrderedDict[_Key, ErrorEntry] = OrderedDict()
        self._lock = threading.Lock()  # App.notify may be called from a thread
        #: Bumped on every change, so a screen showing the history knows to redraw.
        self.version = 0

    def record(self, severity: str, title: str, message: str) -> ErrorEntry:
        now = self.clock()
        key = (severity, title, message)
        with self._lock:
            entry = self._entries.pop(key, None)
            if entry is None:
                entry = ErrorEntry(severity, title, message, first=now, last=now)
            else:
                entry.count += 1
                entry.last = now
            self._entries[key] = entry
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
            self.version += 1
        return entry

    def entries(self) -> list[ErrorEntry]:
        """Newest first."""
        with self._lock:
            return list(reversed(self._entries.values()))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.version += 1

    def __len__(self) -> int:
        return len(self._entries)


@dataclass
class _Shown:
    notification: Notification
    count: int


class NoticeApp(App[None]):
    """An App whose notifications fold repeats and feed :attr:`error_history`."""

    def __init__(self) -> None:
        super().__init__()
        self.error_history = ErrorHistory()
        self._shown: dict[_Key, _Shown] = {}
        self._superseded: set[str] = set()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        if threading.get_ident() != self._thread_id:
            # Toasts are the app thread's business (Textual's notify is thread-safe).
            self.call_from_thread(
                self.notify,
                message,
                title=title,
                severity=severity,
                timeout=timeout,
                markup=markup,
            )
            return
        if severity in KEPT:
            self.error_history.record(severity, title, message)
        key = (severity, title, message)
        self._shown = {k: s for k, s in self._shown.items() if not s.notification.has_expired}
        shown = self._shown.get(key)
        count = 1
        if shown is not None:
            count = shown.count + 1
            if shown.notification in self._notifications:
                self._unnotify(shown.notification, refresh=False)
            else:  # posted, not shown yet: never show it
                self._superseded.add(shown.notification.identity)
        notification = Notification(
            message,
            folded(title, count),
            severity,
            self.NOTIFICATION_TIMEOUT if timeout is None else timeout,
            markup=markup,
        )
        self._shown[key] = _Shown(notification, count)
        self.post_message(Notify(notification))

    def _on_notify(self, event: Notify) -> None:
        if event.notification.identity in self._superseded:
            self._superseded.discard(event.notification.identity)
            return
        super()._on_notify(event)
