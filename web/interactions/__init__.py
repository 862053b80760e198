"""Logging an informal interaction."""
