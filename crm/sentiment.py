"""Sentiment of a post's text with TextBlob's pattern lexicon, which needs no NLTK corpora."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from textblob.en import sentiment as pattern_lexicon

# Polarity is -1..1; this band around zero reads as neutral to a person.
NEUTRAL_BAND = 0.1


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
