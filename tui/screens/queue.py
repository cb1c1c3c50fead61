"""The Queue screen: this station's offline report queue (reports not yet on the server).

Top: the queue's state in words (idle, sending, waiting for the server, PAUSED because the
server refused the token) with its counts and file. The table lists pending, sending and
failed reports in delivery order; the line under it shows the highlighted report's full reason.
Keys: s send now (a progress bar while the queue drains; Escape stops), t retry the highlighted
failed report, a retry every failed report, d delete the highlighted report (asks first, Cancel
is the default), f cycle all / waiting / failed, r reload. Reached from the command palette
("Go to Report queue"); it refreshes itself every 2 s.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, ProgressBar, Static

from pywats.queue import DrainResult, QueueItem, QueuePausedError, QueueStatus
from tui.errors import describe_error
from tui.navigation import register_palette_screen
from tui.screen import WATSScreen
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.table import Table

__all__ = ["QueueScreen", "describe_status"]

_FILTERS = (("all", "All"), ("waiting", "Waiting"), ("failed", "Failed"))
_STATE_WORDS = {"pending": ("pending", "yellow"), "sending": ("sending", "cyan"),
                "dead": ("FAILED", "bold red")}  # fmt: skip


def describe_status(status: QueueStatus) -> Text:
    """The queue's state as a technician reads it."""
    text = Text()
    if status.paused is not None:
        text.append("PAUSED", style="bold red")
        text.append(f": the server refused the token ({status.paused.status_code}: "
                    f"{status.paused.reason}). Fix it (F2), then s sends.")  # fmt: skip
    elif status.state == "idle":
        text.append("Idle", style="green")
        text.append(": every report has been delivered." if not status.dead
                    else ": nothing waiting to be sent.")  # fmt: skip
    elif status.state == "waiting":
        text.append("Waiting for the server", style="yellow")
        reason = (status.last_error or "").splitlines()[0][:80] if status.last_error else ""
        text.append(f" ({reason})" if reason else "", style="dim")
    elif status.state == "pending":
        text.append("Not sent yet", style="yellow")
        text.append(": s sends now (a station script or pywats-queue send also does).",
                    style="dim")  # fmt: skip
    else:
        text.append("Sending", style="cyan")
    text.append(f"\n{status.pending} pending  {status.sending} sending  ")
    text.append(f"{status.dead} failed", style="bold red" if status.dead else "")
    text.append(f"  {status.delivered} delivered   ", style="")
    text.append(str(status.path), style="dim")
    return text


def _when(stamp: float) -> str:
    moment = datetime.fromtimestamp(stamp)
    return moment.strftime("%H:%M:%S" if moment.date() == datetime.now().date() else "%m-%d %H:%M")


@register_palette_screen(
    title="Report queue",
    description="Reports waiting to be sent from this station: send, retry, delete",
)
class QueueScreen(WATSScreen):
    AUTO_FOCUS = "#queue-table"
    BINDINGS = [
        Binding("s", "send", "Send now", id="queue-send", tooltip="Deliver the queue now"),
        Binding("t", "retry", "Retry", id="queue-retry", tooltip="Send the failed report again"),
        Binding("a", "retry_all", "Retry all", id="queue-retry-all"),
        Binding("d", "delete", "Delete", id="queue-delete", tooltip="Delete from the queue"),
        Binding("f", "cycle_filter", "Show", id="queue-filter"),
        Binding("r", "reload", "Reload", show=False, id="queue-reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, QueueItem] = {}
        self.status: QueueStatus | None = None
        self.filter = "all"

    def compose_body(self) -> ComposeResult:
        yield Static("Reading the queue…", id="queue-status")
        with Horizontal(id="queue-send-bar"):
            yield Static("Sending", id="queue-send-label", markup=False)
            yield ProgressBar(id="queue-progress", show_eta=False)
        yield Table(id="queue-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="queue-reason", markup=False)

    def on_mount(self) -> None:
        table = self.query_one("#queue-table", DataTable)
        table.add_column("Serial", key="serial")
        table.add_column("Part", key="part")
        table.add_column("State", key="state")
        table.add_column("Queued", key="queued")
        table.add_column("Tries", key="tries")
        table.add_column("Reason", key="reason")
        self.query_one("#queue-send-bar").display = False
        self.action_reload()
        self.refresh_every(2.0, self.action_reload)

    # ----------------------------------------------------------------- reading

    def action_reload(self) -> None:
        queue = self.wats.queue

        async def fetch() -> tuple[QueueStatus, list[QueueItem]]:
            status = await queue.status()
            waiting = await queue.pending()
            dead = await queue.dead_letters()
            return status, [*waiting, *dead]

        self.run_task("load", fetch, self.show, description="Reading the queue")

    def show(self, found: tuple[QueueStatus, list[QueueItem]]) -> None:
        status, items = found
        self.status = status
        self.query_one("#queue-status", Static).update(describe_status(status))
        table = self.query_one("#queue-table", DataTable)
        keep = self.highlighted
        table.clear()
        shown = [item for item in items if self._wanted(item)]
        self.items = {item.report_id: item for item in shown}
        for item in shown:
            word, style = _STATE_WORDS.get(item.state, (item.state, ""))
            reason = (item.last_error or "").replace("\n", " ")
            table.add_row(
                Text(item.serial_number or "-"),
                Text(item.part_number or "-"),
                Text(word, style=style),
                _when(item.enqueued_at),
                str(item.attempts),
                Text(reason),
                key=item.report_id,
            )
        if keep is not None and keep.report_id in self.items:
            table.move_cursor(row=table.get_row_index(keep.report_id))
        if not shown:
            self.query_one("#queue-reason", Static).update(
                {"failed": "No failed reports.", "waiting": "Nothing waiting to be sent."}.get(
                    self.filter, "The queue is empty: every report is on the server."
                )
            )
        else:
            self._show_reason(self.highlighted)

    def _wanted(self, item: QueueItem) -> bool:
        if self.filter == "failed":
            return item.state == "dead"
        if self.filter == "waiting":
            return item.state != "dead"
        return True

    @property
    def highlighted(self) -> QueueItem | None:
        table = self.query_one("#queue-table", DataTable)
        if not self.items or table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # no row under the cursor
            return None
        return self.items.get(str(key)) if key is not None else None

    @on(DataTable.RowHighlighted, "#queue-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        self._show_reason(self.items.get(str(key)) if key is not None else None)

    def _show_reason(self, item: QueueItem | None) -> None:
        line = self.query_one("#queue-reason", Static)
        if item is None:
            line.update("")
            return
        what = f"{item.serial_number or '?'} ({item.part_number or '?'}), {item.format}, " \
               f"id {item.report_id}"  # fmt: skip
        if item.state == "dead":
            line.update(f"{what}\nRefused by the server: {item.last_error or 'no reason given'}")
        elif item.last_error:
            line.update(f"{what}\nLast try: {item.last_error}")
        else:
            line.update(what)

    def action_cycle_filter(self) -> None:
        keys = [key for key, _ in _FILTERS]
        self.filter = keys[(keys.index(self.filter) + 1) % len(keys)]
        self.notify(f"Showing: {dict(_FILTERS)[self.filter]}", timeout=2)
        self.action_reload()

    # ----------------------------------------------------------------- sending

    def action_send(self) -> None:
        queue = self.wats.queue
        bar = self.query_one("#queue-progress", ProgressBar)
        bar.update(total=None, progress=0)
        self.query_one("#queue-send-bar").display = True

        def progress(done: int, total: int) -> None:
            bar.update(total=max(total, 1), progress=done)
            self.query_one("#queue-send-label", Static).update(f"Sending {done}/{total}")

        async def drain() -> DrainResult:
            await queue.resume()  # asked to send now: try the token again
            return await queue.drain(None, progress=progress)

        self.run_task(
            "send",
            drain,
            self._sent,
            self._send_failed,
            controls=["send", "retry", "retry_all", "delete"],
            description="Sending the queue",
            on_cancelled=self._send_stopped,
        )

    def _sent(self, result: DrainResult) -> None:
        self.query_one("#queue-send-bar").display = False
        failed = f" {result.dead} refused (see Failed)." if result.dead else ""
        self.notify(f"The queue is empty.{failed}", title="Sent", timeout=5)
        self.action_reload()

    def _send_failed(self, exc: Exception) -> None:
        self.query_one("#queue-send-bar").display = False
        if isinstance(exc, QueuePausedError):
            self.notify(str(exc), title="Queue paused", severity="error", timeout=10,
                        markup=False)  # fmt: skip
        else:
            friendly = describe_error(exc)
            self.notify(friendly.message, title=f"Sending failed: {friendly.title}",
                        severity="error", timeout=10, markup=False)  # fmt: skip
        self.action_reload()

    def _send_stopped(self) -> None:
        self.query_one("#queue-send-bar").display = False
        self.run_worker(self.wats.queue.stop(), name="queue-stop", exit_on_error=False)
        self.notify("Stopped sending; the reports stay queued.", timeout=4)

    # ----------------------------------------------------------------- changing

    def action_retry(self) -> None:
        item = self.highlighted
        if item is None or item.state != "dead":
            self.notify("Highlight a failed report to retry it (a retries them all).",
                        timeout=4)  # fmt: skip
            return
        self._retry([item.report_id], f"{item.serial_number or item.report_id} is queued again.")

    def action_retry_all(self) -> None:
        if self.status is None or self.status.dead == 0:
            self.notify("No failed reports to retry.", timeout=4)
            return
        self._retry(None, f"{self.status.dead} failed reports are queued again.")

    def _retry(self, ids: list[str] | None, message: str) -> None:
        queue = self.wats.queue

        async def retry() -> int:
            return await queue.retry(ids)

        def done(count: int) -> None:
            self.notify(message if count else "Nothing was retried.", timeout=4, markup=False)
            self.action_reload()

        self.run_task("change", retry, done, controls=["retry", "retry_all", "delete"],
                      description="Retrying")  # fmt: skip

    def action_delete(self) -> None:
        item = self.highlighted
        if item is None:
            self.notify("Highlight a report to delete.", timeout=4)
            return
        if item.state == "sending":
            self.notify("That report is being sent right now; try again in a moment.",
                        timeout=4)  # fmt: skip
            return
        delivered = ("The server refused it" if item.state == "dead"
                     else "It has NOT been delivered")  # fmt: skip
        self.app.push_screen(
            ConfirmDialog(
                f"Delete the report of {item.serial_number or '?'} from the queue?",
                f"{delivered}: once deleted, the server will never receive it. Export it "
                f"first with pywats-queue export {item.report_id} FILE if you need it.",
                confirm="Delete",
                type_to_confirm=item.serial_number or "delete",  # never delivered, for good
            ),
            lambda yes: self._delete(item) if yes else None,
        )

    def _delete(self, item: QueueItem) -> None:
        queue = self.wats.queue

        def done(count: int) -> None:
            if count:
                self.notify(f"Deleted the report of {item.serial_number or item.report_id}.",
                            timeout=4, markup=False)  # fmt: skip
            else:
                self.notify("It was not deleted: it is being sent or already gone.", timeout=5)
            self.action_reload()

        self.run_task("change", lambda: queue.delete([item.report_id]), done,
                      controls=["retry", "retry_all", "delete"],
                      description="Deleting")  # fmt: skip
