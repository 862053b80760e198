"""`crm scheduler` scores sentiment in worker processes when X is connected, and they end
with it. This runs the real command in a child process, as a container would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crm import sentiment
from crm.database import Database

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").exists(), reason="reads child processes from /proc (Linux)"
)


def spawned_children(pid: int) -> set[int]:
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        children.update(int(child) for child in (task / "children").read_text().split())
    return {
        child
        for child in children
        if b"crm.sentiment_workers" in Path(f"/proc/{child}/cmdline").read_bytes()
    }


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_the_scheduler_starts_sentiment_workers_and_stops_them_on_interrupt(
    database: Database, database_url: str, tmp_path
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "WEAVER_INSTANCE_PATH": str(tmp_path),
        "X_BEARER_TOKEN": "not-a-real-token",  # no target and no account: X is never called
        # Ctrl-C can land on a job's thread while the main one sleeps until the next job:
        # a job every second keeps the wait for it short.
        "WEAVER_TARGET_SYNC_SECONDS": "1",
    }
    command = [sys.executable, "-c", "from crm.cli import main; main()", "scheduler"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        expected = sentiment.planned_worker_count()
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while len(workers) < expected and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.3)
            workers = spawned_children(process.pid)
        assert len(workers) == expected, f"{len(workers)} workers started, not {expected}"
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output.decode()
    assert "Scheduler stopped" in output.decode()
    assert "Traceback" not in output.decode()
    assert not any(is_running(pid) for pid in workers)
