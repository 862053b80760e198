"""`crm serve` runs the real WSGI server, and refuses a database that needs upgrading."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from click.testing import CliRunner

from crm.cli import cli


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_crm_serve_answers_the_health_check(database, database_url, tmp_path) -> None:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "WEAVER_INSTANCE_PATH": str(tmp_path)}
    command = [
        sys.executable,
        "-c",
        "from crm.cli import main; main()",
        "serve",
        "--port",
        str(port),
    ]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        body = None
        deadline = time.monotonic() + 30
        while body is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as reply:
                    body = json.load(reply)
            except OSError:
                time.sleep(0.3)
        assert body == {"status": "ok"}
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=20)


def test_crm_serve_refuses_a_database_that_needs_upgrading(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'old.sqlite3'}")
    monkeypatch.setenv("WEAVER_INSTANCE_PATH", str(tmp_path))
    result = CliRunner().invoke(cli, ["serve", "--port", str(free_port())])
    assert result.exit_code == 1
    assert "run `crm db upgrade` first" in result.output


def test_crm_demo_runs_the_scheduler_in_its_own_process_and_stops_it(tmp_path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"WEAVER_INSTANCE_PATH": str(tmp_path), "WEAVER_HEARTBEAT_SECONDS": "1"}
    command = [
        sys.executable,
        "-c",
        "from crm.cli import main; main()",
        "demo",
        "--port",
        str(port),
    ]
    demo = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    log = tmp_path / "scheduler.log"
    try:
        deadline = time.monotonic() + 90
        while "Heartbeat recorded" not in _text(log) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "Heartbeat recorded" in _text(log), _text(log)
    finally:
        demo.send_signal(signal.SIGINT)
        output, _ = demo.communicate(timeout=30)
    assert "The scheduler runs beside it" in output.decode()
    # The scheduler has gone with the demo: its lock is free for a new one at once.
    lock = tmp_path / "weaver.sqlite3.scheduler-lock"
    with lock.open("rb+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _text(path) -> str:
    return path.read_text() if path.exists() else ""
