"""`crm scheduler` scores sentiment in worker processes when X is connected, and they end
with it. This runs the real command in a child process, as a container would."""

from __future__ import annotations

import contextlib
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
    """The sentiment workers among the process's children (threads come and go meanwhile)."""
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            children.update(int(child) for child in (task / "children").read_text().split())
    workers = set()
    for child in children:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            if b"crm.sentiment_workers" in Path(f"/proc/{child}/cmdline").read_bytes():
                workers.add(child)
    return workers


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.parametrize(
    "stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "docker stop"]
)
def test_the_scheduler_starts_sentiment_workers_and_stops_them_on_a_signal(
    database: Database, database_url: str, tmp_path, stop_signal: signal.Signals
) -> None:
    expected = sentiment.planned_worker_count()
    if expected < 1:
        pytest.skip("one CPU: the scheduler scores in-process and starts no workers")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "WEAVER_INSTANCE_PATH": str(tmp_path),
        "X_BEARER_TOKEN": "not-a-real-token",  # no target and no account: X is never called
        "WEAVER_TARGET_SYNC_SECONDS": "1",
    }
    command = [sys.executable, "-c", "from crm.cli import main; main()", "scheduler"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while len(workers) < expected and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.3)
            workers = spawned_children(process.pid)
        assert len(workers) == expected, f"{len(workers)} workers started, not {expected}"
        process.send_signal(stop_signal)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, output.decode()
    assert "Scheduler stopped" in output.decode()
    assert "Traceback" not in output.decode()
    assert not any(is_running(pid) for pid in workers)
