"""The follow-up list."""
