"""Listening: what Weaver collects from social media and why, for admins."""
