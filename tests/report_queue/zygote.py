"""Sender processes for the torture test, forked from one process that has already imported
pywats: ``python zygote.py QUEUE URL TOKEN``, then one line per sender on stdin. Each line
forks a child that drains the queue (and exits 0 once it is empty); the child's pid is printed.
Children are reaped at once, so a killed one does not linger as a zombie."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pywats import AsyncWATS
from pywats.retry import RetryPolicy


async def drain(queue_path: str, url: str, token: str) -> int:
    async with AsyncWATS(
        url, token, queue_path=queue_path, retry=RetryPolicy(max_retries=0), timeout=2.0,
        deadline=5.0,
    ) as wats:  # fmt: skip
        wats.queue.backoff_initial = 0.05
        wats.queue.backoff_max = 0.25
        wats.queue.poll_interval = 0.1
        result = await wats.queue.drain(60)
        return 0 if result.empty else 1


def reap() -> None:
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            time.sleep(0.005)


def main() -> None:
    queue_path, url, token = sys.argv[1:4]
    threading.Thread(target=reap, daemon=True).start()
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "quit":
            break
        pid = os.fork()
        if pid == 0:
            os._exit(asyncio.run(drain(queue_path, url, token)))
        print(pid, flush=True)


if __name__ == "__main__":
    main()
