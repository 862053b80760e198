"""Search across contacts and what was said with them."""
