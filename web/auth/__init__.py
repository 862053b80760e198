"""Signing in and out, and knowing who is asking."""
