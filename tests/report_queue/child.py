"""A separate process for the queue tests: ``python child.py MODE QUEUE URL TOKEN [N PREFIX]``.

Modes:
  drain            send everything pending (prints "ready" first), exit 0 once empty
  wait-drain       as drain, but start only once a line arrives on stdin (a warm spare)
  enqueue-drain    queue N reports, then drain
  enqueue-print    queue N reports, printing each id as soon as submit(queue=True) returned,
                   then sleep (the parent kills it)
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pywats import AsyncWATS
from pywats.retry import RetryPolicy
from tests.report_queue.helpers import make_report


async def main() -> int:
    mode, queue_path, url, token = sys.argv[1:5]
    count = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    prefix = sys.argv[6] if len(sys.argv) > 6 else "Q"
    async with AsyncWATS(
        url,
        token,
        queue_path=queue_path,
        retry=RetryPolicy(max_retries=0),
        timeout=2.0,
        deadline=5.0,
    ) as wats:
        wats.queue.backoff_initial = 0.05
        wats.queue.backoff_max = 0.25
        wats.queue.poll_interval = 0.1
        if mode in ("enqueue-drain", "enqueue-print"):
            for number in range(count):
                report_id = await wats.report.submit(
                    make_report(f"{prefix}-{number:04d}"), queue=True
                )
                if mode == "enqueue-print":
                    print(report_id, flush=True)
            if mode == "enqueue-print":
                print("done", flush=True)
                time.sleep(60)
                return 0
        print("ready", flush=True)
        if mode == "wait-drain":
            await asyncio.to_thread(sys.stdin.readline)
        result = await wats.queue.drain(60)
        print(f"sent={result.sent} remaining={result.remaining}", flush=True)
        return 0 if result.empty else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
