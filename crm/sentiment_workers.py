"""Worker processes that score sentiment for a busy process: `python -m crm.sentiment_workers`.

Each worker is a fresh interpreter that imports only the sentiment code, so starting one is
safe from a process with threads and database connections (nothing is forked but the `exec`)
and costs about 50 MB. It reads a JSON list of texts per line on stdin and answers with a
JSON list of [polarity, subjectivity] per line on stdout; it ends when stdin closes, which
is also what happens if its parent dies.

The caller writes to the worker itself: with an executor, a helper thread must first win the
interpreter lock from the busy caller before work even leaves, and then nothing overlaps. A
worker serves one caller at a time (callers check one out and give it back), so threads never
read each other's answers.
"""

from __future__ import annotations

import contextlib
import json
import logging
import select
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from typing import IO

log = logging.getLogger(__name__)

READY = b"ready\n"
STOP_SECONDS = 5.0

Scores = list[tuple[float, float]]


@dataclass(eq=False)
class Worker:
    process: subprocess.Popen[bytes]
    is_ready: bool = False
    died_starting: bool = False

    @property
    def _stdin(self) -> IO[bytes]:
        assert self.process.stdin is not None
        return self.process.stdin

    @property
    def _stdout(self) -> IO[bytes]:
        assert self.process.stdout is not None
        return self.process.stdout

    def ready(self, timeout: float = 0) -> bool:
        """True once the worker has said it is ready; waits at most `timeout` seconds."""
        if self.is_ready or self.died_starting:
            return self.is_ready
        readable, _, _ = select.select([self._stdout], [], [], timeout)
        if readable:
            line = self._stdout.readline()
            self.is_ready = line == READY
            self.died_starting = not self.is_ready
        return self.is_ready

    def send(self, texts: list[str]) -> None:
        """Raises OSError when the worker has died."""
        self._stdin.write(json.dumps(texts).encode() + b"\n")
        self._stdin.flush()

    def answer(self) -> Scores:
        """Raises OSError when the worker has died."""
        line = self._stdout.readline()
        if not line:
            raise BrokenPipeError("The sentiment worker closed its output")
        return [(polarity, subjectivity) for polarity, subjectivity in json.loads(line)]

    def stop(self) -> None:
        with contextlib.suppress(OSError):  # already gone
            self._stdin.close()
        try:
            self.process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(STOP_SECONDS)
        self._stdout.close()


@dataclass
class Workers:
    """The workers one process started. Only that process may use them."""

    size: int
    owner_pid: int
    _idle: list[Worker] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopped: bool = False

    def start(self) -> None:
        for _ in range(self.size):
            self._idle.append(_spawn())

    def check_out(self) -> list[Worker]:
        """The idle workers that are ready, for one caller's page; the rest stay."""
        with self._lock:
            taken = [worker for worker in self._idle if worker.ready()]
            failed = [worker for worker in self._idle if worker.died_starting]
            self._idle = [w for w in self._idle if w not in taken and w not in failed]
        for worker in failed:
            # Not replaced: whatever stopped it starting would stop the next one too.
            log.warning("A sentiment worker process did not start: scoring in-process")
            worker.stop()
        return taken

    def send(self, worker: Worker, texts: list[str]) -> bool:
        """Give a checked-out worker its share; False (and a new worker) if it has died."""
        try:
            worker.send(texts)
        except OSError:
            self._replace(worker)
            return False
        return True

    def collect(self, worker: Worker) -> Scores | None:
        """The worker's answer, after which it is free again; None if it died meanwhile."""
        try:
            answer = worker.answer()
        except (OSError, ValueError):  # died, or answered something unreadable
            self._replace(worker)
            return None
        self._give_back(worker)
        return answer

    def wait_until_ready(self, timeout: float) -> bool:
        with self._lock:
            workers = list(self._idle)
        return all(worker.ready(timeout) for worker in workers)

    def stop(self) -> None:
        with self._lock:
            workers, self._idle, self._stopped = self._idle, [], True
        for worker in workers:
            worker.stop()

    def _give_back(self, worker: Worker) -> None:
        with self._lock:
            if not self._stopped:
                self._idle.append(worker)
                return
        worker.stop()  # the workers were stopped while this one was out

    def _replace(self, dead: Worker) -> None:
        """A worker that stopped answering (killed for memory, say) is replaced."""
        log.warning("A sentiment worker process died: starting a new one")
        dead.stop()
        try:
            self._give_back(_spawn())
        except OSError as error:
            log.warning("Could not start a new sentiment worker (%s)", error)


def _spawn() -> Worker:
    process = subprocess.Popen(
        [sys.executable, "-m", "crm.sentiment_workers"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        # Its own errors go where the parent's go (the scheduler's log).
    )
    return Worker(process)


def serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """A worker's life: say it is ready, then score each line of texts until stdin ends."""
    from crm.sentiment import score  # here: the parent imports this module from there

    score("good")  # loads the lexicon before the first real page
    stdout.write(READY)
    stdout.flush()
    for line in stdin:
        scored = [score(text) for text in json.loads(line)]
        stdout.write(json.dumps([[s.polarity, s.subjectivity] for s in scored]).encode() + b"\n")
        stdout.flush()


if __name__ == "__main__":
    # Ctrl-C reaches the whole process group; the parent alone decides how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(BrokenPipeError):  # the parent went away mid-answer
        serve(sys.stdin.buffer, sys.stdout.buffer)
