"""Suggested follow-ups: the list officers accept or dismiss."""
