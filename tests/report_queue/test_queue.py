"""The offline report queue: durable enqueue, delivery in order, dead letters, pause on 401,
sharing between processes, full disk, and a torture test of killed senders."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from pywats import AsyncWATS
from pywats.domains.report import dump_wsjf
from pywats.emulator import EmulatorConfig
from pywats.emulator.runner import EmulatorServer
from pywats.queue import (
    AsyncReportQueue,
    QueuePausedError,
    QueueStorageError,
    QueueStore,
    resolve_queue_path,
)
from pywats.retry import RetryPolicy

from .helpers import make_report, stored_counts

CHILD = Path(__file__).parent / "child.py"
ZYGOTE = Path(__file__).parent / "zygote.py"
DEAD_URL = "http://127.0.0.1:9"  # discard port: nothing listens, connections are refused
FAST = {"retry": RetryPolicy(max_retries=0), "timeout": 2.0, "deadline": 5.0}


def _fast(queue: AsyncReportQueue) -> None:
    queue.backoff_initial = 0.02
    queue.backoff_max = 0.1
    queue.poll_interval = 0.05


def _server_ids(server_db: Path) -> list[str]:
    with sqlite3.connect(server_db) as conn:
        return [r[0].lower() for r in conn.execute("SELECT uuid FROM report ORDER BY rowid")]


async def test_queued_submit_returns_while_the_server_is_unreachable(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    async with AsyncWATS(DEAD_URL, "dG9rZW4=", queue_path=path, **FAST) as wats:
        _fast(wats.queue)
        report = make_report("OFF-0001")
        started = time.monotonic()
        assert await wats.report.submit(report, queue=True) == report.id
        assert time.monotonic() - started < 1.0
        status = await wats.queue.status()
        assert (status.pending + status.sending, status.dead, status.path) == (1, 0, path)
        [item] = await wats.queue.pending()
        assert (item.report_id, item.serial_number, item.format) == (report.id, "OFF-0001", "WSJF")
        await wats.queue.drain(0.3)  # the sender keeps trying; nothing raises
        status = await wats.queue.status()
        assert status.state == "waiting" and status.last_error
    # Another process (a fresh store) sees exactly the bytes that would have been posted.
    found = QueueStore(path).body(str(report.id))
    assert found is not None and found[1].decode() == dump_wsjf(report)


async def test_queue_path_comes_from_the_option_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WATS_QUEUE", str(tmp_path / "env.sqlite3"))
    assert resolve_queue_path() == tmp_path / "env.sqlite3"
    assert resolve_queue_path(tmp_path / "arg.sqlite3") == tmp_path / "arg.sqlite3"
    async with AsyncWATS(DEAD_URL, "dG9rZW4=") as wats:
        assert wats.queue.path == tmp_path / "env.sqlite3"
    monkeypatch.delenv("WATS_QUEUE")
    assert resolve_queue_path().name == "report-queue.sqlite3"
    assert "pywats" in str(resolve_queue_path())


async def test_sender_delivers_in_order_and_empties_the_queue(emulator, tmp_path: Path) -> None:
    async with AsyncWATS(**emulator.sdk_kwargs(), queue_path=tmp_path / "q.sqlite3") as wats:
        _fast(wats.queue)
        reports = [make_report(f"ORD-{n}") for n in range(6)]
        for report in reports:
            await wats.report.submit(report, queue=True)
        seen: list[tuple[int, int]] = []
        result = await wats.queue.drain(20, progress=lambda done, total: seen.append((done, total)))
        assert (result.dead, result.remaining) == (0, 0)
        assert seen[-1][0] == seen[-1][1]  # progress ends at done == total
        status = await wats.queue.status()
        assert (status.state, status.pending, status.delivered) == ("idle", 0, 6)
        stored = emulator.store.query(
            "SELECT lower(uuid) AS id FROM report WHERE serial_number LIKE 'ORD-%' ORDER BY rowid"
        )
        assert [row["id"] for row in stored] == [r.id for r in reports]
        again = await wats.report.get_report(str(reports[3].id))
        assert again is not None and again.serial_number == "ORD-3"
        await wats.queue.aclose()


async def test_refused_report_becomes_a_dead_letter_with_the_servers_reason(
    emulator, tmp_path: Path
) -> None:
    async with AsyncWATS(**emulator.sdk_kwargs(), queue_path=tmp_path / "q.sqlite3") as wats:
        _fast(wats.queue)
        bad_id = str(uuid.uuid4())
        bad = json.loads(dump_wsjf(make_report("BAD-1")))
        bad.update(id=bad_id, processCode="ten")  # e.g. queued by an older station script
        await wats.queue.enqueue(bad_id, json.dumps(bad).encode(), serial_number="BAD-1")
        good = make_report("GOOD-1")
        await wats.report.submit(good, queue=True)
        result = await wats.queue.drain(20)
        assert result.remaining == 0
        [dead] = await wats.queue.dead_letters()
        assert dead.report_id == bad_id and dead.state == "dead"
        assert dead.last_error and "processCode" in dead.last_error
        assert (await wats.queue.status()).dead == 1
        # Retried, it is refused again and comes back as a dead letter, never lost.
        assert await wats.queue.retry() == 1
        result = await wats.queue.drain(20)
        assert result.remaining == 0 and len(await wats.queue.dead_letters()) == 1
        # Exported, it can be fixed by hand; deleted, it is gone.
        item, body = await wats.queue.get(bad_id) or (None, b"")
        assert item is not None and json.loads(body)["processCode"] == "ten"
        assert await wats.queue.delete([bad_id]) == 1
        assert await wats.queue.dead_letters() == []


async def test_a_refused_token_pauses_the_queue_until_a_good_token_sends(
    emulator, tmp_path: Path
) -> None:
    path = tmp_path / "q.sqlite3"
    kwargs = emulator.sdk_kwargs()
    kwargs["token"] = "d3Jvbmc6dG9rZW4="
    report = make_report("AUTH-1")
    async with AsyncWATS(**kwargs, queue_path=path) as wats:
        _fast(wats.queue)
        await wats.report.submit(report, queue=True)
        with pytest.raises(QueuePausedError) as caught:
            await wats.queue.drain(10)
        assert caught.value.status_code == 401
        status = await wats.queue.status()
        assert status.state == "paused" and status.paused is not None
        assert status.paused.status_code == 401
        assert status.pending == 1 and status.dead == 0  # kept, not dead-lettered
        posts = emulator.traffic.count_for("POST", "/api/Report/WSJF")
        time.sleep(0.3)  # paused: the sender does not hammer the server
        assert emulator.traffic.count_for("POST", "/api/Report/WSJF") == posts
    async with AsyncWATS(**emulator.sdk_kwargs(), queue_path=path) as wats:
        _fast(wats.queue)
        result = await wats.queue.drain(10)  # another token: the pause does not apply
        assert result.remaining == 0 and (await wats.queue.status()).paused is None
    assert emulator.store.scalar("SELECT count(*) FROM report WHERE uuid = ?", (report.id,)) == 1


async def test_a_full_disk_is_a_clear_error_at_enqueue_and_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    async with AsyncWATS(DEAD_URL, "dG9rZW4=", queue_path=path, **FAST) as wats:
        wats.queue.max_bytes = 96 * 1024  # the queue's disk holds 96 KiB
        kept = []
        with pytest.raises(QueueStorageError) as caught:
            for number in range(500):
                report = make_report(f"FULL-{number:03d}")
                await wats.report.submit(report, queue=True)
                kept.append(str(report.id))
        assert "full" in str(caught.value) and str(path) in str(caught.value)
        assert 5 < len(kept) < 500
        ids = [item.report_id for item in await wats.queue.pending()]
        assert ids == kept  # every report that returned is there, the refused one is not


async def test_an_unusable_queue_location_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    async with AsyncWATS(DEAD_URL, "dG9rZW4=", queue_path=blocker / "q.sqlite3") as wats:
        with pytest.raises(QueueStorageError) as caught:
            await wats.report.submit(make_report("RO-1"), queue=True)
        assert "cannot" in str(caught.value) and "not-a-folder" in str(caught.value)
    readonly = tmp_path / "ro.sqlite3"
    QueueStore(readonly).counts()
    store = QueueStore(readonly)
    store._connect().execute("PRAGMA query_only = ON")  # what a read-only file behaves like
    with pytest.raises(QueueStorageError) as caught:
        store.enqueue("x", b"{}")
    assert "read-only" in str(caught.value)


def _child(
    mode: str, queue: Path, url: str, token: str, *extra: str, stdin: bool = False
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), mode, str(queue), url, token, *extra],
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def test_returned_submit_survives_kill_minus_nine(tmp_path: Path) -> None:
    queue = tmp_path / "q.sqlite3"
    child = _child("enqueue-print", queue, DEAD_URL, "dG9rZW4=", "40", "KILL")
    returned = []
    assert child.stdout is not None
    kill_after = random.Random(3).randint(5, 30)
    for line in child.stdout:
        returned.append(line.strip())
        if len(returned) == kill_after:
            child.send_signal(signal.SIGKILL)  # right after submit() returned
            break
    child.wait(10)
    assert child.returncode == -signal.SIGKILL
    ids = {item.report_id for item in QueueStore(queue).items()}
    assert set(returned) <= ids


def _open_and_store(path: str, start: Any, errors: Any) -> None:
    start.wait()
    try:
        QueueStore(Path(path)).enqueue(f"R-{os.getpid()}", b"{}")
    except QueueStorageError as exc:
        errors.put(str(exc))


def test_processes_opening_a_fresh_queue_at_once_all_store_their_report(tmp_path: Path) -> None:
    # Station processes started together once failed their first submit with "database is
    # locked": SQLite refuses the switch to WAL at once, without waiting, while another
    # connection is opening the same fresh file. Before the fix about 1 in 40 opens failed.
    context = multiprocessing.get_context("fork")
    errors = context.Queue()
    for round_ in range(40):
        path = str(tmp_path / f"q{round_}.sqlite3")
        start = context.Event()
        workers = [
            context.Process(target=_open_and_store, args=(path, start, errors)) for _ in range(4)
        ]
        for worker in workers:
            worker.start()
        start.set()
        for worker in workers:
            worker.join(60)
        assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
        failures = []
        while not errors.empty():
            failures.append(errors.get())
        assert failures == []
        assert len(QueueStore(Path(path)).items()) == 4


def test_two_processes_share_one_queue_and_send_each_report_once(tmp_path: Path) -> None:
    queue = tmp_path / "q.sqlite3"
    config = EmulatorConfig(db_path=str(tmp_path / "server.sqlite3"), seed_data=False)
    with EmulatorServer(config) as server:
        children = [
            _child("enqueue-drain", queue, server.url, server.token, "15", prefix)
            for prefix in ("TWO-A", "TWO-B")
        ]
        for child in children:
            _out, err = child.communicate(timeout=60)
            assert child.returncode == 0, err
        posts = server.traffic.count_for("POST", "/api/Report/WSJF")
    counts = stored_counts(tmp_path / "server.sqlite3", "TWO-")
    assert len(counts) == 30 and set(counts.values()) == {1}
    assert posts == 30  # claims are exclusive: no report was posted twice
    assert QueueStore(queue).items() == []


def test_torture_killed_senders_and_a_server_going_down_and_up(tmp_path: Path) -> None:
    """20 sender processes are SIGKILLed at random moments while the emulator goes down and
    comes back (its data in a file); afterwards every report is on the server exactly once."""
    started = time.monotonic()
    queue = tmp_path / "q.sqlite3"
    server_db = tmp_path / "server.sqlite3"
    config = EmulatorConfig(db_path=str(server_db), seed_data=False)
    config.faults.latency = 0.03  # so kills land while requests are in flight
    rng = random.Random(18)
    store = QueueStore(queue)
    enqueued: list[str] = []

    def enqueue(count: int) -> None:
        for _ in range(count):
            report = make_report(f"TORT-{len(enqueued):04d}")
            store.enqueue(str(report.id), dump_wsjf(report).encode(), serial_number="TORT")
            enqueued.append(str(report.id))

    enqueue(30)
    server: EmulatorServer | None = EmulatorServer(config)
    server.start()
    port, token = server.port, server.token
    url = f"http://127.0.0.1:{port}"
    kills = 0
    # Senders are forked from one process that has imported pywats already, so a round costs
    # the time to the kill, not an interpreter start (the kill lands anywhere in a send).
    zygote = subprocess.Popen(
        [sys.executable, str(ZYGOTE), str(queue), url, token],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert zygote.stdin is not None and zygote.stdout is not None
    try:
        assert zygote.stdout.readline().strip() == "ready"
        for round_number in range(20):
            if round_number % 5 == 2 and server is not None:
                server.stop()  # the server goes away mid-run
                server = None
            elif round_number % 5 == 4 and server is None:
                server = EmulatorServer(config, port=port)
                server.start()
            zygote.stdin.write("fork\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            time.sleep(rng.uniform(0.05, 0.4))
            try:
                os.kill(pid, signal.SIGKILL)
                kills += 1
            except ProcessLookupError:
                pass  # it emptied the queue and exited first
            enqueue(2)  # the station keeps testing meanwhile
    finally:
        zygote.stdin.close()
        zygote.wait(10)
    assert kills >= 18
    if server is None:
        server = EmulatorServer(config, port=port)
        server.start()
    try:
        # The last sender is the CLI: "send" exits 0 once the queue is empty.
        final = subprocess.run(
            [sys.executable, "-m", "pywats.queue.cli", "send", "--path", str(queue)],
            env={**os.environ, "WATS_URL": url, "WATS_TOKEN": token},
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert final.returncode == 0, final.stdout + final.stderr
        assert "queue empty" in final.stdout
    finally:
        server.stop()
    counts = stored_counts(server_db, "TORT-")
    assert sorted(counts) == sorted(enqueued)  # every report, counted by id
    assert set(counts.values()) == {1}
    assert QueueStore(queue).items() == []  # nothing pending
    assert QueueStore(queue).items(("dead",)) == []  # no dead letters
    assert time.monotonic() - started < 60  # about 10 s; the timeouts above bound each step


def test_sync_client_queues_in_its_own_file_and_drains(emulator_server, tmp_path: Path) -> None:
    from pywats import SyncWATS

    path = tmp_path / "sync.sqlite3"
    report = make_report("SYNC-1")
    with SyncWATS(**emulator_server.sdk_kwargs(), queue_path=path) as wats:
        assert wats.queue.path == path
        assert wats.report.submit(report, queue=True) == report.id
        assert QueueStore(path).body(str(report.id)) is not None  # in this file, at once
        assert wats.queue.drain(20).empty
        assert wats.report.get_report(str(report.id)) is not None
        assert wats.queue.status().delivered == 1


async def test_the_sender_stops_when_its_client_closes(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    wats = AsyncWATS(DEAD_URL, "dG9rZW4=", queue_path=path, **FAST)
    _fast(wats.queue)
    await wats.report.submit(make_report("CLOSED-1"), queue=True)
    assert wats.queue.running
    await wats.close()
    for _ in range(100):
        if not wats.queue.running:
            break
        await asyncio.sleep(0.02)
    assert not wats.queue.running
    [item] = QueueStore(path).items()
    assert item.state == "pending"  # given back, for the next sender


async def test_a_crash_between_send_and_acknowledge_resends_without_a_duplicate(
    emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "q.sqlite3"
    report = make_report("ACK-1")

    class Crash(BaseException):
        """The process dying right after the server stored the report."""

    def crash(self: QueueStore, seq: int) -> None:
        raise Crash

    async with AsyncWATS(**emulator.sdk_kwargs(), queue_path=path) as wats:
        await wats.report.submit(report, queue=True)
        await wats.queue.stop()
        with monkeypatch.context() as patch:
            patch.setattr(QueueStore, "acknowledge", crash)
            with pytest.raises(Crash):
                await wats.queue.send_one()
        wats.queue.store.close()  # the dead process's claim is stale from now on
    assert emulator.store.scalar("SELECT receive_count FROM report WHERE uuid = ?",
                                 (report.id,)) == 1  # fmt: skip
    [item] = QueueStore(path).items()
    assert item.state == "pending"  # not acknowledged: it will be sent again
    async with AsyncWATS(**emulator.sdk_kwargs(), queue_path=path) as wats:
        assert (await wats.queue.drain(10)).empty
    row = emulator.store.query_one(
        "SELECT count(*) AS n, max(receive_count) AS received FROM report WHERE uuid = ?",
        (report.id,),
    )
    assert (row["n"], row["received"]) == (1, 2)  # received twice, stored once


@pytest.mark.parametrize(
    ("status", "outcome", "state"),
    [
        (403, "paused", "pending"),  # like 401: the token, not the report
        (413, "dead", "dead"),  # the report itself is refused
        (503, "retry", "pending"),  # the server is busy: later
        (404, "retry", "pending"),  # a wrong path (proxy, server version): later, not dropped
    ],
)
async def test_each_answer_is_handled_as_what_it_means(
    tmp_path: Path, status: int, outcome: str, state: str
) -> None:
    import httpx2

    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(status, json={"Message": f"answered {status}"})

    path = tmp_path / "q.sqlite3"
    transport = httpx2.MockTransport(answer)
    async with AsyncWATS(
        "https://wats.test", "dG9rZW4=", queue_path=path, transport=transport, **FAST
    ) as wats:
        await wats.report.submit(make_report("ANS-1"), queue=True)
        await wats.queue.stop()
        assert await wats.queue.send_one() == outcome
        [item] = QueueStore(path).items(("pending", "sending", "dead"))
        assert item.state == state
        assert item.last_error is not None and f"answered {status}" in item.last_error
        paused = (await wats.queue.status()).paused
        assert (paused is not None) == (outcome == "paused")


def test_the_queue_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "station" / "q.sqlite3"
    store = QueueStore(path)
    store.enqueue("a", b"{}")
    for name in (path, path.with_name(path.name + "-wal")):
        assert name.stat().st_mode & 0o777 == 0o600, name
