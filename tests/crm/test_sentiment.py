"""Weaver's sentiment is TextBlob's, read faster."""

from collections.abc import Iterator

import pytest
from textblob import TextBlob

from crm import sentiment
from crm.sentiment import SentimentLabel, label_for


@pytest.mark.parametrize(
    "text",
    [
        "What a wonderful day at the community garden!",
        "Terrible news: the youth club is closing and nobody from the council replied",
        "Meeting at 7pm in the church hall",
        "",
        "😀 brilliant 👍",
    ],
)
def test_scores_match_textblob_exactly(text):
    polarity, subjectivity = TextBlob(text).sentiment
    scored = sentiment.score(text)
    assert scored.polarity == round(polarity, 4)
    assert scored.subjectivity == round(subjectivity, 4)


def test_labels_have_a_neutral_band():
    assert label_for(0.5) is SentimentLabel.POSITIVE
    assert label_for(0.05) is SentimentLabel.NEUTRAL
    assert label_for(-0.05) is SentimentLabel.NEUTRAL
    assert label_for(-0.5) is SentimentLabel.NEGATIVE


# Scoring in worker processes ---------------------------------------------------------------

MANY_TEXTS = [
    f"{text} #{n}"
    for n, text in enumerate(
        [
            "What a wonderful day at the community garden!",
            "Terrible news: the youth club is closing",
            "Meeting at 7pm in the church hall",
            "Not bad at all, really quite good",
            "😀 brilliant 👍",
        ]
        * 20
    )
]


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Two workers (one CPU stays with the caller), even on a small machine, so these tests
    # run everywhere.
    monkeypatch.setattr(sentiment, "_usable_cpus", lambda: 3)
    assert sentiment.start_workers()
    assert sentiment.wait_for_workers(timeout=120)
    yield
    sentiment.stop_workers()


def in_workers(texts: list[str]) -> bool:
    with sentiment.start_scoring(texts) as scoring:
        return scoring.in_workers


def test_scores_from_worker_processes_are_textblobs_exactly(workers) -> None:
    with sentiment.start_scoring(MANY_TEXTS) as scoring:
        assert scoring.in_workers
        scores = scoring.scores()

    expected = [TextBlob(text).sentiment for text in MANY_TEXTS]
    assert [(s.polarity, s.subjectivity) for s in scores] == [
        (round(polarity, 4), round(subjectivity, 4)) for polarity, subjectivity in expected
    ]


def test_without_workers_or_with_few_texts_scoring_stays_in_process(monkeypatch) -> None:
    assert not in_workers(MANY_TEXTS)

    monkeypatch.setattr(sentiment, "_usable_cpus", lambda: 1)
    assert sentiment.start_workers() is False  # another process only adds copying


def test_a_page_too_small_to_be_worth_sending_is_scored_in_process(workers) -> None:
    few = MANY_TEXTS[: sentiment.WORKER_MIN_TEXTS - 1]
    with sentiment.start_scoring(few) as scoring:
        assert not scoring.in_workers
        assert scoring.scores() == [sentiment.score(text) for text in few]


def test_a_page_left_unread_does_not_leave_its_answers_for_the_next(workers) -> None:
    with pytest.raises(ConnectionError), sentiment.start_scoring(MANY_TEXTS[::-1]):
        raise ConnectionError("the database went away before the scores were wanted")

    with sentiment.start_scoring(MANY_TEXTS) as scoring:
        assert scoring.in_workers
        assert scoring.scores() == [sentiment.score(text) for text in MANY_TEXTS]


def test_a_forked_child_does_not_use_its_parents_workers(workers, monkeypatch) -> None:
    with monkeypatch.context() as child:
        child.setattr(sentiment.os, "getpid", lambda: -1)
        assert not in_workers(MANY_TEXTS)
    assert in_workers(MANY_TEXTS)


def test_when_a_worker_dies_its_share_is_scored_here_and_a_new_one_starts(workers) -> None:
    started = sentiment._own_workers()
    assert started is not None
    pids = {worker.process.pid for worker in started._idle}
    victim = started._idle[0].process
    victim.kill()
    victim.wait(timeout=30)

    with sentiment.start_scoring(MANY_TEXTS) as scoring:
        assert scoring.scores() == [sentiment.score(text) for text in MANY_TEXTS]

    assert sentiment.wait_for_workers(timeout=120)
    now = {worker.process.pid for worker in started._idle}
    assert len(now) == 2 and victim.pid not in now and now & pids
    assert in_workers(MANY_TEXTS)


def test_stopping_the_workers_ends_their_processes(workers) -> None:
    started = sentiment._own_workers()
    assert started is not None
    processes = [worker.process for worker in started._idle]

    sentiment.stop_workers()

    assert sentiment.worker_count() == 0
    assert [process.returncode for process in processes] == [0, 0]
    assert not in_workers(MANY_TEXTS)


def test_a_worker_that_answers_nonsense_is_replaced_and_its_share_scored_here(
    workers, monkeypatch
) -> None:
    started = sentiment._own_workers()
    assert started is not None
    confused = started._idle[0]
    real_answer = confused.answer

    def nonsense() -> list:
        real_answer()  # read the real line, so nothing is left in the pipe
        raise ValueError("Expecting value: line 1 column 1 (char 0)")

    monkeypatch.setattr(confused, "answer", nonsense)

    with sentiment.start_scoring(MANY_TEXTS) as scoring:
        assert scoring.scores() == [sentiment.score(text) for text in MANY_TEXTS]

    assert sentiment.wait_for_workers(timeout=120)
    assert confused not in started._idle and len(started._idle) == 2
    assert confused.process.poll() is not None
