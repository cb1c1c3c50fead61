"""The ONE way a screen runs server calls: ``WorkerScreen.run_task``.

Every screen that talks to the server derives from :class:`WorkerScreen` (domain screens do so
through :class:`tui.screen.WATSScreen`) and starts work like this::

    class ProductsScreen(WATSScreen):
        BINDINGS = [Binding("r", "reload", "Reload")]

        def compose_body(self) -> ComposeResult:
            yield Button("Reload", id="reload", action="screen.reload")
            yield DataTable(id="products")

        def on_mount(self) -> None:
            self.action_reload()

        def action_reload(self) -> None:
            self.run_task(
                "load",                                   # the group: one operation
                lambda: self.wats.product.get_products(),  # a factory, called once per run
                self.show_products,                        # runs only if still current
                controls=["reload"],                       # action(s) that start this work
                loading="#products",                       # widget(s) that show a spinner
                description="Loading products",
            )

        def show_products(self, products: list[Product]) -> None:
            ...

What the pattern guarantees, so screens never re-implement it:

- Workers are async, owned by the screen, ``exit_on_error=False``, one named group per
  independent operation.
- Starting a group that is already running does nothing (so "pressed twice" runs once and a
  periodic refresh never overlaps itself); pass ``supersede=True`` where the newest request
  must win (search-as-you-type), which cancels the older one.
- While a group runs: its ``loading`` widgets show Textual's loading indicator, except a table
  that already shows rows: a reload keeps them on screen (marked ``-reloading``) until the new
  rows replace them, so a list never goes blank for the whole load (``keep_rows=False`` opts
  out), and a reload that fails leaves them marked ``-stale`` until a load succeeds. The busy
  bar says what is running and "Esc to cancel", and once a task has waited a while, for how
  long and which attempt the SDK is on ("retrying 2/3, 34 s", :mod:`tui.waits`). Buttons whose
  ``action`` is one of ``controls`` (plus any ``disable`` widgets) are disabled; bindings for
  those actions are greyed out in the footer and refused, also from the command palette
  (``check_action``). A screen that overrides ``check_action`` must return
  ``super().check_action(...)`` for actions it does not decide itself.
- Escape cancels every running group of the screen (when nothing runs, Escape goes back:
  see ``can_go_back``/``action_back``, or leaves a text field so that the digit keys
  navigate again; do not bind escape in a subclass). A cancelled or
  superseded worker never calls ``on_success``/``on_error``: its result is dropped.
- Leaving the screen (switching screens, pushing a non-modal screen, closing it) cancels its
  workers; a modal on top (help, palette) does not.
- An exception becomes a readable notification (:func:`tui.errors.describe_error`) unless
  ``on_error`` is given, and the screen stays usable.
- :meth:`WorkerScreen.refresh_every` runs a callback on a timer that pauses while the screen is
  not shown; since its callback goes through ``run_task``, refreshes never overlap.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Static, TextArea
from textual.worker import Worker

from pywats.retry import observe_retries
from tui.errors import describe_error
from tui.waits import Wait, wait_text

__all__ = ["CANCEL_ACTION", "BusyBar", "TaskFailed", "TaskSucceeded", "WorkerScreen"]

logger = logging.getLogger("tui.workers")

T = TypeVar("T")

CANCEL_ACTION = "cancel_tasks"


class BusyBar(Static):
    """One line saying what is running and that Escape cancels it; hidden when idle.

    A task that has waited a while says for how long, and the SDK's attempt once it retries:
    ``Loading dashboard… retrying 2/3, 34 s  Esc to cancel``.
    """

    DEFAULT_CLASSES = "-idle"

    def show_tasks(self, descriptions: list[str], waits: list[Wait | None] | None = None) -> None:
        if descriptions:
            parts = []
            for index, description in enumerate(descriptions):
                wait = waits[index] if waits and index < len(waits) else None
                waited = wait_text(wait) if wait is not None else ""
                parts.append(f"{description}… {waited}" if waited else f"{description}…")
            # Text, not markup: descriptions hold URLs and names that may contain brackets.
            self.update(Text.assemble(f"{'; '.join(parts)}  ", ("Esc", "bold"), " to cancel"))
            self.remove_class("-idle")
        else:
            self.update("")
            self.add_class("-idle")


class TaskSucceeded(Message):
    """Posted (bubbling to the app) when a task of a screen finished and was applied."""

    def __init__(self, screen: WorkerScreen, group: str) -> None:
        self.screen = screen
        self.group = group
        super().__init__()


class TaskFailed(Message):
    """Posted (bubbling to the app) when a task of a screen raised; the app tracks health."""

    def __init__(self, screen: WorkerScreen, group: str, error: Exception) -> None:
        self.screen = screen
        self.group = group
        self.error = error
        super().__init__()


@dataclass(eq=False)
class _Task:
    """One running group. Identity (not equality) tells the current run from a stale one."""

    group: str
    description: str
    controls: frozenset[str]
    disable: tuple[Widget, ...]
    loading: tuple[Widget, ...]
    on_cancelled: Callable[[], object] | None = None
    worker: Worker[None] | None = field(default=None)
    wait: Wait = field(default_factory=Wait)
    keep_rows: bool = True


def _action_name(action: str) -> str:
    """``screen.reload`` and ``reload`` name the same screen action."""
    return action.removeprefix("screen.")


class WorkerScreen(Screen[Any]):
    """A screen that runs server calls through :meth:`run_task` (see the module docstring)."""

    # Three meanings for Escape, decided by check_action: cancel while busy, else go back
    # (where there is somewhere to go back to), else leave a text field. Subclasses must not
    # bind escape themselves; override can_go_back/action_back instead.
    BINDINGS = [
        Binding(
            "escape",
            CANCEL_ACTION,
            "Cancel",
            tooltip="Cancel what this screen is loading",
            id="cancel",
        ),
        Binding("escape", "back", "Back", tooltip="Back to the previous screen", id="back"),
        # Last: in a text field, Escape leaves it, so the digit keys navigate again.
        Binding(
            "escape",
            "leave_field",
            "Leave field",
            tooltip="Stop typing here",
            show=False,
            id="leave-field",
        ),
    ]

    busy: reactive[bool] = reactive(False, bindings=True)

    #: Whether this screen's results tell the app if its server is usable (header state).
    #: False for screens that talk to another server, like the connection test.
    tracks_connection: bool = True

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._task_runs: dict[str, _Task] = {}
        # Widgets this screen disabled or set loading at some point, so it can undo exactly that.
        self._busy_widgets: list[Widget] = []
        self._refresh_timers: list[Timer] = []
        # What the bindings were last refreshed for: (blocked actions, busy). Refreshing
        # rebuilds the whole footer, so it is done only when this changes.
        self._bindings_for: tuple[frozenset[str], bool] | None = None
        # Ticks the busy line's "12 s" while something runs; stopped when idle.
        self._busy_clock: Timer | None = None

    # ----------------------------------------------------------------- public API

    def run_task(
        self,
        group: str,
        work: Callable[[], Awaitable[T]],
        on_success: Callable[[T], Awaitable[None] | None],
        on_error: Callable[[Exception], Awaitable[None] | None] | None = None,
        *,
        controls: Iterable[str] = (),
        disable: Iterable[str | Widget] = (),
        loading: str | Widget | Iterable[str | Widget] | None = None,
        description: str = "Loading",
        supersede: bool = False,
        on_cancelled: Callable[[], object] | None = None,
        keep_rows: bool = True,
    ) -> Worker[None] | None:
        """Run ``work()`` in the background as the screen's ``group`` operation.

        Args:
            group: names one independent operation; at most one run per group at a time.
            work: called with no arguments to make the awaitable (e.g. a lambda around a
                service call), so nothing starts unless the run really starts.
            on_success: called with the result, only if this run is still current.
            on_error: called with the exception instead of the default notification.
            controls: action names (``"reload"`` or ``"screen.reload"``) that start this
                same work; their bindings and buttons are disabled while it runs.
            disable: extra widgets (or selectors) to disable while it runs, e.g. a form.
            loading: widget(s) (or selectors) that show the loading indicator.
            description: what the busy bar says is running ("Loading products").
            supersede: if the group is running, cancel it and start anew (newest wins)
                instead of ignoring this call.
            on_cancelled: called when the run is cancelled (Escape, leaving the screen,
                :meth:`cancel_task`), e.g. to say so in a status line; not when superseded.
            keep_rows: a ``loading`` table that already shows rows keeps them visible while
                this runs (the default); False shows the loading indicator over them.

        Returns:
            The worker, or None when the group was already running and nothing started.
        """
        running = self._task_runs.get(group)
        if running is not None:
            if not supersede:
                return None
            self._drop(running)  # superseded: silently, the new run takes its place
        task = _Task(
            group=group,
            description=description,
            controls=frozenset(_action_name(action) for action in controls),
            disable=self._resolve(disable),
            loading=self._resolve(loading),
            on_cancelled=on_cancelled,
            keep_rows=keep_rows,
        )
        self._task_runs[group] = task
        self._sync_busy_ui()

        async def body() -> None:
            try:
                # The SDK's retries inside this run (gathered calls too) count in its wait.
                with observe_retries(task.wait.observe):
                    result = await work()
            except Exception as exc:
                if not self._is_current(task):
                    return
                kept = [widget for widget in task.loading if widget.has_class("-reloading")]
                self._finish(task)
                for widget in kept:  # the rows it kept are not fresh: say so until a load works
                    widget.add_class("-stale")
                await self._report_error(task, exc, on_error)
                return
            if not self._is_current(task):
                return  # superseded or cancelled while the answer was on its way
            self._finish(task)
            for widget in task.loading:
                widget.remove_class("-stale")
            try:
                outcome = on_success(result)
                if inspect.isawaitable(outcome):
                    await outcome
            except Exception as exc:  # a bug in the screen: say so, keep the app alive
                logger.exception("showing the result of %r failed", group)
                self._notify_error(exc)
                return
            self.post_message(TaskSucceeded(self, group))

        task.worker = self.run_worker(
            # The function, not a coroutine: a run cancelled before it starts (the screen
            # left at once) then leaves no coroutine that was never awaited.
            body,
            name=group,
            group=group,
            description=description,
            exit_on_error=False,
            exclusive=supersede,
        )
        return task.worker

    def task_running(self, group: str) -> bool:
        """True while ``group`` has a run in progress."""
        return group in self._task_runs

    def cancel_task(self, group: str) -> bool:
        """Cancel one group; True if something was running."""
        task = self._task_runs.get(group)
        if task is None:
            return False
        self._drop(task)
        self._sync_busy_ui()
        self._announce_cancelled([task])
        return True

    def cancel_all_tasks(self) -> list[str]:
        """Cancel every running group; returns the descriptions of what was cancelled."""
        tasks = list(self._task_runs.values())
        for task in tasks:
            self._drop(task)
        self._sync_busy_ui()
        self._announce_cancelled(tasks)
        return [task.description for task in tasks]

    def refresh_every(self, seconds: float, callback: Callable[[], object]) -> Timer:
        """Call ``callback`` every ``seconds`` while this screen is shown.

        The timer pauses when the screen is left and resumes when it is shown again. Make the
        callback start its work with :meth:`run_task` and refreshes cannot overlap: a tick that
        comes while the previous refresh still runs does nothing.
        """
        timer = self.set_interval(seconds, callback)
        self._refresh_timers.append(timer)
        return timer

    # ----------------------------------------------------------------- actions, bindings

    def action_cancel_tasks(self) -> None:
        cancelled = self.cancel_all_tasks()
        if cancelled:
            self.notify(f"Cancelled: {'; '.join(cancelled)}", timeout=3, markup=False)

    def can_go_back(self) -> bool:
        """Whether Escape (when nothing runs) leaves this screen: yes if it was pushed."""
        return len(self.app.screen_stack) > 1 and self.app.screen is self

    def action_back(self) -> None:
        self.dismiss()

    def action_leave_field(self) -> None:
        self.set_focus(None)

    def _typing(self) -> bool:
        return isinstance(self.focused, Input | TextArea)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == CANCEL_ACTION:
            # Hidden when idle, so Escape keeps its usual meaning elsewhere.
            return bool(self._task_runs)
        if action == "back":
            return not self._task_runs and self.can_go_back()
        if action == "leave_field":
            return not self._task_runs and self._typing()
        if any(action in task.controls for task in self._task_runs.values()):
            return None  # shown greyed out in the footer, and refused
        return True

    # ----------------------------------------------------------------- lifecycle

    def compose_busy_bar(self) -> ComposeResult:
        """Screens that lay out their own chrome yield this where the busy line belongs."""
        yield BusyBar(id="busy-bar")

    def on_screen_suspend(self, event: events.ScreenSuspend) -> None:
        for timer in self._refresh_timers:
            timer.pause()
        # A modal pushed on top of this screen (help, palette, a confirmation) is not leaving
        # it; another screen, or another mode's stack (even one topped by a modal), is.
        covered_by_modal = (
            isinstance(self.app.screen, ModalScreen) and self in self.app.screen_stack
        )
        if not covered_by_modal:
            self.cancel_all_tasks()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        for timer in self._refresh_timers:
            timer.resume()

    def on_unmount(self) -> None:
        for task in list(self._task_runs.values()):
            self._drop(task)

    # ----------------------------------------------------------------- internals

    def _show_busy_line(self) -> None:
        tasks = list(self._task_runs.values())
        for bar in self.query(BusyBar):
            bar.show_tasks([task.description for task in tasks], [task.wait for task in tasks])

    def _resolve(self, targets: str | Widget | Iterable[str | Widget] | None) -> tuple[Widget, ...]:
        if targets is None:
            return ()
        items: Iterable[str | Widget] = [targets] if isinstance(targets, str | Widget) else targets
        widgets: list[Widget] = []
        for item in items:
            if isinstance(item, Widget):
                widgets.append(item)
            else:
                widgets.extend(self.query(item))
        return tuple(widgets)

    def _is_current(self, task: _Task) -> bool:
        """The run still owns its group, and there is a screen to show its answer on.

        An answer that arrives while the app is exiting finds the screen's widgets already
        removed: it is dropped, not shown (that raised NoMatches in every load's callback).
        """
        return self._task_runs.get(task.group) is task and self.is_attached and not self.app._exit

    def _finish(self, task: _Task) -> None:
        if self._is_current(task):
            del self._task_runs[task.group]
            self._sync_busy_ui()

    def _drop(self, task: _Task) -> None:
        """Forget the run first (so it can never touch the screen), then cancel it."""
        if self._is_current(task):
            del self._task_runs[task.group]
        if task.worker is not None:
            task.worker.cancel()

    def _announce_cancelled(self, tasks: list[_Task]) -> None:
        for task in tasks:
            if task.on_cancelled is not None:
                try:
                    task.on_cancelled()
                except Exception as exc:
                    logger.exception("cancel handler of %r failed", task.group)
                    self._notify_error(exc)

    async def _report_error(
        self,
        task: _Task,
        exc: Exception,
        on_error: Callable[[Exception], Awaitable[None] | None] | None,
    ) -> None:
        self.post_message(TaskFailed(self, task.group, exc))
        if on_error is None:
            self._notify_error(exc)
            return
        try:
            outcome = on_error(exc)
            if inspect.isawaitable(outcome):
                await outcome
        except Exception as handler_exc:
            logger.exception("error handler of %r failed", task.group)
            self._notify_error(handler_exc)

    def _notify_error(self, exc: Exception) -> None:
        friendly = describe_error(exc)
        # markup=False: messages carry server text and URLs, which may contain brackets.
        self.notify(
            friendly.message, title=friendly.title, severity="error", timeout=10, markup=False
        )

    def _sync_busy_ui(self) -> None:
        """Make buttons, loading indicators, busy bar and bindings match the running groups."""
        actions: set[str] = set()
        disabled: set[Widget] = set()
        loading: set[Widget] = set()
        for task in self._task_runs.values():
            actions |= task.controls
            disabled.update(task.disable)
            loading.update(task.loading)
        if actions and self.is_mounted:
            for button in self.query(Button):
                if button.action and _action_name(button.action) in actions:
                    disabled.add(button)
        for widget in (*disabled, *loading):
            if widget not in self._busy_widgets:
                self._busy_widgets.append(widget)
        keep = {
            widget for task in self._task_runs.values() if task.keep_rows for widget in task.loading
        }
        for widget in self._busy_widgets:
            widget.disabled = widget in disabled
            if widget in loading and widget in keep and _shows_rows(widget):
                # A reload: the old rows stay until the new ones replace them.
                widget.loading = False
                widget.add_class("-reloading")
            else:
                widget.loading = widget in loading
                widget.remove_class("-reloading")
        still_busy = disabled | loading
        self._busy_widgets = [widget for widget in self._busy_widgets if widget in still_busy]
        self._show_busy_line()
        self.busy = bool(self._task_runs)
        if self._task_runs and self._busy_clock is None:
            self._busy_clock = self.set_interval(1.0, self._show_busy_line)
        elif not self._task_runs and self._busy_clock is not None:
            self._busy_clock.stop()
            self._busy_clock = None
        bindings_for = (frozenset(actions), self.busy)
        if bindings_for != self._bindings_for:
            self._bindings_for = bindings_for
            self.refresh_bindings()


def _shows_rows(widget: Widget) -> bool:
    """A table with rows on it: worth keeping on screen while its reload runs."""
    return isinstance(widget, DataTable) and widget.row_count > 0
