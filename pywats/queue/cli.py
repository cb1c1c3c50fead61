"""``pywats-queue``: look at and drive a station's offline report queue.

    pywats-queue status              counts, state (paused, waiting...), the file
    pywats-queue list [--dead]       queued reports (or the dead letters) with their reasons
    pywats-queue send [--timeout S]  deliver now with a progress bar; exit 0 once empty
    pywats-queue retry [ID ...]      dead letters (all, or these) back into the queue
    pywats-queue export ID FILE      write a queued report's WSJF/WSXF to a file ("-": stdout)

The queue file comes from ``--path`` (before or after the subcommand), then ``WATS_QUEUE``,
then the user data directory; the server from the usual settings (``WATS_URL``,
``WATS_TOKEN``, the config file). Exit codes: 0 done, 1 reports remain (or a report id was
not found), 2 bad usage or settings, 3 paused (the server refused the token), 4 storage error.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TextIO

from pywats.errors import ConfigError, WATSError

from .errors import QueuePausedError, QueueStorageError
from .queue import AsyncReportQueue, resolve_queue_path
from .store import QueueItem, QueueStore

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--path", default=argparse.SUPPRESS, help="the queue file (default: WATS_QUEUE, then "
        "the user data directory)"
    )  # fmt: skip
    parser = argparse.ArgumentParser(
        prog="pywats-queue",
        description="The offline report queue of this station.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("status", parents=[common], help="counts and state")
    listing = sub.add_parser("list", parents=[common], help="queued reports")
    listing.add_argument("--dead", action="store_true", help="the dead letters instead")
    send = sub.add_parser("send", parents=[common], help="deliver now (progress bar)")
    send.add_argument("--timeout", type=float, default=None, help="give up after S seconds")
    send.add_argument("--url", help="the server (default: WATS_URL or the config file)")
    send.add_argument("--token", help="the API token (default: WATS_TOKEN or the config file)")
    retry = sub.add_parser("retry", parents=[common], help="dead letters back into the queue")
    retry.add_argument("ids", nargs="*", help="report ids (default: every dead letter)")
    export = sub.add_parser("export", parents=[common], help="write a queued report to a file")
    export.add_argument("id", help="the report id")
    export.add_argument("file", help='where to write it ("-" for standard output)')
    return parser


def _when(stamp: float | None) -> str:
    return "-" if stamp is None else datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M:%S")


def _row(item: QueueItem) -> str:
    reason = (item.last_error or "").replace("\n", " ")
    return (
        f"{item.report_id}  {item.state:<7}  {item.serial_number or '-':<16} "
        f"{item.part_number or '-':<12} {_when(item.enqueued_at)}  tries {item.attempts}"
        + (f"  {reason[:200]}" if reason else "")
    )


def _bar(done: int, total: int, out: TextIO, started: float) -> None:
    width = 30
    filled = width if total == 0 else round(width * done / total)
    elapsed = time.monotonic() - started
    line = f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} sent  {elapsed:4.0f} s"
    out.write(line)
    out.flush()


async def _send(args: argparse.Namespace, path: Path, out: TextIO) -> int:
    from pywats.client import AsyncWATS  # the HTTP stack only when sending

    async with AsyncWATS(args.url, args.token, queue_path=path) as wats:
        queue: AsyncReportQueue = wats.queue
        await queue.resume()  # asked to send now: try the token again
        started = time.monotonic()
        try:
            result = await queue.drain(
                args.timeout, progress=lambda done, total: _bar(done, total, out, started)
            )
        except QueuePausedError as exc:
            out.write(f"\n{exc}\n")
            return 3
        finally:
            await queue.stop()
        out.write("\n")
        status = await queue.status()
        if result.empty:
            out.write(f"queue empty ({status.dead} dead letters)\n" if status.dead
                      else "queue empty\n")  # fmt: skip
            return 0
        out.write(f"{result.remaining} reports remain: {status.last_error or 'timed out'}\n")
        return 1


def run(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    args = _parser().parse_args(argv)
    path = resolve_queue_path(getattr(args, "path", None))
    try:
        if args.command == "send":
            return asyncio.run(_send(args, path, out))
        if not path.exists():  # looking must not create a queue file
            out.write(f"no queue at {path} (nothing was ever queued there)\n")
            return 0 if args.command in ("status", "list") else 1
        store = QueueStore(path)
        if args.command == "status":
            counts = store.counts()
            paused = store.paused()
            out.write(f"queue     {path}\n")
            if paused is not None:
                out.write(f"state     PAUSED since {_when(paused.since)}: the server answered "
                          f"{paused.status_code} ({paused.reason})\n")  # fmt: skip
            else:
                out.write(
                    f"state     {'idle' if counts.pending + counts.sending == 0 else 'pending'}\n"
                )
            out.write(f"pending   {counts.pending}\nsending   {counts.sending}\n"
                      f"dead      {counts.dead}\ndelivered {counts.delivered}\n"
                      f"oldest    {_when(counts.oldest_enqueued_at)}\n")  # fmt: skip
            return 0
        if args.command == "list":
            items = store.items(("dead",)) if args.dead else store.items()
            for item in items:
                out.write(_row(item) + "\n")
            if not items:
                out.write("no dead letters\n" if args.dead else "the queue is empty\n")
            return 0
        if args.command == "retry":
            count = store.retry(args.ids or None)
            store.resume()
            out.write(f"{count} dead letters back in the queue\n")
            return 0 if count or not args.ids else 1
        if args.command == "export":
            found = store.body(args.id)
            if found is None:
                out.write(f"no report {args.id} in the queue\n")
                return 1
            item, body = found
            if args.file == "-":
                out.write(body.decode("utf-8") + "\n")
            else:
                Path(args.file).write_bytes(body)
                out.write(f"wrote {item.format} of {item.report_id} to {args.file}\n")
            return 0
    except QueueStorageError as exc:
        out.write(f"{exc}\n")
        return 4
    except ConfigError as exc:
        out.write(f"{exc}\n")
        return 2
    except WATSError as exc:
        out.write(f"{exc}\n")
        return 1
    return 2


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
