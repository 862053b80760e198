"""Weaver's sentiment is TextBlob's, read faster."""

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
