"""Sentiment of a post's text with TextBlob's pattern lexicon, which needs no NLTK corpora.

Scoring is the largest single cost of storing a page of new posts, so the scheduler process
starts worker processes once (`start_workers`, see crm.sentiment_workers), and a page's texts
are shared between them and the caller (`start_scoring`): the workers score while the caller
gets on with the database work that does not need the scores. Everywhere else, and until the
workers are up, scoring happens in-process. The figures are the same either way.
"""

from __future__ import annotations

import atexit
import logging
import math
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from textblob.en import sentiment as pattern_lexicon

from crm.sentiment_workers import Worker, Workers

log = logging.getLogger(__name__)

# Polarity is -1..1; this band around zero reads as neutral to a person.
NEUTRAL_BAND = 0.1
# Fewer texts than this cost more to send to another process than to score here.
WORKER_MIN_TEXTS = 40
# Workers beyond a handful only add copying: a page holds at most a few hundred posts.
MAX_WORKERS = 4


class SentimentLabel(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


@dataclass(frozen=True)
class Sentiment:
    polarity: float
    subjectivity: float


def label_for(polarity: float) -> SentimentLabel:
    if polarity > NEUTRAL_BAND:
        return SentimentLabel.POSITIVE
    if polarity < -NEUTRAL_BAND:
        return SentimentLabel.NEGATIVE
    return SentimentLabel.NEUTRAL


def score(text: str) -> Sentiment:
    # The lexicon that TextBlob(text).sentiment consults, called directly: TextBlob's
    # PatternAnalyzer builds a new namedtuple class on every call, half the cost of a post.
    polarity, subjectivity = pattern_lexicon(text)
    return Sentiment(polarity=round(polarity, 4), subjectivity=round(subjectivity, 4))


# --- Scoring many texts, partly in worker processes -----------------------------------------


# A share of the texts, and the worker scoring it (None: this process scores it).
_Share = tuple[Worker | None, Sequence[str]]


class Scoring:
    """Scores being worked out by checked-out workers, or by this process when `scores()` is
    called. Use it as a context manager, so that the workers are free again even when
    `scores()` is never called."""

    def __init__(self, shares: list[_Share], workers: Workers | None = None) -> None:
        self._shares = shares
        self._workers = workers
        self._scores: list[Sentiment] | None = None

    @property
    def in_workers(self) -> bool:
        return any(worker is not None for worker, _texts in self._shares)

    def scores(self) -> list[Sentiment]:
        """One score per text, in order: exactly what `score` gives for each."""
        if self._scores is None:
            own = {
                index: [score(text) for text in texts]
                for index, (worker, texts) in enumerate(self._shares)
                if worker is None
            }
            self._scores = [
                result
                for index, (worker, texts) in enumerate(self._shares)
                for result in (own[index] if worker is None else self._collected(index))
            ]
        return self._scores

    def _collected(self, index: int) -> list[Sentiment]:
        worker, texts = self._shares[index]
        self._shares[index] = (None, texts)
        pairs = self._workers.collect(worker) if worker and self._workers else None
        if pairs is None:  # the worker died: its share is scored here
            return [score(text) for text in texts]
        return [Sentiment(*pair) for pair in pairs]

    def __enter__(self) -> Scoring:
        return self

    def __exit__(self, *_exc: object) -> None:
        # Unread answers would reach the next page that used these workers.
        for index, (worker, _texts) in enumerate(self._shares):
            if worker is not None:
                self._collected(index)


def start_scoring(texts: Sequence[str]) -> Scoring:
    """Begin scoring `texts`: shared between the workers this process started, if any are
    free, from now; otherwise by this process when `scores()` is called."""
    workers = _own_workers()
    free = workers.check_out() if workers is not None and len(texts) >= WORKER_MIN_TEXTS else []
    if workers is None or not free:
        return Scoring([(None, texts)])
    size = math.ceil(len(texts) / len(free))
    shares: list[_Share] = []
    for index, worker in enumerate(free):
        chunk = texts[index * size : (index + 1) * size]
        shares.append((worker if workers.send(worker, list(chunk)) else None, chunk))
    return Scoring(shares, workers)


def start_workers() -> bool:
    """Start worker processes for `start_scoring`, in the background, in a long-running
    process that stores many posts (the scheduler). Pages are scored here until the workers
    are up. False when workers cannot help (one CPU) or cannot start. `stop_workers` (or
    the end of the process) stops them."""
    global _workers
    with _workers_lock:
        if _own_workers() is not None:
            return True
        size = planned_worker_count()
        if size < 1:
            return False
        workers = Workers(size, owner_pid=os.getpid())
        try:
            workers.start()
        except OSError as error:
            log.warning("Scoring sentiment in-process: no worker processes (%s)", error)
            workers.stop()
            return False
        _workers = workers
        return True


def planned_worker_count() -> int:
    """How many workers `start_workers` starts on this machine: one CPU stays with the caller."""
    return min(_usable_cpus() - 1, MAX_WORKERS)


def wait_for_workers(timeout: float) -> bool:
    """Wait until the started workers are ready; False if none were started or they failed."""
    workers = _own_workers()
    return workers is not None and workers.wait_until_ready(timeout)


def worker_count() -> int:
    """How many worker processes this process started (0 when it scores in-process)."""
    workers = _own_workers()
    return workers.size if workers is not None else 0


def stop_workers() -> None:
    """Stop this process's worker processes, if any, waiting for them to exit."""
    global _workers
    with _workers_lock:
        workers, _workers = _own_workers(), None
    if workers is not None:
        workers.stop()


_workers: Workers | None = None
_workers_lock = threading.Lock()


def _own_workers() -> Workers | None:
    # A forked child inherits the parent's Workers object, but the pipes are the parent's.
    workers = _workers
    return workers if workers is not None and workers.owner_pid == os.getpid() else None


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


atexit.register(stop_workers)
